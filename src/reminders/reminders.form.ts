/** The reminder preferences form: how to remind (text, email or not at all) and the safe hours. */
import { z } from 'zod';
import type { FormValuesOptions } from '../platform/http/form-page.ts';
import { parseForm, radio, type FormResult } from '../platform/http/forms.ts';

export const CHANNELS = ['sms', 'email', 'none'] as const;
/** Safe times are whole UK hours from 7am to 10pm. */
export const HOURS = Array.from({ length: 16 }, (_, i) => i + 7);

export interface PreferencesInput {
  channel: (typeof CHANNELS)[number];
  earliestHour: number;
  latestHour: number;
}

export const PREFERENCES_FIELD_ORDER = ['channel', 'earliestHour', 'latestHour'] as const;
export const PREFERENCES_ANCHORS: Record<string, string> = { channel: 'channel' };

const hour = (message: string) =>
  z
    .string({ error: message })
    .regex(/^\d{1,2}$/, message)
    .transform(Number)
    .pipe(z.number().refine((value) => HOURS.includes(value), message));

const schema = z.object({
  channel: radio(CHANNELS, 'Select how we should send reminders'),
  earliestHour: hour('Select the earliest time a message can arrive'),
  latestHour: hour('Select the latest time a message can arrive'),
});

export function parsePreferencesForm(body: unknown): FormResult<PreferencesInput> {
  const result = parseForm(schema, body);
  if (!result.ok) return result;
  if (result.value.latestHour <= result.value.earliestHour) {
    return { ok: false, errors: { latestHour: 'The latest time must be after the earliest time' } };
  }
  return result;
}

/** "7am", "midday", "10pm". */
export function hourLabel(hour: number): string {
  if (hour === 12) return 'midday';
  if (hour === 0 || hour === 24) return 'midnight';
  return hour < 12 ? `${String(hour)}am` : `${String(hour - 12)}pm`;
}

/** What the form's boxes show when it is shown again (its own fields, short). */
export const PREFERENCES_VALUES: FormValuesOptions = { fields: PREFERENCES_FIELD_ORDER, maxLength: 10 };
