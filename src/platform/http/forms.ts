/**
 * Turning a posted form into a typed value or field errors. Each form's zod schema gives
 * every message in plain English (NHS.UK error message guidance); the first error of each
 * field is shown in the error summary, in the order the fields appear on the page.
 */
import { z } from 'zod';
import type { FieldErrors } from '../errors.ts';

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; partial?: Partial<T> };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('-') : 'form';
    errors[field] ??= issue.message;
  }
  // The fields that were valid, so cross-field checks can still run and show every error at once.
  const partial: Record<string, unknown> = {};
  if (schema instanceof z.ZodObject && body && typeof body === 'object') {
    const shape: Record<string, z.ZodType> = (schema as z.ZodObject<Record<string, z.ZodType>>).shape;
    for (const [key, fieldSchema] of Object.entries(shape)) {
      const field = fieldSchema.safeParse((body as Record<string, unknown>)[key]);
      if (field.success) partial[key] = field.data;
    }
  }
  return { ok: false, errors, partial: partial as Partial<z.infer<S>> };
}

export interface ErrorListItem {
  text: string;
  href: string;
}

/** The error summary's list, ordered as the fields are on the page; `anchors` maps a field to its input id. */
export function errorList(
  errors: FieldErrors,
  fieldOrder: readonly string[],
  anchors: Record<string, string> = {},
): ErrorListItem[] {
  const ordered = [...fieldOrder, ...Object.keys(errors).filter((field) => !fieldOrder.includes(field))];
  return ordered.flatMap((field) => {
    const text = errors[field];
    return text ? [{ text, href: `#${anchors[field] ?? field}` }] : [];
  });
}

/** Single text field: trims, treats blank as missing, caps length (hostile input gets a message, not a 500). */
export const text = (required: string, max = 200, tooLong = `Must be ${max} characters or fewer`) =>
  z
    .string({ error: required })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, required).max(max, tooLong));

export const optionalText = (max = 2000, tooLong = `Must be ${max} characters or fewer`) =>
  z
    .string()
    .optional()
    .transform((value) => value?.trim() ?? '')
    .pipe(z.string().max(max, tooLong))
    .transform((value) => (value === '' ? null : value));

/** Checkboxes post one value as a string and several as an array; none posts nothing. */
export const checkboxes = <const T extends readonly [string, ...string[]]>(options: T, message: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .pipe(z.array(z.enum(options, { error: message })).max(options.length, message));

export const radio = <const T extends readonly [string, ...string[]]>(options: T, message: string) =>
  z.enum(options, { error: message });

/** The hidden one-time token every create form carries, so a resubmission finds the first record. */
export const submissionToken = z.uuid({ error: 'This form has expired. Start again' });

export function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * NHS.UK date input: three boxes posted as `<name>[day]`, `<name>[month]`, `<name>[year]`.
 * Returns the ISO date, or the message to show.
 */
export function parseDateInput(
  body: Record<string, unknown>,
  name: string,
  /** `enter`: shown when all three boxes are empty; `label`: starts the other messages ("Date of birth"). */
  messages: { enter: string; label: string },
):
  | { ok: true; value: string }
  | { ok: false; message: string; raw: { day: string; month: string; year: string } } {
  const read = (part: string) => {
    // The NHS.UK date input names its boxes `<name>[day]`, `<name>[month]`, `<name>[year]`.
    const value = body[`${name}[${part}]`];
    return typeof value === 'string' ? value.trim().slice(0, 10) : '';
  };
  const raw = { day: read('day'), month: read('month'), year: read('year') };
  const { enter, label } = messages;
  if (!raw.day && !raw.month && !raw.year) return { ok: false, message: enter, raw };
  const missing = (['day', 'month', 'year'] as const).filter((part) => !raw[part]);
  if (missing.length > 0)
    return { ok: false, message: `${label} must include a ${missing.join(' and ')}`, raw };
  if (![raw.day, raw.month, raw.year].every((part) => /^\d+$/.test(part)) || raw.year.length !== 4) {
    return { ok: false, message: `${label} must be a real date`, raw };
  }
  const iso = isoDate(Number(raw.year), Number(raw.month), Number(raw.day));
  return iso ? { ok: true, value: iso } : { ok: false, message: `${label} must be a real date`, raw };
}
