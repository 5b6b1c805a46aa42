/**
 * The forms of the safety concern journey: raising a concern or asking for advice, writing in
 * the thread, acknowledging, and recording what was done.
 */
import { z } from 'zod';
import type { ConcernAction, ConcernUrgency } from '../platform/database/schema.ts';
import {
  optionalText,
  parseForm,
  radio,
  submissionToken,
  text,
  type FormResult,
} from '../platform/http/forms.ts';
import type { FormValuesOptions } from '../platform/http/form-page.ts';

export type ConcernKind = 'concern' | 'advice';

export const CONCERN_URGENCIES = ['immediate', 'urgent', 'routine'] as const;
export const ADVICE_URGENCIES = ['urgent', 'routine'] as const;
export const PARTICIPANT_KNOWS = ['yes', 'no', 'not_yet'] as const;
export const CONCERN_ACTIONS = [
  'called_participant',
  'arranged_visit',
  'advised_worker',
  'referred_on',
  'no_action',
] as const satisfies readonly ConcernAction[];

export const URGENCY_LABELS: Record<ConcernUrgency, string> = {
  immediate: 'Immediate danger',
  urgent: 'Urgent: needs a response today',
  routine: 'Routine: by the next supervision',
};
export const URGENCY_TAGS: Record<ConcernUrgency, { text: string; classes: string }> = {
  immediate: { text: 'Immediate danger', classes: 'nhsuk-tag--red' },
  urgent: { text: 'Urgent', classes: 'nhsuk-tag--orange' },
  routine: { text: 'Routine', classes: 'nhsuk-tag--blue' },
};
export const STATUS_TAGS: Record<'open' | 'acknowledged' | 'closed', { text: string; classes: string }> = {
  open: { text: 'Waiting for the crisis team', classes: 'nhsuk-tag--yellow' },
  acknowledged: { text: 'Acknowledged', classes: 'nhsuk-tag--blue' },
  closed: { text: 'Closed', classes: 'nhsuk-tag--grey' },
};
export const PARTICIPANT_KNOWS_LABELS: Record<(typeof PARTICIPANT_KNOWS)[number], string> = {
  yes: 'Yes',
  no: 'No',
  not_yet: 'Not yet',
};
export const ACTION_LABELS: Record<ConcernAction, string> = {
  called_participant: 'Called the participant',
  arranged_visit: 'Arranged a visit',
  advised_worker: 'Advised the worker',
  referred_on: 'Referred on',
  no_action: 'No action',
};

/** Every field the raise form can post, for hostile-input tests. */
export const RAISE_FIELDS = [
  'submissionToken',
  'whatHappened',
  'urgency',
  'participantKnows',
  'called999',
] as const;
export const RAISE_FIELD_ORDER = ['whatHappened', 'urgency', 'participantKnows'] as const;
export const RAISE_ANCHORS: Record<string, string> = {
  urgency: 'urgency',
  participantKnows: 'participantKnows',
};

export interface RaiseInput {
  kind: ConcernKind;
  submissionToken: string;
  whatHappened: string;
  urgency: ConcernUrgency;
  participantKnows: (typeof PARTICIPANT_KNOWS)[number] | null;
  /** The worker confirmed on the "Call 999 now" page that they called. */
  called999: boolean;
}

const concernSchema = z.object({
  submissionToken,
  whatHappened: text(
    'Enter what you saw or heard',
    4000,
    'What you saw or heard must be 4000 characters or fewer',
  ),
  urgency: radio(CONCERN_URGENCIES, 'Select how urgent it is'),
  participantKnows: radio(PARTICIPANT_KNOWS, 'Select whether they know it is being shared'),
  called999: z.literal('yes').optional(),
});

const adviceSchema = z.object({
  submissionToken,
  whatHappened: text('Enter your question', 4000, 'Your question must be 4000 characters or fewer'),
  urgency: radio(ADVICE_URGENCIES, 'Select how soon you need an answer'),
});

export function parseKind(value: unknown): ConcernKind | undefined {
  return value === 'concern' || value === 'advice' ? value : undefined;
}

export function parseRaiseForm(body: unknown, kind: ConcernKind): FormResult<RaiseInput> {
  if (kind === 'advice') {
    const form = parseForm(adviceSchema, body);
    if (!form.ok) return { ok: false, errors: form.errors };
    return { ok: true, value: { kind, ...form.value, participantKnows: null, called999: false } };
  }
  const form = parseForm(concernSchema, body);
  if (!form.ok) return { ok: false, errors: form.errors };
  return { ok: true, value: { kind, ...form.value, called999: form.value.called999 === 'yes' } };
}

const version = z.coerce
  .number({ error: 'This page is out of date. Reload it and try again' })
  .int('This page is out of date. Reload it and try again')
  .min(1, 'This page is out of date. Reload it and try again')
  .max(1_000_000, 'This page is out of date. Reload it and try again');

export const ACKNOWLEDGE_FIELDS = ['version'] as const;
const acknowledgeSchema = z.object({ version });
export function parseAcknowledgeForm(body: unknown): FormResult<{ version: number }> {
  return parseForm(acknowledgeSchema, body);
}

export const CLOSE_FIELD_ORDER = ['action', 'note'] as const;
export interface CloseInput {
  version: number;
  action: ConcernAction;
  note: string | null;
}
const closeSchema = z.object({
  version,
  action: radio(CONCERN_ACTIONS, 'Select what was done'),
  note: optionalText(4000, 'The note must be 4000 characters or fewer'),
});
export function parseCloseForm(body: unknown): FormResult<CloseInput> {
  const form = parseForm(closeSchema, body);
  if (!form.ok) {
    const errors = { ...form.errors };
    if (form.partial?.action === 'no_action' && !form.partial.note && !errors.note)
      errors.note = 'Enter why no action was needed';
    return { ok: false, errors };
  }
  if (form.value.action === 'no_action' && !form.value.note)
    return { ok: false, errors: { note: 'Enter why no action was needed' } };
  return form;
}

export const MESSAGE_FIELD_ORDER = ['body'] as const;
const messageSchema = z.object({
  submissionToken,
  body: text('Enter your message', 4000, 'Your message must be 4000 characters or fewer'),
});
export function parseMessageForm(body: unknown): FormResult<{ submissionToken: string; body: string }> {
  return parseForm(messageSchema, body);
}

/** Text fields of a posted form, kept to re-show it (anything else is dropped). */
export const VALUES: FormValuesOptions = { maxLength: 5000 };
