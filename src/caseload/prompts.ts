/**
 * What needs doing today for one participant: the caseload's prompts (PRODUCT.md section 4),
 * worked out from a few facts about their sessions and contacts. Pure, so every threshold is
 * tested without a database or waiting (prompts.test.ts).
 */
import { programmeWindow, type ProgrammeWindow } from '../participants/programme-window.ts';
import { daysBetween, ukToday } from '../platform/calendar/uk-time.ts';

/** Everything the prompts need to know about one participant on a caseload. */
export interface CaseloadFacts {
  dischargedOn: string;
  allocatedAt: Date;
  sessionsAttended: number;
  /** Sessions still planned, past or future (a past one still planned is waiting to be recorded). */
  sessionsPlanned: number;
  nextSessionAt: Date | null;
  lastAttendedAt: Date | null;
  /** When the most recent session they did not attend was due. */
  lastMissedAt: Date | null;
  lastContactAttemptAt: Date | null;
  lastReachedAt: Date | null;
  /** A session planned or held as the ending session. */
  endingSessionPlanned: boolean;
  openChangeRequests: number;
  /** The earliest still-planned session that has already started (not yet recorded). */
  oldestUnrecordedAt: Date | null;
  /**
   * Concerns about them the worker raised with a reply they have not read: how many, the one
   * to open (the most urgent, newest reply), and whether any is an immediate or urgent concern.
   */
  unreadReplies: number;
  unreadReplyConcernId: string | null;
  unreadReplyUrgent: boolean;
  /** Trial mode: the day they withdrew from peer support in the trial, if they did. */
  withdrewFromTrialOn: string | null;
}

export interface PromptSettings {
  sessionCap: number;
  windowMonths: number;
  firstSessionDays: number;
  noContactDays: number;
  windowClosingDays: number;
}

export type PromptKind =
  | 'urgent_concern_reply'
  | 'trial_withdrawn'
  | 'concern_reply'
  | 'missed_no_follow_up'
  | 'change_requested'
  | 'first_session_overdue'
  | 'no_contact'
  | 'record_session'
  | 'ending_not_planned'
  | 'window_closing';

/** Most urgent first: the order prompts are shown in, on a card and across the caseload. */
export const PROMPT_ORDER: readonly PromptKind[] = [
  'urgent_concern_reply',
  'trial_withdrawn',
  'missed_no_follow_up',
  'change_requested',
  'concern_reply',
  'first_session_overdue',
  'no_contact',
  'record_session',
  'ending_not_planned',
  'window_closing',
];

export interface Prompt {
  kind: PromptKind;
  /** What to do, in the worker's words. */
  text: string;
  /** Days overdue or days left: orders prompts of one kind (bigger is more urgent). */
  weight: number;
  /** Where to act on it, when that is not the participant's page. */
  href?: string;
}

export interface ParticipantStatus extends ProgrammeWindow {
  /** Whole UK days since they were last reached (attended a session or answered), or since allocation if never. */
  daysSinceContact: number;
  /** True when they have never been reached since allocation. */
  neverReached: boolean;
  prompts: Prompt[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${String(n)} ${n === 1 ? one : many}`;

function latest(...dates: (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const date of dates) if (date && (!best || date > best)) best = date;
  return best;
}

export function participantStatus(
  facts: CaseloadFacts,
  now: Date,
  settings: PromptSettings,
): ParticipantStatus {
  const today = ukToday(now);
  const window = programmeWindow(facts.dischargedOn, today, settings.windowMonths);
  const lastReached = latest(facts.lastAttendedAt, facts.lastReachedAt);
  const contactBaseline = lastReached ?? facts.allocatedAt;
  const daysSinceContact = Math.max(0, daysBetween(ukToday(contactBaseline), today));
  const daysSinceDischarge = daysBetween(facts.dischargedOn, today);
  const sessionsLeft = settings.sessionCap - facts.sessionsAttended;
  const prompts: Prompt[] = [];

  // The crisis team answered a concern or question the worker raised, and they have not read it.
  if (facts.unreadReplies > 0 && facts.unreadReplyConcernId) {
    prompts.push({
      kind: facts.unreadReplyUrgent ? 'urgent_concern_reply' : 'concern_reply',
      text: facts.unreadReplyUrgent
        ? 'The crisis team replied about an urgent concern: read it now'
        : facts.unreadReplies === 1
          ? 'The crisis team replied: read it'
          : `The crisis team replied about ${String(facts.unreadReplies)} things you sent: read them`,
      weight: facts.unreadReplies,
      href:
        facts.unreadReplies === 1 || facts.unreadReplyUrgent
          ? `/concerns/${facts.unreadReplyConcernId}`
          : '/concerns/mine',
    });
  }

  // They withdrew from peer support in the research trial: end their programme, and nothing
  // asks the worker to contact them or book anything (a session already held may still be recorded).
  if (facts.withdrewFromTrialOn) {
    prompts.push({
      kind: 'trial_withdrawn',
      text: 'Withdrew from peer support in the research trial: end their programme',
      weight: Math.max(0, daysBetween(facts.withdrewFromTrialOn, today)),
    });
    if (facts.oldestUnrecordedAt && facts.oldestUnrecordedAt <= now) {
      prompts.push({
        kind: 'record_session',
        text: 'Record what happened at the sessions before they withdrew',
        weight: Math.max(0, daysBetween(ukToday(facts.oldestUnrecordedAt), today)),
      });
    }
    prompts.sort((a, b) => PROMPT_ORDER.indexOf(a.kind) - PROMPT_ORDER.indexOf(b.kind));
    return { ...window, daysSinceContact, neverReached: !lastReached, prompts };
  }

  // A missed session nobody has followed up: no attempt to reach them, and no session held, since.
  if (
    facts.lastMissedAt &&
    !(facts.lastContactAttemptAt && facts.lastContactAttemptAt > facts.lastMissedAt) &&
    !(facts.lastAttendedAt && facts.lastAttendedAt > facts.lastMissedAt)
  ) {
    const days = Math.max(0, daysBetween(ukToday(facts.lastMissedAt), today));
    prompts.push({
      kind: 'missed_no_follow_up',
      text: `Missed a session ${days === 0 ? 'today' : `${plural(days, 'day')} ago`}: get in touch`,
      weight: days,
    });
  }

  if (facts.openChangeRequests > 0) {
    prompts.push({
      kind: 'change_requested',
      text:
        facts.openChangeRequests === 1
          ? 'Asked to rearrange a session'
          : `Asked to rearrange ${String(facts.openChangeRequests)} sessions`,
      weight: facts.openChangeRequests,
    });
  }

  if (
    facts.sessionsAttended === 0 &&
    facts.sessionsPlanned === 0 &&
    daysSinceDischarge >= settings.firstSessionDays &&
    window.daysLeft > 0
  ) {
    prompts.push({
      kind: 'first_session_overdue',
      text: facts.lastMissedAt
        ? 'No session booked since the missed one'
        : `No first session booked, ${plural(daysSinceDischarge, 'day')} since discharge`,
      weight: daysSinceDischarge - settings.firstSessionDays,
    });
  }

  if (daysSinceContact >= settings.noContactDays && window.daysLeft > 0) {
    prompts.push({
      kind: 'no_contact',
      text: lastReached
        ? `No contact for ${plural(daysSinceContact, 'day')}`
        : `Not reached yet, ${plural(daysSinceContact, 'day')} since allocation`,
      weight: daysSinceContact,
    });
  }

  if (facts.oldestUnrecordedAt && facts.oldestUnrecordedAt <= now) {
    const days = Math.max(0, daysBetween(ukToday(facts.oldestUnrecordedAt), today));
    prompts.push({
      kind: 'record_session',
      text:
        days === 0
          ? 'Record what happened at today’s session'
          : `Record the session from ${plural(days, 'day')} ago`,
      weight: days,
    });
  }

  // The last session is booked or due (the dose is used up, or the window is closing or gone)
  // but no ending session is planned.
  const lastSessionDue =
    facts.sessionsAttended + facts.sessionsPlanned >= settings.sessionCap ||
    window.daysLeft <= settings.windowClosingDays;
  if (
    lastSessionDue &&
    !facts.endingSessionPlanned &&
    (facts.sessionsAttended > 0 || window.daysLeft === 0)
  ) {
    prompts.push({
      kind: 'ending_not_planned',
      text:
        window.daysLeft === 0
          ? 'Programme window has ended: record the ending'
          : 'Last sessions are due: plan the ending session',
      weight: settings.windowClosingDays - window.daysLeft,
    });
  }

  if (window.daysLeft > 0 && window.daysLeft <= settings.windowClosingDays && sessionsLeft > 0) {
    prompts.push({
      kind: 'window_closing',
      text: `Programme window closes in ${plural(window.daysLeft, 'day')}, ${plural(sessionsLeft, 'session')} left`,
      weight: settings.windowClosingDays - window.daysLeft,
    });
  }

  prompts.sort((a, b) => PROMPT_ORDER.indexOf(a.kind) - PROMPT_ORDER.indexOf(b.kind));
  return { ...window, daysSinceContact, neverReached: !lastReached, prompts };
}

/** Orders caseload entries: most urgent first prompt, then the most overdue, then those with none. */
export function byUrgency(a: { prompts: Prompt[] }, b: { prompts: Prompt[] }): number {
  const [pa] = a.prompts;
  const [pb] = b.prompts;
  if (!pa || !pb) return (pa ? 0 : 1) - (pb ? 0 : 1);
  return PROMPT_ORDER.indexOf(pa.kind) - PROMPT_ORDER.indexOf(pb.kind) || pb.weight - pa.weight;
}
