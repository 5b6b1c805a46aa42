import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, bodyRecord, queryText, submitForm } from '../platform/http/form-page.ts';
import { errorList, parseForm } from '../platform/http/forms.ts';
import { homeFor } from '../platform/http/navigation.ts';
import { safeReturnPath, seeOther } from '../platform/http/request-context.ts';
import { parseNewPasswordForm, passwordErrorsView } from './password.form.ts';
import type { PendingSignIn, PendingStep } from './staff-sign-in.service.ts';
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
const WRONG_CODE = 'The security code is not correct or has expired. Enter the code your app shows now';
const TEMPORARY_PASSWORD_EXPIRED =
  'Your temporary password has expired. Ask your programme coordinator to send you a set-up link';
export const SIGN_IN_RATE = { max: 30, timeWindow: '1 minute' };

/** The page for each step of a half-finished sign-in. */
const STEP_PATHS: Record<PendingStep, string> = {
  new_password: '/sign-in/new-password',
  enrol: '/sign-in/set-up-authenticator',
  security_code: '/sign-in/security-code',
};

/** The step's page, carrying where to go once signed in. */
function stepPath(step: PendingStep, returnTo: unknown): string {
  const target = safeReturnPath(returnTo);
  return target ? `${STEP_PATHS[step]}?returnTo=${encodeURIComponent(target)}` : STEP_PATHS[step];
}

export function registerStaffSignInRoutes(app: FastifyInstance, deps: Dependencies): void {
  const { services, config, clock } = deps;

  const modes = async () => ({
    demo: config.demoMode,
    trial: config.trialMode,
    trialSiteTrustIds: await services.trialSites.current(),
  });

  app.get('/sign-in', async (request, reply) => {
    if (request.actor) return reply.redirect(homeFor(request.actor, await modes()), 303);
    return reply.render('identity/sign-in.njk', {
      pageTitle: 'Sign in',
      values: {},
      returnTo: safeReturnPath(queryText(request, 'returnTo')),
      demoMode: config.demoMode,
    });
  });

  app.post('/sign-in', { config: { rateLimit: SIGN_IN_RATE } }, (request, reply) => {
    const body = bodyRecord(request);
    return submitForm(reply, parseForm(signInForm, request.body), {
      save: async ({ email, password, returnTo }) => {
        const outcome = await services.staffSignIn.signInWithPassword(email, password, request.ip);
        switch (outcome.kind) {
          case 'throttled':
            return { errors: { email: waitMessage(outcome.until, clock.now()) }, status: 429 };
          case 'failed':
            return { errors: { email: GENERIC_FAILURE } };
          case 'temporary_password_expired':
            return { errors: { password: TEMPORARY_PASSWORD_EXPIRED } };
          case 'continue':
            app.sessionCookie.set(reply, outcome.token);
            return stepPath(outcome.step, returnTo);
        }
      },
      showAgain: (errors, status) =>
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
        ),
    });
  });

  /**
   * A page of one step of a half-finished sign-in: without one, sign in; at another step, that
   * step's page. `show` gets the pending sign-in and where to go once signed in.
   */
  const stepPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    step: PendingStep,
    show: (pending: PendingSignIn, returnTo: string | undefined) => unknown,
  ) => {
    const pending = await services.staffSignIn.pendingSignIn(request.signInSession);
    if (!pending) return seeOther(reply, '/sign-in');
    const source = { ...asRecord(request.query), ...bodyRecord(request) };
    if (pending.step !== step) return seeOther(reply, stepPath(pending.step, source.returnTo));
    return show(pending, safeReturnPath(source.returnTo));
  };

  // A temporary password is replaced before anything else (staff-sign-in.service.ts).
  const newPasswordPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    errors?: FieldErrors,
    status = 200,
  ) =>
    stepPage(request, reply, 'new_password', (_pending, returnTo) =>
      reply.render(
        'identity/new-password.njk',
        { pageTitle: 'Choose a new password', returnTo, ...passwordErrorsView(errors) },
        status,
      ),
    );

  app.get('/sign-in/new-password', (request, reply) => newPasswordPage(request, reply));
  app.post('/sign-in/new-password', { config: { rateLimit: SIGN_IN_RATE } }, (request, reply) =>
    submitForm(reply, parseNewPasswordForm(request.body), {
      save: async ({ newPassword }) => {
        const next = await services.accountPassword.replaceTemporaryPassword(
          request.signInSession,
          newPassword,
          request.ip,
        );
        if (!next) return '/sign-in';
        app.sessionCookie.set(reply, next.token);
        return stepPath(next.step, bodyRecord(request).returnTo);
      },
      showAgain: (errors, status) => newPasswordPage(request, reply, errors, status),
    }),
  );

  const codePage = (
    request: FastifyRequest,
    reply: FastifyReply,
    enrolling: boolean,
    errors?: FieldErrors,
    status = 200,
  ) =>
    stepPage(request, reply, enrolling ? 'enrol' : 'security_code', async (pending, returnTo) => {
      const view: Record<string, unknown> = {
        pageTitle: enrolling ? 'Set up your authenticator app' : 'Enter your security code',
        errors,
        errorList: errors ? errorList(errors, ['code']) : undefined,
        returnTo,
      };
      if (enrolling) {
        const offered = request.signInSession
          ? await services.staffSignIn.enrolmentSecret(request.signInSession, pending.user)
          : undefined;
        if (!offered) return seeOther(reply, '/sign-in');
        view.secret = offered.secret.replace(/(.{4})/g, '$1 ').trim();
        view.qrSvg = await QRCode.toString(offered.uri, {
          type: 'svg',
          margin: 1,
          errorCorrectionLevel: 'M',
        });
      }
      return reply.render(
        enrolling ? 'identity/set-up-authenticator.njk' : 'identity/security-code.njk',
        view,
        status,
      );
    });

  const submitCode = async (request: FastifyRequest, reply: FastifyReply, enrolling: boolean) => {
    const session = request.signInSession;
    const pending = await services.staffSignIn.pendingSignIn(session);
    if (!session || !pending) return seeOther(reply, '/sign-in');
    if (pending.step !== (enrolling ? 'enrol' : 'security_code'))
      return seeOther(reply, stepPath(pending.step, bodyRecord(request).returnTo));
    return submitForm(reply, parseForm(codeForm, request.body), {
      save: async ({ code, returnTo }) => {
        const outcome = await services.staffSignIn.verifyCode(session, code, request.ip);
        switch (outcome.kind) {
          case 'throttled':
            return { errors: { code: waitMessage(outcome.until, clock.now()) }, status: 429 };
          case 'failed':
            return { errors: { code: WRONG_CODE } };
          case 'signed_in':
            app.sessionCookie.set(reply, outcome.token);
            return safeReturnPath(returnTo) ?? '/';
        }
      },
      showAgain: (errors, status) => codePage(request, reply, enrolling, errors, status),
    });
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
    const timedOut = queryText(request, 'reason') === 'timeout';
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
    await services.signInSessions.extend(request.signInSession);
    if ((request.headers.accept ?? '').includes('application/json')) return reply.send({ signedIn: true });
    return seeOther(reply, homeFor(request.actor, await modes()));
  });
}
