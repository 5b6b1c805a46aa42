import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { staffContext } from '../platform/http/request-context.ts';

export function registerWorkforceRoutes(app: FastifyInstance, { services }: Dependencies): void {
  /** The workforce at a glance, in counts, with the pages behind each. */
  app.get('/workforce', async (request, reply) => {
    const overview = await services.workforceOverview.overview(staffContext(request));
    return reply.render('workforce/overview.njk', {
      pageTitle: 'Workforce',
      contentWidth: 'two-thirds',
      ...overview,
    });
  });
}
