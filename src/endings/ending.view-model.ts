/**
 * What the ending pages show: words for codes, and the end-of-programme summary as the staff
 * page, the participant's page and the email to their care team present it.
 */
import { formatDate, formatDateTime } from '../platform/calendar/uk-format.ts';
import type {
  EndingReason,
  EndingRow,
  EndingShareRow,
  RecipientKind,
  ShareConsent,
} from './ending.repository.ts';

export const ENDING_REASON_LABELS: Record<EndingReason, string> = {
  completed: 'Completed the programme',
  window_expired: 'The programme window ended',
  participant_ended: 'They chose to end the programme',
  lost_contact: 'Lost contact',
  readmitted: 'Readmitted to hospital or crisis care',
  other: 'Another reason',
};

export const SHARE_CONSENT_LABELS: Record<ShareConsent, string> = {
  yes: 'Yes, they agreed to share it with their care team',
  no: 'No, they do not want it shared',
  not_asked: 'Not asked yet',
};

export const RECIPIENT_LABELS: Record<RecipientKind, string> = {
  crisis_team: 'Crisis team',
  care_coordinator: 'Care coordinator',
  gp: 'GP',
};

/** Said where goals would be when the plan has none to show: not written yet, or kept private. */
export const GOALS_NOT_YET = 'None in the recovery plan yet, or not shared.';
export const MY_GOALS_NOT_YET =
  'None yet. Goals you write in your recovery plan, in a section you share with your peer support worker, will show here.';

/** The reason in a sentence: "another reason" shows what the worker wrote. */
export function endingReasonText(ending: Pick<EndingRow, 'reason' | 'reasonOther'>): string {
  return ending.reason === 'other' && ending.reasonOther
    ? ending.reasonOther
    : ENDING_REASON_LABELS[ending.reason];
}

/** "completed the programme", for "Programme ended on 1 December 2026 (completed the programme)". */
export function endingReasonInSentence(ending: Pick<EndingRow, 'reason' | 'reasonOther'>): string {
  if (ending.reason === 'other') return endingReasonText(ending);
  const label = ENDING_REASON_LABELS[ending.reason];
  return label.charAt(0).toLowerCase() + label.slice(1);
}

export interface ShareItem {
  recipient: string;
  name: string;
  email: string | null;
  sharedAt: Date;
  sharedByName: string;
  /** False while an email is being handed over (or if sending it failed). */
  sent: boolean;
}

export function shareItem(share: EndingShareRow & { sharedByName: string }): ShareItem {
  const emailed = share.recipientKind !== 'crisis_team';
  return {
    recipient: RECIPIENT_LABELS[share.recipientKind],
    name: share.recipientName,
    email: emailed ? share.recipientEmail : null,
    sharedAt: share.sharedAt,
    sharedByName: share.sharedByName,
    sent: !emailed || share.notificationId !== null,
  };
}

/** Everything the end-of-programme summary says, whoever reads it. */
export interface EndingSummary {
  participantId: string;
  name: string;
  /** What the participant likes to be called, for their own page. */
  firstName: string;
  dateOfBirth: string;
  nhsNumber: string | null;
  dischargedOn: string;
  crisisTeamName: string;
  workerName: string | null;
  endedOn: string;
  reason: string;
  sessionsAttended: number;
  sessionCap: number;
  /** Titles of the plan's sections worked on at attended sessions, in the plan's order. */
  sections: string[];
  /** Goals in a shared section of the participant's recovery plan; null when they have no plan. */
  goals: string[] | null;
  onwardSupport: string | null;
  message: string | null;
  messageFrom: string;
  shareConsent: ShareConsent;
  shareConsentText: string;
  recordedByName: string;
  recordedAt: Date;
  shares: ShareItem[];
}

/**
 * The summary as plain text, for the email to a professional's secure NHS mailbox (the
 * GOV.UK Notify template places it in its body as `((summary))`).
 */
export function summaryText(summary: EndingSummary): string {
  const lines = [
    `Name: ${summary.name}`,
    `Date of birth: ${formatDate(summary.dateOfBirth)}`,
    `NHS number: ${summary.nhsNumber ?? 'Not given'}`,
    `Discharged from ${summary.crisisTeamName}: ${formatDate(summary.dischargedOn)}`,
    `Peer support worker: ${summary.workerName ?? 'None'}`,
    `Programme ended: ${formatDate(summary.endedOn)} (${summary.reason})`,
    '',
    `Sessions attended: ${String(summary.sessionsAttended)} of ${String(summary.sessionCap)}`,
    `Sections of the recovery plan worked on: ${summary.sections.length > 0 ? summary.sections.join(', ') : 'None recorded'}`,
    `Goals: ${summary.goals?.length ? summary.goals.join('; ') : GOALS_NOT_YET}`,
    '',
    `Onward support: ${summary.onwardSupport ?? 'Not known'}`,
    '',
    `Written by ${summary.recordedByName} on ${formatDateTime(summary.recordedAt)}. Shared with the participant's recorded consent.`,
  ];
  return lines.join('\n');
}

/** The email as its reader would see it, for the demo outbox (GOV.UK Notify renders its own). */
export function summaryEmailPreview(recipientName: string, summary: EndingSummary): string {
  return [
    `End-of-programme summary: ${summary.name}`,
    '',
    `Dear ${recipientName},`,
    '',
    `${summary.name} has finished the Greenleaf peer support programme after leaving crisis care. With their consent, here is their end-of-programme summary.`,
    '',
    summaryText(summary),
  ].join('\n');
}

/** The ending form's boxes: what was recorded, or today's date for a new ending. */
export function endingValues(ending: EndingRow | undefined, today: string): Record<string, unknown> {
  const [year, month, day] = (ending?.endedOn ?? today).split('-');
  return {
    version: String(ending?.version ?? 0),
    reason: ending?.reason,
    reasonOther: ending?.reasonOther ?? undefined,
    'endedOn[day]': String(Number(day)),
    'endedOn[month]': String(Number(month)),
    'endedOn[year]': year,
    onwardSupport: ending?.onwardSupport ?? undefined,
    message: ending?.message ?? undefined,
    shareConsent: ending?.shareConsent,
  };
}
