import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { errorList, parseForm } from '../platform/http/forms.ts';
import { homeFor } from '../platform/http/navigation.ts';
import { safeReturnPath, seeOther } from '../platform/http/request-context.ts';
import { waitMessage } from './throttle.ts';

const signInForm = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .max(254, 'Enter a correct email address and password'),
  password: z
    .string({ error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(256, 'Enter a correct email address and password'),
  returnTo: z.string().optional(),
});
const codeForm = z.object({
  code: z
    .string({ error: 'Enter the 6-digit security code' })
    .trim()
    .min(1, 'Enter the 6-digit security code')
    .max(20, 'Security code must be 6 digits'),
  returnTo: z.string().optional(),
});

const GENERIC_FAILURE = 'Enter a correct email address and password';
const SIGN_IN_RATE = { max: 30, timeWindow: '1 minute' };

export function registerStaffSignInRoutes(app: FastifyInstance, deps: Dependencies): void {
  const { services, config, clock } = deps;

  const finish = (request: FastifyRequest, reply: FastifyReply, returnTo: unknown) => {
    const target = safeReturnPath(returnTo);
    return seeOther(reply, target && target !== '/' ? target : '/');
  };

  app.get('/sign-in', (request, reply) => {
    if (request.actor) return reply.redirect(homeFor(request.actor, config.demoMode), 303);
    const query = request.query as Record<string, unknown>;
    return reply.render('identity/sign-in.njk', {
      pageTitle: 'Sign in',
      values: {},
      returnTo: safeReturnPath(query.returnTo),
      demoMode: config.demoMode,
    });
  });

  app.post('/sign-in', { config: { rateLimit: SIGN_IN_RATE } }, async (request, reply) => {
    const form = parseForm(signInForm, request.body);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const rerender = (errors: FieldErrors, status: number) =>
      reply.render(
        'identity/sign-in.njk',
        {
          pageTitle: 'Sign in',
          values: { email: typeof body.email === 'string' ? body.email.slice(0, 254) : '' },
          errors,
          errorList: errorList(errors, ['email', 'password']),
          returnTo: safeReturnPath(body.returnTo),
          demoMode: config.demoMode,
        },
        status,
      );
    if (!form.ok) return rerender(form.errors, 400);
    const outcome = await services.staffSignIn.signInWithPassword(
      form.value.email,
      form.value.password,
      request.ip,
    );
    switch (outcome.kind) {
      case 'throttled':
        return rerender({ email: waitMessage(outcome.until, clock.now()) }, 429);
      case 'failed':
        return rerender({ email: GENERIC_FAILURE }, 400);
      case 'second_factor':
      case 'enrol': {
        app.sessionCookie.set(reply, outcome.token);
        const next = outcome.kind === 'enrol' ? '/sign-in/set-up-authenticator' : '/sign-in/security-code';
        const returnTo = safeReturnPath(form.value.returnTo);
        return seeOther(reply, returnTo ? `${next}?returnTo=${encodeURIComponent(returnTo)}` : next);
      }
    }
  });

  const codePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    enrolling: boolean,
    errors?: FieldErrors,
    status = 200,
  ) => {
    const user = await services.staffSignIn.pendingUser(request.signInSession);
    if (!user || Boolean(user.totpEnrolledAt) === enrolling) return seeOther(reply, '/sign-in');
    const source = {
      ...(request.query as Record<string, unknown>),
      ...((request.body ?? {}) as Record<string, unknown>),
    };
    const view: Record<string, unknown> = {
      pageTitle: enrolling ? 'Set up your authenticator app' : 'Enter your security code',
      errors,
      errorList: errors ? errorList(errors, ['code']) : undefined,
      returnTo: safeReturnPath(source.returnTo),
    };
    if (enrolling) {
      const { secret, uri } = await services.staffSignIn.enrolmentSecret(user);
      view.secret = secret.replace(/(.{4})/g, '$1 ').trim();
      view.qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    }
    return reply.render(
      enrolling ? 'identity/set-up-authenticator.njk' : 'identity/security-code.njk',
      view,
      status,
    );
  };

  const submitCode = async (request: FastifyRequest, reply: FastifyReply, enrolling: boolean) => {
    const session = request.signInSession;
    if (session?.stage !== 'password') return seeOther(reply, '/sign-in');
    const form = parseForm(codeForm, request.body);
    if (!form.ok) return codePage(request, reply, enrolling, form.errors, 400);
    const outcome = await services.staffSignIn.verifyCode(session, form.value.code, request.ip);
    switch (outcome.kind) {
      case 'throttled':
        return codePage(request, reply, enrolling, { code: waitMessage(outcome.until, clock.now()) }, 429);
      case 'failed':
        return codePage(
          request,
          reply,
          enrolling,
          { code: 'The security code is not correct or has expired. Enter the code your app shows now' },
          400,
        );
      case 'signed_in':
        app.sessionCookie.set(reply, outcome.token);
        return finish(request, reply, form.value.returnTo);
    }
  };

  app.get('/sign-in/security-code', (request, reply) => codePage(request, reply, false));
  app.post('/sign-in/security-code', { config: { rateLimit: SIGN_IN_RATE } }, (request, reply) =>
    submitCode(request, reply, false),
  );
  app.get('/sign-in/set-up-authenticator', (request, reply) => codePage(request, reply, true));
  app.post('/sign-in/set-up-authenticator', { config: { rateLimit: SIGN_IN_RATE } }, (request, reply) =>
    submitCode(request, reply, true),
  );

  app.post('/sign-out', async (request, reply) => {
    if (request.signInSession)
      await services.identity.signOut(request.signInSession, request.actor, request.ip);
    app.sessionCookie.clear(reply);
    return seeOther(reply, '/signed-out');
  });

  app.get('/signed-out', (request, reply) => {
    const timedOut = (request.query as Record<string, unknown>).reason === 'timeout';
    return reply.render('identity/signed-out.njk', {
      pageTitle: timedOut ? 'You have been signed out' : 'You have signed out',
      timedOut,
    });
  });

  // "Stay signed in" from the timeout warning: resets the idle timer.
  app.post('/session/extend', async (request, reply) => {
    if (!request.signInSession || !request.actor) {
      return reply.code(401).send({ signedIn: false });
    }
    await services.sessions.extend(request.signInSession);
    if ((request.headers.accept ?? '').includes('application/json')) return reply.send({ signedIn: true });
    return seeOther(reply, homeFor(request.actor, config.demoMode));
  });
}
