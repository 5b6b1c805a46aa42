/**
 * The headers every response carries, in one place: the app's first `onRequest` hook sets them,
 * and so does the answer to a request the framework refuses before any hook runs
 * (`framework-errors.ts`), so no response leaves without them. Written out by hand rather than
 * through helmet, whose middleware only runs inside hooks.
 */
import { contentSecurityPolicy } from './content-security-policy.ts';

/** A browser feature a page may need beyond the default (route config `permissions`). */
export type PageFeature = 'microphone';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Powerful browser features this route's page uses, allowed for our own origin only. */
    permissions?: readonly PageFeature[];
  }
}

/**
 * Powerful features no page uses, refused to the page and anything it embeds. Only names
 * Chromium recognises: it logs a console error for any other.
 */
const DENIED = [
  'accelerometer',
  'browsing-topics',
  'camera',
  'clipboard-read',
  'compute-pressure',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'gamepad',
  'geolocation',
  'gyroscope',
  'hid',
  'identity-credentials-get',
  'idle-detection',
  'local-fonts',
  'magnetometer',
  'microphone',
  'midi',
  'otp-credentials',
  'payment',
  'picture-in-picture',
  'publickey-credentials-create',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'speaker-selection',
  'usb',
  'window-management',
  'xr-spatial-tracking',
] as const;

export function permissionsPolicy(allowed: readonly PageFeature[] = []): string {
  return DENIED.map((feature) =>
    (allowed as readonly string[]).includes(feature) ? `${feature}=(self)` : `${feature}=()`,
  ).join(', ');
}

const DENY_ALL = permissionsPolicy();

const FIXED: Record<string, string> = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  // The old XSS auditor did more harm than good; the CSP does its job.
  'x-xss-protection': '0',
};

/** Every security header for a response whose inline scripts carry `nonce`. */
export function securityHeaders(nonce: string, allowed: readonly PageFeature[] = []): Record<string, string> {
  return {
    ...FIXED,
    'content-security-policy': contentSecurityPolicy(nonce),
    'permissions-policy': allowed.length ? permissionsPolicy(allowed) : DENY_ALL,
  };
}
