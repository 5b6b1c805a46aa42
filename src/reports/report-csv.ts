/**
 * The service report as rows of a spreadsheet: one row per figure, with what it is out of, and
 * the breakdown's cells with small numbers withheld as they are on the page. Made into CSV by
 * `platform/export/csv.ts`, which neutralises anything a spreadsheet would run as a formula.
 */
import type { ReportPage } from './reports.service.ts';
import type { Figure } from './service-report.ts';
import type { Cell } from './suppression.ts';

type Row = (string | number | null)[];

/** A small number, or one it could be worked out from (which may be larger): never said which. */
const WITHHELD = 'not shown (small numbers)';

export function reportCsvRows(page: ReportPage): Row[] {
  const { report, workforce, request } = page;
  const scope = page.teamName ?? 'All teams';
  const figureRow = (section: string, f: Figure): Row => [section, f.label, '', f.n, f.d, f.percent];
  const rows: Row[] = [
    ['Service report', scope, `${request.fromMonth} to ${request.toMonth}`, '', '', ''],
    ['Section', 'Figure', 'Group', 'Number', 'Out of', 'Percent'],
    ['Referrals', 'Referred in the period', '', report.referrals, '', null],
    figureRow('Waits', report.allocation.allocated),
    figureRow('Waits', report.allocation.withinTarget),
    ['Waits', 'Median working days from referral to a worker', '', report.allocation.medianWorkingDays, report.allocation.allocated.n, null],
    figureRow('Waits', report.allocation.stillWaiting),
    ...report.funnel.slice(1).map((f) => figureRow('Engagement', f)),
    ['First session', 'Median days from discharge to the first session', '', report.firstSession.medianDays, report.firstSession.n, null],
    figureRow('First session', report.firstSession.withinTarget),
    ['Sessions', 'Median sessions attended (of those with at least 1)', '', report.sessions.median, report.sessions.engaged, null],
    ...report.sessions.bands.map((f) => figureRow('Sessions', f)),
    ...report.sections.map((f) => figureRow('Plan sections worked on', f)),
    figureRow('Endings', report.endings.ended),
    ...report.endings.reasons.map((f) => figureRow('Endings', f)),
    ['Safety concerns', 'Raised', '', report.concerns.raised, '', null],
    ...report.concerns.byUrgency.map((f) => figureRow('Safety concerns', f)),
    figureRow('Safety concerns', report.concerns.acknowledgedInTime),
    ['Safety concerns', 'Median minutes to acknowledge', '', report.concerns.medianMinutes, report.concerns.raised, null],
    figureRow('Safety concerns', report.concerns.participantsWithConcern),
    figureRow('Workforce today', workforce.trainingCurrent),
    figureRow('Workforce today', workforce.supervisionUpToDate),
    ...report.equalityRecorded.map((f) => figureRow('Equality monitoring answered', f)),
  ];
  const breakdown = report.breakdown;
  if (breakdown) {
    const cell = (c: Cell | undefined): [string | number, string | number, number | null] =>
      !c || c.withheld ? [WITHHELD, '', null] : [c.n, c.d, c.percent];
    for (const row of breakdown.rows) {
      rows.push([`By ${breakdown.label.toLowerCase()}`, 'Referred', row.group, ...cell(row.size).slice(0, 1), '', null]);
      breakdown.measures.forEach((measure, i) => {
        rows.push([`By ${breakdown.label.toLowerCase()}`, measure, row.group, ...cell(row.cells[i])]);
      });
    }
  }
  return rows;
}
