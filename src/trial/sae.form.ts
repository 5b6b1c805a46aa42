/** The serious adverse event forms: recording one, and recording its report to the sponsor. */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import type { Parsed } from '../platform/http/form-page.ts';
import { asRecord } from '../platform/http/form-page.ts';
import { parseDateInput, parseForm, radio, submissionToken, text } from '../platform/http/forms.ts';
import { parseTime } from '../sessions/session.form.ts';
import { EXPECTEDNESS, RELATEDNESS } from './serious-adverse-events.ts';
import type { SaeInput } from './sae.service.ts';

export const SUMMARY_MAX = 1000;
export const SAE_FIELDS = ['kind', 'onsetOn', 'awareOn', 'awareAt', 'summary', 'relatedness', 'expectedness'];
export const SAE_ANCHORS = {
  onsetOn: 'onsetOn-day',
  awareOn: 'awareOn-day',
  kind: 'kind',
  relatedness: 'relatedness',
  expectedness: 'expectedness',
};
export const SAE_VALUES = {
  fields: [
    'submissionToken',
    'kind',
    ...['day', 'month', 'year'].flatMap((p) => [`onsetOn[${p}]`, `awareOn[${p}]`]),
    'awareAt',
    'summary',
    'relatedness',
    'expectedness',
  ],
  maxLength: SUMMARY_MAX + 100,
};

const base = z.object({
  submissionToken,
  kind: z
    .string({ error: 'Select what kind of serious adverse event it was' })
    .min(1, { error: 'Select what kind of serious adverse event it was' }),
  summary: text(
    'Describe what happened, without names',
    SUMMARY_MAX,
    `What happened must be ${String(SUMMARY_MAX)} characters or fewer`,
  ),
  relatedness: radio(RELATEDNESS, 'Select how likely it is to be related to taking part'),
  expectedness: radio(EXPECTEDNESS, 'Select whether it was expected'),
});

export function parseSaeForm(body: unknown, today: string): Parsed<SaeInput> {
  const record = asRecord(body);
  const parsed = parseForm(base, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const onset = parseDateInput(record, 'onsetOn', {
    enter: 'Enter the date it happened',
    label: 'Date it happened',
  });
  const aware = parseDateInput(record, 'awareOn', {
    enter: 'Enter the date the research team became aware of it',
    label: 'Date the team became aware',
  });
  const at = parseTime(record.awareAt);
  if (!onset.ok) errors.onsetOn = onset.message;
  else if (onset.value > today) errors.onsetOn = 'Date it happened must be today or in the past';
  if (!aware.ok) errors.awareOn = aware.message;
  else if (aware.value > today) errors.awareOn = 'Date the team became aware must be today or in the past';
  if (!at) errors.awareAt = 'Enter the time the team became aware, such as 14:30';
  if (!parsed.ok || !onset.ok || !aware.ok || !at || Object.keys(errors).length > 0)
    return { ok: false, errors };
  return {
    ok: true,
    value: { ...parsed.value, onsetOn: onset.value, awareOn: aware.value, awareAt: [at.hour, at.minute] },
  };
}

const reportedSchema = z.object({
  sponsorReference: text(
    'Enter the sponsor’s reference for the report',
    60,
    'Reference must be 60 characters or fewer',
  ),
});

export function parseReportedForm(body: unknown): Parsed<{ sponsorReference: string }> {
  return parseForm(reportedSchema, asRecord(body));
}
