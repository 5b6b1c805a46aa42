import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, registerFormPage } from '../platform/http/form-page.ts';
import { optionalText, parseForm } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { pageNumber } from '../platform/http/pages.ts';
import { staffContext } from '../platform/http/request-context.ts';
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
      ...(await services.allocation.waiting(ctx, pageNumber(request))),
    });
  });

  registerFormPage(app, {
    path: '/participants/:participantId/allocate',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'participantId'),
    values: { fields: ['peerWorkerId', 'reason'], maxLength: 500 },
    render: async (request, reply, participantId, { values = {}, errors, status }) => {
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
          ...errorSummary(errors, ['peerWorkerId', 'reason']),
        },
        status,
      );
    },
    parse: (request) => parseForm(allocationForm, request.body),
    save: async (participantId, value, request) => {
      await services.allocation.allocate(
        staffContext(request),
        participantId,
        value.peerWorkerId,
        value.reason,
      );
      return `/participants/${participantId}?done=allocated`;
    },
  });
}
