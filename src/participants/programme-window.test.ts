import { describe, expect, it } from 'vitest';
import { ageOn, programmeWindow } from './programme-window.ts';

describe('programme window', () => {
  it('ends three calendar months after discharge by default', () => {
    const window = programmeWindow('2026-09-10', '2026-11-26', 3);
    expect(window.windowEndsOn).toBe('2026-12-10');
    expect(window.daysLeft).toBe(14);
    expect(window.weeksSinceDischarge).toBe(11);
  });

  it('says discharge was today, or this week, never "0 weeks ago"', () => {
    expect(programmeWindow('2026-11-26', '2026-11-26', 3).dischargedWhen).toBe('today');
    expect(programmeWindow('2026-11-25', '2026-11-26', 3).dischargedWhen).toBe('this week');
    expect(programmeWindow('2026-11-20', '2026-11-26', 3).dischargedWhen).toBe('this week');
    expect(programmeWindow('2026-11-19', '2026-11-26', 3).dischargedWhen).toBe('1 week ago');
    expect(programmeWindow('2026-09-10', '2026-11-26', 3).dischargedWhen).toBe('11 weeks ago');
  });

  it('can be set to four months, as in the trial registry', () => {
    expect(programmeWindow('2026-09-10', '2026-11-26', 4).windowEndsOn).toBe('2027-01-10');
  });

  it('never shows negative days once the window has passed', () => {
    expect(programmeWindow('2026-01-01', '2026-11-26', 3).daysLeft).toBe(0);
  });

  it('clamps to the end of a shorter month', () => {
    expect(programmeWindow('2026-11-30', '2026-11-30', 3).windowEndsOn).toBe('2027-02-28');
    expect(programmeWindow('2027-11-30', '2027-11-30', 3).windowEndsOn).toBe('2028-02-29');
  });

  it('counts age in whole years, birthday included', () => {
    expect(ageOn('2008-11-26', '2026-11-26')).toBe(18);
    expect(ageOn('2008-11-27', '2026-11-26')).toBe(17);
  });
});
