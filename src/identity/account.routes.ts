/**
 * A staff member's own password: changing it (/account/password) and choosing one from a
 * one-time set-up link (/account/set-up/<token>), which needs no sign-in. Each POST is a form
 * page (`submitForm`): the form again with errors, or a redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { queryText, submitForm } from '../platform/http/form-page.ts';
import { SignInRequiredError, staffContext } from '../platform/http/request-context.ts';
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

  app.post('/account/password', { config: { rateLimit: SIGN_IN_RATE } }, (request, reply) => {
    const ctx = staffContext(request);
    const session = request.signInSession;
    if (!session) throw new SignInRequiredError('staff');
    services.accountPassword.checkCanChangePassword(ctx);
    return submitForm(reply, parseChangePasswordForm(request.body), {
      save: async (value) => {
        const outcome = await services.accountPassword.changeOwnPassword(ctx, session, value);
        if (outcome.kind === 'throttled')
          return { errors: { currentPassword: waitMessage(outcome.until, clock.now()) }, status: 429 };
        return '/account/password?done=changed';
      },
      showAgain: (errors, status) => changePage(reply, errors, status),
    });
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

  app.post('/account/set-up/:token', { config: { rateLimit: SIGN_IN_RATE } }, (request, reply) =>
    submitForm(reply, parseNewPasswordForm(request.body), {
      save: async (value) => {
        const outcome = await services.setUpLinks.choosePassword(
          tokenOf(request),
          value.newPassword,
          request.ip,
        );
        return outcome === 'invalid' ? { answer: () => invalidLink(reply) } : '/account/set-up/done';
      },
      showAgain: (errors) => setUpPage(request, reply, errors),
    }),
  );
}
