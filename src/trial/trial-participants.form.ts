/** Linking a randomised person to their participant record, and the workbook posted to the control group. */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type Parsed } from '../platform/http/form-page.ts';
import { parseDateInput, parseForm, submissionToken } from '../platform/http/forms.ts';
import { parseNhsNumber } from '../participants/nhs-number.ts';

export const LINK_FIELDS = ['nhsNumber'];
export const LINK_VALUES = { fields: ['nhsNumber'], maxLength: 40 };

export function parseLinkForm(body: unknown): Parsed<{ nhsNumber: string }> {
  const raw = asRecord(body).nhsNumber;
  const entered = typeof raw === 'string' ? raw.trim() : '';
  if (entered === '') return { ok: false, errors: { nhsNumber: 'Enter their NHS number' } };
  const nhsNumber = parseNhsNumber(entered);
  if (!nhsNumber) return { ok: false, errors: { nhsNumber: 'Enter a valid NHS number, like 485 777 3456' } };
  return { ok: true, value: { nhsNumber } };
}

export interface WorkbookPostingInput {
  postedOn: string;
  workbookVersion: string;
  submissionToken: string;
}

export const POSTING_FIELDS = ['postedOn', 'workbookVersion'];
export const POSTING_ANCHORS = { postedOn: 'postedOn-day', workbookVersion: 'workbookVersion' };
export const POSTING_VALUES = {
  fields: ['submissionToken', 'postedOn[day]', 'postedOn[month]', 'postedOn[year]', 'workbookVersion'],
  maxLength: 100,
};

const postingSchema = z.object({
  submissionToken,
  workbookVersion: z
    .string({ error: 'Select the version of the workbook posted' })
    .min(1, { error: 'Select the version of the workbook posted' }),
});

export function parsePostingForm(
  body: unknown,
  { versions, today }: { versions: readonly string[]; today: string },
): Parsed<WorkbookPostingInput> {
  const record = asRecord(body);
  const parsed = parseForm(postingSchema, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (parsed.ok && !versions.includes(parsed.value.workbookVersion))
    errors.workbookVersion = 'Select the version of the workbook posted';
  const posted = parseDateInput(record, 'postedOn', {
    enter: 'Enter the date the workbook was posted',
    label: 'Date posted',
  });
  if (!posted.ok) errors.postedOn = posted.message;
  else if (posted.value > today) errors.postedOn = 'Date posted must be today or in the past';
  if (!parsed.ok || !posted.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, postedOn: posted.value } };
}
