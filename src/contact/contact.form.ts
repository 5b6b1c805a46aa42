/**
 * "Record a contact attempt": how the worker tried to reach the participant, what happened,
 * when (a UK date and time, not in the future) and an optional note. Hostile input gets
 * messages, never an exception.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type FormValuesOptions } from '../platform/http/form-page.ts';
import { optionalText, parseDateInput, parseForm, radio, submissionToken } from '../platform/http/forms.ts';
import { parseTime } from '../sessions/session.form.ts';
import type { ContactMethod, ContactOutcome } from './contact-attempt.repository.ts';

export const METHODS = [
  'phone',
  'text',
  'email',
  'letter',
  'visit',
  'via_care_team',
] as const satisfies readonly ContactMethod[];
export const OUTCOMES = [
  'spoke',
  'reply_received',
  'message_left',
  'no_answer',
  'wrong_number',
  'moved_away',
  'letter_returned',
  'other',
] as const satisfies readonly ContactOutcome[];

export const NOTE_MAX = 1000;

export interface ContactAttemptInput {
  submissionToken: string;
  method: ContactMethod;
  outcome: ContactOutcome;
  /** The UK calendar date and time the attempt was made, as typed. */
  madeOn: string;
  madeTime: { hour: number; minute: number };
  note: string | null;
}

export const FIELD_ORDER = ['method', 'outcome', 'madeOn', 'madeTime', 'note'] as const;
export const ANCHORS: Record<string, string> = {
  method: 'method',
  outcome: 'outcome',
  madeOn: 'madeOn-day',
};
/** Every name the form posts (the date as its three boxes), for tests that feed it junk. */
export const POSTED_FIELDS = [
  'submissionToken',
  'method',
  'outcome',
  'madeOn[day]',
  'madeOn[month]',
  'madeOn[year]',
  'madeTime',
  'note',
] as const;

/** What is shown again in the boxes when the form comes back with errors. */
export const VALUES: FormValuesOptions = { fields: POSTED_FIELDS, maxLength: NOTE_MAX + 100 };

const schema = z.object({
  submissionToken,
  method: radio(METHODS, 'Select how you tried to contact them'),
  outcome: radio(OUTCOMES, 'Select what happened'),
  note: optionalText(NOTE_MAX, `Note must be ${String(NOTE_MAX)} characters or fewer`),
});

export function parseContactAttemptForm(
  body: unknown,
): { ok: true; value: ContactAttemptInput } | { ok: false; errors: FieldErrors } {
  const record = asRecord(body);
  const parsed = parseForm(schema, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };

  const madeOn = parseDateInput(record, 'madeOn', {
    enter: 'Enter the date you tried to contact them',
    label: 'Date',
  });
  if (!madeOn.ok) errors.madeOn = madeOn.message;

  const madeTime = parseTime(record.madeTime);
  if (!madeTime)
    errors.madeTime =
      typeof record.madeTime === 'string' && record.madeTime.trim() !== ''
        ? 'Enter a real time, using the 24-hour clock, like 14:30'
        : 'Enter the time you tried to contact them';

  const v = parsed.ok ? parsed.value : (parsed.partial ?? {});
  if (v.outcome === 'other' && !v.note && !errors.note) errors.note = 'Enter what happened';

  if (!parsed.ok || !madeOn.ok || !madeTime || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      submissionToken: parsed.value.submissionToken,
      method: parsed.value.method,
      outcome: parsed.value.outcome,
      madeOn: madeOn.value,
      madeTime,
      note: parsed.value.note,
    },
  };
}
