import { describe, expect, it } from 'vitest';
import { hourLabel, parsePreferencesForm } from './reminders.form.ts';

describe('reminder preferences form', () => {
  it('reads a channel and two whole hours', () => {
    expect(parsePreferencesForm({ channel: 'email', earliestHour: '7', latestHour: '22' })).toEqual({
      ok: true,
      value: { channel: 'email', earliestHour: 7, latestHour: 22 },
    });
  });

  it('says what to fix for each missing or impossible answer', () => {
    expect(parsePreferencesForm({})).toMatchObject({
      ok: false,
      errors: {
        channel: 'Select how we should send reminders',
        earliestHour: 'Select the earliest time a message can arrive',
        latestHour: 'Select the latest time a message can arrive',
      },
    });
    expect(parsePreferencesForm({ channel: 'sms', earliestHour: '20', latestHour: '20' })).toEqual({
      ok: false,
      errors: { latestHour: 'The latest time must be after the earliest time' },
    });
  });

  it('refuses hours outside 7am to 10pm and anything that is not a plain answer', () => {
    for (const body of [
      { channel: 'sms', earliestHour: '6', latestHour: '20' },
      { channel: 'sms', earliestHour: '9', latestHour: '23' },
      { channel: 'sms', earliestHour: '9.5', latestHour: '20' },
      { channel: 'sms', earliestHour: ['9', '10'], latestHour: '20' },
      { channel: 'post', earliestHour: '9', latestHour: '20' },
      { channel: 'sms', earliestHour: '9\u0000', latestHour: '20' },
    ]) {
      expect(parsePreferencesForm(body).ok).toBe(false);
    }
  });

  it('names hours the GOV.UK way', () => {
    expect([7, 11, 12, 13, 22].map(hourLabel)).toEqual(['7am', '11am', 'midday', '1pm', '10pm']);
  });
});
