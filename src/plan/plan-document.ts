/**
 * A recovery plan as one document, for the print view and the PDF: only the sections the reader
 * may see, in the template's order, each field with its entries and who wrote them. Built by
 * `PlanDocumentsService.document`; laid out by `plan-pdf.ts` and `print.njk`.
 */
import type { EntryContent, MediaKind } from './plan-entry.ts';
import type { FieldKind } from './plan-template.ts';

export interface WrittenBy {
  kind: 'participant' | 'worker';
  /** "you" / the participant's name, or "Pat Jones (peer support worker)". */
  name: string;
}

export interface PlanDocumentEntry {
  id: string;
  entry: EntryContent;
  writtenBy: WrittenBy;
  updatedAt: Date;
}

export interface PlanDocumentField {
  key: string;
  label: string;
  hint: string | undefined;
  kind: FieldKind;
  entries: PlanDocumentEntry[];
}

export interface PlanDocumentMedia {
  id: string;
  mediaId: string;
  kind: MediaKind;
  /** The words that go with it (a caption, or what the drawing shows). */
  description: string;
  contentType: 'image/png' | 'image/jpeg' | 'audio/webm' | 'audio/ogg' | 'audio/mp4';
  width: number | null;
  height: number | null;
  /** Image bytes, for the PDF (voice notes are listed, not embedded). */
  bytes: Buffer | undefined;
  writtenBy: WrittenBy;
  updatedAt: Date;
}

export interface PlanDocumentSection {
  key: string;
  title: string;
  purpose: string;
  prompts: string[];
  fields: PlanDocumentField[];
  media: PlanDocumentMedia[];
}

export interface PlanDocument {
  /** "Sam's recovery plan". */
  title: string;
  ownerName: string;
  introduction: string;
  generatedAt: Date;
  sections: PlanDocumentSection[];
  crisisContacts: { crisisTeamName: string; crisisTeamPhone: string };
}
