/**
 * The recovery plan on paper: the participant's own plan (`renderPlanPdf`) and the blank
 * workbook for people who want paper only (`renderWorkbookPdf`, in `workbook-pdf.ts`; the trial's
 * control arm got it by post). Both are tagged, A4, large type with generous white space and the green leaf; every
 * empty field gets ruled lines so it can be finished by hand. Pure: document in, bytes out.
 */
import type {
  PlanDocument,
  PlanDocumentField,
  PlanDocumentMedia,
  PlanDocumentSection,
  WrittenBy,
} from './plan-document.ts';
import { GOAL_PROGRESS_WORDS, type GoalContent } from './plan-entry.ts';
import { COLOURS, PdfTooLongError, PdfWriter, SIZES, type Struct } from './pdf-writer.ts';
import { blankQuestion, cover, crisisPage, fieldStart, FOOTER, sectionStart } from './pdf-pages.ts';
import { MEDIA_MAX_HEIGHT, printable } from './print-images.ts';
import { onYourBehalf } from './print.view-model.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';

export { PdfTooLongError };
export { renderWorkbookPdf } from './workbook-pdf.ts';
export type { CrisisContacts } from './pdf-pages.ts';

/**
 * The participant's plan, with everything they (or their worker, for them) have written.
 * Stops with PdfTooLongError past `maxPages`, so a plan cannot make a PDF without end.
 */
export async function renderPlanPdf(
  document: PlanDocument,
  limits: { maxPages?: number } = {},
): Promise<Buffer> {
  const plan: PlanDocument = {
    ...document,
    sections: await Promise.all(
      document.sections.map(async (section) => ({
        ...section,
        media: await Promise.all(
          section.media.map(async (m) => (m.bytes ? { ...m, bytes: await printable(m.bytes) } : m)),
        ),
      })),
    ),
  };
  const w = new PdfWriter({
    title: plan.title,
    author: plan.ownerName,
    subject: 'A personal recovery plan',
    footer: FOOTER,
    maxPages: limits.maxPages,
  });
  cover(w, plan.title, plan.introduction, `Printed on ${formatDate(plan.generatedAt)}`, plan.crisisContacts);
  for (const section of plan.sections) planSection(w, section);
  crisisPage(w, plan.crisisContacts);
  return w.finish();
}

function planSection(w: PdfWriter, section: PlanDocumentSection): void {
  const sect = sectionStart(w, section.title, section.purpose, section.prompts);
  for (const field of section.fields) {
    planField(w, sect, field);
    w.space(12);
  }
  if (section.media.length > 0) {
    const first = section.media[0];
    // Keep the heading with the first picture.
    if (first?.bytes && first.kind !== 'voice') w.ensureSpace(mediaHeight(w, first) + 90);
    w.heading(sect, 3, 'Drawings, photos and voice notes');
    for (const media of section.media) planMedia(w, sect, media);
  }
  sect.end();
}

function writtenFor(w: PdfWriter, sect: Struct, entry: { writtenBy: WrittenBy }): void {
  const note = onYourBehalf(entry.writtenBy);
  if (!note) return;
  w.block(sect, 'P', note, {
    size: SIZES.small,
    colour: COLOURS.secondary,
    gapAfter: 8,
  });
}

function planField(w: PdfWriter, sect: Struct, field: PlanDocumentField): void {
  const entries = field.entries.filter((e) => e.entry.kind !== 'media');
  if (entries.length === 0) {
    blankQuestion(w, sect, field, false);
    return;
  }
  fieldStart(w, sect, field.label, field.hint);
  if (field.kind === 'list') {
    const items = entries.flatMap((e) =>
      e.entry.kind === 'list_item' ? [{ text: e.entry.content.text, note: onYourBehalf(e.writtenBy) }] : [],
    );
    w.list(sect, items);
    return;
  }
  for (const { entry, writtenBy } of entries) {
    const note = onYourBehalf(writtenBy);
    switch (entry.kind) {
      case 'text':
        w.block(sect, 'P', entry.content.text, { gapAfter: 8 });
        writtenFor(w, sect, { writtenBy });
        break;
      case 'list_item':
        w.list(sect, [{ text: entry.content.text, note }]);
        break;
      case 'goal':
        goal(w, sect, entry.content, note);
        break;
      case 'supporter':
        labelledBlock(w, sect, entry.content.name, note, [
          ['Who they are', entry.content.relationship],
          ['How they help', entry.content.howTheyHelp],
          ['How to reach them', entry.content.howToReach],
        ]);
        break;
      case 'service':
        labelledBlock(w, sect, entry.content.name, note, [
          ['What they offer', entry.content.whatTheyOffer],
          ['How to reach them', entry.content.howToReach],
        ]);
        break;
      case 'media':
        break;
    }
  }
}

function goal(w: PdfWriter, sect: Struct, content: GoalContent, note: string | undefined): void {
  const div = w.doc.struct('Div');
  sect.add(div);
  w.block(div, 'P', content.goal, { bold: true, gapAfter: 4 });
  w.block(div, 'P', `How it is going: ${GOAL_PROGRESS_WORDS[content.progress]}`, {
    colour: COLOURS.secondary,
    gapAfter: 6,
  });
  if (content.steps.length > 0) {
    const list = w.doc.struct('L');
    div.add(list);
    for (const step of content.steps) {
      w.ensureSpace(26);
      w.tickBox(w.left + 4, w.doc.y + 2, step.done);
      list.add(
        w.doc.struct('LI', {}, [
          w.doc.struct('LBody', {}, () => {
            w.words(step.done ? `${step.text} (done)` : step.text, { x: w.left + 28 });
          }),
        ]),
      );
      w.space(6);
    }
    list.end();
  }
  if (note) w.block(div, 'P', note, { size: SIZES.small, colour: COLOURS.secondary, gapAfter: 4 });
  div.end();
  w.space(8);
}

/** A supporter or a service: a name, then each thing written, under a small label. */
function labelledBlock(
  w: PdfWriter,
  sect: Struct,
  name: string,
  note: string | undefined,
  parts: [string, string][],
): void {
  const filled = parts.filter(([, value]) => value.trim() !== '');
  w.ensureSpace(40 + filled.length * 44);
  const div = w.doc.struct('Div');
  sect.add(div);
  const top = w.doc.y;
  const page = w.doc.page;
  const x = w.left + 18;
  w.block(div, 'P', name, { bold: true, x, gapAfter: 4 });
  for (const [label, value] of filled) {
    w.block(div, 'P', label, { size: SIZES.small, colour: COLOURS.secondary, x, gapAfter: 0 });
    w.block(div, 'P', value, { x, gapAfter: 6 });
  }
  if (note) w.block(div, 'P', note, { size: SIZES.small, colour: COLOURS.secondary, x, gapAfter: 4 });
  div.end();
  const bottom = w.doc.y;
  // The bar beside the block, when it all fitted on one page.
  if (w.doc.page === page && bottom > top) {
    w.artifact(() => {
      w.doc.rect(w.left, top, 5, bottom - top - 4).fill(COLOURS.green);
    });
  }
  w.space(10);
}

const mediaRatio = (media: PlanDocumentMedia) =>
  media.width && media.height ? media.width / media.height : null;
const mediaHeight = (w: PdfWriter, media: PlanDocumentMedia) => {
  const ratio = mediaRatio(media);
  return Math.min(MEDIA_MAX_HEIGHT, ratio ? w.width / ratio : MEDIA_MAX_HEIGHT);
};

function planMedia(w: PdfWriter, sect: Struct, media: PlanDocumentMedia): void {
  const description = media.description.trim();
  if (media.kind === 'voice' || !media.bytes) {
    w.block(sect, 'P', 'Voice note (listen in the app)', { bold: true, gapAfter: 2 });
    if (description) w.block(sect, 'P', description, { gapAfter: 6 });
  } else {
    const alt = description || (media.kind === 'drawing' ? 'Drawing' : 'Photo');
    const drawn = w.figure(sect, media.bytes, alt, {
      maxHeight: MEDIA_MAX_HEIGHT,
      keepWith: description ? 40 : 0,
    });
    if (!drawn) {
      w.block(sect, 'P', `${media.kind === 'drawing' ? 'Drawing' : 'Photo'} (see it in the app)`, {
        bold: true,
        gapAfter: 2,
      });
    }
    if (description) w.block(sect, 'P', description, { colour: COLOURS.secondary, gapAfter: 6 });
  }
  writtenFor(w, sect, media);
  w.space(10);
}
