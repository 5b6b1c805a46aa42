/**
 * The equality monitoring questions as their templates lay them out (`questions.njk`), in the
 * referrer's words ("they") or the participant's ("you"), and the participant's answers as the
 * summary list on "About you" shows them.
 */
import type { FormValues } from '../platform/http/form-page.ts';
import {
  CHOICES,
  ETHNICITY,
  ETHNICITY_GROUPS,
  languageLabel,
  labelOf,
  NOT_ANSWERED,
  QUESTIONS,
  type Choice,
  type EqualityAnswers,
  type Question,
} from './equality-fields.ts';
import type { Audience } from './equality.form.ts';

interface RadioItem {
  value?: string;
  text?: string;
  checked?: boolean;
  divider?: string;
}

export interface QuestionView {
  name: Question;
  legend: string;
  hint?: string;
  /** The choices, "Prefer not to say" after an "or" (every question but ethnicity). */
  items: RadioItem[];
  /** Ethnicity's choices under the five headings, and "Prefer not to say" apart. */
  groups?: { heading: string; items: RadioItem[] }[];
  preferNotToSay?: RadioItem;
  /** "Which language?", with the first language. */
  nameLabel?: string;
  nameHint?: string;
}

const WORDS: Record<Question, Record<Audience, { legend: string; hint?: string }>> = {
  ethnicity: {
    they: {
      legend: 'What is their ethnic group?',
      hint: 'Choose the one that best describes their background',
    },
    you: { legend: 'What is your ethnic group?', hint: 'Choose the one that best describes your background' },
  },
  gender: {
    they: { legend: 'Which of these best describes their gender?' },
    you: { legend: 'Which of these best describes your gender?' },
  },
  firstLanguage: {
    they: { legend: 'What is their first language?' },
    you: { legend: 'What is your first language?' },
  },
  interpreterNeeded: {
    they: { legend: 'Do they need an interpreter?', hint: 'For meetings with their peer support worker' },
    you: { legend: 'Do you need an interpreter?', hint: 'For meetings with your peer support worker' },
  },
  disability: {
    they: { legend: 'Do they consider themselves to have a disability or long-term health condition?' },
    you: { legend: 'Do you consider yourself to have a disability or long-term health condition?' },
  },
};

const LANGUAGE_NAME: Record<Audience, { label: string; hint: string }> = {
  they: { label: 'Which language?', hint: 'If their first language is not English, for example Polish' },
  you: { label: 'Which language?', hint: 'If your first language is not English, for example Polish' },
};

const PREFER_NOT_TO_SAY_CODES = new Set(['Z', 'prefer_not_to_say']);

function item(choice: Choice, checked: string | undefined): RadioItem {
  return { value: choice.code, text: choice.label, checked: checked === choice.code };
}

/** One question, with `checked` (the posted or saved code) chosen. */
export function questionView(
  question: Question,
  audience: Audience,
  checked: string | undefined,
): QuestionView {
  const words = WORDS[question][audience];
  const choices = CHOICES[question];
  const answers = choices.filter((choice) => !PREFER_NOT_TO_SAY_CODES.has(choice.code));
  const notSaid = choices.find((choice) => PREFER_NOT_TO_SAY_CODES.has(choice.code));
  const view: QuestionView = {
    name: question,
    legend: words.legend,
    ...(words.hint ? { hint: words.hint } : {}),
    items: [
      ...answers.map((choice) => item(choice, checked)),
      ...(notSaid ? [{ divider: 'or' }, item(notSaid, checked)] : []),
    ],
  };
  if (question === 'ethnicity') {
    view.groups = ETHNICITY_GROUPS.map((group) => ({
      heading: group.heading,
      items: group.choices.map((choice) => item(choice, checked)),
    }));
    if (notSaid) view.preferNotToSay = item(notSaid, checked);
  }
  if (question === 'firstLanguage') {
    view.nameLabel = LANGUAGE_NAME[audience].label;
    view.nameHint = LANGUAGE_NAME[audience].hint;
  }
  return view;
}

const text = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** Every question, with the answers from the form's values (what was posted, or nothing yet). */
export function questionViews(audience: Audience, values: FormValues): QuestionView[] {
  return QUESTIONS.map((question) => questionView(question, audience, text(values[question])));
}

/** The form's values from saved answers (blank answers as no value). */
export function answerValues(answers: EqualityAnswers): FormValues {
  const values: FormValues = {};
  for (const name of [...QUESTIONS, 'firstLanguageName'] as const) {
    const value = answers[name];
    if (value !== null) values[name] = value;
  }
  return values;
}

/** Each question's address on the participant's own pages. */
export const QUESTION_SLUGS: Record<Question, string> = {
  ethnicity: 'ethnic-group',
  gender: 'gender',
  firstLanguage: 'first-language',
  interpreterNeeded: 'interpreter',
  disability: 'disability',
};

export function questionOfSlug(slug: string): Question | undefined {
  return QUESTIONS.find((question) => QUESTION_SLUGS[question] === slug);
}

const ROW_KEYS: Record<Question, string> = {
  ethnicity: 'Ethnic group',
  gender: 'Gender',
  firstLanguage: 'First language',
  interpreterNeeded: 'Interpreter needed',
  disability: 'Disability or long-term health condition',
};

/** The ethnic group with its heading ("Black, Black British, Caribbean or African: African"). */
function ethnicityLabel(code: string | null): string {
  const group = ETHNICITY_GROUPS.find((g) => g.choices.some((choice) => choice.code === code));
  const label = labelOf(ETHNICITY, code);
  return group ? `${group.heading}: ${label}` : label;
}

export interface AnswerRow {
  key: string;
  value: string;
  answered: boolean;
  href: string;
}

/** The summary list of "About you": every question, its answer or "Not answered", and where to change it. */
export function answerRows(answers: EqualityAnswers): AnswerRow[] {
  return QUESTIONS.map((question) => {
    const value =
      question === 'ethnicity'
        ? ethnicityLabel(answers.ethnicity)
        : question === 'firstLanguage'
          ? languageLabel(answers)
          : labelOf(CHOICES[question], answers[question]);
    return {
      key: ROW_KEYS[question],
      value,
      answered: answers[question] !== null && value !== NOT_ANSWERED,
      href: `/me/about-you/${QUESTION_SLUGS[question]}`,
    };
  });
}
