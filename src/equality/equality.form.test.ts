import { describe, expect, it } from 'vitest';
import { NO_ANSWERS } from './equality-fields.ts';
import { parseAnswerForm, parseEqualityAnswers } from './equality.form.ts';
import { answerRows, questionView } from './equality.view-model.ts';

describe('the equality questions on the referral form', () => {
  it('leaves every question blank when nothing is chosen', () => {
    expect(parseEqualityAnswers({}, 'they')).toEqual({ value: NO_ANSWERS, errors: {} });
    expect(parseEqualityAnswers({ ethnicity: '', firstLanguageName: '   ' }, 'they')).toEqual({
      value: NO_ANSWERS,
      errors: {},
    });
  });

  it('takes each question’s own codes, "prefer not to say" included, and a trimmed language name', () => {
    const parsed = parseEqualityAnswers(
      {
        ethnicity: 'Z',
        gender: '2',
        firstLanguage: 'other',
        firstLanguageName: '  Polish ',
        interpreterNeeded: 'yes',
        disability: 'prefer_not_to_say',
      },
      'they',
    );
    expect(parsed).toEqual({
      value: {
        ethnicity: 'Z',
        gender: '2',
        firstLanguage: 'other',
        firstLanguageName: 'Polish',
        interpreterNeeded: 'yes',
        disability: 'prefer_not_to_say',
      },
      errors: {},
    });
  });

  it('refuses an unknown code, a repeated field and a language over 60 characters, in their words', () => {
    const { errors } = parseEqualityAnswers(
      {
        ethnicity: 'I',
        gender: ['1', '2'],
        firstLanguage: 'other',
        firstLanguageName: 'x'.repeat(61),
        interpreterNeeded: 'Yes',
        disability: 'no',
      },
      'they',
    );
    expect(errors).toEqual({
      ethnicity: 'Select their ethnic group from the list, or leave it blank',
      gender: 'Select their gender from the list, or leave it blank',
      firstLanguageName: 'The language must be 60 characters or fewer',
      interpreterNeeded: 'Select whether they need an interpreter, or leave it blank',
    });
  });

  it('keeps a language name only with "Another language", and says so', () => {
    expect(
      parseEqualityAnswers({ firstLanguage: 'english', firstLanguageName: 'Polish' }, 'they').errors,
    ).toEqual({
      firstLanguageName:
        'Select "Another language" if their first language is not English, or leave "Which language?" empty',
    });
    expect(parseEqualityAnswers({ firstLanguage: 'other' }, 'they').value).toMatchObject({
      firstLanguage: 'other',
      firstLanguageName: null,
    });
  });

  it('accepts exactly 60 characters of language', () => {
    const name = 'x'.repeat(60);
    expect(parseEqualityAnswers({ firstLanguage: 'other', firstLanguageName: name }, 'they')).toMatchObject({
      value: { firstLanguageName: name },
      errors: {},
    });
  });
});

describe('one answer on the participant’s own page', () => {
  it('reads the answer and the version it was changed from', () => {
    expect(parseAnswerForm({ version: '3', gender: '3' }, 'gender')).toEqual({
      ok: true,
      value: { question: 'gender', version: 3, answer: { gender: '3' } },
    });
  });

  it('clears the answer, and the language name with the first language, when asked to remove it', () => {
    expect(parseAnswerForm({ version: '2', action: 'remove', gender: '1' }, 'gender')).toMatchObject({
      ok: true,
      value: { answer: { gender: null } },
    });
    expect(parseAnswerForm({ version: '2', action: 'remove' }, 'firstLanguage')).toMatchObject({
      ok: true,
      value: { answer: { firstLanguage: null, firstLanguageName: null } },
    });
  });

  it('refuses a form without its version, and an answer in the participant’s words', () => {
    expect(parseAnswerForm({ gender: '1' }, 'gender')).toEqual({
      ok: false,
      errors: { version: 'This form has expired. Start again' },
    });
    expect(parseAnswerForm({ version: '1', disability: 'perhaps' }, 'disability')).toEqual({
      ok: false,
      errors: {
        disability:
          'Select whether you consider yourself to have a disability or long-term health condition, or leave it blank',
      },
    });
  });
});

describe('the questions and answers as pages show them', () => {
  it('asks "you" on the participant’s page and "they" on the referral, prefer not to say after "or"', () => {
    expect(questionView('interpreterNeeded', 'you', 'no')).toEqual({
      name: 'interpreterNeeded',
      legend: 'Do you need an interpreter?',
      hint: 'For meetings with your peer support worker',
      items: [
        { value: 'yes', text: 'Yes', checked: false },
        { value: 'no', text: 'No', checked: true },
        { divider: 'or' },
        { value: 'prefer_not_to_say', text: 'Prefer not to say', checked: false },
      ],
    });
    expect(questionView('ethnicity', 'they', undefined).groups?.map((g) => g.heading)).toEqual([
      'White',
      'Mixed or multiple ethnic groups',
      'Asian or Asian British',
      'Black, Black British, Caribbean or African',
      'Other ethnic group',
    ]);
  });

  it('shows the language’s name, the ethnic group with its heading, and blanks as not answered', () => {
    const rows = answerRows({
      ...NO_ANSWERS,
      ethnicity: 'N',
      firstLanguage: 'other',
      firstLanguageName: 'Somali',
    });
    expect(rows.map((row) => [row.key, row.value, row.answered])).toEqual([
      ['Ethnic group', 'Black, Black British, Caribbean or African: African', true],
      ['Gender', 'Not answered', false],
      ['First language', 'Somali', true],
      ['Interpreter needed', 'Not answered', false],
      ['Disability or long-term health condition', 'Not answered', false],
    ]);
  });
});
