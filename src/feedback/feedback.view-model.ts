/** What the feedback report's template shows: months in words, and which tables need a note. */
import { formatMonth } from '../platform/calendar/uk-format.ts';
import type { FeedbackReport } from './feedback.service.ts';
import { MINIMUM } from './feedback-summary.ts';

export function reportView(report: FeedbackReport) {
  const { results } = report;
  return {
    teams: report.teams,
    months: [...report.months].reverse().map((value) => ({ value, text: formatMonth(value) })),
    values: report.values,
    minimum: MINIMUM,
    results: results && {
      ...results,
      fromText: formatMonth(results.from),
      toText: formatMonth(results.to),
      questions: results.questions.map((q) => ({
        ...q,
        hasNotShown: !q.withheld && q.rows.some((row) => row.cell.kind === 'not_shown'),
      })),
      comments: results.comments.shown
        ? {
            ...results.comments,
            comments: results.comments.comments.map((c) => ({ ...c, monthText: formatMonth(c.month) })),
          }
        : results.comments,
    },
  };
}
