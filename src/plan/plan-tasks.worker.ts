/**
 * A worker thread of the plan's pool (plan-tasks.ts): makes PDFs and checks uploads. The PDF
 * maker (pdfkit and its fonts, ~40 MB) loads with the first PDF this worker makes.
 */
import { serveTasks } from '../platform/workers/serve-tasks.ts';
import { processUpload } from './media-processing.ts';
import type { PlanDocument } from './plan-document.ts';
import type { PlanTaskMap } from './plan-tasks.ts';

const pdfMaker = () => import('./plan-pdf.ts');

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Image bytes arrive as Uint8Array; sharp and pdfkit want Buffers. */
function revive(document: PlanDocument): PlanDocument {
  return {
    ...document,
    sections: document.sections.map((section) => ({
      ...section,
      media: section.media.map((m) => (m.bytes ? { ...m, bytes: toBuffer(m.bytes) } : m)),
    })),
  };
}

serveTasks<PlanTaskMap>({
  planPdf: async ({ document, maxPages }) => {
    const { renderPlanPdf, PdfTooLongError } = await pdfMaker();
    try {
      return { ok: true, pdf: await renderPlanPdf(revive(document), { maxPages }) };
    } catch (error) {
      if (error instanceof PdfTooLongError) return { ok: false, maxPages };
      throw error;
    }
  },
  workbookPdf: async ({ template }) => (await pdfMaker()).renderWorkbookPdf(template),
  processUpload: async ({ kind, bytes }) => processUpload(kind, toBuffer(bytes)),
});
