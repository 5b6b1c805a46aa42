/**
 * A second guard behind the form token (OWASP's "verifying origin with standard headers"):
 * browsers say where a request comes from, in `Origin` or, without it, `Sec-Fetch-Site`. A
 * state change from any other site is refused, whatever token it carries. A request with
 * neither header (an old browser, a script) is left to the token alone.
 */
import type { FastifyRequest } from 'fastify';

export class CrossSiteRequestError extends Error {
  readonly statusCode = 403;
  constructor() {
    super('state change from another site');
    this.name = 'CrossSiteRequestError';
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `https://host[:port]` with the default port dropped, as browsers send it; undefined if it is not one. */
function normalised(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Throws for a state change the browser says another site sent. This site is `publicUrl`'s
 * origin when it is set (behind a proxy the Host header may be the proxy's), else the request's
 * own scheme and host.
 */
export function refuseCrossSite(request: FastifyRequest, publicUrl: string | undefined): void {
  if (READS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const self = normalised(publicUrl ?? `${request.protocol}://${request.host}`);
    if (self === undefined || normalised(origin) !== self) throw new CrossSiteRequestError();
    return;
  }
  const site = request.headers['sec-fetch-site'];
  // "none" is the person themselves (a bookmark, the address bar), never another site.
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new CrossSiteRequestError();
}
