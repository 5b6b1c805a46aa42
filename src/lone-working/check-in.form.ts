/**
 * "Check in before a lone visit": where (required), which of their participants it is with
 * (optional), and the time they expect to finish, in UK time, after now and within
 * MAX_VISIT_HOURS: a time earlier than now is tomorrow's, for a visit that ends after midnight. Hostile input gets messages, never an exception.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type FormValuesOptions } from '../platform/http/form-page.ts';
import { parseForm, submissionToken, text } from '../platform/http/forms.ts';
import { parseTime } from '../sessions/session.form.ts';
import { addDays, fromUkWallClock, ukToday } from '../platform/calendar/uk-time.ts';

export const PLACE_MAX = 300;
export const NOTE_MAX = 1000;
export const MAX_VISIT_HOURS = 12;
export const FIELD_ORDER = ['place', 'participantId', 'expectedEnd'] as const;
export const POSTED_FIELDS = ['submissionToken', 'place', 'participantId', 'expectedEnd'] as const;

export interface CheckInInput {
  submissionToken: string;
  place: string;
  /** One of the worker's participants, or null; checked against their caseload by the service. */
  participantId: string | null;
  expectedEndAt: Date;
}

/** What is shown again in the boxes when the form comes back with errors. */
export const VALUES: FormValuesOptions = { fields: POSTED_FIELDS, maxLength: PLACE_MAX + 100 };

const schema = z.object({
  submissionToken,
  place: text(
    'Enter where you are going, such as the address or the name of the place',
    PLACE_MAX,
    `Where you are going must be ${String(PLACE_MAX)} characters or fewer`,
  ),
  participantId: z
    .union([z.literal(''), z.uuid()], { error: 'Select one of the people you support, or no one' })
    .optional()
    .transform((value) => (value ? value : null)),
});

export function parseCheckInForm(
  body: unknown,
  now: Date,
): { ok: true; value: CheckInInput } | { ok: false; errors: FieldErrors } {
  const record = asRecord(body);
  const parsed = parseForm(schema, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };

  const time = parseTime(record.expectedEnd);
  let expectedEndAt: Date | undefined;
  if (!time) {
    errors.expectedEnd =
      typeof record.expectedEnd === 'string' && record.expectedEnd.trim() !== ''
        ? 'Enter a real time, using the 24-hour clock, like 14:30'
        : 'Enter the time you expect to finish';
  } else {
    const today = ukToday(now);
    expectedEndAt = fromUkWallClock(today, time.hour, time.minute);
    // A time already past today is tomorrow's: a visit that ends after midnight.
    if (expectedEndAt.getTime() <= now.getTime()) {
      expectedEndAt = fromUkWallClock(addDays(today, 1), time.hour, time.minute);
    }
    if (expectedEndAt.getTime() > now.getTime() + MAX_VISIT_HOURS * 3_600_000) {
      errors.expectedEnd = `The time you expect to finish must be later than now and within ${String(MAX_VISIT_HOURS)} hours`;
    }
  }

  if (!parsed.ok || !expectedEndAt || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      submissionToken: parsed.value.submissionToken,
      place: parsed.value.place,
      participantId: parsed.value.participantId,
      expectedEndAt,
    },
  };
}

const acknowledgeSchema = z.object({
  note: text(
    'Enter what you did, such as “Spoke to them, they are safe”',
    NOTE_MAX,
    `What you did must be ${String(NOTE_MAX)} characters or fewer`,
  ),
});

/** "Acknowledge" on the overdue page: what the supervisor did to make sure the worker is safe. */
export function parseAcknowledgeForm(
  body: unknown,
): { ok: true; note: string } | { ok: false; errors: FieldErrors } {
  const parsed = parseForm(acknowledgeSchema, asRecord(body));
  return parsed.ok ? { ok: true, note: parsed.value.note } : { ok: false, errors: parsed.errors };
}
