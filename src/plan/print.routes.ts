/**
 * "Print and keep": the plan as one printable page, the same plan as a PDF to download and
 * keep (it stays available after the programme ends), and the blank workbook for people who
 * want paper only (public: the trial's control arm receive it by post, and anyone may print it).
 */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { PLAN_PREFIXES } from './plan.routes.ts';
import { printView } from './print.view-model.ts';

export interface PlanPrintDependencies {
  services: Pick<Dependencies['services'], 'plan'>;
}

// The PDF maker (pdfkit and its fonts, ~40 MB resident) loads on the first download, not at start.
const pdfMaker = () => import('./plan-pdf.ts');

export function registerPlanPrintRoutes(app: FastifyInstance, deps: PlanPrintDependencies): void {
  const plan = deps.services.plan;

  for (const { prefix, audienceOf } of PLAN_PREFIXES) {
    app.get(`${prefix}/print`, async (request, reply) => {
      const audience = audienceOf(request);
      const doc = await plan.document(audience.ctx, audience.participantId, 'print');
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

    app.get(`${prefix}/pdf`, async (request, reply) => {
      const audience = audienceOf(request);
      const { renderPlanPdf } = await pdfMaker();
      const pdf = await renderPlanPdf(await plan.document(audience.ctx, audience.participantId, 'pdf'));
      const filename = audience.kind === 'participant' ? 'my-recovery-plan.pdf' : 'recovery-plan.pdf';
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    });
  }

  // The same for everyone: built once per process, on first request.
  let workbook: Promise<Buffer> | undefined;
  app.get('/plan/workbook.pdf', async (_request, reply) => {
    workbook ??= pdfMaker()
      .then(({ renderWorkbookPdf }) => renderWorkbookPdf(plan.templates.latest))
      .catch((error: unknown) => {
        workbook = undefined;
        throw error;
      });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', 'attachment; filename="recovery-plan-workbook.pdf"')
      .send(await workbook);
  });
}
