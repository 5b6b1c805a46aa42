import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCloseForm, parseKind, parseMessageForm, parseRaiseForm } from './concern.form.ts';

const token = randomUUID();

describe('the raise form', () => {
  it('reads a concern, with the 999 confirmation only when posted', () => {
    const fields = {
      submissionToken: token,
      whatHappened: '  Said goodbye  ',
      urgency: 'immediate',
      participantKnows: 'no',
    };
    expect(parseRaiseForm(fields, 'concern')).toEqual({
      ok: true,
      value: {
        kind: 'concern',
        submissionToken: token,
        whatHappened: 'Said goodbye',
        urgency: 'immediate',
        participantKnows: 'no',
        called999: false,
      },
    });
    const confirmed = parseRaiseForm({ ...fields, called999: 'yes' }, 'concern');
    expect(confirmed.ok && confirmed.value.called999).toBe(true);
  });

  it('names every missing answer of a concern', () => {
    const result = parseRaiseForm({ submissionToken: token }, 'concern');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toEqual({
        whatHappened: 'Enter what you saw or heard',
        urgency: 'Select how urgent it is',
        participantKnows: 'Select whether they know it is being shared',
      });
  });

  it('refuses immediate danger on an advice request, and text over 4000 characters', () => {
    const advice = parseRaiseForm(
      { submissionToken: token, whatHappened: 'Q', urgency: 'immediate' },
      'advice',
    );
    expect(!advice.ok && advice.errors.urgency).toBe('Select how soon you need an answer');
    const long = parseRaiseForm(
      { submissionToken: token, whatHappened: 'x'.repeat(4001), urgency: 'routine' },
      'advice',
    );
    expect(!long.ok && long.errors.whatHappened).toBe('Your question must be 4000 characters or fewer');
  });

  it('knows only the two kinds', () => {
    expect(parseKind('advice')).toBe('advice');
    expect(parseKind(['concern'])).toBeUndefined();
  });
});

describe('closing and messages', () => {
  it('needs a reason for no action, and says so alongside other errors', () => {
    expect(parseCloseForm({ version: '2', action: 'no_action' })).toEqual({
      ok: false,
      errors: { note: 'Enter why no action was needed' },
    });
    const both = parseCloseForm({ version: 'x', action: 'no_action' });
    expect(!both.ok && both.errors.note).toBe('Enter why no action was needed');
    expect(parseCloseForm({ version: '2', action: 'referred_on', note: '' })).toEqual({
      ok: true,
      value: { version: 2, action: 'referred_on', note: null },
    });
  });

  it('refuses an empty message', () => {
    const result = parseMessageForm({ submissionToken: token, body: '   ' });
    expect(!result.ok && result.errors.body).toBe('Enter your message');
  });
});
