/**
 * The follow-up forms: a time point's questionnaires (each item a field named `i<n>-<linkId>`,
 * built from the instruments' own definitions) with, when an assessor enters them, their guess
 * of the arm; a follow-up not done with its reason; an accidental unblinding.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import type { Parsed } from '../platform/http/form-page.ts';
import { asRecord } from '../platform/http/form-page.ts';
import { parseDateInput, parseForm, radio, submissionToken, text } from '../platform/http/forms.ts';
import type { Answers, Instrument } from './instruments.ts';

export const GUESSES = ['intervention', 'control', 'dont_know'] as const;
export type ArmGuess = (typeof GUESSES)[number];
export const CERTAINTIES = ['certain', 'fairly_sure', 'not_sure'] as const;
export type GuessCertainty = (typeof CERTAINTIES)[number];
export const NOT_DONE_REASONS = [
  'could_not_contact',
  'declined',
  'too_unwell',
  'moved_away',
  'died',
  'other',
] as const;
export type NotDoneReason = (typeof NOT_DONE_REASONS)[number];

export const GUESS_WORDS: Record<ArmGuess, string> = {
  intervention: 'Intervention group (peer support)',
  control: 'Control group (usual care)',
  dont_know: 'I do not know',
};
export const CERTAINTY_WORDS: Record<GuessCertainty, string> = {
  certain: 'Certain',
  fairly_sure: 'Fairly sure',
  not_sure: 'Not sure',
};
export const NOT_DONE_WORDS: Record<NotDoneReason, string> = {
  could_not_contact: 'Could not contact them',
  declined: 'They declined',
  too_unwell: 'Too unwell to take part',
  moved_away: 'Moved away',
  died: 'Died',
  other: 'Another reason',
};

export const STRING_ANSWER_MAX = 500;

export const fieldName = (index: number, linkId: string) => `i${String(index)}-${linkId}`;

export function questionnaireFields(instruments: readonly Instrument[]): string[] {
  return instruments.flatMap((instrument, n) => instrument.questions.map((q) => fieldName(n, q.linkId)));
}

export interface QuestionnaireInput {
  submissionToken: string;
  /** One per instrument asked, in the schedule's order. */
  answers: Answers[];
}

export interface AssessorFollowUpInput extends QuestionnaireInput {
  guess: ArmGuess;
  certainty: GuessCertainty | null;
}

const tokenOnly = z.object({ submissionToken });

/** A time point's questionnaires: answers checked against each item's type, options and bounds. */
export function parseQuestionnaires(
  body: unknown,
  instruments: readonly Instrument[],
): Parsed<QuestionnaireInput> {
  const record = asRecord(body);
  const errors: FieldErrors = {};
  const token = parseForm(tokenOnly, record);
  if (!token.ok) Object.assign(errors, token.errors);
  const answers = instruments.map((instrument, n) => {
    const answered: Answers = {};
    for (const q of instrument.questions) {
      const name = fieldName(n, q.linkId);
      const raw = record[name];
      const value = typeof raw === 'string' ? raw.trim() : '';
      if (raw !== undefined && typeof raw !== 'string') {
        errors[name] = 'Give one answer';
        continue;
      }
      if (value === '') {
        if (q.required) errors[name] = q.type === 'choice' ? 'Select an answer' : 'Enter an answer';
        continue;
      }
      if (q.type === 'choice') {
        if (q.options.some((o) => o.code === value)) answered[q.linkId] = value;
        else errors[name] = 'Select one of the answers';
      } else if (q.type === 'integer') {
        const number = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
        if (Number.isNaN(number) || number < (q.min ?? 0) || number > (q.max ?? 9999))
          errors[name] = `Enter a whole number from ${String(q.min ?? 0)} to ${String(q.max ?? 9999)}`;
        else answered[q.linkId] = number;
      } else if (value.length > STRING_ANSWER_MAX) {
        errors[name] = `Answer must be ${String(STRING_ANSWER_MAX)} characters or fewer`;
      } else answered[q.linkId] = value;
    }
    return answered;
  });
  if (!token.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { submissionToken: token.value.submissionToken, answers } };
}

const guessSchema = z.object({
  guess: radio(GUESSES, 'Select which group you think they are in'),
});
const certaintySchema = z.object({ certainty: radio(CERTAINTIES, 'Select how sure you are') });

/** The questionnaires as an assessor enters them, with their guess of the arm and how sure they are. */
export function parseAssessorFollowUp(
  body: unknown,
  instruments: readonly Instrument[],
): Parsed<AssessorFollowUpInput> {
  const record = asRecord(body);
  const questionnaires = parseQuestionnaires(record, instruments);
  const guess = parseForm(guessSchema, record);
  const errors: FieldErrors = questionnaires.ok ? {} : { ...questionnaires.errors };
  if (!guess.ok) Object.assign(errors, guess.errors);
  let certainty: GuessCertainty | null = null;
  if (guess.ok && guess.value.guess !== 'dont_know') {
    const sure = parseForm(certaintySchema, record);
    if (sure.ok) certainty = sure.value.certainty;
    else Object.assign(errors, sure.errors);
  }
  if (!questionnaires.ok || !guess.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...questionnaires.value, guess: guess.value.guess, certainty } };
}

const notDoneSchema = z.object({
  submissionToken,
  reason: radio(NOT_DONE_REASONS, 'Select why the follow-up was not done'),
});

export function parseNotDone(body: unknown): Parsed<{ submissionToken: string; reason: NotDoneReason }> {
  return parseForm(notDoneSchema, asRecord(body));
}

export const HOW_MAX = 500;
const unblindingSchema = z.object({
  submissionToken,
  studyId: text(
    'Enter the study id of the person whose group you learned',
    20,
    'Study id must be 20 characters or fewer',
  ),
  how: text(
    'Say how you learned their group',
    HOW_MAX,
    `How you learned it must be ${String(HOW_MAX)} characters or fewer`,
  ),
});

export interface UnblindingInput {
  submissionToken: string;
  studyId: string;
  how: string;
  learnedOn: string;
}

export function parseUnblinding(body: unknown, today: string): Parsed<UnblindingInput> {
  const record = asRecord(body);
  const parsed = parseForm(unblindingSchema, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const learned = parseDateInput(record, 'learnedOn', {
    enter: 'Enter the date you learned their group',
    label: 'Date you learned it',
  });
  if (!learned.ok) errors.learnedOn = learned.message;
  else if (learned.value > today) errors.learnedOn = 'Date you learned it must be today or in the past';
  if (!parsed.ok || !learned.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, learnedOn: learned.value } };
}
