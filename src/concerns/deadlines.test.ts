import { describe, expect, it } from 'vitest';
import { acknowledgeBy, DEFAULT_CONCERN_DEADLINES, escalationDueAt } from './deadlines.ts';

const settings = DEFAULT_CONCERN_DEADLINES;
const at = (iso: string) => new Date(iso);
const routine = (raised: string) => acknowledgeBy('routine', at(raised), settings).toISOString();

describe('acknowledge-by deadlines', () => {
  it('gives an immediate concern 15 minutes and an urgent one 60, on the clock', () => {
    expect(acknowledgeBy('immediate', at('2026-11-26T10:00:00Z'), settings).toISOString()).toBe(
      '2026-11-26T10:15:00.000Z',
    );
    expect(acknowledgeBy('urgent', at('2026-11-26T10:00:00Z'), settings).toISOString()).toBe(
      '2026-11-26T11:00:00.000Z',
    );
    // Sunday night, Christmas Day: crisis teams work around the clock.
    expect(acknowledgeBy('urgent', at('2026-12-25T23:30:00Z'), settings).toISOString()).toBe(
      '2026-12-26T00:30:00.000Z',
    );
  });

  it('counts urgent minutes as elapsed time across the October clock change', () => {
    // 01:30 BST on 25 October 2026; an hour later the clocks have gone back: 01:30 GMT.
    expect(acknowledgeBy('urgent', at('2026-10-25T00:30:00Z'), settings).toISOString()).toBe(
      '2026-10-25T01:30:00.000Z',
    );
  });

  it('gives a routine concern until 17:00 three working days after the day it was raised', () => {
    // Thursday 26 November: Friday 27, Monday 30, Tuesday 1 December.
    expect(routine('2026-11-26T10:00:00Z')).toBe('2026-12-01T17:00:00.000Z');
    // Early on a working day still counts that day.
    expect(routine('2026-11-26T07:00:00Z')).toBe('2026-12-01T17:00:00.000Z');
  });

  it('counts from the next working day when raised after hours', () => {
    // Thursday 17:30 counts from Friday: Monday 30, Tuesday 1, Wednesday 2 December.
    expect(routine('2026-11-26T17:30:00Z')).toBe('2026-12-02T17:00:00.000Z');
    expect(routine('2026-11-26T17:00:00Z')).toBe('2026-12-02T17:00:00.000Z');
    expect(routine('2026-11-26T16:59:00Z')).toBe('2026-12-01T17:00:00.000Z');
  });

  it('counts from Monday when raised at the weekend', () => {
    // Saturday 28 November counts from Monday 30: Tuesday, Wednesday, Thursday 3 December.
    expect(routine('2026-11-28T11:00:00Z')).toBe('2026-12-03T17:00:00.000Z');
    // Friday evening too.
    expect(routine('2026-11-27T19:00:00Z')).toBe('2026-12-03T17:00:00.000Z');
  });

  it('skips bank holidays', () => {
    // Christmas Eve 2026 (Thursday): Christmas Day Friday, Boxing Day substitute Monday 28,
    // so Tuesday 29, Wednesday 30, Thursday 31 December.
    expect(routine('2026-12-24T10:00:00Z')).toBe('2026-12-31T17:00:00.000Z');
    // Friday 28 August 2026, the summer bank holiday Monday 31 skipped: 17:00 BST on Thursday
    // 3 September is 16:00 UTC.
    expect(routine('2026-08-28T09:00:00Z')).toBe('2026-09-03T16:00:00.000Z');
    // Raised on Good Friday 2027 (26 March): counts from Tuesday 30 March after Easter Monday,
    // then Wednesday 31, Thursday 1 and Friday 2 April, 17:00 BST.
    expect(routine('2027-03-26T10:00:00Z')).toBe('2027-04-02T16:00:00.000Z');
  });

  it('uses UK time across the October clock change', () => {
    // Thursday 22 October 2026 at 10:00 BST: Friday 23, Monday 26, Tuesday 27 October, when
    // the clocks have gone back: 17:00 GMT is 17:00 UTC.
    expect(routine('2026-10-22T09:00:00Z')).toBe('2026-10-27T17:00:00.000Z');
    // Friday 23 October at 16:30 UTC is 17:30 BST, after hours (though not in UTC): it counts
    // from Monday 26, so Tuesday 27, Wednesday 28, Thursday 29.
    expect(routine('2026-10-23T16:30:00Z')).toBe('2026-10-29T17:00:00.000Z');
    // 15:30 UTC is 16:30 BST, within the day: Monday 26, Tuesday 27, Wednesday 28.
    expect(routine('2026-10-23T15:30:00Z')).toBe('2026-10-28T17:00:00.000Z');
  });

  it('takes the UK date, not the UTC one, just after midnight in summer', () => {
    // 23:30 UTC on Thursday 4 June 2026 is 00:30 BST on Friday 5 June: Monday 8, Tuesday 9,
    // Wednesday 10 at 17:00 BST.
    expect(routine('2026-06-04T23:30:00Z')).toBe('2026-06-10T16:00:00.000Z');
  });

  it('follows the settings', () => {
    const custom = { ...settings, routineAckWorkingDays: 1, workingDayEndHour: 16, urgentAckMinutes: 30 };
    expect(acknowledgeBy('routine', at('2026-11-26T10:00:00Z'), custom).toISOString()).toBe(
      '2026-11-27T16:00:00.000Z',
    );
    expect(acknowledgeBy('routine', at('2026-11-26T16:10:00Z'), custom).toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    );
    expect(acknowledgeBy('urgent', at('2026-11-26T10:00:00Z'), custom).toISOString()).toBe(
      '2026-11-26T10:30:00.000Z',
    );
  });

  it('puts escalation steps one step apart from the deadline', () => {
    const deadline = at('2026-11-26T10:15:00Z');
    expect(escalationDueAt(deadline, 1, settings).toISOString()).toBe('2026-11-26T10:15:00.000Z');
    expect(escalationDueAt(deadline, 2, settings).toISOString()).toBe('2026-11-26T10:45:00.000Z');
    expect(escalationDueAt(deadline, 3, settings).toISOString()).toBe('2026-11-26T11:15:00.000Z');
  });
});
