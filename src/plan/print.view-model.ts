/**
 * The print view's data: the plan document laid out as the page shows it. Pure; the PDF
 * (`plan-pdf.ts`) draws the same document, so the two say the same things.
 */
import type { PlanDocument, PlanDocumentMedia, WrittenBy } from './plan-document.ts';
import { GOAL_PROGRESS_WORDS } from './plan-entry.ts';
import type { FieldKind } from './plan-template.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';

export type PrintEntry =
  | { kind: 'text'; text: string; note: string | undefined }
  | { kind: 'list_item'; text: string; note: string | undefined }
  | {
      kind: 'goal';
      goal: string;
      progress: string;
      steps: { text: string; done: boolean }[];
      note: string | undefined;
    }
  | { kind: 'block'; name: string; parts: { label: string; value: string }[]; note: string | undefined };

export interface PrintField {
  key: string;
  label: string;
  hint: string | undefined;
  kind: FieldKind;
  entries: PrintEntry[];
  /** Ruled lines to leave for handwriting when nothing is written. */
  blankLines: number;
}

export interface PrintMedia {
  kind: 'drawing' | 'photo' | 'voice';
  src: string;
  alt: string;
  caption: string;
  width: number | null;
  height: number | null;
  note: string | undefined;
}

export interface PrintSection {
  key: string;
  title: string;
  purpose: string;
  prompts: string[];
  fields: PrintField[];
  media: PrintMedia[];
}

export interface PrintView {
  title: string;
  introduction: string;
  printedOn: string;
  sections: PrintSection[];
  crisisContacts: PlanDocument['crisisContacts'];
}

export const onYourBehalf = (writtenBy: WrittenBy) =>
  writtenBy.kind === 'worker' ? `Written by ${writtenBy.name} on your behalf` : undefined;

const BLANK_LINES: Record<FieldKind, number> = { text: 6, list: 5, goals: 5, supporters: 4, services: 4 };

function printMedia(media: PlanDocumentMedia, base: string): PrintMedia {
  const caption = media.description.trim();
  return {
    kind: media.kind,
    src: `${base}/media/${media.mediaId}`,
    alt: caption || (media.kind === 'drawing' ? 'Drawing' : media.kind === 'photo' ? 'Photo' : 'Voice note'),
    caption,
    width: media.width,
    height: media.height,
    note: onYourBehalf(media.writtenBy),
  };
}

/** `base` is where this reader's plan pages live (`/me/plan` or a participant's). */
export function printView(doc: PlanDocument, base: string): PrintView {
  return {
    title: doc.title,
    introduction: doc.introduction,
    printedOn: formatDate(doc.generatedAt),
    crisisContacts: doc.crisisContacts,
    sections: doc.sections.map((section) => ({
      key: section.key,
      title: section.title,
      purpose: section.purpose,
      prompts: section.prompts,
      fields: section.fields.map((field) => ({
        key: field.key,
        label: field.label,
        hint: field.hint,
        kind: field.kind,
        blankLines: BLANK_LINES[field.kind],
        entries: field.entries.flatMap(({ entry, writtenBy }): PrintEntry[] => {
          const note = onYourBehalf(writtenBy);
          switch (entry.kind) {
            case 'text':
              return entry.content.text.trim() ? [{ kind: 'text', text: entry.content.text, note }] : [];
            case 'list_item':
              return [{ kind: 'list_item', text: entry.content.text, note }];
            case 'goal':
              return [
                {
                  kind: 'goal',
                  goal: entry.content.goal,
                  progress: GOAL_PROGRESS_WORDS[entry.content.progress],
                  steps: entry.content.steps,
                  note,
                },
              ];
            case 'supporter':
              return [
                {
                  kind: 'block',
                  name: entry.content.name,
                  parts: [
                    { label: 'Who they are', value: entry.content.relationship },
                    { label: 'How they help', value: entry.content.howTheyHelp },
                    { label: 'How to reach them', value: entry.content.howToReach },
                  ].filter((p) => p.value.trim() !== ''),
                  note,
                },
              ];
            case 'service':
              return [
                {
                  kind: 'block',
                  name: entry.content.name,
                  parts: [
                    { label: 'What they offer', value: entry.content.whatTheyOffer },
                    { label: 'How to reach them', value: entry.content.howToReach },
                  ].filter((p) => p.value.trim() !== ''),
                  note,
                },
              ];
            case 'media':
              return [];
          }
        }),
      })),
      media: section.media.map((m) => printMedia(m, base)),
    })),
  };
}
