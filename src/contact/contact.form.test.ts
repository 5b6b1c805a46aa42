import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formValues } from '../platform/http/form-page.ts';
import { parseContactAttemptForm, POSTED_FIELDS, VALUES } from './contact.form.ts';

const TOKEN = '5f0c1b8e-2d3a-4c5b-8e9f-0a1b2c3d4e5f';

const attempt = (extra: Record<string, unknown> = {}) => ({
  submissionToken: TOKEN,
  method: 'phone',
  outcome: 'no_answer',
  'madeOn[day]': '26',
  'madeOn[month]': '11',
  'madeOn[year]': '2026',
  madeTime: '9:05',
  ...extra,
});

describe('contact attempt form', () => {
  it('gives a typed attempt for a complete form', () => {
    expect(parseContactAttemptForm(attempt({ note: '  Rang twice  ' }))).toEqual({
      ok: true,
      value: {
        submissionToken: TOKEN,
        method: 'phone',
        outcome: 'no_answer',
        madeOn: '2026-11-26',
        madeTime: { hour: 9, minute: 5 },
        note: 'Rang twice',
      },
    });
  });

  it('treats a blank note as no note', () => {
    const result = parseContactAttemptForm(attempt({ note: '   ' }));
    expect(result.ok && result.value.note).toBeNull();
  });

  it('shows every missing field at once', () => {
    const result = parseContactAttemptForm({ submissionToken: TOKEN });
    expect(result).toEqual({
      ok: false,
      errors: {
        method: 'Select how you tried to contact them',
        outcome: 'Select what happened',
        madeOn: 'Enter the date you tried to contact them',
        madeTime: 'Enter the time you tried to contact them',
      },
    });
  });

  it('refuses methods and outcomes that are not offered', () => {
    const result = parseContactAttemptForm(attempt({ method: 'carrier_pigeon', outcome: 'maybe' }));
    expect(!result.ok && result.errors).toEqual({
      method: 'Select how you tried to contact them',
      outcome: 'Select what happened',
    });
  });

  it('refuses a date that does not exist and a time that is not on the clock', () => {
    const result = parseContactAttemptForm(
      attempt({ 'madeOn[day]': '31', 'madeOn[month]': '2', madeTime: '24:00' }),
    );
    expect(!result.ok && result.errors).toEqual({
      madeOn: 'Date must be a real date',
      madeTime: 'Enter a real time, using the 24-hour clock, like 14:30',
    });
  });

  it('needs a note when the outcome is "something else"', () => {
    const result = parseContactAttemptForm(attempt({ outcome: 'other' }));
    expect(!result.ok && result.errors).toEqual({ note: 'Enter what happened' });
    expect(parseContactAttemptForm(attempt({ outcome: 'other', note: 'Their sister answered' })).ok).toBe(
      true,
    );
  });

  it('keeps the note to 1000 characters', () => {
    expect(parseContactAttemptForm(attempt({ note: 'x'.repeat(1000) })).ok).toBe(true);
    const result = parseContactAttemptForm(attempt({ note: 'x'.repeat(1001) }));
    expect(!result.ok && result.errors.note).toBe('Note must be 1000 characters or fewer');
  });

  it('says the form has expired when the one-time token is missing or not a token', () => {
    for (const submissionToken of [undefined, 'abc', ['a', 'b']]) {
      const result = parseContactAttemptForm(attempt({ submissionToken }));
      expect(!result.ok && result.errors.submissionToken).toBe('This form has expired. Start again');
    }
  });

  it('answers any posted body with a value or messages, never an exception', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.constant(undefined),
      fc.object(),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...POSTED_FIELDS), value), (body) => {
        const result = parseContactAttemptForm(body);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(Object.keys(result.errors).length).toBeGreaterThan(0);
        for (const shown of Object.values(formValues(body, VALUES))) expect(typeof shown).toBe('string');
      }),
    );
  });
});
