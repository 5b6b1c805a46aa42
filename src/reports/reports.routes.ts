/**
 * The service reports: one page, its choices in the query string (a GET form, so it works
 * without JavaScript and a report can be bookmarked or sent to a colleague), and the same
 * figures as a CSV download.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, formStatus, parseQuery } from '../platform/http/form-page.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { formatMonth } from '../platform/calendar/uk-format.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS } from '../equality/equality-fields.ts';
import type { ReportRequest, ReportsService } from './reports.service.ts';
import { funnelChart, waitsChart } from './report-charts.ts';
import type { ServiceReport } from './service-report.ts';
import { reportCsvRows } from './report-csv.ts';
import { toCsv } from '../platform/export/csv.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const reportQuery = z.object({
  team: z.union([z.literal('all'), z.uuid()]).optional(),
  from: z.string().regex(MONTH).optional(),
  to: z.string().regex(MONTH).optional(),
  by: z.enum(['none', ...BREAKDOWN_KEYS]).optional(),
});

const FIELD_ORDER = ['from', 'to'];

/** The report asked for, or what is wrong with the period chosen. */
function requestOf(
  request: FastifyRequest,
  reports: ReportsService,
): { value: ReportRequest; errors: FieldErrors | undefined } {
  const query = parseQuery(request, reportQuery);
  const { months, defaultFrom, defaultTo } = reports.periods();
  const value: ReportRequest = {
    teamId: query.team === undefined || query.team === 'all' ? null : query.team,
    fromMonth: query.from ?? defaultFrom,
    toMonth: query.to ?? defaultTo,
    breakdown: query.by === undefined || query.by === 'none' ? null : (query.by),
  };
  const errors: FieldErrors = {};
  const oldest = months.at(-1) ?? defaultFrom;
  if (!months.includes(value.fromMonth))
    errors.from = `Choose a first month between ${formatMonth(oldest)} and ${formatMonth(defaultTo)}`;
  if (!months.includes(value.toMonth))
    errors.to = `Choose a last month between ${formatMonth(oldest)} and ${formatMonth(defaultTo)}`;
  if (!errors.from && !errors.to && value.fromMonth > value.toMonth)
    errors.to = 'The last month must be the same as or after the first month';
  return { value, errors: Object.keys(errors).length ? errors : undefined };
}

const queryOf = (r: ReportRequest) =>
  new URLSearchParams({
    team: r.teamId ?? 'all',
    from: r.fromMonth,
    to: r.toMonth,
    by: r.breakdown ?? 'none',
  }).toString();

export function registerReportRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { reports } = services;

  app.get('/reports', async (request, reply) => {
    const ctx = staffContext(request);
    const { value, errors } = requestOf(request, reports);
    const { months } = reports.periods();
    const page: { teams: { id: string; name: string }[]; report?: ServiceReport } = errors
      ? await reports.choices(ctx)
      : await reports.report(ctx, value);
    const report = page.report ?? null;
    const monthItems = (chosen: string) =>
      months.map((m) => ({ value: m, text: formatMonth(m), selected: m === chosen }));
    return reply.render(
      'reports/report.njk',
      {
      pageTitle: 'Service report',
      contentWidth: 'full',
      ...errorSummary(errors, FIELD_ORDER, { from: 'from', to: 'to' }),
      ...page,
      chosen: value,
      teamItems: [
        { value: 'all', text: 'All teams', selected: value.teamId === null },
        ...page.teams.map((t) => ({ value: t.id, text: t.name, selected: t.id === value.teamId })),
      ],
      fromItems: monthItems(value.fromMonth),
      toItems: monthItems(value.toMonth),
      breakdownItems: [
        { value: 'none', text: 'No breakdown', selected: value.breakdown === null },
        ...BREAKDOWN_KEYS.map((key) => ({
          value: key,
          text: BREAKDOWNS[key].label,
          selected: key === value.breakdown,
        })),
      ],
      periodText: `${formatMonth(value.fromMonth)} to ${formatMonth(value.toMonth)}`,
      csvHref: `/reports/download?${queryOf(value)}`,
      funnelSvg: report ? funnelChart(report.funnel) : '',
      waitsSvg: report ? waitsChart(report.months, report.allocation.targetWorkingDays) : '',
      },
      formStatus(errors),
    );
  });

  /** The same figures as a spreadsheet; an export, so audited with what was exported. */
  app.get('/reports/download', async (request, reply) => {
    const ctx = staffContext(request);
    const { value, errors } = requestOf(request, reports);
    if (errors) return reply.redirect(`/reports?${queryOf(value)}`, 303);
    const page = await reports.exportReport(ctx, value);
    const name = `greenleaf-service-report-${value.fromMonth}-to-${value.toMonth}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(toCsv(reportCsvRows(page)));
  });
}
