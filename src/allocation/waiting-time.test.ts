import { describe, expect, it } from 'vitest';
import { waitingTime } from './waiting-time.ts';

describe('waiting for a worker', () => {
  it('counts working days and is overdue only after the target', () => {
    // Asked on Thursday 19 November 2026: 20, 23, 24, 25, 26 = 5 working days by Thursday 26th.
    const asked = new Date('2026-11-19T11:00:00Z');
    expect(waitingTime(asked, new Date('2026-11-26T10:00:00Z'), 5)).toEqual({
      workingDaysWaiting: 5,
      dueBy: '2026-11-26',
      overdue: false,
    });
    expect(waitingTime(asked, new Date('2026-11-27T10:00:00Z'), 5).overdue).toBe(true);
    expect(waitingTime(asked, new Date('2026-11-27T10:00:00Z'), 6).overdue).toBe(false);
  });

  it('does not count the Christmas bank holidays', () => {
    const asked = new Date('2026-12-23T16:00:00Z');
    const status = waitingTime(asked, new Date('2027-01-04T09:00:00Z'), 5);
    expect(status).toEqual({ workingDaysWaiting: 5, dueBy: '2027-01-04', overdue: false });
  });
});
