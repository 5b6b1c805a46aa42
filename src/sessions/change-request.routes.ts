import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, registerFormPage } from '../platform/http/form-page.ts';
import { optionalText, parseForm, submissionToken } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { participantContext, seeOther, staffContext } from '../platform/http/request-context.ts';

const rearrangeForm = z.object({
  submissionToken,
  message: optionalText(500, 'What suits you must be 500 characters or fewer'),
});

export function registerChangeRequestRoutes(app: FastifyInstance, { services }: Dependencies): void {
  registerFormPage(app, {
    path: '/me/sessions/:sessionId/rearrange',
    signedIn: participantContext,
    route: (request) => idParam(request.params, 'sessionId'),
    submissionToken: true,
    values: { fields: ['submissionToken', 'message'], maxLength: 600 },
    render: async (request, reply, sessionId, { values, errors, status }) => {
      const page = await services.changeRequests.requestPage(participantContext(request), sessionId);
      return reply.render(
        'sessions/rearrange.njk',
        {
          pageTitle: 'Ask to change a session',
          contentWidth: 'two-thirds',
          backLinkHref: '/me',
          ...page,
          values,
          ...errorSummary(errors, ['message']),
        },
        status,
      );
    },
    parse: (request) => parseForm(rearrangeForm, request.body),
    save: async (sessionId, value, request) => {
      await services.changeRequests.request(participantContext(request), sessionId, value);
      return '/me?done=rearrange-asked';
    },
  });

  app.post('/participants/:participantId/change-requests/:requestId/resolve', async (request, reply) => {
    const participantId = idParam(request.params, 'participantId');
    await services.changeRequests.resolve(
      staffContext(request),
      participantId,
      idParam(request.params, 'requestId'),
    );
    return seeOther(reply, `/participants/${participantId}?done=change-request-resolved`);
  });
}
