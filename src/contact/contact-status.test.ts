import { describe, expect, it } from 'vitest';
import type { ContactAttemptRow, ContactMethod, ContactOutcome } from './contact-attempt.repository.ts';
import { contactStatusFrom, mayRecordLostContact } from './contact-status.ts';

let n = 0;
/** An attempt made at an ISO time; only what the rule reads matters. */
function attempt(madeAt: string, method: ContactMethod, outcome: ContactOutcome): ContactAttemptRow {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    participantId: 'p',
    madeBy: 'w',
    madeAt: new Date(madeAt),
    method,
    outcome,
    reached: outcome === 'spoke' || outcome === 'reply_received',
    note: null,
    recordedAt: new Date(madeAt),
    submissionToken: `t${String(n)}`,
  };
}

describe('mayRecordLostContact', () => {
  it('allows "lost contact" only once the unsuccessful attempts reach the configured number', () => {
    expect(mayRecordLostContact(0, 3)).toBe(false);
    expect(mayRecordLostContact(2, 3)).toBe(false);
    expect(mayRecordLostContact(3, 3)).toBe(true);
    expect(mayRecordLostContact(4, 3)).toBe(true);
    expect(mayRecordLostContact(1, 1)).toBe(true);
  });
});

describe('contact status', () => {
  it('is in touch with no attempts, never reached', () => {
    const status = contactStatusFrom([], null, 3);
    expect(status).toMatchObject({
      lastReachedAt: null,
      lastReachedBy: null,
      unsuccessfulAttemptsSinceReached: 0,
      state: 'in_touch',
      canRecordLostContact: false,
      suggestedNextSteps: ['phone', 'text', 'letter', 'visit', 'via_care_team'],
    });
  });

  it('counts every unsuccessful attempt when they have never been reached', () => {
    const status = contactStatusFrom(
      [
        attempt('2026-11-20T10:00Z', 'phone', 'no_answer'),
        attempt('2026-11-21T10:00Z', 'text', 'message_left'),
      ],
      null,
      3,
    );
    expect(status.state).toBe('trying_to_reach');
    expect(status.unsuccessfulAttemptsSinceReached).toBe(2);
    // Newest first.
    expect(status.attemptsSinceReached.map((a) => a.method)).toEqual(['text', 'phone']);
    expect(status.methodsTried).toEqual(['phone', 'text']);
    expect(status.suggestedNextSteps).toEqual(['letter', 'visit', 'via_care_team']);
    expect(status.canRecordLostContact).toBe(false);
  });

  it('starts counting again after an attempt that reached them', () => {
    const status = contactStatusFrom(
      [
        attempt('2026-11-10T10:00Z', 'phone', 'no_answer'),
        attempt('2026-11-11T10:00Z', 'letter', 'letter_returned'),
        attempt('2026-11-12T10:00Z', 'text', 'reply_received'),
        attempt('2026-11-20T10:00Z', 'phone', 'wrong_number'),
      ],
      null,
      3,
    );
    expect(status.lastReachedAt).toEqual(new Date('2026-11-12T10:00Z'));
    expect(status.lastReachedBy).toBe('text');
    expect(status.unsuccessfulAttemptsSinceReached).toBe(1);
    expect(status.methodsTried).toEqual(['phone']);
  });

  it('counts an attended session as reaching them, when it is later than any contact', () => {
    const attempts = [
      attempt('2026-11-10T10:00Z', 'phone', 'spoke'),
      attempt('2026-11-14T10:00Z', 'phone', 'no_answer'),
      attempt('2026-11-18T10:00Z', 'text', 'message_left'),
    ];
    const afterSession = contactStatusFrom(attempts, new Date('2026-11-15T14:00Z'), 3);
    expect(afterSession).toMatchObject({
      lastReachedAt: new Date('2026-11-15T14:00Z'),
      lastReachedBy: 'session',
      unsuccessfulAttemptsSinceReached: 1,
    });
    const earlierSession = contactStatusFrom(attempts, new Date('2026-11-01T14:00Z'), 3);
    expect(earlierSession).toMatchObject({ lastReachedBy: 'phone', unsuccessfulAttemptsSinceReached: 2 });
  });

  it('allows lost contact after the configured number of unsuccessful attempts, any methods', () => {
    const attempts = [
      attempt('2026-11-14T10:00Z', 'phone', 'no_answer'),
      attempt('2026-11-15T10:00Z', 'phone', 'no_answer'),
      attempt('2026-11-18T10:00Z', 'visit', 'moved_away'),
    ];
    expect(contactStatusFrom(attempts, null, 3).canRecordLostContact).toBe(true);
    expect(contactStatusFrom(attempts, null, 4).canRecordLostContact).toBe(false);
    const status = contactStatusFrom(attempts, null, 3);
    expect(status.methodsTried).toEqual(['phone', 'visit']);
    expect(status.suggestedNextSteps).toEqual(['text', 'letter', 'via_care_team']);
  });

  it('lists email among what was tried, though it is not one of the re-contact steps', () => {
    const status = contactStatusFrom([attempt('2026-11-14T10:00Z', 'email', 'no_answer')], null, 3);
    expect(status.methodsTried).toEqual(['email']);
    expect(status.suggestedNextSteps).toEqual(['phone', 'text', 'letter', 'visit', 'via_care_team']);
  });
});
