/**
 * The two ending forms: ending the programme (or changing the ending), and sharing the summary
 * with the participant's care team. Each parses the posted body into a typed value or the
 * messages to show beside each field; hostile input gets messages, never an exception.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type FormValuesOptions } from '../platform/http/form-page.ts';
import {
  checkboxes,
  optionalText,
  parseDateInput,
  parseForm,
  radio,
  submissionToken,
} from '../platform/http/forms.ts';
import type { EndingReason, RecipientKind, ShareConsent } from './ending.repository.ts';

export const ENDING_REASONS = [
  'completed',
  'window_expired',
  'participant_ended',
  'lost_contact',
  'readmitted',
  'other',
] as const satisfies readonly EndingReason[];
export const SHARE_CONSENTS = ['yes', 'no', 'not_asked'] as const satisfies readonly ShareConsent[];
export const RECIPIENT_KINDS = [
  'crisis_team',
  'care_coordinator',
  'gp',
] as const satisfies readonly RecipientKind[];

export interface EndingInput {
  /** The ending's version the form was loaded with; 0 when the programme had not ended. */
  version: number;
  reason: EndingReason;
  reasonOther: string | null;
  endedOn: string;
  onwardSupport: string | null;
  message: string | null;
  shareConsent: ShareConsent;
}

export interface ShareRecipient {
  kind: RecipientKind;
  /** The clinician's or GP's name; for the crisis team, filled in from the participant's team. */
  name: string | null;
  /** A secure NHS address; none for the crisis team, who read the summary in Greenleaf. */
  email: string | null;
}

export interface ShareInput {
  submissionToken: string;
  recipients: ShareRecipient[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export const ENDING_FIELD_ORDER = [
  'plannedSessions',
  'reason',
  'reasonOther',
  'endedOn',
  'onwardSupport',
  'message',
  'shareConsent',
] as const;
export const ENDING_ANCHORS: Record<string, string> = {
  plannedSessions: 'planned-sessions',
  reason: 'reason',
  endedOn: 'endedOn-day',
  shareConsent: 'shareConsent',
};
export const SHARE_FIELD_ORDER = [
  'recipients',
  'careCoordinatorName',
  'careCoordinatorEmail',
  'gpName',
  'gpEmail',
] as const;
export const SHARE_ANCHORS: Record<string, string> = { recipients: 'recipients' };

/** Every name the two forms post (the date as its three boxes), for tests that feed them junk. */
export const ENDING_POSTED_FIELDS = [
  'version',
  'reason',
  'reasonOther',
  'endedOn[day]',
  'endedOn[month]',
  'endedOn[year]',
  'onwardSupport',
  'message',
  'shareConsent',
];
export const SHARE_POSTED_FIELDS = ['submissionToken', ...SHARE_FIELD_ORDER];

/** What is shown again in the boxes when a form comes back with errors. */
export const VALUES: FormValuesOptions = { lists: ['recipients'] };

const endingFields = z.object({
  version: z
    .string({ error: 'This form has expired. Start again' })
    .regex(/^\d{1,9}$/, 'This form has expired. Start again')
    .transform(Number),
  reason: radio(ENDING_REASONS, 'Select why the programme is ending'),
  reasonOther: optionalText(500, 'The other reason must be 500 characters or fewer'),
  onwardSupport: optionalText(2000, 'Onward support must be 2000 characters or fewer'),
  message: optionalText(2000, 'The message must be 2000 characters or fewer'),
  shareConsent: radio(SHARE_CONSENTS, 'Select whether they agreed to share the summary with their care team'),
});

export function parseEndingForm(body: unknown, today: string): Parsed<EndingInput> {
  const record = asRecord(body);
  const parsed = parseForm(endingFields, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const v = parsed.ok ? parsed.value : (parsed.partial ?? {});

  if (v.reason === 'other' && !v.reasonOther && !errors.reasonOther)
    errors.reasonOther = 'Enter why the programme is ending';
  // Someone who cannot be reached cannot say where they are going next.
  if (v.reason !== 'lost_contact' && !v.onwardSupport && !errors.onwardSupport)
    errors.onwardSupport = 'Enter the support they are going on to, or "None"';

  const endedOn = parseDateInput(record, 'endedOn', {
    enter: 'Enter the date the programme ended',
    label: 'Date the programme ended',
  });
  if (!endedOn.ok) errors.endedOn = endedOn.message;
  else if (endedOn.value > today) errors.endedOn = 'Date the programme ended must be today or in the past';

  if (!parsed.ok || !endedOn.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const value = parsed.value;
  return {
    ok: true,
    value: {
      version: value.version,
      reason: value.reason,
      reasonOther: value.reason === 'other' ? value.reasonOther : null,
      endedOn: endedOn.value,
      onwardSupport: value.onwardSupport,
      message: value.message,
      shareConsent: value.shareConsent,
    },
  };
}

const EMAIL = /^[^\s@]+@([a-z0-9-]+\.)+[a-z]{2,}$/;

/**
 * A secure NHS mailbox: NHSmail (@nhs.net) or an NHS organisation's own domain (.nhs.uk).
 * The summary is health information, so it goes nowhere else.
 */
export function isSecureNhsEmail(email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return domain === 'nhs.net' || domain.endsWith('.nhs.uk');
}

function parseRecipient(
  record: Record<string, unknown>,
  prefix: 'careCoordinator' | 'gp',
  who: string,
  errors: FieldErrors,
): { name: string; email: string } | undefined {
  const rawName = record[`${prefix}Name`];
  const rawEmail = record[`${prefix}Email`];
  const name = typeof rawName === 'string' ? rawName.trim() : '';
  const email = typeof rawEmail === 'string' ? rawEmail.trim().toLowerCase() : '';
  if (!name) errors[`${prefix}Name`] = `Enter the ${who}’s name`;
  else if (name.length > 200) errors[`${prefix}Name`] = `The ${who}’s name must be 200 characters or fewer`;
  if (!email) errors[`${prefix}Email`] = `Enter the ${who}’s secure NHS email address`;
  else if (email.length > 254 || !EMAIL.test(email))
    errors[`${prefix}Email`] = 'Enter an email address in the correct format, like name@nhs.net';
  else if (!isSecureNhsEmail(email))
    errors[`${prefix}Email`] = 'Enter a secure NHS email address, ending in @nhs.net or .nhs.uk';
  return name && !errors[`${prefix}Name`] && !errors[`${prefix}Email`] ? { name, email } : undefined;
}

const shareFields = z.object({
  submissionToken,
  recipients: checkboxes(RECIPIENT_KINDS, 'Select who to send the summary to').refine(
    (kinds) => kinds.length > 0,
    'Select who to send the summary to',
  ),
});

export function parseShareForm(body: unknown): Parsed<ShareInput> {
  const record = asRecord(body);
  const parsed = parseForm(shareFields, record);
  const errors: FieldErrors = {};
  // A bad checkbox value is reported on its item ("recipients-0"): show it on the question.
  if (!parsed.ok)
    for (const [field, message] of Object.entries(parsed.errors))
      errors[field.replace(/-\d+$/, '')] ??= message;
  const kinds = new Set(parsed.ok ? parsed.value.recipients : (parsed.partial?.recipients ?? []));
  const recipients: ShareRecipient[] = [];
  if (kinds.has('crisis_team')) recipients.push({ kind: 'crisis_team', name: null, email: null });
  if (kinds.has('care_coordinator')) {
    const found = parseRecipient(record, 'careCoordinator', 'care coordinator', errors);
    if (found) recipients.push({ kind: 'care_coordinator', ...found });
  }
  if (kinds.has('gp')) {
    const found = parseRecipient(record, 'gp', 'GP', errors);
    if (found) recipients.push({ kind: 'gp', ...found });
  }
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { submissionToken: parsed.value.submissionToken, recipients } };
}
