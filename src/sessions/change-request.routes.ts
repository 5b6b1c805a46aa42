import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { errorList, optionalText, parseForm, submissionToken } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { participantContext, seeOther, staffContext } from '../platform/http/request-context.ts';

const rearrangeForm = z.object({
  submissionToken,
  message: optionalText(500, 'What suits you must be 500 characters or fewer'),
});

export function registerChangeRequestRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    sessionId: string,
    values: Record<string, unknown>,
    errors?: FieldErrors,
  ) => {
    const page = await services.changeRequests.requestPage(participantContext(request), sessionId);
    return reply.render(
      'sessions/rearrange.njk',
      {
        pageTitle: 'Ask to change a session',
        contentWidth: 'two-thirds',
        backLinkHref: '/me',
        ...page,
        values,
        errors: errors ?? {},
        errorList: errors ? errorList(errors, ['message']) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/me/sessions/:sessionId/rearrange', (request, reply) =>
    render(request, reply, idParam(request.params, 'sessionId'), { submissionToken: randomUUID() }),
  );

  app.post('/me/sessions/:sessionId/rearrange', async (request, reply) => {
    const ctx = participantContext(request);
    const sessionId = idParam(request.params, 'sessionId');
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(rearrangeForm, request.body);
    if (!form.ok) {
      return render(
        request,
        reply,
        sessionId,
        {
          submissionToken:
            typeof raw.submissionToken === 'string' ? raw.submissionToken.slice(0, 36) : randomUUID(),
          message: typeof raw.message === 'string' ? raw.message.slice(0, 600) : '',
        },
        form.errors,
      );
    }
    await services.changeRequests.request(ctx, sessionId, form.value);
    return seeOther(reply, '/me?done=rearrange-asked');
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
