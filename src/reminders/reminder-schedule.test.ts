import { describe, expect, it } from 'vitest';
import {
  BOOKED_TOO_CLOSE,
  defaultReminderChannel,
  earliestSafeAtOrAfter,
  latestSafeAtOrBefore,
  OUTSIDE_SAFE_TIMES,
  planReminders,
  SESSION_PASSED,
  retryDelayMs,
  ukHoursBefore,
} from './reminder-schedule.ts';

const window = { earliestHour: 9, latestHour: 20 };
const at = (iso: string) => new Date(iso);

function plan(now: string, session: string, safe = window) {
  return planReminders({ now: at(now), sessionStartsAt: at(session), hoursBefore: 24, window: safe });
}

describe('when the reminder goes', () => {
  it('goes 24 hours before a session, in winter and summer UK time', () => {
    // 3 December 2026, 2:30pm GMT.
    expect(plan('2026-11-26T10:00:00Z', '2026-12-03T14:30:00Z')[1]).toEqual({
      kind: 'upcoming',
      status: 'scheduled',
      dueAt: at('2026-12-02T14:30:00Z'),
    });
    // 10 June 2027, 2:30pm BST (13:30 UTC).
    expect(plan('2027-06-01T10:00:00Z', '2027-06-10T13:30:00Z')[1]?.dueAt).toEqual(
      at('2027-06-09T13:30:00Z'),
    );
  });

  it('keeps the UK wall-clock time across the October clock change (25 real hours)', () => {
    // Sunday 25 October 2026, 10am GMT; the clocks went back at 2am BST that morning.
    const [, upcoming] = plan('2026-10-20T10:00:00Z', '2026-10-25T10:00:00Z');
    // Saturday 24 October, 10am BST.
    expect(upcoming?.dueAt).toEqual(at('2026-10-24T09:00:00Z'));
  });

  it('keeps the UK wall-clock time across the March clock change (23 real hours)', () => {
    // Sunday 29 March 2026, 10am BST (9am UTC); the clocks went forward at 1am GMT that morning.
    const [, upcoming] = plan('2026-03-20T10:00:00Z', '2026-03-29T09:00:00Z');
    // Saturday 28 March, 10am GMT.
    expect(upcoming?.dueAt).toEqual(at('2026-03-28T10:00:00Z'));
  });

  it('moves a reminder due before the safe hours to the evening before', () => {
    // Session Tuesday 8 December 2026 at 8:30am: 24 hours before is Monday 8:30am, before 9am.
    const [, upcoming] = plan('2026-11-26T10:00:00Z', '2026-12-08T08:30:00Z');
    expect(upcoming).toEqual({ kind: 'upcoming', status: 'scheduled', dueAt: at('2026-12-06T20:00:00Z') });
  });

  it('moves a reminder due after the safe hours back to the end of them that day', () => {
    // Session at 9:30pm; reminder due 9:30pm the day before, latest safe time 8pm.
    const [, upcoming] = plan('2026-11-26T10:00:00Z', '2026-12-08T21:30:00Z');
    expect(upcoming?.dueAt).toEqual(at('2026-12-07T20:00:00Z'));
  });

  it('moves to the end of the safe hours in summer time as UK time, not UTC', () => {
    // Session Wednesday 9 June 2027 at 7am BST; safe 9am–6pm: Monday 6pm BST is 17:00 UTC.
    const [, upcoming] = plan('2027-06-01T10:00:00Z', '2027-06-09T06:00:00Z', {
      earliestHour: 9,
      latestHour: 18,
    });
    expect(upcoming?.dueAt).toEqual(at('2027-06-07T17:00:00Z'));
  });

  it('skips the reminder when no safe time is left before it', () => {
    // Booked Friday 9pm for Sunday 8am: the reminder (Saturday 8am) would move to Friday 8pm, gone.
    const [, upcoming] = plan('2026-12-04T21:00:00Z', '2026-12-06T08:00:00Z');
    expect(upcoming).toMatchObject({ kind: 'upcoming', status: 'skipped', reason: OUTSIDE_SAFE_TIMES });
  });

  it('skips the reminder for a session booked less than 24 hours ahead: the confirmation does', () => {
    const plans = plan('2026-11-26T10:00:00Z', '2026-11-26T15:00:00Z');
    expect(plans[0]).toEqual({ kind: 'booked', status: 'scheduled', dueAt: at('2026-11-26T10:00:00Z') });
    expect(plans[1]).toMatchObject({ kind: 'upcoming', status: 'skipped', reason: BOOKED_TOO_CLOSE });
  });
});

describe('when the booking confirmation goes', () => {
  it('goes straight away within the safe hours', () => {
    expect(plan('2026-11-26T10:00:00Z', '2026-12-03T14:30:00Z')[0]).toEqual({
      kind: 'booked',
      status: 'scheduled',
      dueAt: at('2026-11-26T10:00:00Z'),
    });
  });

  it('waits for the safe hours when booked late in the evening', () => {
    expect(plan('2026-11-26T21:15:00Z', '2026-12-03T14:30:00Z')[0]?.dueAt).toEqual(
      at('2026-11-27T09:00:00Z'),
    );
  });

  it('says a session booked after it happened gets no messages because its time has passed, in safe hours or not', () => {
    for (const now of ['2026-11-26T14:00:00Z', '2026-11-26T23:00:00Z']) {
      expect(plan(now, '2026-11-25T10:00:00Z')).toEqual([
        { kind: 'booked', status: 'skipped', dueAt: at(now), reason: SESSION_PASSED },
        { kind: 'upcoming', status: 'skipped', dueAt: at(now), reason: SESSION_PASSED },
      ]);
    }
  });

  it('is skipped when the session comes before the next safe time', () => {
    expect(plan('2026-11-26T21:15:00Z', '2026-11-27T08:00:00Z')).toEqual([
      { kind: 'booked', status: 'skipped', dueAt: at('2026-11-26T21:15:00Z'), reason: OUTSIDE_SAFE_TIMES },
      { kind: 'upcoming', status: 'skipped', dueAt: at('2026-11-26T08:00:00Z'), reason: BOOKED_TOO_CLOSE },
    ]);
  });
});

describe('safe times', () => {
  it('treats the latest hour as the last safe moment, and midnight as the end of a 24 window', () => {
    expect(latestSafeAtOrBefore(at('2026-12-01T20:00:00Z'), window)).toEqual(at('2026-12-01T20:00:00Z'));
    expect(latestSafeAtOrBefore(at('2026-12-01T20:01:00Z'), window)).toEqual(at('2026-12-01T20:00:00Z'));
    expect(latestSafeAtOrBefore(at('2026-12-01T03:00:00Z'), { earliestHour: 7, latestHour: 24 })).toEqual(
      at('2026-12-01T00:00:00Z'),
    );
    expect(earliestSafeAtOrAfter(at('2026-12-01T06:59:00Z'), { earliestHour: 7, latestHour: 22 })).toEqual(
      at('2026-12-01T07:00:00Z'),
    );
  });

  it('counts hours on the UK clock', () => {
    expect(ukHoursBefore(at('2026-12-03T14:30:00Z'), 48)).toEqual(at('2026-12-01T14:30:00Z'));
    expect(ukHoursBefore(at('2026-12-03T00:30:00Z'), 1)).toEqual(at('2026-12-02T23:30:00Z'));
  });
});

describe('retries and defaults', () => {
  it('waits 1, 2, 4, 8 minutes between attempts', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
  });

  it('starts a referral on text messages, email or nothing from their contact preferences', () => {
    expect(
      defaultReminderChannel({ contactMethods: ['sms', 'phone'], mobile: '+447700900001', email: null }),
    ).toBe('sms');
    expect(
      defaultReminderChannel({ contactMethods: ['sms', 'email'], mobile: null, email: 'a@example.com' }),
    ).toBe('email');
    expect(defaultReminderChannel({ contactMethods: ['phone'], mobile: '+447700900001', email: null })).toBe(
      'none',
    );
  });
});
