/**
 * The "mark a worker away" form: from a day, until a day or further notice, and why (which
 * the coordinator sees beside each participant waiting for a new worker).
 */
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type FormValuesOptions } from '../platform/http/form-page.ts';
import { parseDateInput } from '../platform/http/forms.ts';

export const AWAY_REASONS = {
  leave: 'Annual leave',
  sickness: 'Sickness absence',
  leaving: 'Leaving the service',
  other: 'Other absence',
} as const;
export type AwayReason = keyof typeof AWAY_REASONS;

export const AWAY_FIELD_ORDER = ['awayFrom', 'awayUntil', 'reason'] as const;
export const AWAY_ANCHORS: Record<string, string> = { awayFrom: 'awayFrom-day', awayUntil: 'awayUntil-day' };

/** What is shown again in the boxes when the form comes back with errors: its own fields only. */
export const AWAY_VALUES: FormValuesOptions = {
  fields: [
    ...['awayFrom', 'awayUntil'].flatMap((n) => ['day', 'month', 'year'].map((p) => `${n}[${p}]`)),
    'reason',
  ],
  maxLength: 20,
};

export interface AwayInput {
  awayFrom: string;
  awayUntil: string | null;
  reason: string;
}

export function parseAwayForm(
  body: unknown,
  today: string,
): { ok: true; value: AwayInput } | { ok: false; errors: FieldErrors } {
  const fields = asRecord(body);
  const errors: FieldErrors = {};
  const from = parseDateInput(fields, 'awayFrom', {
    enter: 'Enter the first day they are away',
    label: 'First day away',
  });
  if (!from.ok) errors.awayFrom = from.message;
  else if (from.value < today) errors.awayFrom = 'First day away must be today or in the future';
  const untilEmpty = ['day', 'month', 'year'].every((part) => !fields[`awayUntil[${part}]`]);
  let awayUntil: string | null = null;
  if (!untilEmpty) {
    const until = parseDateInput(fields, 'awayUntil', { enter: '', label: 'Day they are back' });
    if (!until.ok) errors.awayUntil = until.message;
    else if (from.ok && until.value < from.value)
      errors.awayUntil = 'Day they are back must be on or after the first day away';
    else awayUntil = until.value;
  }
  const reason = fields.reason;
  if (typeof reason !== 'string' || !Object.hasOwn(AWAY_REASONS, reason)) {
    errors.reason = 'Select why they are away';
  }
  if (Object.keys(errors).length > 0 || !from.ok) return { ok: false, errors };
  return {
    ok: true,
    value: { awayFrom: from.value, awayUntil, reason: AWAY_REASONS[reason as AwayReason] },
  };
}
