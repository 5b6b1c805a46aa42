/**
 * createApp receives every finished dependency from the composition root and wires HTTP:
 * security headers, CSRF, sign-in sessions and views; then the error handlers
 * (platform/http/error-handling.ts) and every feature's routes (routes.ts).
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
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
import { refuseCrossSite } from './platform/http/same-origin.ts';
import { homeFor, navigationFor } from './platform/http/navigation.ts';
import { PageShells } from './platform/http/page-shells.ts';
import { frameworkErrorHandler, registerErrorHandlers } from './platform/http/error-handling.ts';
import { PROBES, registerRoutes } from './routes.ts';

/** What the layout shows of a page itself, around content rendered before. */
export interface AroundView {
  pageTitle: string;
  backLinkHref?: string;
  contentWidth?: string;
}

declare module 'fastify' {
  interface FastifyReply {
    scriptNonce: string;
    render(template: string, view: Record<string, unknown>, status?: number): FastifyReply;
    /**
     * A template's HTML on its own, for a page to keep and show again inside the layout
     * (`views/prerendered.njk`). Nothing of the request is in it: no form token, no nonce.
     */
    renderFragment(template: string, view: Record<string, unknown>): string;
    /** The layout around content from `renderFragment` (platform/http/page-shells.ts). */
    renderAround(content: string, view: AroundView, status?: number): FastifyReply;
  }
}

export const SESSION_COOKIE_SECURE = '__Host-greenleaf-session';
export const SESSION_COOKIE_PLAIN = 'greenleaf-session';

export async function createApp(deps: Dependencies): Promise<FastifyInstance> {
  const { config } = deps;
  const views = createViewEnvironment();
  const assets = buildAssets();

  // The trial's sites as last read, for the menu (trial mode only; refreshed on each request below).
  let trialSiteTrustIds: readonly string[] | null = null;
  const modes = () => ({ demo: config.demoMode, trial: config.trialMode, trialSiteTrustIds });

  /** What the layout shows of whoever is signed in, on the page at `url`. */
  const layoutFor = (actor: Actor | undefined, url: string | undefined) => ({
    stylesheet: assets.stylesheet.path,
    script: assets.script.path,
    planScript: assets.planScript.path,
    navigation: navigationFor(actor, modes()).map((item) => ({
      ...item,
      current: url === item.href || (url?.startsWith(`${item.href}/`) ?? false),
    })),
    homeHref: homeFor(actor, modes()),
    signedInAs: actor ? (actor.kind === 'staff' ? actor.fullName : actor.displayName) : undefined,
    participant: actor?.kind === 'participant',
    participantId: actor?.kind === 'participant' ? actor.id : undefined,
    demoMode: config.demoMode,
    sessionTimeout: actor
      ? { idleSeconds: deps.services.signInSessions.idleSeconds, warnSeconds: 300 }
      : undefined,
  });

  /** A page in the layout, for whoever is signed in (nobody, when the framework answers). */
  const page = (
    template: string,
    view: Record<string, unknown>,
    context: { nonce: string; csrfToken?: string; actor?: Actor; url?: string },
  ) =>
    // Every value a page shows, names stored long ago included, without direction controls.
    views.render(
      template,
      isolateUserText({
        ...view,
        csrfToken: context.csrfToken,
        cspNonce: context.nonce,
        layout: layoutFor(context.actor, context.url),
      }),
    );

  const shells = new PageShells();

  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: 256 * 1024,
    trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops,
    routerOptions: { maxParamLength: 100 },
    // A path with bad %-encoding or an over-long segment is refused before routing, so no hook
    // runs: Fastify's own answer is JSON echoing the raw path with none of our headers.
    frameworkErrors: frameworkErrorHandler(page),
  });
  // First of all hooks, so even a request refused by a later one carries every header.
  app.decorateReply('scriptNonce', '');
  app.addHook('onRequest', async (request, reply) => {
    reply.scriptNonce = newNonce();
    reply.headers(securityHeaders(reply.scriptNonce, request.routeOptions.config.permissions));
  });
  // Sessions are kept in memory only while their changes can be heard (sign-in-session-cache.ts).
  const signInChanges = await deps.services.signInSessions.listen(deps.database);
  // The worker threads that make PDFs and check uploads stop with the app.
  app.addHook('onClose', async () => {
    await signInChanges.stop();
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

  app.decorateReply('renderFragment', function (template: string, view: Record<string, unknown>) {
    return views.render(template, isolateUserText(view));
  });
  app.decorateReply(
    'renderAround',
    function (this: FastifyReply, content: string, view: AroundView, status = 200) {
      const layout = layoutFor(this.request.actor, this.request.url);
      const html = shells.fill(
        JSON.stringify([view, layout]),
        (marks) =>
          views.render(
            'views/prerendered.njk',
            isolateUserText({
              ...view,
              layout,
              prerendered: marks.content,
              csrfToken: marks.csrfToken,
              cspNonce: marks.nonce,
            }),
          ),
        { content, csrfToken: this.generateCsrf(), nonce: this.scriptNonce },
      );
      return this.code(status).header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );

  // Who is asking: one lookup of the session cookie per request.
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/assets/') || PROBES.has(request.url)) return;
    const session = await deps.services.signInSessions.resolve(request.cookies[sessionCookie]);
    request.signInSession = session;
    request.actor = session ? deps.services.identity.actorFor(session) : undefined;
    // The menu's trial pages at the trial's sites (read at most every 30 s).
    if (config.trialMode && request.actor?.kind === 'staff') {
      trialSiteTrustIds = await deps.services.trialSites.current();
    }
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

  // A form posted has changed something: its sender's kept session is read afresh next time,
  // before the answer (a redirect, usually) can bring them back.
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.signInSession && request.method !== 'GET' && request.method !== 'HEAD')
      deps.services.signInSessions.changedBy(request.signInSession);
    return payload;
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

  registerErrorHandlers(app);
  registerRoutes(app, deps);

  return app;
}

/** What the layout shows of a page itself, around content rendered before. */
export interface AroundView {
  pageTitle: string;
  backLinkHref?: string;
  contentWidth?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessionCookie: { set(reply: FastifyReply, token: string): void; clear(reply: FastifyReply): void };
  }
}
