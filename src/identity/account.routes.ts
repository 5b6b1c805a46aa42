/**
 * A staff member's own password: changing it (/account/password) and choosing one from a
 * one-time set-up link (/account/set-up/<token>), which needs no sign-in. Thin handlers: parse
 * the form, call the service, re-render with errors or redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { queryText } from '../platform/http/form-page.ts';
import { seeOther, SignInRequiredError, staffContext } from '../platform/http/request-context.ts';
import { parseChangePasswordForm, parseNewPasswordForm, passwordErrorsView } from './password.form.ts';
import { SIGN_IN_RATE } from './staff-sign-in.routes.ts';
import { waitMessage } from './throttle.ts';

const CHANGED_NOTICE = 'Your password has been changed. We have signed you out on your other devices';

export function registerAccountRoutes(app: FastifyInstance, deps: Dependencies): void {
  const { services, config, clock } = deps;
  const hours = config.accounts.temporaryPasswordHours;

  // ------------------------------------------------------------------------ Change password

  const changePage = (reply: FastifyReply, errors?: FieldErrors, status = 200, notice?: string) =>
    reply.render(
      'identity/change-password.njk',
      { pageTitle: 'Change your password', notice, ...passwordErrorsView(errors) },
      status,
    );

  app.get('/account/password', (request, reply) => {
    services.accountPassword.checkCanChangePassword(staffContext(request));
    const done = queryText(request, 'done') === 'changed';
    return changePage(reply, undefined, 200, done ? CHANGED_NOTICE : undefined);
  });

  app.post('/account/password', { config: { rateLimit: SIGN_IN_RATE } }, async (request, reply) => {
    const ctx = staffContext(request);
    const session = request.signInSession;
    if (!session) throw new SignInRequiredError('staff');
    services.accountPassword.checkCanChangePassword(ctx);
    const form = parseChangePasswordForm(request.body);
    if (!form.ok) return changePage(reply, form.errors, 400);
    let outcome: Awaited<ReturnType<typeof services.accountPassword.changeOwnPassword>>;
    try {
      outcome = await services.accountPassword.changeOwnPassword(ctx, session, form.value);
    } catch (error) {
      if (error instanceof ValidationError) return changePage(reply, error.fieldErrors, 400);
      throw error;
    }
    if (outcome.kind === 'throttled')
      return changePage(reply, { currentPassword: waitMessage(outcome.until, clock.now()) }, 429);
    return seeOther(reply, '/account/password?done=changed');
  });

  // ------------------------------------------------------------------------ Set-up links

  const invalidLink = (reply: FastifyReply) =>
    reply.render(
      'identity/set-up-link-expired.njk',
      { pageTitle: 'This link has expired or has already been used', hours },
      404,
    );

  const tokenOf = (request: FastifyRequest) => {
    const { token } = request.params as { token?: unknown };
    return typeof token === 'string' ? token : '';
  };

  const setUpPage = async (request: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) => {
    const link = await services.setUpLinks.openLink(tokenOf(request));
    if (!link) return invalidLink(reply);
    return reply.render(
      'identity/set-up-password.njk',
      {
        pageTitle: 'Choose a new password',
        email: link.email,
        action: `/account/set-up/${tokenOf(request)}`,
        ...passwordErrorsView(errors),
      },
      errors ? 400 : 200,
    );
  };

  // Static before the token route's pattern, so "done" is never read as a token.
  app.get('/account/set-up/done', (_request, reply) =>
    reply.render('identity/set-up-done.njk', { pageTitle: 'Your new password is saved' }),
  );

  app.get('/account/set-up/:token', { config: { rateLimit: SIGN_IN_RATE } }, (request, reply) =>
    setUpPage(request, reply),
  );

  app.post('/account/set-up/:token', { config: { rateLimit: SIGN_IN_RATE } }, async (request, reply) => {
    const form = parseNewPasswordForm(request.body);
    if (!form.ok) return setUpPage(request, reply, form.errors);
    const outcome = await services.setUpLinks.choosePassword(
      tokenOf(request),
      form.value.newPassword,
      request.ip,
    );
    if (outcome === 'invalid') return invalidLink(reply);
    return seeOther(reply, '/account/set-up/done');
  });
}
