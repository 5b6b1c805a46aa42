/**
 * The trial's forms: screening someone against the checklist, what happened when an eligible
 * person was approached (declined or not approached), consent, and a withdrawal. Each parses a
 * posted body into a typed value or the messages to show beside the boxes.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import type { Parsed } from '../platform/http/form-page.ts';
import { asRecord, type FormValuesOptions } from '../platform/http/form-page.ts';
import { optionalText, parseDateInput, submissionToken } from '../platform/http/forms.ts';
import type { EligibilityChecklist } from './eligibility-checklist.ts';
import type { Answer } from './eligibility.ts';
import type { WithdrawalScope } from './withdrawal-scopes.ts';

const dateFields = (name: string) => ['day', 'month', 'year'].map((part) => `${name}[${part}]`);

/** The longest reason or note kept. */
export const REASON_MAX = 500;

export interface ScreeningInput {
  submissionToken: string;
  crisisTeamId: string;
  screenedOn: string;
  initials: string;
  yearOfBirth: number;
  answers: Record<string, Answer>;
}

export const screeningFields = (checklist: EligibilityChecklist): string[] => [
  'crisisTeamId',
  'screenedOn',
  'initials',
  'yearOfBirth',
  ...checklist.criteria.map((c) => c.key),
];

export const screeningValues = (checklist: EligibilityChecklist): FormValuesOptions => ({
  fields: [
    'submissionToken',
    'crisisTeamId',
    ...dateFields('screenedOn'),
    'initials',
    'yearOfBirth',
    ...checklist.criteria.map((c) => c.key),
  ],
  maxLength: 40,
});

export const SCREENING_ANCHORS = { screenedOn: 'screenedOn-day' };

/** Whether a person born in `year` is certainly under 18 on `day` (a year alone cannot say more). */
const certainlyUnder18 = (year: number, day: string) => Number(day.slice(0, 4)) - year < 18;

export function parseScreeningForm(
  checklist: EligibilityChecklist,
  body: unknown,
  context: { today: string },
): Parsed<ScreeningInput> {
  const fields = asRecord(body);
  const errors: FieldErrors = {};
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name].trim() : '');

  const token = submissionToken.safeParse(fields.submissionToken);
  if (!token.success) errors.submissionToken = 'This form has expired. Start again';
  // Which teams the person may screen from is the service's to say; here, only that one was chosen.
  const team = text('crisisTeamId');
  if (!z.uuid().safeParse(team).success) errors.crisisTeamId = 'Select the crisis team they were under';
  const screenedOn = parseDateInput(fields, 'screenedOn', {
    enter: 'Enter the date they were screened',
    label: 'Date screened',
  });
  if (!screenedOn.ok) errors.screenedOn = screenedOn.message;
  else if (screenedOn.value > context.today) errors.screenedOn = 'Date screened must be today or in the past';

  const initials = text('initials').toUpperCase().replace(/[\s.]/g, '');
  if (initials === '') errors.initials = 'Enter their initials';
  else if (!/^[A-Z]{1,3}$/.test(initials))
    errors.initials = 'Initials must be 1 to 3 letters, such as JS or JAS';

  const yearText = text('yearOfBirth');
  const thisYear = Number(context.today.slice(0, 4));
  const yearOfBirth = Number(yearText);
  if (yearText === '') errors.yearOfBirth = 'Enter their year of birth';
  else if (!/^\d{4}$/.test(yearText)) errors.yearOfBirth = 'Year of birth must be 4 numbers, such as 1985';
  else if (yearOfBirth < thisYear - 110 || yearOfBirth > thisYear)
    errors.yearOfBirth = `Year of birth must be between ${String(thisYear - 110)} and ${String(thisYear)}`;

  const answers: Record<string, Answer> = {};
  for (const criterion of checklist.criteria) {
    const answer = fields[criterion.key];
    if (answer === 'yes' || answer === 'no') answers[criterion.key] = answer;
    else errors[criterion.key] = `Select yes or no for “${criterion.question}”`;
  }
  if (
    !errors.yearOfBirth &&
    screenedOn.ok &&
    answers.aged_18_or_over === 'yes' &&
    certainlyUnder18(yearOfBirth, screenedOn.value)
  ) {
    errors.aged_18_or_over = 'Their year of birth says they are under 18: check the year or the answer';
  }

  if (Object.keys(errors).length > 0 || !token.success || !screenedOn.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      submissionToken: token.data,
      crisisTeamId: team,
      screenedOn: screenedOn.value,
      initials,
      yearOfBirth,
      answers,
    },
  };
}

export interface ApproachInput {
  outcome: 'declined' | 'not_approached';
  reason: string | null;
}

export const APPROACH_FIELDS = ['outcome', 'reason'];

export function parseApproachForm(body: unknown): Parsed<ApproachInput> {
  const fields = asRecord(body);
  const errors: FieldErrors = {};
  const outcome = fields.outcome;
  if (outcome !== 'declined' && outcome !== 'not_approached')
    errors.outcome = 'Select whether they declined or were not approached';
  const reason = readReason(fields.reason);
  if (!reason.ok) errors.reason = reason.message;
  else if (outcome === 'not_approached' && reason.value === null)
    errors.reason = 'Enter why they were not approached';
  if (
    Object.keys(errors).length > 0 ||
    !reason.ok ||
    (outcome !== 'declined' && outcome !== 'not_approached')
  )
    return { ok: false, errors };
  return { ok: true, value: { outcome, reason: reason.value } };
}

/** An optional reason box: trimmed, blank as none, at most REASON_MAX characters. */
function readReason(value: unknown): { ok: true; value: string | null } | { ok: false; message: string } {
  const parsed = optionalText(REASON_MAX).safeParse(typeof value === 'string' ? value : undefined);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: `The reason must be ${String(REASON_MAX)} characters or fewer` };
}

export interface ConsentInput {
  submissionToken: string;
  documentVersion: string;
  takenOn: string;
}

export const CONSENT_FIELDS = ['documentVersion', 'takenOn', 'capacityConfirmed'];
export const CONSENT_ANCHORS = { takenOn: 'takenOn-day' };
export const CONSENT_VALUES: FormValuesOptions = {
  fields: ['submissionToken', 'documentVersion', ...dateFields('takenOn'), 'capacityConfirmed'],
  maxLength: 40,
};

export function parseConsentForm(
  body: unknown,
  /** `screenedOn`, when known, is checked here too; the service always checks it. */
  context: { versions: readonly string[]; today: string; screenedOn?: string },
): Parsed<ConsentInput> {
  const fields = asRecord(body);
  const errors: FieldErrors = {};
  const token = submissionToken.safeParse(fields.submissionToken);
  if (!token.success) errors.submissionToken = 'This form has expired. Start again';
  const version = fields.documentVersion;
  if (typeof version !== 'string' || !context.versions.includes(version))
    errors.documentVersion = 'Select the version of the consent form they signed';
  const takenOn = parseDateInput(fields, 'takenOn', {
    enter: 'Enter the date consent was taken',
    label: 'Date consent was taken',
  });
  if (!takenOn.ok) errors.takenOn = takenOn.message;
  else if (takenOn.value > context.today)
    errors.takenOn = 'Date consent was taken must be today or in the past';
  else if (context.screenedOn && takenOn.value < context.screenedOn)
    errors.takenOn = 'Date consent was taken must be on or after the date they were screened';
  if (fields.capacityConfirmed !== 'yes')
    errors.capacityConfirmed = 'Confirm they had capacity to consent, or do not record consent';
  if (Object.keys(errors).length > 0 || !token.success || !takenOn.ok || typeof version !== 'string')
    return { ok: false, errors };
  return {
    ok: true,
    value: { submissionToken: token.data, documentVersion: version, takenOn: takenOn.value },
  };
}

export interface WithdrawalInput {
  submissionToken: string;
  scope: WithdrawalScope;
  withdrawnOn: string;
  reason: string | null;
}

export const WITHDRAWAL_FIELDS = ['scope', 'withdrawnOn', 'reason'];
export const WITHDRAWAL_ANCHORS = { withdrawnOn: 'withdrawnOn-day' };
export const WITHDRAWAL_VALUES: FormValuesOptions = {
  fields: ['submissionToken', 'scope', ...dateFields('withdrawnOn'), 'reason'],
  maxLength: REASON_MAX + 100,
};

export function parseWithdrawalForm(
  body: unknown,
  /** `consentedOn`, when known, is checked here too; the service always checks it. */
  context: { scopes: readonly WithdrawalScope[]; today: string; consentedOn?: string },
): Parsed<WithdrawalInput> {
  const fields = asRecord(body);
  const errors: FieldErrors = {};
  const token = submissionToken.safeParse(fields.submissionToken);
  if (!token.success) errors.submissionToken = 'This form has expired. Start again';
  const scope = context.scopes.find((s) => s === fields.scope);
  if (!scope) errors.scope = 'Select what they are withdrawing from';
  const withdrawnOn = parseDateInput(fields, 'withdrawnOn', {
    enter: 'Enter the date they withdrew',
    label: 'Date they withdrew',
  });
  if (!withdrawnOn.ok) errors.withdrawnOn = withdrawnOn.message;
  else if (withdrawnOn.value > context.today)
    errors.withdrawnOn = 'Date they withdrew must be today or in the past';
  else if (context.consentedOn && withdrawnOn.value < context.consentedOn)
    errors.withdrawnOn = 'Date they withdrew must be on or after the date they consented';
  const reason = readReason(fields.reason);
  if (!reason.ok) errors.reason = reason.message;
  if (Object.keys(errors).length > 0 || !token.success || !scope || !withdrawnOn.ok || !reason.ok)
    return { ok: false, errors };
  return {
    ok: true,
    value: { submissionToken: token.data, scope, withdrawnOn: withdrawnOn.value, reason: reason.value },
  };
}
