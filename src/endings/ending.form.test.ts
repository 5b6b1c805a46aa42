import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ENDING_POSTED_FIELDS,
  isSecureNhsEmail,
  parseEndingForm,
  parseShareForm,
  SHARE_POSTED_FIELDS,
} from './ending.form.ts';

const TODAY = '2026-11-26';
const TOKEN = randomUUID();

const ending = (extra: Record<string, unknown> = {}) => ({
  version: '0',
  reason: 'completed',
  'endedOn[day]': '20',
  'endedOn[month]': '11',
  'endedOn[year]': '2026',
  onwardSupport: '  Their GP  ',
  message: '',
  shareConsent: 'yes',
  ...extra,
});

describe('ending form', () => {
  it('gives a typed ending for a complete form, trimmed, with blanks as nothing', () => {
    expect(parseEndingForm(ending(), TODAY)).toEqual({
      ok: true,
      value: {
        version: 0,
        reason: 'completed',
        reasonOther: null,
        endedOn: '2026-11-20',
        onwardSupport: 'Their GP',
        message: null,
        shareConsent: 'yes',
      },
    });
  });

  it('shows every missing answer at once', () => {
    const result = parseEndingForm({ version: '0' }, TODAY);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual([
      'endedOn',
      'onwardSupport',
      'reason',
      'shareConsent',
    ]);
  });

  it('needs words for another reason, and keeps them only then', () => {
    const blank = parseEndingForm(ending({ reason: 'other' }), TODAY);
    expect(!blank.ok && blank.errors.reasonOther).toBe('Enter why the programme is ending');
    const other = parseEndingForm(ending({ reason: 'other', reasonOther: 'Moved abroad' }), TODAY);
    expect(other.ok && other.value.reasonOther).toBe('Moved abroad');
    const completed = parseEndingForm(ending({ reasonOther: 'Ignored' }), TODAY);
    expect(completed.ok && completed.value.reasonOther).toBeNull();
  });

  it('does not ask where someone is going next when contact was lost', () => {
    const lost = parseEndingForm(ending({ reason: 'lost_contact', onwardSupport: '' }), TODAY);
    expect(lost.ok && lost.value.onwardSupport).toBeNull();
    const completed = parseEndingForm(ending({ onwardSupport: ' ' }), TODAY);
    expect(!completed.ok && completed.errors.onwardSupport).toBe(
      'Enter the support they are going on to, or "None"',
    );
  });

  it('refuses a date in the future or not a real date', () => {
    const tomorrow = parseEndingForm(ending({ 'endedOn[day]': '27' }), TODAY);
    expect(!tomorrow.ok && tomorrow.errors.endedOn).toBe(
      'Date the programme ended must be today or in the past',
    );
    const unreal = parseEndingForm(ending({ 'endedOn[day]': '31', 'endedOn[month]': '2' }), TODAY);
    expect(!unreal.ok && unreal.errors.endedOn).toBe('Date the programme ended must be a real date');
    expect(parseEndingForm(ending({ 'endedOn[day]': '26' }), TODAY).ok).toBe(true);
  });

  it('refuses a version that is not a number, and text that is too long', () => {
    const result = parseEndingForm(ending({ version: 'x', message: 'a'.repeat(2001) }), TODAY);
    expect(!result.ok && result.errors).toMatchObject({
      version: 'This form has expired. Start again',
      message: 'The message must be 2000 characters or fewer',
    });
  });
});

describe('secure NHS email addresses', () => {
  it.each([
    ['gp.practice@nhs.net', true],
    ['someone@leedsth.nhs.uk', true],
    ['someone@gmail.com', false],
    ['someone@nhs.net.example.com', false],
    ['someone@fakenhs.uk', false],
    ['someone@nhs.uk.evil.com', false],
  ])('%s is %s', (email, expected) => {
    expect(isSecureNhsEmail(email)).toBe(expected);
  });
});

describe('share form', () => {
  it('shares with the crisis team without an address', () => {
    expect(parseShareForm({ submissionToken: TOKEN, recipients: 'crisis_team' })).toEqual({
      ok: true,
      value: { submissionToken: TOKEN, recipients: [{ kind: 'crisis_team', name: null, email: null }] },
    });
  });

  it('needs a name and a secure NHS address for each person emailed, lower-cased', () => {
    const result = parseShareForm({
      submissionToken: TOKEN,
      recipients: ['gp', 'care_coordinator'],
      gpName: ' Dr Green ',
      gpEmail: ' Dr.Green@NHS.net ',
      careCoordinatorName: 'Sam',
      careCoordinatorEmail: 'sam@example.com',
    });
    expect(result).toEqual({
      ok: false,
      errors: { careCoordinatorEmail: 'Enter a secure NHS email address, ending in @nhs.net or .nhs.uk' },
    });
    const ok = parseShareForm({
      submissionToken: TOKEN,
      recipients: 'gp',
      gpName: ' Dr Green ',
      gpEmail: ' Dr.Green@NHS.net ',
    });
    expect(ok.ok && ok.value.recipients).toEqual([
      { kind: 'gp', name: 'Dr Green', email: 'dr.green@nhs.net' },
    ]);
  });

  it('needs someone to send to, and ignores details of people not chosen', () => {
    const none = parseShareForm({ submissionToken: TOKEN, gpName: 'Dr Green' });
    expect(!none.ok && none.errors).toEqual({ recipients: 'Select who to send the summary to' });
    const unknown = parseShareForm({ submissionToken: TOKEN, recipients: ['crisis_team', 'everyone'] });
    expect(!unknown.ok && unknown.errors.recipients).toBe('Select who to send the summary to');
  });

  it('gives messages, never an exception, for any posted values', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...ENDING_POSTED_FIELDS, ...SHARE_POSTED_FIELDS), value),
        (input) => {
          const endingResult = parseEndingForm(input, TODAY);
          const shareResult = parseShareForm(input);
          expect(typeof endingResult.ok).toBe('boolean');
          expect(typeof shareResult.ok).toBe('boolean');
        },
      ),
    );
  });
});
