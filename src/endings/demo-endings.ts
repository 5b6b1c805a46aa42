/**
 * Demo data for endings (called from src/demo/seed.ts): two people whose programme has ended
 * well. Josh Hall (index 27, Pat, North team) completed it and agreed to share the summary,
 * which went to the North crisis team and his GP; Leah Cooper (index 28, Rob, North team)
 * completed it and has not been asked yet. Both are past their window, so neither has a
 * session still planned; the last attended one was the planned ending session.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { NotificationsRepository } from '../platform/notifications/notifications.repository.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';
import { formatNhsNumber } from '../participants/nhs-number.ts';
import { ProgrammeSessionRepository } from '../sessions/session.repository.ts';
import { EndingRepository, type ShareConsent } from './ending.repository.ts';
import { sectionsWorkedOn, type EndingPlan } from './endings.service.ts';
import {
  SHARE_CONSENT_LABELS,
  summaryEmailPreview,
  summaryText,
  type EndingSummary,
} from './ending.view-model.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

const HOUR = 3_600_000;

interface DemoEnding {
  index: number;
  onwardSupport: string;
  message: string;
  shareConsent: ShareConsent;
  gp?: { name: string; email: string };
}

const DEMO_ENDINGS: DemoEnding[] = [
  {
    index: 27,
    onwardSupport:
      'Seeing his GP every month for now. Has joined the Tuesday walking group at the Leeds community centre and has the number for the local recovery college.',
    message:
      'Josh, it has been good to meet with you. You have done a lot of work on keeping well: keep going with the morning walks. All the best, Pat',
    shareConsent: 'yes',
    gp: { name: 'Dr Amina Rahman, Park Lane Surgery', email: 'park.lane.surgery@nhs.net' },
  },
  {
    index: 28,
    onwardSupport:
      'Her community mental health team care coordinator, and a weekly peer group at the library.',
    message: 'Leah, thank you for all the work you put in. Rob',
    shareConsent: 'not_asked',
  },
];

export async function seedDemoEndings(
  tx: Db,
  allocated: readonly { index: number; participantId: string; workerId: string }[],
  sessionCap: number,
  plan: EndingPlan,
): Promise<void> {
  const participants = new ParticipantRepository();
  const sessions = new ProgrammeSessionRepository();
  const endings = new EndingRepository();
  const notifications = new NotificationsRepository();
  for (const demo of DEMO_ENDINGS) {
    const person = allocated.find((p) => p.index === demo.index);
    const participant = person && (await participants.findWithAllocation(tx, person.participantId));
    if (!person || !participant) continue;
    const all = await sessions.listForParticipant(tx, person.participantId);
    // An ended programme has nothing still planned.
    if (all.some((s) => s.status === 'planned')) continue;
    const attended = all.filter((s) => s.status === 'attended');
    const last = attended.at(-1);
    if (!last) continue;
    await endings.markEndingSession(tx, last.id);
    const sections = sectionsWorkedOn(attended, plan.templates);
    const recordedAt = new Date(last.plannedAt.getTime() + 3 * HOUR);
    const endedOn = ukToday(last.plannedAt);
    await endings.insert(tx, {
      participantId: person.participantId,
      reason: 'completed',
      reasonOther: null,
      endedOn,
      sessionsAttended: attended.length,
      sections,
      onwardSupport: demo.onwardSupport,
      message: demo.message,
      shareConsent: demo.shareConsent,
      recordedBy: person.workerId,
      recordedAt,
      version: 1,
    });
    const sharedAt = new Date(recordedAt.getTime() + HOUR);
    if (demo.shareConsent !== 'yes') continue;
    await endings.insertShare(tx, {
      id: randomUUID(),
      participantId: person.participantId,
      recipientKind: 'crisis_team',
      recipientName: participant.crisisTeamName,
      recipientEmail: '',
      notificationId: null,
      sharedBy: person.workerId,
      sharedAt,
      submissionToken: randomUUID(),
    });
    if (!demo.gp) continue;
    const summary: EndingSummary = {
      participantId: participant.id,
      name: `${participant.givenName} ${participant.familyName}`,
      firstName: participant.preferredName ?? participant.givenName,
      dateOfBirth: participant.dateOfBirth,
      nhsNumber: participant.nhsNumber ? formatNhsNumber(participant.nhsNumber) : null,
      dischargedOn: participant.dischargedOn,
      crisisTeamName: participant.crisisTeamName,
      workerName: participant.allocatedWorkerName,
      endedOn,
      reason: 'Completed the programme',
      sessionsAttended: attended.length,
      sessionCap,
      sections: sections.map((key) => plan.templates.sectionTitle(key)),
      goals: await plan.goalsForSummary(tx, participant.id),
      onwardSupport: demo.onwardSupport,
      message: demo.message,
      messageFrom: last.peerWorkerName.split(' ')[0] ?? last.peerWorkerName,
      shareConsent: demo.shareConsent,
      shareConsentText: SHARE_CONSENT_LABELS[demo.shareConsent],
      recordedByName: last.peerWorkerName,
      recordedAt,
      shares: [],
    };
    const notificationId = randomUUID();
    await notifications.insert(tx, {
      id: notificationId,
      channel: 'email',
      recipient: demo.gp.email,
      template: 'ending_summary',
      personalisation: {
        recipient_name: demo.gp.name,
        participant_name: summary.name,
        summary: summaryText(summary),
        body: summaryEmailPreview(demo.gp.name, summary),
      },
      status: 'outbox',
      providerReference: null,
      createdAt: sharedAt,
    });
    await endings.insertShare(tx, {
      id: randomUUID(),
      participantId: person.participantId,
      recipientKind: 'gp',
      recipientName: demo.gp.name,
      recipientEmail: demo.gp.email,
      notificationId,
      sharedBy: person.workerId,
      sharedAt,
      submissionToken: randomUUID(),
    });
  }
}
