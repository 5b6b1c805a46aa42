/**
 * What a person (or a script asking for JSON) is shown when a request fails: the error pages,
 * the not-found page, and the answer to a request refused before routing.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newNonce } from './content-security-policy.ts';
import { securityHeaders } from './security-headers.ts';
import { CrossSiteRequestError } from './same-origin.ts';
import { SignInRequiredError } from './request-context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { isConcurrentWriteConflict } from '../database/unique-violation.ts';
import { isDatabaseUnavailable } from '../database/unavailable.ts';
import { isDiskFull } from '../database/disk-full.ts';
import { isTrialLockedError, TRIAL_LOCKED_MESSAGE } from '../database/trial-locked.ts';
import { wantsJson } from './wants-json.ts';

/** Seconds a client is asked to wait while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 30;

/** A page in the layout, for nobody signed in: what the framework's own refusals are shown in. */
type BarePage = (template: string, view: Record<string, unknown>, context: { nonce: string }) => string;

function jsonError(error: unknown): [number, { status: string; errors?: unknown }] {
  if (error instanceof SignInRequiredError) return [401, { status: 'signed_out' }];
  if (error instanceof NotFoundError) return [404, { status: 'not_found' }];
  if (error instanceof ForbiddenError) return [403, { status: 'forbidden' }];
  if (error instanceof ConflictError || isConcurrentWriteConflict(error) || isTrialLockedError(error))
    return [409, { status: 'conflict' }];
  if (isDatabaseUnavailable(error)) return [503, { status: 'unavailable' }];
  if (error instanceof CrossSiteRequestError) return [403, { status: 'expired_form' }];
  if (error instanceof ValidationError) return [400, { status: 'invalid', errors: error.fieldErrors }];
  if (isDiskFull(error)) return [503, { status: 'disk_full' }];
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (((error as { code?: string }).code ?? '').startsWith('FST_CSRF'))
      return [403, { status: 'expired_form' }];
    return [status, { status: status === 429 ? 'too_many' : 'bad_request' }];
  }
  return [500, { status: 'error' }];
}

/**
 * Fastify's `frameworkErrors`: a request refused before routing (bad %-encoding, an over-long
 * segment) gets our headers and our page, not Fastify's JSON echoing the raw path.
 */
export function frameworkErrorHandler(page: BarePage) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const nonce = newNonce();
    reply.code(error.statusCode ?? 400).headers({ ...securityHeaders(nonce), 'cache-control': 'no-store' });
    if (wantsJson(request)) {
      void reply.send({ status: 'bad_request' });
      return;
    }
    const title = 'Sorry, there is a problem with this request';
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .send(page('views/errors/bad-request.njk', { pageTitle: title }, { nonce }));
  };
}

/** The not-found page and the error handler, for every route. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    reply.render('views/errors/not-found.njk', { pageTitle: 'Page not found' }, 404),
  );

  app.setErrorHandler((error, request, reply) => {
    if (isDatabaseUnavailable(error)) {
      // Not this request's fault, and nothing to fix in the code: one calm line, and "try again".
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    }
    // Autosave and uploads ask for JSON: the same outcomes, in a shape their script reads.
    // A full disk is not a bug: nothing can be saved until someone frees space, so say so.
    if (isDiskFull(error)) {
      request.log.error({ err: error }, 'disk full: the database cannot write');
      if (!wantsJson(request)) {
        return reply.render(
          'views/errors/disk-full.njk',
          { pageTitle: 'Nothing can be saved at the moment' },
          503,
        );
      }
    }
    if (wantsJson(request)) {
      const [status, body] = jsonError(error);
      if (status >= 500 && status !== 503) request.log.error({ err: error }, 'unhandled error');
      return reply.code(status).send(body);
    }
    if (error instanceof SignInRequiredError) {
      const target = error.audience === 'staff' ? '/sign-in' : '/participant/sign-in';
      if (request.method === 'GET') {
        return reply.redirect(`${target}?returnTo=${encodeURIComponent(request.url)}`, 303);
      }
      return reply.render(
        'views/errors/signed-out.njk',
        { pageTitle: 'You have been signed out', signInHref: target },
        401,
      );
    }
    if (error instanceof NotFoundError) {
      return reply.render('views/errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
    }
    if (error instanceof ForbiddenError) {
      return reply.render('views/errors/forbidden.njk', { pageTitle: 'You cannot view this page' }, 403);
    }
    // Two saves of one record at the same moment: the one that lost is told, as a stale edit is.
    if (error instanceof ConflictError || isConcurrentWriteConflict(error) || isTrialLockedError(error)) {
      const message =
        error instanceof ConflictError
          ? error.message
          : isTrialLockedError(error)
            ? TRIAL_LOCKED_MESSAGE
            : new ConflictError().message;
      return reply.render(
        'views/errors/conflict.njk',
        { pageTitle: 'Someone else changed this', message },
        409,
      );
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('FST_CSRF') || error instanceof CrossSiteRequestError) {
        return reply.render('views/errors/form-expired.njk', { pageTitle: 'This form has expired' }, 403);
      }
      if (status === 429) {
        return reply.render('views/errors/too-many.njk', { pageTitle: 'Too many requests' }, 429);
      }
      return reply.render(
        'views/errors/bad-request.njk',
        { pageTitle: 'Sorry, there is a problem with this request' },
        status,
      );
    }
    if (isDatabaseUnavailable(error)) {
      return reply.render(
        'views/errors/unavailable.njk',
        { pageTitle: 'Sorry, the service is not working right now' },
        503,
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.render(
      'views/errors/server-error.njk',
      { pageTitle: 'Sorry, there is a problem with the service' },
      500,
    );
  });
}
