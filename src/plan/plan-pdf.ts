/**
 * The recovery plan on paper: the participant's own plan (`renderPlanPdf`) and the blank
 * workbook for people who want paper only (`renderWorkbookPdf`; the trial's control arm got it
 * by post). Both are tagged, A4, large type with generous white space and the green leaf; every
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
import type { PlanTemplate, PlanFieldTemplate, FieldKind } from './plan-template.ts';
import { COLOURS, PdfTooLongError, PdfWriter, SIZES, type Struct } from './pdf-writer.ts';
import { MEDIA_MAX_HEIGHT, printable } from './print-images.ts';
import { onYourBehalf } from './print.view-model.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';

const FOOTER = 'My recovery plan';

export interface CrisisContacts {
  crisisTeamName: string;
  crisisTeamPhone: string;
}

export { PdfTooLongError };

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

function cover(
  w: PdfWriter,
  title: string,
  introduction: string,
  printedOn: string | undefined,
  contacts: CrisisContacts | undefined,
): void {
  const sect = w.doc.struct('Sect');
  w.root.add(sect);
  w.leaf(w.left + w.width - 120, w.doc.y, 120);
  w.space(150);
  w.block(sect, 'H1', title, { size: 34, bold: true, colour: COLOURS.green, gapAfter: 18 });
  w.block(sect, 'P', introduction, { size: 16, gapAfter: 14 });
  if (printedOn) w.block(sect, 'P', printedOn, { colour: COLOURS.secondary, gapAfter: 14 });
  if (!contacts) {
    w.block(sect, 'P', 'My name', { bold: true, gapAfter: 0 });
    w.ruledLines(1);
  }
  w.space(24);
  crisisBox(w, sect, contacts);
  sect.end();
}

/**
 * "If you need help now": the crisis team, 999, Samaritans, Shout and NHS 111 (as the "Get help
 * now" page lists them), all in a pale green panel.
 */
function crisisBox(w: PdfWriter, parent: Struct, contacts: CrisisContacts | undefined): void {
  const height = contacts ? 270 : 310;
  w.ensureSpace(height + 20);
  const top = w.doc.y;
  w.artifact(() => {
    w.doc.rect(w.left, top, w.width, height).fill(COLOURS.pale);
    w.doc.rect(w.left, top, 8, height).fill(COLOURS.green);
  });
  w.doc.y = top + 16;
  const x = w.left + 26;
  const width = w.width - 44;
  w.block(parent, 'H2', 'If you need help now', { size: SIZES.h3 + 2, bold: true, x, width, gapAfter: 8 });
  const list = w.doc.struct('L');
  parent.add(list);
  const item = (words: string) => {
    list.add(
      w.doc.struct('LI', {}, [
        w.doc.struct('LBody', {}, () => {
          w.words(words, { x, width });
        }),
      ]),
    );
    w.space(6);
  };
  if (contacts) {
    item(`${contacts.crisisTeamName}: ${contacts.crisisTeamPhone}`);
  } else {
    item('My crisis team:');
    w.ruledLines(1, { x, width, gap: 24 });
    item('Their phone number:');
    w.ruledLines(1, { x, width, gap: 24 });
  }
  item('If your life or someone else’s is at risk: call 999 or go to A&E');
  item('Samaritans, free, any time: 116 123');
  item('Shout, free, any time: text SHOUT to 85258');
  item('NHS 111: call 111 and choose option 2 for mental health, 24 hours a day');
  list.end();
  w.doc.y = Math.max(w.doc.y, top + height) + 16;
}

function crisisPage(w: PdfWriter, contacts: CrisisContacts | undefined): void {
  w.ensureSpace(360);
  const sect = w.doc.struct('Sect');
  w.root.add(sect);
  w.space(12);
  crisisBox(w, sect, contacts);
  sect.end();
}

function sectionStart(w: PdfWriter, title: string, purpose: string, prompts: string[]): Struct {
  w.newPage();
  const sect = w.doc.struct('Sect');
  w.root.add(sect);
  w.heading(sect, 2, title, { leaf: true });
  w.block(sect, 'P', purpose, { size: 16, gapAfter: 10 });
  for (const prompt of prompts) w.block(sect, 'P', prompt, { colour: COLOURS.secondary, gapAfter: 6 });
  w.space(14);
  return sect;
}

function fieldStart(w: PdfWriter, sect: Struct, label: string, hint: string | undefined): void {
  w.heading(sect, 3, label);
  if (hint) w.block(sect, 'P', hint, { colour: COLOURS.secondary, gapAfter: 8 });
}

const blankLines = (kind: 'text' | 'list', generous: boolean) =>
  kind === 'text' ? (generous ? 8 : 5) : generous ? 6 : 4;

/** A question with its hint and room to answer, kept on one page where the answer is lines. */
function blankQuestion(
  w: PdfWriter,
  sect: Struct,
  field: { label: string; hint?: string | undefined; kind: FieldKind },
  generous: boolean,
): void {
  if (field.kind === 'text' || field.kind === 'list')
    w.ensureSpace(110 + blankLines(field.kind, generous) * 30);
  // The question stays with its first card.
  if (field.kind === 'supporters' || field.kind === 'services') w.ensureSpace(110 + 3 * 60 + 10);
  fieldStart(w, sect, field.label, field.hint);
  if (!generous) {
    w.block(sect, 'P', 'Nothing written here yet. You can write here by hand.', {
      size: SIZES.small,
      colour: COLOURS.secondary,
      gapAfter: 0,
    });
  }
  blankField(w, sect, field.kind, generous);
}

/** How many blank lines, and what else, a field gets when nothing is written in it. */
function blankField(w: PdfWriter, sect: Struct, kind: FieldKind, generous: boolean): void {
  switch (kind) {
    case 'text':
    case 'list':
      w.ruledLines(blankLines(kind, generous));
      break;
    case 'goals':
      for (let goal = 0; goal < (generous ? 2 : 1); goal++) {
        w.ensureSpace(170);
        w.block(sect, 'P', 'Goal', { size: SIZES.small, colour: COLOURS.secondary, gapAfter: 0 });
        w.ruledLines(1, { gap: 26 });
        w.block(sect, 'P', 'Steps', { size: SIZES.small, colour: COLOURS.secondary, gapAfter: 0 });
        for (let step = 0; step < 3; step++) {
          w.ensureSpace(40);
          w.tickBox(w.left + 22, w.doc.y + 14, false);
          w.ruledLines(1, { x: w.left + 46 });
        }
        w.space(12);
      }
      break;
    case 'supporters':
    case 'services':
      for (let person = 0; person < (generous ? 2 : 1); person++) {
        // A card is kept whole on one page: its three lines, and the space after it.
        w.ensureSpace(3 * 60 + 10);
        for (const label of kind === 'supporters'
          ? ['Name', 'How they help', 'How to reach them']
          : ['Name', 'What they offer', 'How to reach them']) {
          w.block(sect, 'P', label, { size: SIZES.small, colour: COLOURS.secondary, gapAfter: 0 });
          w.ruledLines(1, { gap: 26 });
        }
        w.space(10);
      }
      break;
  }
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
