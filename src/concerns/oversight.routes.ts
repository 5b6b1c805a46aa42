import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, formStatus, parseQuery } from '../platform/http/form-page.ts';
import { staffContext } from '../platform/http/request-context.ts';

/** `?month=YYYY-MM`, checked against the months offered by the service; anything but one value is a 400. */
const overviewQuery = z.object({ month: z.string().optional() });

export function registerOversightRoutes(app: FastifyInstance, { services }: Dependencies): void {
  /** Open concerns across teams, response times, and a month's summary per team (?month=YYYY-MM). */
  app.get('/concerns/overview', async (request, reply) => {
    const ctx = staffContext(request);
    const { month } = parseQuery(request, overviewQuery);
    const overview = await services.oversight.overview(ctx, month);
    // A month that is not offered: this month's overview, with the problem said.
    return reply.render(
      'concerns/oversight.njk',
      {
        pageTitle: 'Concerns across teams',
        contentWidth: 'full',
        ...overview,
        ...errorSummary(overview.errors, ['month']),
      },
      formStatus(overview.errors),
    );
  });
}
