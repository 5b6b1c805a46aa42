/**
 * Participants' feedback in aggregate, with small numbers withheld (pure: every rule is tested in
 * `feedback-summary.test.ts`). A team that ends few programmes a month is small enough that a
 * count of 1 could be a person their worker can name, so:
 *
 * - a question fewer than `MINIMUM` people answered shows no counts at all;
 * - an answer chosen by 1 to 4 people shows "fewer than 5", never the number;
 * - when only one answer is withheld, the total would give it away, so the next smallest is
 *   withheld too. If that one is 0 both say "fewer than 5" (true of both). If it is 5 or more,
 *   both say "not shown": labelling them differently would tell a reader which is the small one
 *   and, with the total, often exactly how small (6 answered, "fewer than 5" and a hidden 5-or-more
 *   can only be 1 and 5);
 * - comments only when at least `MINIMUM` were written for the filter, with the month (never the
 *   day) and the team only when that team wrote at least `MINIMUM` of them.
 */
import type { FeedbackQuestions } from './feedback-questions.ts';
import { SMALLEST_SHOWN } from '../reports/suppression.ts';

/** Fewer people than this and a number is not shown: the one threshold of every report. */
export const MINIMUM = SMALLEST_SHOWN;

export type Cell =
  | { kind: 'count'; count: number; percent: number }
  | { kind: 'fewer_than_minimum' }
  /** Withheld only so that a small number cannot be worked out from the total. */
  | { kind: 'not_shown' };

export interface AnswerRow {
  label: string;
  cell: Cell;
}

export type QuestionSummary =
  | { key: string; text: string; withheld: true }
  | { key: string; text: string; withheld: false; answered: number; rows: AnswerRow[] };

/** How many people chose each point of the scale for each question, from the database. */
export interface AnswerCount {
  questionKey: string;
  /** The scale point's value; "Prefer not to answer" is not counted as an answer. */
  value: number;
  people: number;
}

const percentOf = (count: number, of: number) => Math.round((count / of) * 100);

/**
 * The cells of one question's answers, in the order given, with small numbers withheld (see the
 * module comment). `counts` must add up to the people who answered, at least `MINIMUM`.
 */
export function withholdSmallCounts(counts: readonly number[]): Cell[] {
  const answered = counts.reduce((a, b) => a + b, 0);
  const small = counts.map((n) => n > 0 && n < MINIMUM);
  const hidden = new Set(counts.flatMap((_, i) => (small[i] ? [i] : [])));
  let label: Cell['kind'] = 'fewer_than_minimum';
  if (hidden.size === 1) {
    // The next smallest of the others (the first, in scale order, of equals).
    let next: { i: number; n: number } | undefined;
    for (const [i, n] of counts.entries()) {
      if (hidden.has(i)) continue;
      if (!next || n < next.n) next = { i, n };
    }
    if (next) {
      hidden.add(next.i);
      if (next.n >= MINIMUM) label = 'not_shown';
    }
  }
  return counts.map((count, i): Cell => {
    if (!hidden.has(i)) return { kind: 'count', count, percent: percentOf(count, answered) };
    return label === 'not_shown' ? { kind: 'not_shown' } : { kind: 'fewer_than_minimum' };
  });
}

/** Every question's summary, in the order of the questions file. */
export function summariseAnswers(
  questions: FeedbackQuestions,
  counts: readonly AnswerCount[],
): QuestionSummary[] {
  return questions.questions.map((question) => {
    const perPoint = questions.scale.map(
      (point) => counts.find((c) => c.questionKey === question.key && c.value === point.value)?.people ?? 0,
    );
    const answered = perPoint.reduce((a, b) => a + b, 0);
    if (answered < MINIMUM) return { key: question.key, text: question.text, withheld: true };
    const cells = withholdSmallCounts(perPoint);
    return {
      key: question.key,
      text: question.text,
      withheld: false,
      answered,
      rows: questions.scale.map((point, i) => ({
        label: point.label,
        cell: cells[i] ?? { kind: 'not_shown' as const },
      })),
    };
  });
}

export interface ResponseRate {
  /** People who gave feedback, whose programme ended in the period. */
  responses: number;
  /** Programmes that ended in the period: the denominator. */
  ended: number;
  /** Whole per cent; null when no programme ended. */
  percent: number | null;
}

export function responseRate(responses: number, ended: number): ResponseRate {
  return { responses, ended, percent: ended === 0 ? null : percentOf(responses, ended) };
}

export interface WrittenComment {
  text: string;
  /** YYYY-MM-01: the month the programme ended. */
  endedMonth: string;
  crisisTeamId: string;
  crisisTeamName: string;
}

export interface ShownComment {
  text: string;
  /** YYYY-MM. */
  month: string;
  /** Only when that team wrote at least MINIMUM of the comments shown. */
  crisisTeamName: string | null;
}

export type CommentsSummary =
  | { shown: false; reason: 'not_allowed' }
  | { shown: false; reason: 'too_few' }
  | { shown: true; comments: ShownComment[]; total: number };

/** The most comments one page shows: the latest months' first. */
export const COMMENTS_SHOWN = 100;

/**
 * The comments a reader may see: none unless they may read comments at all and at least
 * MINIMUM were written; the latest month first, then by their words, never in the order they
 * were sent; at most `limit`.
 */
export function commentsToShow(
  comments: readonly WrittenComment[],
  mayRead: boolean,
  limit = COMMENTS_SHOWN,
): CommentsSummary {
  if (!mayRead) return { shown: false, reason: 'not_allowed' };
  if (comments.length < MINIMUM) return { shown: false, reason: 'too_few' };
  const perTeam = new Map<string, number>();
  for (const c of comments) perTeam.set(c.crisisTeamId, (perTeam.get(c.crisisTeamId) ?? 0) + 1);
  return {
    shown: true,
    total: comments.length,
    comments: comments
      .map((c) => ({
        text: c.text,
        month: c.endedMonth.slice(0, 7),
        crisisTeamName: (perTeam.get(c.crisisTeamId) ?? 0) >= MINIMUM ? c.crisisTeamName : null,
      }))
      .sort((a, b) => b.month.localeCompare(a.month) || a.text.localeCompare(b.text))
      .slice(0, limit),
  };
}
