import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { errorList, optionalText, parseForm } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';

const allocationForm = z.object({
  peerWorkerId: z.uuid({ error: 'Select a peer support worker' }),
  reason: optionalText(500, 'Reason must be 500 characters or fewer'),
});

export function registerAllocationRoutes(app: FastifyInstance, { services }: Dependencies): void {
  app.get('/allocation', async (request, reply) => {
    const ctx = staffContext(request);
    return reply.render('allocation/waiting.njk', {
      pageTitle: 'Waiting for a peer support worker',
      contentWidth: 'full',
      ...(await services.allocation.waiting(ctx)),
    });
  });

  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    participantId: string,
    errors?: FieldErrors,
    values: Record<string, unknown> = {},
  ) => {
    const ctx = staffContext(request);
    const { participant, workers, history } = await services.allocation.options(ctx, participantId);
    return reply.render(
      'allocation/allocate.njk',
      {
        pageTitle: participant.allocatedWorkerId
          ? 'Change peer support worker'
          : 'Allocate a peer support worker',
        backLinkHref: `/participants/${participantId}`,
        participant,
        name: displayName(participant),
        workers,
        history,
        values,
        errors: errors ?? {},
        errorList: errors ? errorList(errors, ['peerWorkerId', 'reason']) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/participants/:participantId/allocate', (request, reply) =>
    renderForm(request, reply, idParam(request.params, 'participantId')),
  );

  app.post('/participants/:participantId/allocate', async (request, reply) => {
    const ctx = staffContext(request);
    const participantId = idParam(request.params, 'participantId');
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const values = {
      peerWorkerId: typeof raw.peerWorkerId === 'string' ? raw.peerWorkerId : undefined,
      reason: typeof raw.reason === 'string' ? raw.reason.slice(0, 500) : undefined,
    };
    const form = parseForm(allocationForm, request.body);
    if (!form.ok) return renderForm(request, reply, participantId, form.errors, values);
    try {
      await services.allocation.allocate(ctx, participantId, form.value.peerWorkerId, form.value.reason);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderForm(request, reply, participantId, error.fieldErrors, values);
      throw error;
    }
    return seeOther(reply, `/participants/${participantId}?done=allocated`);
  });
}
