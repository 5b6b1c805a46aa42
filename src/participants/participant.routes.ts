import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { notices, queryText } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';

const noticeFor = notices({
  referred: 'Referral sent. The programme coordinator will allocate a peer support worker.',
  allocated: 'Peer support worker allocated.',
  'session-booked': 'Session booked.',
  'session-recorded': 'Session recorded.',
  'reminders-updated': 'Reminder settings saved.',
  'change-request-resolved': 'Marked as dealt with.',
  'contact-recorded': 'Contact attempt recorded.',
  'consent-recorded': 'Their choice about sharing is saved.',
});

export function registerParticipantRoutes(app: FastifyInstance, { services }: Dependencies): void {
  app.get('/participants/:participantId', async (request, reply) => {
    const page = await services.participantPage.view(
      staffContext(request),
      idParam(request.params, 'participantId'),
    );
    return reply.render('participants/summary.njk', {
      ...page,
      successMessage: noticeFor(queryText(request, 'done')),
      // After a session: a quiet offer of support for the worker, in the same banner.
      offerSupport: queryText(request, 'done') === 'session-recorded',
    });
  });
}
