import { describe, expect, it } from 'vitest';
import { fromUkWallClock } from '../platform/calendar/uk-time.ts';
import { loadInstruments } from './instruments.ts';
import {
  followUpState,
  loadFollowUpSchedule,
  parseFollowUpSchedule,
  windowOf,
} from './follow-up-schedule.ts';

const instruments = loadInstruments();
const schedule = loadFollowUpSchedule(instruments);
const [month4, month18] = schedule.timePoints;

describe('the follow-up schedule', () => {
  it('has 4- and 18-month time points asking the demo instrument', () => {
    expect(schedule.timePoints.map((t) => t.monthsAfterRandomisation)).toEqual([4, 18]);
    expect(month4?.asked.map((i) => i.title)).toEqual(['How you have been']);
  });

  it('works out windows in UK calendar dates, late-evening randomisations on their UK day', () => {
    // 23:30 in London on 31 July (BST) is 22:30 UTC the same day; 00:30 on 1 August BST is 31 July UTC.
    expect(windowOf(month4!, fromUkWallClock('2026-08-01', 0, 30))).toEqual({
      target: '2026-12-01',
      opens: '2026-11-17',
      closes: '2027-01-12',
    });
    // 31 October + 4 months clamps to the end of February.
    expect(windowOf(month4!, fromUkWallClock('2026-10-31', 12, 0)).target).toBe('2027-02-28');
    expect(windowOf(month18!, fromUkWallClock('2026-01-15', 9, 0))).toEqual({
      target: '2027-07-15',
      opens: '2027-06-17',
      closes: '2027-09-09',
    });
  });

  it('refuses a schedule naming an instrument that is not loaded, or a time point twice', () => {
    const point = {
      key: 'month_4',
      title: '4 months',
      monthsAfterRandomisation: 4,
      opensWeeksBefore: 2,
      closesWeeksAfter: 6,
    };
    expect(() =>
      parseFollowUpSchedule(
        { timePoints: [{ ...point, instruments: ['https://example.org/Questionnaire/x|1'] }] },
        instruments,
      ),
    ).toThrow(/asks https:\/\/example.org\/Questionnaire\/x\|1/);
    const asks = [...instruments.keys()];
    expect(() =>
      parseFollowUpSchedule(
        {
          timePoints: [
            { ...point, instruments: asks },
            { ...point, instruments: asks },
          ],
        },
        instruments,
      ),
    ).toThrow(/"month_4" appears twice/);
  });
});

describe('where a follow-up stands', () => {
  const window = { target: '2027-03-01', opens: '2027-02-15', closes: '2027-04-12' };
  const at = (today: string, over: Partial<Parameters<typeof followUpState>[0]> = {}) =>
    followUpState({ window, today, recorded: null, withdrawnFromFollowUp: false, ...over });

  it('is upcoming before its window, due while open (both ends counted), overdue after', () => {
    expect(at('2027-02-14')).toBe('upcoming');
    expect(at('2027-02-15')).toBe('due');
    expect(at('2027-04-12')).toBe('due');
    expect(at('2027-04-13')).toBe('overdue');
  });

  it('is never due or overdue for someone withdrawn from follow-up, but keeps what was recorded', () => {
    expect(at('2027-03-01', { withdrawnFromFollowUp: true })).toBe('withdrawn');
    expect(at('2027-05-01', { withdrawnFromFollowUp: true })).toBe('withdrawn');
    expect(at('2027-05-01', { withdrawnFromFollowUp: true, recorded: 'done' })).toBe('done');
    expect(at('2027-05-01', { recorded: 'not_done' })).toBe('not_done');
  });
});
