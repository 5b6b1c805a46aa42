import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';

export function registerCaseloadRoutes(app: FastifyInstance, { services }: Dependencies): void {
  app.get('/caseload', async (request, reply) => {
    const ctx = staffContext(request);
    const caseload = await services.caseload.caseload(ctx, ctx.actor.id);
    return reply.render('caseload/caseload.njk', { pageTitle: 'My caseload', caseload, own: true });
  });

  app.get('/caseloads', async (request, reply) => {
    const ctx = staffContext(request);
    const overview = await services.caseload.overview(ctx);
    return reply.render('caseload/overview.njk', {
      pageTitle: 'Caseloads',
      contentWidth: 'full',
      ...overview,
    });
  });

  app.get('/caseloads/:workerId', async (request, reply) => {
    const ctx = staffContext(request);
    const caseload = await services.caseload.caseload(ctx, idParam(request.params, 'workerId'));
    return reply.render('caseload/caseload.njk', {
      pageTitle: `Caseload of ${caseload.worker.fullName}`,
      caseload,
      own: false,
      backLinkHref: '/caseloads',
    });
  });
}
