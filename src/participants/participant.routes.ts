import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { notices, queryText } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { displayName } from './display-name.ts';
import { formatNhsNumber } from './nhs-number.ts';
import { formatUkMobile, formatUkPhone } from './contact.ts';
import { londonToday, programmeWindow } from './programme-window.ts';
import { workedOnItems } from '../sessions/session.view-model.ts';

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
const CONTACT_LABELS: Record<string, string> = {
  sms: 'Text message',
  email: 'Email',
  phone: 'Phone call',
  post: 'Letter',
};

export function registerParticipantRoutes(
  app: FastifyInstance,
  { services, clock, config }: Dependencies,
): void {
  app.get('/participants/:participantId', async (request, reply) => {
    const ctx = staffContext(request);
    const summary = await services.participants.summary(ctx, idParam(request.params, 'participantId'));
    const { participant, history, canAllocate } = summary;
    const ending = await services.endingSummaries.panel(ctx, participant.id);
    const plan = await services.planSharing.sharedSummary(ctx, participant.id);
    const viewable = new Set(plan.sharedSections);
    return reply.render('participants/summary.njk', {
      pageTitle: displayName(participant),
      participant,
      name: displayName(participant),
      nhsNumber: participant.nhsNumber ? formatNhsNumber(participant.nhsNumber) : null,
      mobile: participant.mobile ? formatUkMobile(participant.mobile) : null,
      phone: participant.phone ? formatUkPhone(participant.phone) : null,
      contactMethods: participant.contactMethods.map((method) => CONTACT_LABELS[method] ?? method).join(', '),
      window: programmeWindow(
        participant.dischargedOn,
        londonToday(clock.now()),
        config.programme.windowMonths,
      ),
      history,
      canAllocate,
      sharedContacts: summary.sharedContacts,
      sessions: summary.sessions.map((session) => ({
        ...session,
        workedOn: workedOnItems(
          participant.id,
          session.sectionKeys,
          (key) => services.planTemplates.sectionTitle(key),
          viewable,
        ),
      })),
      plan,
      sessionCounts: summary.sessionCounts,
      sessionCap: summary.sessionCap,
      canBookSession: summary.canBookSession && !ending.ended,
      ending,
      reminders: await services.reminderPreferences.panel(ctx, participant.id),
      contact: await services.contact.panel(ctx, participant.id),
      consent: await services.consent.panel(ctx, participant.id),
      changeRequests: await services.changeRequests.openForWorker(ctx, participant.id),
      concernsPanel: await services.workerConcerns.participantPanel(ctx, participant.id),
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });
}
