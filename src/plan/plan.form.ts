/**
 * A posted plan form (or the same fields sent by autosave) → what to save, or field errors.
 * Hostile or malformed input (wrong kinds, missing ids, arrays where one value belongs) is a
 * message, never a 500.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { postedStrings } from '../platform/http/form-page.ts';
import { parseForm } from '../platform/http/forms.ts';
import { CONTENT_SCHEMAS, ENTRY_KINDS, LIMITS, type EntryContent } from './plan-entry.ts';
import { VISIBILITIES, type Visibility } from './plan-template.ts';

export type FormValues = Record<string, string | string[]>;

const uuid = (what: string) =>
  z.uuid({ error: `This form is out of date: ${what} is missing. Go back and try again.` });
const revision = z.coerce.number({ error: 'This form is out of date' }).int().min(0).max(1_000_000);
const fieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'This part of the plan does not exist');

const envelope = z.object({
  entryId: uuid('the entry'),
  saveId: uuid('the save'),
  baseRevision: revision,
  fieldKey,
  kind: z.enum(ENTRY_KINDS, { error: 'This is not the right kind of entry' }),
});

const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;
const many = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export interface ParsedEntry {
  entryId: string;
  saveId: string;
  baseRevision: number;
  fieldKey: string;
  entry: EntryContent;
}

export function parseEntryForm(
  body: unknown,
): { ok: true; value: ParsedEntry } | { ok: false; errors: FieldErrors } {
  const values = postedStrings(body);
  const head = parseForm(envelope, {
    entryId: one(values.entryId),
    saveId: one(values.saveId),
    baseRevision: one(values.baseRevision),
    fieldKey: one(values.fieldKey),
    kind: one(values.kind),
  });
  if (!head.ok)
    return { ok: false, errors: { form: Object.values(head.errors)[0] ?? 'This form is out of date' } };
  const { kind } = head.value;
  const raw = contentFields(kind, values);
  if (!raw.ok) return raw;
  const content = CONTENT_SCHEMAS[kind].safeParse(raw.value);
  if (!content.success) {
    const errors: FieldErrors = {};
    for (const issue of content.error.issues) {
      const [first, index, second] = issue.path.map(String);
      // Goal steps: "steps.2.text" is the third step box.
      const field =
        first === 'steps' && index !== undefined && second ? `stepText-${index}` : (first ?? 'form');
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      entryId: head.value.entryId,
      saveId: head.value.saveId,
      baseRevision: head.value.baseRevision,
      fieldKey: head.value.fieldKey,
      entry: { kind, content: content.data } as EntryContent,
    },
  };
}

function contentFields(
  kind: (typeof ENTRY_KINDS)[number],
  values: FormValues,
): { ok: true; value: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  const pick = (...names: string[]) => Object.fromEntries(names.map((n) => [n, one(values[n]) ?? '']));
  switch (kind) {
    case 'text':
    case 'list_item':
      return { ok: true, value: pick('text') };
    case 'supporter':
      return { ok: true, value: pick('name', 'relationship', 'howTheyHelp', 'howToReach') };
    case 'service':
      return { ok: true, value: pick('name', 'whatTheyOffer', 'howToReach') };
    case 'media':
      return {
        ok: true,
        value: { kind: one(values.mediaKind) ?? '', description: one(values.description) ?? '' },
      };
    case 'goal': {
      const texts = many(values.stepText);
      if (texts.length > LIMITS.steps * 2) return { ok: false, errors: { form: 'Too many steps' } };
      const done = new Set(many(values.stepDone));
      // Blank step boxes are spare room, not steps.
      const steps = texts
        .map((text, index) => ({ text, done: done.has(String(index)) }))
        .filter((step) => step.text.trim() !== '');
      return {
        ok: true,
        value: { goal: one(values.goal) ?? '', progress: one(values.progress) ?? 'not_started', steps },
      };
    }
  }
}

const actionSchema = z.object({
  entryId: uuid('the entry'),
  saveId: uuid('the save'),
  baseRevision: revision,
  revision: revision.optional(),
});

export function parseEntryAction(
  body: unknown,
): { ok: true; value: z.infer<typeof actionSchema> } | { ok: false; message: string } {
  const values = postedStrings(body);
  const result = actionSchema.safeParse({
    entryId: one(values.entryId),
    saveId: one(values.saveId),
    baseRevision: one(values.baseRevision),
    revision: one(values.revision),
  });
  if (!result.success)
    return { ok: false, message: result.error.issues[0]?.message ?? 'This form is out of date' };
  return { ok: true, value: result.data };
}

/** The sharing form: one choice per section, named `visibility-<key>`. */
export function parseSharingForm(body: unknown, sectionKeys: readonly string[]): Record<string, Visibility> {
  const values = postedStrings(body);
  const choices: Record<string, Visibility> = {};
  for (const key of sectionKeys) {
    const value = one(values[`visibility-${key}`]);
    if (value && (VISIBILITIES as readonly string[]).includes(value)) choices[key] = value as Visibility;
  }
  return choices;
}

/** What the person typed, to put back in the form after an error or a conflict. */
export function typedValues(values: FormValues): Record<string, string | string[]> {
  const { _csrf: _token, ...rest } = values;
  return rest;
}
