/**
 * The section page's forms: one per entry and one to add another, each knowing what to show
 * (what was saved, or what the person typed when their save came back with an error).
 */
import { randomUUID } from 'node:crypto';
import type { FieldErrors } from '../platform/errors.ts';
import { LIMITS, type GoalContent } from './plan-entry.ts';
import type { FormValues } from './plan.form.ts';
import type { EntryView, FieldView, SectionPage } from './plan-reading.service.ts';

export interface EntryForm {
  base: string;
  sectionKey: string;
  csrf: string;
  field: FieldView;
  entry: EntryView | undefined;
  entryId: string;
  saveId: string;
  removeSaveId: string;
  revision: number;
  values: Record<string, unknown>;
  errors: FieldErrors;
  audience: 'participant' | 'staff';
  limits: typeof LIMITS;
  /** Just saved (the page came back from a save without JavaScript). */
  saved: boolean;
}

export interface FieldForms {
  field: FieldView;
  forms: EntryForm[];
  /** The form to add another (list, goals, people, services), when the reader may write. */
  add: EntryForm | undefined;
}

export interface FailedSave {
  entryId: string;
  errors: FieldErrors;
  values: FormValues;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** What the person typed, in the shape the form shows. */
export function typedForm(values: FormValues): Record<string, unknown> {
  const texts =
    values.stepText === undefined ? [] : Array.isArray(values.stepText) ? values.stepText : [values.stepText];
  const done = new Set(values.stepDone === undefined ? [] : ([] as string[]).concat(values.stepDone));
  const shown: Record<string, unknown> = {};
  for (const key of [
    'text',
    'goal',
    'progress',
    'name',
    'relationship',
    'howTheyHelp',
    'howToReach',
    'whatTheyOffer',
  ]) {
    shown[key] = one(values[key]);
  }
  shown.steps = texts
    .map((text, index) => ({ text, done: done.has(String(index)) }))
    .filter((step) => step.text.trim() !== '');
  return shown;
}

function savedValues(entry: EntryView): Record<string, unknown> {
  const content = entry.entry.content as Record<string, unknown>;
  if (entry.entry.kind === 'goal') {
    const goal = content as GoalContent;
    return { ...goal, steps: goal.steps };
  }
  return { ...content };
}

export function fieldForms(
  page: SectionPage,
  base: string,
  csrf: string,
  failed?: FailedSave,
  savedEntryId?: string,
): FieldForms[] {
  const form = (
    field: FieldView,
    entry: EntryView | undefined,
    entryId: string,
    saveId: string,
  ): EntryForm => {
    const mine = failed?.entryId === entryId;
    return {
      base,
      sectionKey: page.section.key,
      csrf,
      field,
      entry,
      entryId,
      saveId: mine ? randomUUID() : saveId,
      removeSaveId: randomUUID(),
      revision: entry?.revision ?? 0,
      values: mine ? typedForm(failed.values) : entry ? savedValues(entry) : { steps: [] },
      errors: mine ? failed.errors : {},
      audience: page.audience,
      limits: LIMITS,
      saved: entry !== undefined && entry.id === savedEntryId,
    };
  };
  return page.fields.map((field) => {
    // A new entry whose save failed keeps its id, so its error shows in its own form.
    const failedNew =
      failed &&
      one(failed.values.fieldKey) === field.key &&
      !field.entries.some((e) => e.id === failed.entryId)
        ? failed.entryId
        : undefined;
    const newId = failedNew ?? field.newEntryId;
    if (field.single) {
      const entry = field.entries[0];
      return { field, forms: [form(field, entry, entry?.id ?? newId, field.newSaveId)], add: undefined };
    }
    return {
      field,
      forms: field.entries.map((entry) => form(field, entry, entry.id, randomUUID())),
      add: page.canWrite ? form(field, undefined, newId, field.newSaveId) : undefined,
    };
  });
}
