import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, formStatus, parseQuery } from '../platform/http/form-page.ts';
import { pageNumber } from '../platform/http/pages.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';

/** `?month=YYYY-MM`, checked against the months offered by the service; anything but one value is a 400. */
const overviewQuery = z.object({ month: z.string().optional() });

export function registerOversightRoutes(app: FastifyInstance, { services }: Dependencies): void {
  /**
   * What waits to be acknowledged, by team and a page at a time (?page=N), response times, and
   * a month's summary per team (?month=YYYY-MM).
   */
  app.get('/concerns/overview', async (request, reply) => {
    const ctx = staffContext(request);
    const { month } = parseQuery(request, overviewQuery);
    const overview = await services.oversight.overview(ctx, month, pageNumber(request));
    // A month that is not offered: this month's overview, with the problem said.
    return reply.render(
      'concerns/oversight.njk',
      {
        pageTitle: 'Concerns across teams',
        contentWidth: 'full',
        ...overview,
        // The pages of the list keep the month chosen.
        pageQuery: month && !overview.errors ? `month=${overview.month.value}` : undefined,
        ...errorSummary(overview.errors, ['month']),
      },
      formStatus(overview.errors),
    );
  });

  /** One team's list of what waits to be acknowledged, a page at a time. */
  app.get('/concerns/overview/teams/:crisisTeamId', async (request, reply) => {
    const ctx = staffContext(request);
    const crisisTeamId = idParam(request.params, 'crisisTeamId');
    const page = await services.oversight.teamWaiting(ctx, crisisTeamId, pageNumber(request));
    return reply.render('concerns/oversight-team.njk', {
      pageTitle: `Waiting to be acknowledged: ${page.team.name}`,
      contentWidth: 'full',
      backLinkHref: '/concerns/overview',
      ...page,
    });
  });
}
