/**
 * The equality monitoring questions (issue 16, part A): each answer's stored code, the words a
 * person chooses from, and the group a report counts it in. One place for the referral form, the
 * participant's own page and the service reports. Codes follow the NHS data dictionary where it
 * has one (ETHNIC CATEGORY; GENDER IDENTITY CODE). Every question is optional, and every one can
 * be answered "prefer not to say"; a question left blank is "not answered", which reports count
 * apart from "prefer not to say".
 */
import { ageOn } from '../participants/programme-window.ts';

export interface Choice {
  code: string;
  label: string;
  /** The report group it counts in (a broad category, so fewer cells are too small to show). */
  group: string;
}

export interface ChoiceGroup {
  heading: string;
  choices: readonly Choice[];
}

export const PREFER_NOT_TO_SAY = 'Prefer not to say';
export const NOT_ANSWERED = 'Not answered';

/** ETHNIC CATEGORY (NHS data dictionary), in its five broad groups, as the census asks it. */
export const ETHNICITY_GROUPS: readonly ChoiceGroup[] = [
  {
    heading: 'White',
    choices: [
      { code: 'A', label: 'English, Welsh, Scottish, Northern Irish or British', group: 'White' },
      { code: 'B', label: 'Irish', group: 'White' },
      { code: 'C', label: 'Any other White background', group: 'White' },
    ],
  },
  {
    heading: 'Mixed or multiple ethnic groups',
    choices: [
      { code: 'D', label: 'White and Black Caribbean', group: 'Mixed or multiple' },
      { code: 'E', label: 'White and Black African', group: 'Mixed or multiple' },
      { code: 'F', label: 'White and Asian', group: 'Mixed or multiple' },
      { code: 'G', label: 'Any other mixed or multiple ethnic background', group: 'Mixed or multiple' },
    ],
  },
  {
    heading: 'Asian or Asian British',
    choices: [
      { code: 'H', label: 'Indian', group: 'Asian or Asian British' },
      { code: 'J', label: 'Pakistani', group: 'Asian or Asian British' },
      { code: 'K', label: 'Bangladeshi', group: 'Asian or Asian British' },
      { code: 'L', label: 'Any other Asian background', group: 'Asian or Asian British' },
    ],
  },
  {
    heading: 'Black, Black British, Caribbean or African',
    choices: [
      { code: 'M', label: 'Caribbean', group: 'Black, Black British, Caribbean or African' },
      { code: 'N', label: 'African', group: 'Black, Black British, Caribbean or African' },
      {
        code: 'P',
        label: 'Any other Black, Black British or Caribbean background',
        group: 'Black, Black British, Caribbean or African',
      },
    ],
  },
  {
    heading: 'Other ethnic group',
    choices: [
      { code: 'R', label: 'Chinese', group: 'Other ethnic group' },
      { code: 'S', label: 'Any other ethnic group', group: 'Other ethnic group' },
    ],
  },
];

export const ETHNICITY: readonly Choice[] = [
  ...ETHNICITY_GROUPS.flatMap((g) => g.choices),
  { code: 'Z', label: PREFER_NOT_TO_SAY, group: PREFER_NOT_TO_SAY },
];

/** GENDER IDENTITY CODE (NHS data dictionary). */
export const GENDER: readonly Choice[] = [
  { code: '2', label: 'Female (including trans woman)', group: 'Female' },
  { code: '1', label: 'Male (including trans man)', group: 'Male' },
  { code: '3', label: 'Non-binary', group: 'Non-binary or other' },
  { code: '4', label: 'Another gender', group: 'Non-binary or other' },
  { code: 'Z', label: PREFER_NOT_TO_SAY, group: PREFER_NOT_TO_SAY },
];

export const FIRST_LANGUAGE: readonly Choice[] = [
  { code: 'english', label: 'English', group: 'English' },
  { code: 'other', label: 'Another language', group: 'Another language' },
  { code: 'prefer_not_to_say', label: PREFER_NOT_TO_SAY, group: PREFER_NOT_TO_SAY },
];

export const YES_NO: readonly Choice[] = [
  { code: 'yes', label: 'Yes', group: 'Yes' },
  { code: 'no', label: 'No', group: 'No' },
  { code: 'prefer_not_to_say', label: PREFER_NOT_TO_SAY, group: PREFER_NOT_TO_SAY },
];

/** The answers as stored: every one optional. */
export interface EqualityAnswers {
  ethnicity: string | null;
  gender: string | null;
  firstLanguage: 'english' | 'other' | 'prefer_not_to_say' | null;
  firstLanguageName: string | null;
  interpreterNeeded: 'yes' | 'no' | 'prefer_not_to_say' | null;
  disability: 'yes' | 'no' | 'prefer_not_to_say' | null;
}

export const NO_ANSWERS: EqualityAnswers = {
  ethnicity: null,
  gender: null,
  firstLanguage: null,
  firstLanguageName: null,
  interpreterNeeded: null,
  disability: null,
};

/** Age bands at discharge, from the date of birth the referral already holds (never asked again). */
export const AGE_BANDS = ['18 to 24', '25 to 34', '35 to 44', '45 to 54', '55 to 64', '65 and over'] as const;

export function ageBand(dateOfBirth: string, dischargedOn: string): string {
  const age = ageOn(dateOfBirth, dischargedOn);
  if (age < 25) return AGE_BANDS[0];
  if (age < 35) return AGE_BANDS[1];
  if (age < 45) return AGE_BANDS[2];
  if (age < 55) return AGE_BANDS[3];
  if (age < 65) return AGE_BANDS[4];
  return AGE_BANDS[5];
}

/** What a report can break its figures down by. */
export const BREAKDOWNS = {
  ethnicity: { label: 'Ethnic group', choices: ETHNICITY },
  gender: { label: 'Gender', choices: GENDER },
  age: { label: 'Age band', choices: null },
  firstLanguage: { label: 'First language', choices: FIRST_LANGUAGE },
  interpreterNeeded: { label: 'Needs an interpreter', choices: YES_NO },
  disability: { label: 'Disability', choices: YES_NO },
} as const;

export type Breakdown = keyof typeof BREAKDOWNS;
export const BREAKDOWN_KEYS = Object.keys(BREAKDOWNS) as Breakdown[];

/** The groups a breakdown's rows appear in, in order, "prefer not to say" and "not answered" last. */
export function groupsOf(breakdown: Breakdown): string[] {
  const spec = BREAKDOWNS[breakdown];
  if (!spec.choices) return [...AGE_BANDS];
  const groups = [...new Set(spec.choices.map((c) => c.group))];
  return [...groups, NOT_ANSWERED];
}

const GROUP_OF: Record<Exclude<Breakdown, 'age'>, Map<string, string>> = {
  ethnicity: new Map(ETHNICITY.map((c) => [c.code, c.group])),
  gender: new Map(GENDER.map((c) => [c.code, c.group])),
  firstLanguage: new Map(FIRST_LANGUAGE.map((c) => [c.code, c.group])),
  interpreterNeeded: new Map(YES_NO.map((c) => [c.code, c.group])),
  disability: new Map(YES_NO.map((c) => [c.code, c.group])),
};

/** The report group of one participant under a breakdown. */
export function groupOf(
  breakdown: Breakdown,
  person: { answers: EqualityAnswers; dateOfBirth: string; dischargedOn: string },
): string {
  if (breakdown === 'age') return ageBand(person.dateOfBirth, person.dischargedOn);
  const code = person.answers[breakdown];
  return (code && GROUP_OF[breakdown].get(code)) ?? NOT_ANSWERED;
}

/** The words for one stored answer (for the person's own page and the record). */
export function labelOf(choices: readonly Choice[], code: string | null): string {
  if (code === null) return NOT_ANSWERED;
  return choices.find((c) => c.code === code)?.label ?? NOT_ANSWERED;
}

/** The questions, in the order they are asked. */
export const QUESTIONS = ['ethnicity', 'gender', 'firstLanguage', 'interpreterNeeded', 'disability'] as const;
export type Question = (typeof QUESTIONS)[number];

/** The choices of each question (the language's name goes with `firstLanguage`). */
export const CHOICES: Record<Question, readonly Choice[]> = {
  ethnicity: ETHNICITY,
  gender: GENDER,
  firstLanguage: FIRST_LANGUAGE,
  interpreterNeeded: YES_NO,
  disability: YES_NO,
};

/** True when at least one question has an answer ("prefer not to say" is an answer). */
export function hasAnyAnswer(answers: EqualityAnswers): boolean {
  return QUESTIONS.some((question) => answers[question] !== null);
}

/** The questions whose answer differs (a changed language name counts as `firstLanguage`). */
export function changedQuestions(before: EqualityAnswers, after: EqualityAnswers): Question[] {
  return QUESTIONS.filter(
    (question) =>
      before[question] !== after[question] ||
      (question === 'firstLanguage' && before.firstLanguageName !== after.firstLanguageName),
  );
}

/** The words for a first language: the language's name when one was given. */
export function languageLabel(answers: Pick<EqualityAnswers, 'firstLanguage' | 'firstLanguageName'>): string {
  if (answers.firstLanguage === 'other' && answers.firstLanguageName) return answers.firstLanguageName;
  return labelOf(FIRST_LANGUAGE, answers.firstLanguage);
}
