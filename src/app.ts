/**
 * createApp receives every finished dependency from the composition root and wires HTTP:
 * security headers, CSRF, sessions, views, errors, and each feature's routes.
 */
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyStatic from '@fastify/static';
import fastifyCompress from '@fastify/compress';
import fastifyRateLimit from '@fastify/rate-limit';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Dependencies } from './composition-root.ts';
import type { Actor } from './policy/actor.ts';
import { buildAssets, nhsukDist } from './platform/http/assets.ts';
import { createViewEnvironment } from './platform/http/views.ts';
import { newNonce } from './platform/http/content-security-policy.ts';
import { securityHeaders } from './platform/http/security-headers.ts';
import { bodyStrings, registerBodyParsers } from './platform/http/body-limits.ts';
import { isolateUserText, stripDirectionControls } from './platform/http/bidi.ts';
import { CrossSiteRequestError, refuseCrossSite } from './platform/http/same-origin.ts';
import { homeFor, navigationFor } from './platform/http/navigation.ts';
import { SignInRequiredError } from './platform/http/request-context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './platform/errors.ts';
import { isConcurrentWriteConflict } from './platform/database/unique-violation.ts';
import { isDatabaseUnavailable } from './platform/database/unavailable.ts';

/** Probes for a load balancer: no session, no form cookie, no database for `/healthz`. */
const PROBES = new Set(['/healthz', '/readyz']);
/** Seconds a client is asked to wait while the database is unavailable. */
const RETRY_AFTER_SECONDS = 30;
import { isDiskFull } from './platform/database/disk-full.ts';
import { registerHelpRoutes } from './help/help.routes.ts';
import { registerStaffSignInRoutes } from './identity/staff-sign-in.routes.ts';
import { registerAccountRoutes } from './identity/account.routes.ts';
import { registerParticipantSignInRoutes } from './identity/participant-sign-in.routes.ts';
import { registerReferralRoutes } from './referral/referral.routes.ts';
import { registerAllocationRoutes } from './allocation/allocation.routes.ts';
import { registerCaseloadRoutes } from './caseload/caseload.routes.ts';
import { registerParticipantRoutes } from './participants/participant.routes.ts';
import { registerAdminRoutes } from './organisation/admin.routes.ts';
import { registerDemoRoutes } from './demo/demo.routes.ts';
import { registerHomeRoutes } from './home/home.routes.ts';
import { registerSessionRoutes } from './sessions/sessions.routes.ts';
import { registerChangeRequestRoutes } from './sessions/change-request.routes.ts';
import { registerReminderRoutes } from './reminders/reminders.routes.ts';
import { registerEndingRoutes } from './endings/endings.routes.ts';
import { registerContactRoutes } from './contact/contact.routes.ts';
import { registerConsentRoutes } from './consent/consent.routes.ts';
import { registerPlanRoutes, wantsJson } from './plan/plan.routes.ts';
import { registerPlanMediaRoutes } from './plan/media.routes.ts';
import { registerStrugglingRoutes } from './plan/struggling.routes.ts';
import { registerPlanPrintRoutes } from './plan/print.routes.ts';
import { registerPlanStorageRoutes } from './plan/storage.routes.ts';
import { registerUndeliveredMessagesRoutes } from './messages/undelivered.routes.ts';
import { registerLoneWorkingRoutes } from './lone-working/lone-working.routes.ts';
import { registerConcernRoutes } from './concerns/concerns.routes.ts';
import { registerOversightRoutes } from './concerns/oversight.routes.ts';

function jsonError(error: unknown): [number, { status: string; errors?: unknown }] {
  if (error instanceof SignInRequiredError) return [401, { status: 'signed_out' }];
  if (error instanceof NotFoundError) return [404, { status: 'not_found' }];
  if (error instanceof ForbiddenError) return [403, { status: 'forbidden' }];
  if (error instanceof ConflictError || isConcurrentWriteConflict(error))
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

declare module 'fastify' {
  interface FastifyReply {
    scriptNonce: string;
    render(template: string, view: Record<string, unknown>, status?: number): FastifyReply;
  }
}

export const SESSION_COOKIE_SECURE = '__Host-greenleaf-session';
export const SESSION_COOKIE_PLAIN = 'greenleaf-session';

export async function createApp(deps: Dependencies): Promise<FastifyInstance> {
  const { config } = deps;
  const views = createViewEnvironment();
  const assets = buildAssets();

  /** A page in the layout, for whoever is signed in (nobody, when the framework answers). */
  const page = (
    template: string,
    view: Record<string, unknown>,
    context: { nonce: string; csrfToken?: string; actor?: Actor; url?: string },
  ) => {
    const { actor, url } = context;
    const navigation = navigationFor(actor, config.demoMode).map((item) => ({
      ...item,
      current: url === item.href || (url?.startsWith(`${item.href}/`) ?? false),
    }));
    // Every value a page shows, names stored long ago included, without direction controls.
    return views.render(
      template,
      isolateUserText({
        ...view,
        csrfToken: context.csrfToken,
        cspNonce: context.nonce,
        layout: {
          stylesheet: assets.stylesheet.path,
          script: assets.script.path,
          planScript: assets.planScript.path,
          navigation,
          homeHref: homeFor(actor, config.demoMode),
          signedInAs: actor ? (actor.kind === 'staff' ? actor.fullName : actor.displayName) : undefined,
          participant: actor?.kind === 'participant',
          participantId: actor?.kind === 'participant' ? actor.id : undefined,
          demoMode: config.demoMode,
          sessionTimeout: actor
            ? { idleSeconds: deps.services.signInSessions.idleSeconds, warnSeconds: 300 }
            : undefined,
        },
      }),
    );
  };

  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: 256 * 1024,
    trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops,
    routerOptions: { maxParamLength: 100 },
    // A path with bad %-encoding or an over-long segment is refused before routing, so no hook
    // runs: Fastify's own answer is JSON echoing the raw path with none of our headers.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
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
    },
  });
  // First of all hooks, so even a request refused by a later one carries every header.
  app.decorateReply('scriptNonce', '');
  app.addHook('onRequest', async (request, reply) => {
    reply.scriptNonce = newNonce();
    reply.headers(securityHeaders(reply.scriptNonce, request.routeOptions.config.permissions));
  });
  // The worker threads that make PDFs and check uploads stop with the app.
  app.addHook('onClose', async () => {
    await deps.services.planTasks.close();
  });
  const sessionCookie = config.secureCookies ? SESSION_COOKIE_SECURE : SESSION_COOKIE_PLAIN;
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: 'lax' as const,
  };

  await app.register(fastifyCookie);
  await registerBodyParsers(app, 256 * 1024);
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(fastifyRateLimit, { global: false });
  const csrfCookie = config.secureCookies ? '__Host-greenleaf-csrf' : 'greenleaf-csrf';
  const csrfCookieOptions = { ...cookieOptions, sameSite: 'strict' as const };
  await app.register(fastifyCsrf, {
    cookieKey: csrfCookie,
    cookieOpts: csrfCookieOptions,
    getToken: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      const header = request.headers['x-csrf-token'];
      return fromBody ?? (typeof header === 'string' ? header : undefined);
    },
  });

  // Design-system images and our built assets. Built assets are content-hashed, so cached for a year.
  await app.register(fastifyStatic, {
    root: path.join(nhsukDist, 'assets'),
    prefix: '/assets/',
    index: false,
    maxAge: '1d',
  });
  for (const asset of [assets.stylesheet, assets.frontendScript, assets.script, assets.planScript]) {
    app.get(asset.path, (_request, reply) =>
      reply
        .header('content-type', asset.contentType)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(asset.body),
    );
  }

  app.decorateRequest('signInSession', undefined);
  app.decorateRequest('actor', undefined);
  app.decorateReply(
    'render',
    function (this: FastifyReply, template: string, view: Record<string, unknown>, status = 200) {
      const html = page(template, view, {
        nonce: this.scriptNonce,
        csrfToken: this.generateCsrf(),
        actor: this.request.actor,
        url: this.request.url,
      });
      return this.code(status).header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );

  // Who is asking: one lookup of the session cookie per request.
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/assets/') || PROBES.has(request.url)) return;
    const session = await deps.services.signInSessions.resolve(request.cookies[sessionCookie]);
    request.signInSession = session;
    request.actor = session ? deps.services.identity.actorFor(session) : undefined;
  });

  // Behind the form token: a state change another site sent is refused (same-origin.ts).
  app.addHook('onRequest', async (request) => {
    refuseCrossSite(request, config.publicUrl);
  });

  // PostgreSQL text cannot hold NUL, and no keyboard types one: a body carrying it is not a
  // person's form, so it is refused before anything reads it. Direction controls are taken
  // out of every field, so no name is stored with one (bidi.ts).
  app.addHook('preValidation', async (request) => {
    for (const field of bodyStrings(request.body)) {
      if (field.value.includes('\u0000')) {
        throw Object.assign(new Error('request body contains a NUL character'), { statusCode: 400 });
      }
      const clean = stripDirectionControls(field.value);
      if (clean !== field.value) field.set(clean);
    }
  });

  // CSRF on every state change. In preHandler, because the form body is parsed by then.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });

  // Personal pages must never be kept by a browser or proxy cache. Each names the participant
  // it was made for, if any: the service worker's offline copy is theirs alone (views/sw.js).
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    if (request.actor?.kind === 'participant') reply.header('greenleaf-participant', request.actor.id);
    return payload;
  });

  // A new form secret, in the cookie and for the rest of this request. @fastify/csrf-protection
  // makes one per generateCsrf() call while the request has none, so a page calling it twice
  // (a plan section's forms, then the layout) would carry tokens of a secret already replaced.
  const newCsrfSecret = (reply: FastifyReply) => {
    const secret = randomBytes(18).toString('base64url');
    reply.setCookie(csrfCookie, secret, csrfCookieOptions);
    reply.request.cookies[csrfCookie] = secret;
  };
  app.addHook('onRequest', async (request, reply) => {
    const reading =
      (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/assets/');
    if (reading && !PROBES.has(request.url) && !request.cookies[csrfCookie]) newCsrfSecret(reply);
  });
  // Signing in or out also renews the form secret: a token read or planted before it (on a
  // shared computer, say) is worthless after.
  app.decorate('sessionCookie', {
    set(reply: FastifyReply, token: string) {
      reply.setCookie(sessionCookie, token, cookieOptions);
      newCsrfSecret(reply);
    },
    clear(reply: FastifyReply) {
      reply.clearCookie(sessionCookie, cookieOptions);
      newCsrfSecret(reply);
    },
  });

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
    if (error instanceof ConflictError || isConcurrentWriteConflict(error)) {
      const message = error instanceof ConflictError ? error.message : new ConflictError().message;
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

  // Alive: the process answers (a load balancer or orchestrator restarts it when this fails).
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Ready for requests: the database and the job queue answer and no job is stuck (out of
  // rotation while this fails, without a restart). Details say which, never any data.
  app.get('/readyz', async (_request, reply) => {
    const readiness = await deps.services.readiness.check();
    if (!readiness.ready) reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS));
    return {
      status: readiness.ready ? 'ready' : 'not_ready',
      database: readiness.database,
      jobQueue: readiness.jobQueue,
    };
  });

  registerHomeRoutes(app, deps);
  registerHelpRoutes(app, deps);
  registerStaffSignInRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerParticipantSignInRoutes(app, deps);
  registerReferralRoutes(app, deps);
  registerAllocationRoutes(app, deps);
  registerCaseloadRoutes(app, deps);
  registerParticipantRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerChangeRequestRoutes(app, deps);
  registerReminderRoutes(app, deps);
  registerEndingRoutes(app, deps);
  registerContactRoutes(app, deps);
  registerConsentRoutes(app, deps);
  registerPlanRoutes(app, deps);
  registerPlanMediaRoutes(app, deps);
  registerPlanPrintRoutes(app, deps);
  registerStrugglingRoutes(app, deps);
  registerLoneWorkingRoutes(app, deps);
  registerConcernRoutes(app, deps);
  registerOversightRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerPlanStorageRoutes(app, deps);
  registerUndeliveredMessagesRoutes(app, deps);
  if (config.demoMode) registerDemoRoutes(app, deps);

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessionCookie: { set(reply: FastifyReply, token: string): void; clear(reply: FastifyReply): void };
  }
}
