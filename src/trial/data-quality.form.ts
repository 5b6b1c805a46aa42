/** The data quality forms: raising a query, answering it, a follow-up, and a protocol deviation. */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import type { Parsed } from '../platform/http/form-page.ts';
import { asRecord } from '../platform/http/form-page.ts';
import { parseDateInput, parseForm, radio, submissionToken, text } from '../platform/http/forms.ts';
import { QUERY_FIELDS } from './query-fields.ts';
import type { AnswerInput, FollowUpInput, RaiseQueryInput } from './data-query.service.ts';
import { SEVERITIES, type DeviationInput } from './deviation.service.ts';

export const TEXT_MAX = 1000;
const tooLong = (what: string) => `${what} must be ${String(TEXT_MAX)} characters or fewer`;

export const RAISE_FIELDS = ['studyId', 'field', 'question'];
export const RAISE_VALUES = { fields: ['submissionToken', ...RAISE_FIELDS], maxLength: TEXT_MAX + 100 };

const raiseSchema = z.object({
  submissionToken,
  studyId: text('Enter the study ID', 40, 'Study ID must be 40 characters or fewer')
    .transform((v) => v.toUpperCase())
    .pipe(
      z
        .string()
        .regex(/^[A-Z0-9-]+$/, 'Study ID must be letters, numbers and hyphens, such as PEERS-DEMO-0001'),
    ),
  field: z.enum(QUERY_FIELDS.map((f) => f.key) as [string, ...string[]], {
    error: 'Select which value the query is about',
  }),
  question: text('Enter your question about the value', TEXT_MAX, tooLong('The question')),
});

export function parseRaiseForm(body: unknown): Parsed<RaiseQueryInput> {
  return parseForm(raiseSchema, asRecord(body));
}

export const ANSWER_FIELDS = ['answer', 'valueCorrected'];
export const ANSWER_VALUES = { fields: ['submissionToken', ...ANSWER_FIELDS], maxLength: TEXT_MAX + 100 };

const answerSchema = z.object({
  submissionToken,
  answer: text('Enter your answer', TEXT_MAX, tooLong('The answer')),
  valueCorrected: radio(['yes', 'no'], 'Select whether the value was corrected'),
});

export function parseAnswerForm(body: unknown): Parsed<AnswerInput> {
  const parsed = parseForm(answerSchema, asRecord(body));
  return parsed.ok
    ? { ok: true, value: { ...parsed.value, valueCorrected: parsed.value.valueCorrected === 'yes' } }
    : parsed;
}

export const FOLLOW_UP_VALUES = { fields: ['submissionToken', 'followUp'], maxLength: TEXT_MAX + 100 };

const followUpSchema = z.object({
  submissionToken,
  followUp: text('Enter your follow-up question', TEXT_MAX, tooLong('The follow-up')),
});

export function parseFollowUpForm(body: unknown): Parsed<FollowUpInput> {
  return parseForm(followUpSchema, asRecord(body));
}

export const DEVIATION_FIELDS = [
  'kind',
  'studyId',
  'occurredOn',
  'description',
  'severity',
  'correctiveAction',
  'preventiveAction',
];
export const DEVIATION_ANCHORS = { occurredOn: 'occurredOn-day' };
export const DEVIATION_VALUES = {
  fields: [
    'submissionToken',
    ...DEVIATION_FIELDS.filter((f) => f !== 'occurredOn'),
    ...['day', 'month', 'year'].map((p) => `occurredOn[${p}]`),
  ],
  maxLength: TEXT_MAX + 100,
};

const deviationSchema = z.object({
  submissionToken,
  kind: z
    .string({ error: 'Select what kind of deviation it was' })
    .min(1, { error: 'Select what kind of deviation it was' })
    .max(40, { error: 'Select what kind of deviation it was' }),
  studyId: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().toUpperCase())
    .pipe(
      z
        .string()
        .max(40, 'Study ID must be 40 characters or fewer')
        .regex(/^[A-Z0-9-]*$/, 'Study ID must be letters, numbers and hyphens, such as PEERS-DEMO-0001'),
    )
    .transform((v) => (v === '' ? null : v)),
  description: text('Describe what happened, without names', TEXT_MAX, tooLong('What happened')),
  severity: radio(SEVERITIES, 'Select how serious it was'),
  correctiveAction: text('Enter the corrective action taken', TEXT_MAX, tooLong('The corrective action')),
  preventiveAction: text(
    'Enter the preventive action, to stop it happening again',
    TEXT_MAX,
    tooLong('The preventive action'),
  ),
});

export function parseDeviationForm(body: unknown, today: string): Parsed<DeviationInput> {
  const record = asRecord(body);
  const parsed = parseForm(deviationSchema, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const occurred = parseDateInput(record, 'occurredOn', {
    enter: 'Enter the date it happened',
    label: 'Date it happened',
  });
  if (!occurred.ok) errors.occurredOn = occurred.message;
  else if (occurred.value > today) errors.occurredOn = 'Date it happened must be today or in the past';
  if (!parsed.ok || !occurred.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, occurredOn: occurred.value } };
}
