/** What the "Staying in touch" panel and the contact form show: words for codes, counts in sentences. */
import type { ContactAttemptRow, ContactMethod, ContactOutcome } from './contact-attempt.repository.ts';
import type { ContactState, ContactStatus } from './contact-status.ts';
import { daysBetween, ukToday } from '../platform/calendar/uk-time.ts';

export const METHOD_LABELS: Record<ContactMethod, string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
  visit: 'Home visit',
  via_care_team: 'Asked the care team or GP for new contact details',
};

export const OUTCOME_LABELS: Record<ContactOutcome, string> = {
  spoke: 'Spoke with them',
  reply_received: 'They replied',
  message_left: 'Left a message or sent one, no reply yet',
  no_answer: 'No answer',
  wrong_number: 'Wrong number or address',
  moved_away: 'They have moved away',
  letter_returned: 'Letter returned',
  other: 'Something else',
};

/** The next steps as the worker reads them, in the re-contact order. */
const STEP_LABELS: Record<ContactMethod, string> = {
  phone: 'Phone them',
  text: 'Send a text message',
  email: 'Send an email',
  letter: 'Send a letter',
  visit: 'Visit their home',
  via_care_team: 'Ask their care team or GP for new contact details',
};

export interface ContactAttemptItem {
  madeAt: Date;
  method: string;
  outcome: string;
  reached: boolean;
  madeByName: string;
  note: string | null;
}

export interface ContactPanel {
  participantId: string;
  lastReachedAt: Date | null;
  /** "today", "yesterday" or "6 days ago", counted in UK calendar days. */
  lastReachedAgo: string | null;
  /** "At a session", or the method of the attempt that reached them. */
  lastReachedHow: string | null;
  lastAttempt: ContactAttemptItem | null;
  state: ContactState;
  unsuccessful: number;
  attemptsBeforeLost: number;
  canRecordLostContact: boolean;
  /** "Phone call (2 times)", in the re-contact order. */
  tried: string[];
  nextSteps: string[];
  /** Every attempt, newest first. */
  attempts: ContactAttemptItem[];
  canRecord: boolean;
}

/** Whole UK calendar days from `then` to `now`, in words. */
export function daysAgo(then: Date, now: Date): string {
  const days = daysBetween(ukToday(then), ukToday(now));
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${String(days)} days ago`;
}

export function contactAttemptItem(attempt: ContactAttemptRow & { madeByName: string }): ContactAttemptItem {
  return {
    madeAt: attempt.madeAt,
    method: METHOD_LABELS[attempt.method],
    outcome: OUTCOME_LABELS[attempt.outcome],
    reached: attempt.reached,
    madeByName: attempt.madeByName,
    note: attempt.note,
  };
}

export function contactPanel(
  participantId: string,
  status: ContactStatus,
  attempts: readonly (ContactAttemptRow & { madeByName: string })[],
  now: Date,
  canRecord: boolean,
): ContactPanel {
  const items = attempts.map(contactAttemptItem);
  const counts = new Map<ContactMethod, number>();
  for (const attempt of status.attemptsSinceReached) {
    counts.set(attempt.method, (counts.get(attempt.method) ?? 0) + 1);
  }
  return {
    participantId,
    lastReachedAt: status.lastReachedAt,
    lastReachedAgo: status.lastReachedAt ? daysAgo(status.lastReachedAt, now) : null,
    lastReachedHow:
      status.lastReachedBy === null
        ? null
        : status.lastReachedBy === 'session'
          ? 'At a session'
          : METHOD_LABELS[status.lastReachedBy],
    lastAttempt: items[0] ?? null,
    state: status.state,
    unsuccessful: status.unsuccessfulAttemptsSinceReached,
    attemptsBeforeLost: status.attemptsBeforeLost,
    canRecordLostContact: status.canRecordLostContact,
    tried: status.methodsTried.map((method) => {
      const n = counts.get(method) ?? 0;
      return `${METHOD_LABELS[method]} (${n === 1 ? 'once' : `${String(n)} times`})`;
    }),
    nextSteps: status.suggestedNextSteps.map((method) => STEP_LABELS[method]),
    attempts: items,
    canRecord,
  };
}
