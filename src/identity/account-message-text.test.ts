/** The emails staff get about their own account: plain, complete, and never a secret. */
import { describe, expect, it } from 'vitest';
import { CLINICAL_WORDS } from '../reminders/message-text.ts';
import {
  accountMessagePlaceholders,
  renderAccountMessage,
  SET_UP_LINK_REASONS,
  type AccountMessageTemplate,
} from './account-message-text.ts';

const TEMPLATES: AccountMessageTemplate[] = [
  'staff_account_created',
  'staff_password_changed',
  'staff_authenticator_set_up',
  'staff_set_up_link',
];

/** What AccountMessages fills in for each template. */
const VALUES: Record<AccountMessageTemplate, Record<string, string>[]> = {
  staff_account_created: [
    { first_name: 'Robin', expires: 'Sunday 29 November at 10am', sign_in_link: 'https://x.nhs.uk/sign-in' },
  ],
  staff_password_changed: [{ first_name: 'Robin', when: 'Thursday 26 November at 10am' }],
  staff_authenticator_set_up: [{ first_name: 'Robin', when: 'Thursday 26 November at 10am' }],
  staff_set_up_link: Object.values(SET_UP_LINK_REASONS).map((reason) => ({
    first_name: 'Robin',
    set_up_link: 'https://x.nhs.uk/account/set-up/abc',
    expires: 'Sunday 29 November at 10am',
    ...reason,
  })),
};

describe('account emails', () => {
  for (const template of TEMPLATES) {
    it(`${template}: every placeholder is filled, and it says what to do if it was not them`, () => {
      for (const values of VALUES[template]) {
        expect(accountMessagePlaceholders(template).sort()).toEqual(Object.keys(values).sort());
        const { subject, body } = renderAccountMessage(template, values);
        expect(`${subject}\n${body}`).not.toMatch(/\(\(|\)\)/);
        expect(body).toMatch(/contact your programme coordinator/);
      }
    });

    it(`${template}: never uses a clinical word, and never asks for a password or code by email`, () => {
      for (const values of VALUES[template]) {
        const { subject, body } = renderAccountMessage(template, values);
        const text = `${subject}\n${body}`.toLowerCase();
        for (const word of CLINICAL_WORDS) expect(text, word).not.toContain(word);
        expect(text).not.toMatch(/reply with|send us your/);
      }
    });
  }

  it('tells someone whose app was reset to set one up again, and someone who forgot their password to use theirs', () => {
    const [reset, forgotten] = VALUES.staff_set_up_link.map(
      (values) => renderAccountMessage('staff_set_up_link', values).body,
    );
    expect(reset).toContain('reset the authenticator app');
    expect(reset).toContain('set up an authenticator app again');
    expect(forgotten).toContain('the code from your authenticator app');
  });
});
