/**
 * A strict Content-Security-Policy: only our own scripts, and inline ones only with this
 * response's nonce. Built by hand because helmet rebuilds its policy on every request when
 * nonces are on, which showed in the caseload page's profile.
 */
import { randomBytes } from 'node:crypto';

const FIXED = [
  "default-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  // Voice notes play back from the server, or from the browser's memory before they are sent.
  "media-src 'self' blob:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(nonce: string): string {
  return `script-src 'self' 'nonce-${nonce}'; ${FIXED}`;
}
