/**
 * Staying in touch (PRODUCT.md section 2, "what goes wrong in real life"): whether a participant
 * is in touch or being looked for, worked out from their contact attempts and their last attended
 * session. Pure, so the participant page, programme endings and tests share one rule.
 */
import type { ContactAttemptRow, ContactMethod } from './contact-attempt.repository.ts';

/**
 * The re-contact workflow's steps, in the order to try them when someone cannot be reached:
 * the cheapest and least intrusive first, asking the care team or GP for new details last.
 */
export const RE_CONTACT_STEPS: readonly ContactMethod[] = [
  'phone',
  'text',
  'letter',
  'visit',
  'via_care_team',
];

/**
 * "Lost contact" may be recorded (for example as the reason a programme ends) only after this
 * many unsuccessful attempts since the participant was last reached. Used by programme endings.
 */
export function mayRecordLostContact(unsuccessfulSinceReached: number, attemptsBeforeLost: number): boolean {
  return unsuccessfulSinceReached >= attemptsBeforeLost;
}

export type ContactState = 'in_touch' | 'trying_to_reach';

export interface ContactStatus {
  /** The later of the last attempt that reached them and their last attended session; null if neither. */
  lastReachedAt: Date | null;
  /** How they were last reached: at a session, or the method of the attempt that reached them. */
  lastReachedBy: 'session' | ContactMethod | null;
  /** How many attempts since then did not reach them. */
  unsuccessfulAttemptsSinceReached: number;
  /** Those attempts, newest first. */
  attemptsSinceReached: ContactAttemptRow[];
  /** The methods tried since they were last reached, in the order of the re-contact steps. */
  methodsTried: ContactMethod[];
  /** Re-contact steps not yet tried since they were last reached, in order. */
  suggestedNextSteps: ContactMethod[];
  state: ContactState;
  attemptsBeforeLost: number;
  canRecordLostContact: boolean;
}

/**
 * The status from every attempt for one participant (any order) and when they last attended a
 * session. An attempt counts against them only if it was made after they were last reached,
 * matching ContactAttemptRepository.attemptsSince.
 */
export function contactStatusFrom(
  attempts: readonly ContactAttemptRow[],
  lastAttendedAt: Date | null,
  attemptsBeforeLost: number,
): ContactStatus {
  let lastReached: ContactAttemptRow | undefined;
  for (const attempt of attempts) {
    if (attempt.reached && (!lastReached || attempt.madeAt > lastReached.madeAt)) lastReached = attempt;
  }
  const bySession = lastAttendedAt !== null && (!lastReached || lastAttendedAt >= lastReached.madeAt);
  const lastReachedAt = bySession ? lastAttendedAt : (lastReached?.madeAt ?? null);
  const lastReachedBy = bySession ? 'session' : (lastReached?.method ?? null);

  const since = attempts
    .filter((a) => !a.reached && (lastReachedAt === null || a.madeAt > lastReachedAt))
    .sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime());
  const tried = new Set(since.map((a) => a.method));
  const methodsTried = [
    ...RE_CONTACT_STEPS.filter((m) => tried.has(m)),
    ...[...tried].filter((m) => !RE_CONTACT_STEPS.includes(m)),
  ];
  return {
    lastReachedAt,
    lastReachedBy,
    unsuccessfulAttemptsSinceReached: since.length,
    attemptsSinceReached: since,
    methodsTried,
    suggestedNextSteps: RE_CONTACT_STEPS.filter((m) => !tried.has(m)),
    state: since.length > 0 ? 'trying_to_reach' : 'in_touch',
    attemptsBeforeLost,
    canRecordLostContact: mayRecordLostContact(since.length, attemptsBeforeLost),
  };
}
