import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadFeedbackQuestions, parseFeedbackQuestions } from './feedback-questions.ts';
import {
  commentsToShow,
  MINIMUM,
  responseRate,
  summariseAnswers,
  withholdSmallCounts,
  type AnswerCount,
  type Cell,
  type WrittenComment,
} from './feedback-summary.ts';

const questions = loadFeedbackQuestions();
const shown = (count: number, percent: number): Cell => ({ kind: 'count', count, percent });
const FEWER: Cell = { kind: 'fewer_than_minimum' };
const NOT_SHOWN: Cell = { kind: 'not_shown' };

/** Counts for one question, strongly agree first, as the scale is listed. */
function answers(key: string, perPoint: number[]): AnswerCount[] {
  return perPoint.map((people, i) => ({ questionKey: key, value: 5 - i, people }));
}

describe('the questions file', () => {
  it('asks short questions on a five-point agreement scale, strongly agree first', () => {
    expect(questions.scale.map((s) => s.value)).toEqual([5, 4, 3, 2, 1]);
    expect(questions.questions.map((q) => q.text)).toContain('The sessions helped me after my crisis');
    expect(questions.comment.label).toBe('Is there anything you would like to tell us?');
  });

  it('refuses a question key used twice, naming the problem', () => {
    const twice = { ...questions, questions: [questions.questions[0], questions.questions[0]] };
    expect(() => parseFeedbackQuestions(twice)).toThrow(/a question appears twice/);
  });

  it('refuses a comment longer than the table takes', () => {
    expect(() =>
      parseFeedbackQuestions({ ...questions, comment: { ...questions.comment, maxLength: 5000 } }),
    ).toThrow(/comment\.maxLength/);
  });
});

describe('withholding small numbers in one question', () => {
  it('shows every count and its percentage when none is small', () => {
    expect(withholdSmallCounts([10, 5, 0, 5, 0])).toEqual([
      shown(10, 50),
      shown(5, 25),
      shown(0, 0),
      shown(5, 25),
      shown(0, 0),
    ]);
  });

  it('says "fewer than 5" for counts of 1 to 4, never 0, and hides nothing else when two are small', () => {
    expect(withholdSmallCounts([10, 3, 0, 1, 6])).toEqual([
      shown(10, 50),
      FEWER,
      shown(0, 0),
      FEWER,
      shown(6, 30),
    ]);
  });

  it('withholds the next smallest, a 0, when only one count is small, so the total does not give it away', () => {
    expect(withholdSmallCounts([9, 1, 0, 0, 5])).toEqual([
      shown(9, 60),
      FEWER,
      FEWER,
      shown(0, 0),
      shown(5, 33),
    ]);
  });

  it('says "not shown" for both when the next smallest is 5 or more, so neither can be told apart', () => {
    // 6 answered: a "fewer than 5" beside a hidden 5 would be exactly 1.
    expect(withholdSmallCounts([1, 5])).toEqual([NOT_SHOWN, NOT_SHOWN]);
    expect(withholdSmallCounts([3, 7, 6, 5, 5])).toEqual([
      NOT_SHOWN,
      shown(7, 27),
      shown(6, 23),
      NOT_SHOWN,
      shown(5, 19),
    ]);
  });

  it('never leaves a withheld count that the total and the shown counts give away', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 7 }), (counts) => {
        const cells = withholdSmallCounts(counts);
        const hidden = cells.flatMap((cell, i) => (cell.kind === 'count' ? [] : [i]));
        // Every small count is withheld, and never alone.
        for (const [i, n] of counts.entries()) if (n > 0 && n < MINIMUM) expect(hidden).toContain(i);
        expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
        // What is shown is the truth.
        for (const [i, cell] of cells.entries())
          if (cell.kind === 'count') expect(cell.count).toBe(counts[i]);
        // "fewer than 5" is only ever said of a number under 5.
        for (const [i, cell] of cells.entries())
          if (cell.kind === 'fewer_than_minimum') expect(counts[i]).toBeLessThan(MINIMUM);
      }),
    );
  });
});

describe('a question’s summary', () => {
  it('is withheld whole when fewer than 5 people answered it', () => {
    const [first] = summariseAnswers(questions, answers('sessions_helped', [2, 2, 0, 0, 0]));
    expect(first).toEqual({
      key: 'sessions_helped',
      text: 'The sessions helped me after my crisis',
      withheld: true,
    });
  });

  it('gives each answer’s count and percentage of the people who answered', () => {
    const [first] = summariseAnswers(questions, answers('sessions_helped', [20, 12, 5, 0, 0]));
    expect(first).toMatchObject({ withheld: false, answered: 37 });
    expect(first?.withheld === false && first.rows[0]).toEqual({
      label: 'Strongly agree',
      cell: shown(20, 54),
    });
  });

  it('ignores answers to questions the file no longer asks', () => {
    const summaries = summariseAnswers(questions, answers('a_retired_question', [9, 9, 9, 9, 9]));
    expect(summaries.every((s) => s.withheld)).toBe(true);
  });
});

describe('the response rate', () => {
  it('gives responses of the programmes ended, with no percentage of nothing', () => {
    expect(responseRate(7, 12)).toEqual({ responses: 7, ended: 12, percent: 58 });
    expect(responseRate(0, 0)).toEqual({ responses: 0, ended: 0, percent: null });
  });
});

describe('comments', () => {
  const comment = (text: string, team: 'north' | 'south', month = '2026-10-01'): WrittenComment => ({
    text,
    endedMonth: month,
    crisisTeamId: team,
    crisisTeamName: team === 'north' ? 'North' : 'South',
  });
  const five = ['e', 'd', 'c', 'b', 'a'].map((text) => comment(text, 'north'));

  it('are shown only to those who may read them', () => {
    expect(commentsToShow(five, false)).toEqual({ shown: false, reason: 'not_allowed' });
  });

  it('are withheld when fewer than 5 were written', () => {
    expect(commentsToShow(five.slice(1), true)).toEqual({ shown: false, reason: 'too_few' });
  });

  it('show the month only, the latest first and then by words (never the order they were sent)', () => {
    const summary = commentsToShow([comment('z later', 'north', '2026-11-01'), ...five], true);
    expect(summary.shown && summary.comments.map((c) => [c.month, c.text])).toEqual([
      ['2026-11', 'z later'],
      ['2026-10', 'a'],
      ['2026-10', 'b'],
      ['2026-10', 'c'],
      ['2026-10', 'd'],
      ['2026-10', 'e'],
    ]);
  });

  it('show at most a page of them, and say how many there are', () => {
    const summary = commentsToShow(five, true, 3);
    expect(summary.shown && [summary.comments.length, summary.total]).toEqual([3, 5]);
  });

  it('name a team only when that team wrote at least 5 of them', () => {
    const summary = commentsToShow([...five, comment('from the south', 'south')], true);
    expect(summary.shown && summary.comments.map((c) => [c.text, c.crisisTeamName])).toEqual([
      ['a', 'North'],
      ['b', 'North'],
      ['c', 'North'],
      ['d', 'North'],
      ['e', 'North'],
      ['from the south', null],
    ]);
  });
});
