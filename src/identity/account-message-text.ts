/**
 * The words of every email to a staff member about their own account, in one place. In
 * production the same wording lives in the GOV.UK Notify templates (paste it from here:
 * ((placeholders)) are Notify's) and Greenleaf sends only the personalisation; the local outbox
 * shows the text rendered here.
 *
 * None of them ever carries a password or a code. Each ends by telling the owner what to do if
 * it was not them, because these emails are how a person learns that someone else is using
 * their account.
 */

export type AccountMessageTemplate =
  'staff_account_created' | 'staff_password_changed' | 'staff_authenticator_set_up' | 'staff_set_up_link';

interface Wording {
  subject: string;
  /** One line per paragraph. */
  lines: string[];
}

const NOT_YOU = 'If this was not you, contact your programme coordinator straight away.';

const WORDING: Record<AccountMessageTemplate, Wording> = {
  staff_account_created: {
    subject: 'Your Greenleaf account',
    lines: [
      'Hello ((first_name)),',
      'Your programme coordinator has made you a Greenleaf account. They will give you a temporary password in person or by phone. It works until ((expires)).',
      'The first time you sign in, you will choose your own password and set up an authenticator app on your phone.',
      'Sign in at ((sign_in_link))',
      'If you were not expecting this, contact your programme coordinator.',
      'Greenleaf',
    ],
  },
  staff_password_changed: {
    subject: 'Your Greenleaf password was changed',
    lines: [
      'Hello ((first_name)),',
      'The password for your Greenleaf account was changed on ((when)).',
      'If this was you, you do not need to do anything.',
      NOT_YOU,
      'Greenleaf',
    ],
  },
  staff_authenticator_set_up: {
    subject: 'An authenticator app was set up for your Greenleaf account',
    lines: [
      'Hello ((first_name)),',
      'An authenticator app was set up for your Greenleaf account on ((when)). From now on it gives the security code you enter when you sign in.',
      NOT_YOU,
      'Greenleaf',
    ],
  },
  staff_set_up_link: {
    subject: 'Choose a new password for Greenleaf',
    lines: [
      'Hello ((first_name)),',
      '((what_happened)) Your old password no longer works.',
      'Choose a new password: ((set_up_link))',
      'The link works once, until ((expires)). ((next_step))',
      'If you were not expecting this, contact your programme coordinator straight away.',
      'Greenleaf',
    ],
  },
};

/** The sentences of a set-up link email that depend on why it was sent. */
export const SET_UP_LINK_REASONS = {
  authenticator_reset: {
    what_happened: 'Your programme coordinator has reset the authenticator app for your Greenleaf account.',
    next_step: 'Then sign in and set up an authenticator app again.',
  },
  requested: {
    what_happened: 'Your programme coordinator has sent you a link to choose a new Greenleaf password.',
    next_step: 'Then sign in with your new password and the code from your authenticator app.',
  },
} as const;

const PLACEHOLDER = /\(\(([a-z_]+)\)\)/g;

/** The email as its owner reads it: subject and body. */
export function renderAccountMessage(
  template: AccountMessageTemplate,
  values: Record<string, string>,
): { subject: string; body: string } {
  const wording = WORDING[template];
  const fill = (line: string) => line.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? '');
  return { subject: fill(wording.subject), body: wording.lines.map(fill).join('\n\n') };
}

/** The same text as one string, for the local outbox. */
export function accountMessagePreview(
  template: AccountMessageTemplate,
  values: Record<string, string>,
): string {
  const { subject, body } = renderAccountMessage(template, values);
  return `${subject}\n\n${body}`;
}

/** The placeholders a template uses, so a test can check every one is filled. */
export function accountMessagePlaceholders(template: AccountMessageTemplate): string[] {
  const { subject, lines } = WORDING[template];
  return [...new Set([...`${subject}\n${lines.join('\n')}`.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}
