/**
 * "Print and keep": the plan as one printable page, the same plan as a PDF to download and
 * keep (it stays available after the programme ends), and the blank workbook for people who
 * want paper only (public: the trial's control arm receive it by post, and anyone may print it).
 * Both PDFs are made on the worker pool (plan-pdf.service.ts), never on the event loop.
 */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { PLAN_PREFIXES } from './plan.routes.ts';
import { printView } from './print.view-model.ts';

export interface PlanPrintDependencies {
  services: Pick<Dependencies['services'], 'planDocuments' | 'planPdf'>;
}

export function registerPlanPrintRoutes(app: FastifyInstance, deps: PlanPrintDependencies): void {
  const { planDocuments, planPdf } = deps.services;

  for (const { prefix, audienceOf } of PLAN_PREFIXES) {
    app.get(`${prefix}/print`, async (request, reply) => {
      const audience = audienceOf(request);
      const doc = await planDocuments.document(audience.ctx, audience.participantId, 'print');
      return reply.render('plan/print.njk', {
        pageTitle: `Print: ${doc.title}`,
        contentWidth: 'two-thirds',
        backLinkHref: audience.base,
        base: audience.base,
        audience: audience.kind,
        plan: printView(doc, audience.base),
        planScript: true,
      });
    });

    // Made on a worker thread; a long plan answers "being prepared" rather than keep the request.
    app.get(`${prefix}/pdf`, async (request, reply) => {
      const audience = audienceOf(request);
      const answer = await planPdf.planPdf(audience.ctx, audience.participantId);
      if (answer.status === 'ready') {
        const filename = audience.kind === 'participant' ? 'my-recovery-plan.pdf' : 'recovery-plan.pdf';
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .header('cache-control', 'private, no-store')
          .send(answer.pdf);
      }
      const yours = audience.kind === 'participant';
      const view = { backLinkHref: audience.base, base: audience.base, yours, state: answer.status };
      switch (answer.status) {
        case 'preparing':
          return reply.render(
            'plan/pdf-status.njk',
            { ...view, pageTitle: `${yours ? 'Your' : 'The'} PDF is being prepared` },
            202,
          );
        case 'busy':
          reply.header('retry-after', '60');
          return reply.render(
            'plan/pdf-status.njk',
            { ...view, pageTitle: `Sorry, we cannot make ${yours ? 'your' : 'the'} PDF right now` },
            503,
          );
        case 'too_long':
          return reply.render(
            'plan/pdf-status.njk',
            {
              ...view,
              maxPages: answer.maxPages,
              pageTitle: `${yours ? 'Your' : 'This'} plan is too long for one PDF`,
            },
            422,
          );
      }
    });
  }

  app.get('/plan/workbook.pdf', async (_request, reply) =>
    reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', 'attachment; filename="recovery-plan-workbook.pdf"')
      .send(await planPdf.workbookPdf()),
  );
}
