/**
 * The training forms: a completion (which item, the day, who ran it, a note), a pre-employment
 * check (which, the day, and for a DBS check the day it is renewed by), the coordinator's
 * override (why, until when) and withdrawing a record made in error (why). Hostile input gets
 * messages, never an exception.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type FormValuesOptions, type Parsed } from '../platform/http/form-page.ts';
import { optionalText, parseDateInput, parseForm, submissionToken, text } from '../platform/http/forms.ts';
import { CHECK_KINDS, type TrainingCatalogue } from './training-catalogue.ts';
import type { CheckInput, CompletionInput, OverrideInput } from './training.service.ts';

export const PROVIDER_MAX = 200;
export const NOTE_MAX = 1000;
export const REASON_MAX = 500;

const dateParts = (name: string) => ['day', 'month', 'year'].map((part) => `${name}[${part}]`);
const anchorsFor = (...names: string[]) => Object.fromEntries(names.map((name) => [name, `${name}-day`]));

export const COMPLETION_FIELD_ORDER = ['itemKey', 'completedOn', 'provider', 'note'] as const;
export const COMPLETION_ANCHORS = { ...anchorsFor('completedOn'), itemKey: 'itemKey' };
export const COMPLETION_VALUES: FormValuesOptions = {
  fields: ['submissionToken', 'itemKey', ...dateParts('completedOn'), 'provider', 'note'],
  maxLength: NOTE_MAX + 100,
};

export const CHECK_FIELD_ORDER = ['kind', 'completedOn', 'renewBy', 'note'] as const;
export const CHECK_ANCHORS = { ...anchorsFor('completedOn', 'renewBy'), kind: 'kind' };
export const CHECK_VALUES: FormValuesOptions = {
  fields: ['submissionToken', 'kind', ...dateParts('completedOn'), ...dateParts('renewBy'), 'note'],
  maxLength: NOTE_MAX + 100,
};

export const OVERRIDE_FIELD_ORDER = ['reason', 'untilOn'] as const;
export const OVERRIDE_ANCHORS = anchorsFor('untilOn');
export const OVERRIDE_VALUES: FormValuesOptions = {
  fields: ['reason', ...dateParts('untilOn')],
  maxLength: REASON_MAX + 100,
};

export const WITHDRAW_VALUES: FormValuesOptions = { fields: ['reason'], maxLength: REASON_MAX + 100 };

const completionSchema = (catalogue: TrainingCatalogue) =>
  z.object({
    submissionToken,
    itemKey: z.enum(catalogue.items.map((item) => item.key) as [string, ...string[]], {
      error: 'Select the training they completed',
    }),
    provider: text(
      'Enter who ran the training, such as the course provider or the trust',
      PROVIDER_MAX,
      `Who ran it must be ${String(PROVIDER_MAX)} characters or fewer`,
    ),
    note: optionalText(NOTE_MAX, `The note must be ${String(NOTE_MAX)} characters or fewer`),
  });

/** A date in the past or today, with the field's own words. */
function pastDate(
  fields: Record<string, unknown>,
  name: string,
  label: string,
  today: string,
  errors: FieldErrors,
) {
  const parsed = parseDateInput(fields, name, { enter: `Enter the ${label.toLowerCase()}`, label });
  if (!parsed.ok) {
    errors[name] = parsed.message;
    return undefined;
  }
  if (parsed.value > today) {
    errors[name] = `${label} must be today or in the past`;
    return undefined;
  }
  return parsed.value;
}

export function parseCompletionForm(
  body: unknown,
  catalogue: TrainingCatalogue,
  today: string,
): Parsed<CompletionInput> {
  const fields = asRecord(body);
  const parsed = parseForm(completionSchema(catalogue), fields);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const completedOn = pastDate(fields, 'completedOn', 'Date completed', today, errors);
  if (!parsed.ok || completedOn === undefined) return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, completedOn } };
}

const checkSchema = z.object({
  submissionToken,
  kind: z.enum(CHECK_KINDS, { error: 'Select the check' }),
  note: optionalText(NOTE_MAX, `The note must be ${String(NOTE_MAX)} characters or fewer`),
});

export function parseCheckForm(body: unknown, today: string): Parsed<CheckInput> {
  const fields = asRecord(body);
  const parsed = parseForm(checkSchema, fields);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const completedOn = pastDate(fields, 'completedOn', 'Date of the check', today, errors);
  let renewBy: string | null = null;
  if (parsed.ok && parsed.value.kind === 'dbs') {
    const renewal = parseDateInput(fields, 'renewBy', {
      enter: 'Enter the date the DBS check is to be renewed by',
      label: 'Renewal date',
    });
    if (!renewal.ok) errors.renewBy = renewal.message;
    else if (completedOn !== undefined && renewal.value <= completedOn)
      errors.renewBy = 'Renewal date must be after the date of the check';
    else renewBy = renewal.value;
  }
  if (!parsed.ok || completedOn === undefined || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, completedOn, renewBy } };
}

const reasonSchema = (required: string) =>
  text(required, REASON_MAX, `The reason must be ${String(REASON_MAX)} characters or fewer`);

export function parseOverrideForm(body: unknown): Parsed<OverrideInput> {
  const fields = asRecord(body);
  const errors: FieldErrors = {};
  const reason = reasonSchema(
    'Enter why they may take participants before their training and checks are complete',
  ).safeParse(fields.reason);
  if (!reason.success) errors.reason = reason.error.issues[0]?.message ?? 'Enter the reason';
  const until = parseDateInput(fields, 'untilOn', { enter: 'Enter the date it ends', label: 'Date it ends' });
  if (!until.ok) errors.untilOn = until.message;
  if (!reason.success || !until.ok) return { ok: false, errors };
  return { ok: true, value: { reason: reason.data, untilOn: until.value } };
}

export function parseWithdrawForm(body: unknown): Parsed<{ reason: string }> {
  const reason = reasonSchema('Enter why this record is wrong').safeParse(asRecord(body).reason);
  if (!reason.success)
    return { ok: false, errors: { reason: reason.error.issues[0]?.message ?? 'Enter the reason' } };
  return { ok: true, value: { reason: reason.data } };
}
