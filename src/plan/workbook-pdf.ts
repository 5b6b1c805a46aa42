/**
 * The blank workbook for people who want paper only (the trial's control arm got it by post):
 * every section switched on, with room to write and draw by hand.
 */
import type { PlanTemplate, PlanFieldTemplate } from './plan-template.ts';
import { PdfWriter } from './pdf-writer.ts';
import { blankQuestion, cover, crisisPage, FOOTER, sectionStart } from './pdf-pages.ts';

/** Every section switched on, blank, with room to write and draw; then the information pages. */
export async function renderWorkbookPdf(template: PlanTemplate): Promise<Buffer> {
  const w = new PdfWriter({
    title: `${template.title}: workbook`,
    author: 'Greenleaf',
    subject: 'A personal recovery plan workbook, to fill in by hand',
    footer: FOOTER,
  });
  cover(w, template.title, template.introduction, undefined, undefined);
  for (const section of template.sections.filter((s) => s.enabled)) workbookSection(w, section);
  const used = new Set(template.sections.filter((s) => s.enabled).flatMap((s) => s.info));
  const info = template.info.filter((page) => used.has(page.key));
  if (info.length > 0) {
    w.newPage();
    const sect = w.doc.struct('Sect');
    w.root.add(sect);
    w.heading(sect, 2, 'Information', { leaf: true });
    for (const page of info) {
      w.heading(sect, 3, page.title);
      for (const paragraph of page.paragraphs) w.block(sect, 'P', paragraph, { gapAfter: 10 });
      w.space(10);
    }
    sect.end();
  }
  crisisPage(w, undefined);
  return w.finish();
}

function workbookSection(w: PdfWriter, section: PlanTemplate['sections'][number]): void {
  const sect = sectionStart(w, section.title, section.purpose, section.prompts);
  section.fields.forEach((field: PlanFieldTemplate) => {
    blankQuestion(w, sect, field, true);
    w.space(10);
  });
  w.ensureSpace(230);
  w.heading(sect, 3, 'Draw or stick a photo here');
  w.blankBox(Math.max(160, Math.min(280, w.bottom - w.doc.y - 12)));
  sect.end();
}
