/**
 * The pages and parts both paper plans share (the participant's plan in `plan-pdf.ts`, the
 * blank workbook in `workbook-pdf.ts`): the cover, "If you need help now", a section's start,
 * and a question left blank with room to answer by hand.
 */
import type { FieldKind } from './plan-template.ts';
import { COLOURS, SIZES, type PdfWriter, type Struct } from './pdf-writer.ts';

export const FOOTER = 'My recovery plan';

export interface CrisisContacts {
  crisisTeamName: string;
  crisisTeamPhone: string;
}

export function cover(
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

export function crisisPage(w: PdfWriter, contacts: CrisisContacts | undefined): void {
  w.ensureSpace(360);
  const sect = w.doc.struct('Sect');
  w.root.add(sect);
  w.space(12);
  crisisBox(w, sect, contacts);
  sect.end();
}

export function sectionStart(w: PdfWriter, title: string, purpose: string, prompts: string[]): Struct {
  w.newPage();
  const sect = w.doc.struct('Sect');
  w.root.add(sect);
  w.heading(sect, 2, title, { leaf: true });
  w.block(sect, 'P', purpose, { size: 16, gapAfter: 10 });
  for (const prompt of prompts) w.block(sect, 'P', prompt, { colour: COLOURS.secondary, gapAfter: 6 });
  w.space(14);
  return sect;
}

export function fieldStart(w: PdfWriter, sect: Struct, label: string, hint: string | undefined): void {
  w.heading(sect, 3, label);
  if (hint) w.block(sect, 'P', hint, { colour: COLOURS.secondary, gapAfter: 8 });
}

const blankLines = (kind: 'text' | 'list', generous: boolean) =>
  kind === 'text' ? (generous ? 8 : 5) : generous ? 6 : 4;

/** A question with its hint and room to answer, kept on one page where the answer is lines. */
export function blankQuestion(
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
