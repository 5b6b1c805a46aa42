/**
 * The equality monitoring questions as posted: at the end of the referral form (about "them")
 * and one at a time on the participant's own "About you" pages (about "you"). Every question may
 * be left blank; an answer that is not one of the question's codes, or a language name over 60
 * characters, is a field error, never saved.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type Parsed } from '../platform/http/form-page.ts';
import { optionalText } from '../platform/http/forms.ts';
import { CHOICES, NO_ANSWERS, QUESTIONS, type EqualityAnswers, type Question } from './equality-fields.ts';

export type Audience = 'they' | 'you';

/** The names the fields post, in page order (the language's name after its question). */
export const EQUALITY_FIELD_ORDER = [
  'ethnicity',
  'gender',
  'firstLanguage',
  'firstLanguageName',
  'interpreterNeeded',
  'disability',
] as const;

/** The longest language name kept (the table's CHECK). */
export const LANGUAGE_NAME_MAX = 60;

const MESSAGES: Record<Question, Record<Audience, string>> = {
  ethnicity: {
    they: 'Select their ethnic group from the list, or leave it blank',
    you: 'Select your ethnic group from the list, or leave it blank',
  },
  gender: {
    they: 'Select their gender from the list, or leave it blank',
    you: 'Select your gender from the list, or leave it blank',
  },
  firstLanguage: {
    they: 'Select their first language from the list, or leave it blank',
    you: 'Select your first language from the list, or leave it blank',
  },
  interpreterNeeded: {
    they: 'Select whether they need an interpreter, or leave it blank',
    you: 'Select whether you need an interpreter, or leave it blank',
  },
  disability: {
    they: 'Select whether they consider themselves to have a disability or long-term health condition, or leave it blank',
    you: 'Select whether you consider yourself to have a disability or long-term health condition, or leave it blank',
  },
};

const LANGUAGE_TOO_LONG = `The language must be ${String(LANGUAGE_NAME_MAX)} characters or fewer`;
const LANGUAGE_NOT_OTHER: Record<Audience, string> = {
  they: 'Select "Another language" if their first language is not English, or leave "Which language?" empty',
  you: 'Select "Another language" if your first language is not English, or leave "Which language?" empty',
};

/** One of the question's codes, or null when left blank; anything else (a list, an unknown code) is an error. */
function optionalCode(question: Question, audience: Audience) {
  const codes = new Set(CHOICES[question].map((choice) => choice.code));
  const message = MESSAGES[question][audience];
  return z.unknown().transform((value, ctx): string | null => {
    if (value === undefined || value === '') return null;
    if (typeof value === 'string' && codes.has(value)) return value;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

const languageName = optionalText(LANGUAGE_NAME_MAX, LANGUAGE_TOO_LONG);

/** The first language and its name, checked together: a name goes only with "Another language". */
function languageAnswer(
  record: Record<string, unknown>,
  audience: Audience,
  errors: FieldErrors,
): Pick<EqualityAnswers, 'firstLanguage' | 'firstLanguageName'> {
  const language = optionalCode('firstLanguage', audience).safeParse(record.firstLanguage);
  if (!language.success) errors.firstLanguage = MESSAGES.firstLanguage[audience];
  const name = languageName.safeParse(record.firstLanguageName);
  if (!name.success) errors.firstLanguageName = LANGUAGE_TOO_LONG;
  const firstLanguage = language.success ? (language.data as EqualityAnswers['firstLanguage']) : null;
  const firstLanguageName = name.success ? name.data : null;
  if (firstLanguageName !== null && language.success && firstLanguage !== 'other') {
    errors.firstLanguageName = LANGUAGE_NOT_OTHER[audience];
  }
  return { firstLanguage, firstLanguageName: firstLanguage === 'other' ? firstLanguageName : null };
}

/** Every question from one posted form (the referral's): the answers, and any field errors. */
export function parseEqualityAnswers(
  body: unknown,
  audience: Audience,
): { value: EqualityAnswers; errors: FieldErrors } {
  const record = asRecord(body);
  const errors: FieldErrors = {};
  const value: EqualityAnswers = { ...NO_ANSWERS, ...languageAnswer(record, audience, errors) };
  for (const question of QUESTIONS) {
    if (question === 'firstLanguage') continue;
    const parsed = optionalCode(question, audience).safeParse(record[question]);
    if (parsed.success) Object.assign(value, { [question]: parsed.data });
    else errors[question] = MESSAGES[question][audience];
  }
  return { value, errors };
}

/** One question's answer as the participant's own page posts it, with the version it was read at. */
export interface AnswerChange {
  question: Question;
  /** The answers' version the page showed; 0 when nothing had been recorded. */
  version: number;
  /** The new answer to this question (blank when "Remove my answer" was pressed). */
  answer: Partial<EqualityAnswers>;
}

const version = z
  .string({ error: 'This form has expired. Start again' })
  .regex(/^\d{1,9}$/, 'This form has expired. Start again')
  .transform(Number);

/** The participant's answer to one question (`action=remove` clears it). */
export function parseAnswerForm(body: unknown, question: Question): Parsed<AnswerChange> {
  const record = asRecord(body);
  const errors: FieldErrors = {};
  const read = version.safeParse(record.version);
  if (!read.success) errors.version = 'This form has expired. Start again';
  if (record.action === 'remove') {
    const cleared =
      question === 'firstLanguage' ? { firstLanguage: null, firstLanguageName: null } : { [question]: null };
    return read.success
      ? { ok: true, value: { question, version: read.data, answer: cleared } }
      : { ok: false, errors };
  }
  let answer: AnswerChange['answer'];
  if (question === 'firstLanguage') {
    answer = languageAnswer(record, 'you', errors);
  } else {
    const parsed = optionalCode(question, 'you').safeParse(record[question]);
    if (!parsed.success) errors[question] = MESSAGES[question].you;
    answer = { [question]: parsed.success ? parsed.data : null };
  }
  if (!read.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { question, version: read.data, answer } };
}
