import { describe, expect, it } from 'vitest';
import { programmeProgress } from './programme-progress.ts';

const base = {
  dischargedOn: '2026-09-01',
  sessionCap: 10,
  windowMonths: 3,
  windowClosingDays: 14,
};

describe('where a participant is in their programme', () => {
  it('counts sessions had and left, and plans the end 3 months after discharge', () => {
    const progress = programmeProgress({ ...base, today: '2026-09-20', sessionsAttended: 2 });
    expect(progress).toEqual({
      sessionsSoFar: 2,
      sessionCap: 10,
      sessionsLeft: 8,
      plannedEndOn: '2026-12-01',
      plannedEndPassed: false,
      stage: 'under_way',
    });
  });

  it('is ending soon from 14 days before the planned end, not the day before that', () => {
    expect(programmeProgress({ ...base, today: '2026-11-16', sessionsAttended: 3 }).stage).toBe('under_way');
    expect(programmeProgress({ ...base, today: '2026-11-17', sessionsAttended: 3 }).stage).toBe('ending_soon');
  });

  it('is ending soon with two sessions left, not three', () => {
    expect(programmeProgress({ ...base, today: '2026-09-20', sessionsAttended: 7 }).stage).toBe('under_way');
    expect(programmeProgress({ ...base, today: '2026-09-20', sessionsAttended: 8 }).stage).toBe('ending_soon');
  });

  it('is past its planned end on the end date, or once every session has been had', () => {
    expect(programmeProgress({ ...base, today: '2026-11-30', sessionsAttended: 9 }).stage).toBe('ending_soon');
    const past = programmeProgress({ ...base, today: '2026-12-01', sessionsAttended: 9 });
    expect(past.stage).toBe('past_planned_end');
    expect(past.sessionsLeft).toBe(1);
    expect(past.plannedEndPassed).toBe(true);
    const used = programmeProgress({ ...base, today: '2026-09-20', sessionsAttended: 11 });
    expect(used.stage).toBe('past_planned_end');
    expect(used.sessionsLeft).toBe(0);
    expect(used.plannedEndPassed).toBe(false);
  });
});
