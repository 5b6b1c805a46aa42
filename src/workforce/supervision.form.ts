/**
 * The supervision forms: a 1:1 (date, length, private notes, up to three agreed actions each
 * with a due date, the next 1:1 if booked), a group session (date, length, facilitator, who
 * attended, themes, notes) and a worker's targets. Hostile input gets messages, never an
 * exception.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type FormValuesOptions, type Parsed } from '../platform/http/form-page.ts';
import { optionalText, parseDateInput, parseForm, submissionToken, text } from '../platform/http/forms.ts';
import type { GroupInput, OneToOneInput } from './supervision.service.ts';
import type { Fidelity } from './fidelity.ts';

export const NOTES_MAX = 4000;
export const ACTION_MAX = 500;
export const ACTION_ROWS = 3;

const dateParts = (name: string) => ['day', 'month', 'year'].map((part) => `${name}[${part}]`);
const actionNames = Array.from({ length: ACTION_ROWS }, (_, i) => i + 1);

export const ONE_TO_ONE_FIELD_ORDER = [
  'heldOn',
  'durationMinutes',
  'notes',
  ...actionNames.flatMap((n) => [`action${String(n)}`, `action${String(n)}Due`]),
  'nextOn',
];
export const ONE_TO_ONE_ANCHORS: Record<string, string> = Object.fromEntries(
  ['heldOn', 'nextOn', ...actionNames.map((n) => `action${String(n)}Due`)].map((name) => [
    name,
    `${name}-day`,
  ]),
);
export const ONE_TO_ONE_VALUES: FormValuesOptions = {
  fields: [
    'submissionToken',
    ...dateParts('heldOn'),
    'durationMinutes',
    'notes',
    ...actionNames.flatMap((n) => [`action${String(n)}`, ...dateParts(`action${String(n)}Due`)]),
    ...dateParts('nextOn'),
  ],
  maxLength: NOTES_MAX + 100,
};

export const GROUP_FIELD_ORDER = [
  'heldOn',
  'durationMinutes',
  'facilitator',
  'attendeeIds',
  'themes',
  'otherTheme',
  'notes',
];
export const GROUP_ANCHORS: Record<string, string> = {
  heldOn: 'heldOn-day',
  attendeeIds: 'attendeeIds',
  themes: 'themes',
};
export const GROUP_VALUES: FormValuesOptions = {
  fields: [
    'submissionToken',
    ...dateParts('heldOn'),
    'durationMinutes',
    'facilitator',
    'attendeeIds',
    'themes',
    'otherTheme',
    'notes',
    'confirmed',
  ],
  lists: ['attendeeIds', 'themes'],
  maxLength: NOTES_MAX + 100,
};

const minutes = z
  .string({ error: 'Enter how long it lasted, in minutes' })
  .trim()
  .min(1, 'Enter how long it lasted, in minutes')
  .regex(/^\d{1,3}$/, 'How long it lasted must be a whole number of minutes, like 60')
  .transform(Number)
  .pipe(
    z
      .number()
      .min(5, 'How long it lasted must be between 5 and 480 minutes')
      .max(480, 'How long it lasted must be between 5 and 480 minutes'),
  );

function heldOnDate(fields: Record<string, unknown>, today: string, errors: FieldErrors): string | undefined {
  const held = parseDateInput(fields, 'heldOn', {
    enter: 'Enter the date it was held',
    label: 'Date it was held',
  });
  if (!held.ok) errors.heldOn = held.message;
  else if (held.value > today) errors.heldOn = 'Date it was held must be today or in the past';
  else return held.value;
  return undefined;
}

const empty = (fields: Record<string, unknown>, name: string) =>
  ['day', 'month', 'year'].every((part) => {
    const value = fields[`${name}[${part}]`];
    return typeof value !== 'string' || value.trim() === '';
  });

const oneToOneSchema = z.object({
  submissionToken,
  durationMinutes: minutes,
  notes: optionalText(NOTES_MAX, `Notes must be ${String(NOTES_MAX)} characters or fewer`),
});

/** The fidelity radios' names: `fidelity_<item key>`. */
export const fidelityField = (itemKey: string) => `fidelity_${itemKey}`;

export function parseOneToOneForm(body: unknown, today: string, fidelity: Fidelity): Parsed<OneToOneInput> {
  const fields = asRecord(body);
  const parsed = parseForm(oneToOneSchema, fields);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const heldOn = heldOnDate(fields, today, errors);
  const actions: OneToOneInput['actions'] = [];
  for (const n of actionNames) {
    const name = `action${String(n)}`;
    const raw = fields[name];
    const action = typeof raw === 'string' ? raw.trim() : '';
    if (raw !== undefined && typeof raw !== 'string') errors[name] = 'Enter the action as text';
    if (action.length > ACTION_MAX)
      errors[name] = `An action must be ${String(ACTION_MAX)} characters or fewer`;
    if (!action) {
      if (!empty(fields, `${name}Due`)) errors[name] = 'Enter the action, or clear its due date';
      continue;
    }
    const due = parseDateInput(fields, `${name}Due`, {
      enter: 'Enter the date this action is due',
      label: 'Due date',
    });
    if (!due.ok) errors[`${name}Due`] = due.message;
    else actions.push({ action, dueOn: due.value });
  }
  let nextOn: string | null = null;
  if (!empty(fields, 'nextOn')) {
    const next = parseDateInput(fields, 'nextOn', { enter: '', label: 'Date of the next 1:1' });
    if (!next.ok) errors.nextOn = next.message;
    else if (heldOn !== undefined && next.value <= heldOn)
      errors.nextOn = 'Date of the next 1:1 must be after this one';
    else nextOn = next.value;
  }
  const ratings: OneToOneInput['fidelity'] = [];
  for (const item of fidelity.items) {
    const raw = fields[fidelityField(item.key)];
    if (raw === undefined || raw === '') continue;
    const score = fidelity.scale.find((s) => String(s.value) === raw);
    if (!score) errors[fidelityField(item.key)] = 'Choose one of the answers, or leave it';
    else ratings.push({ itemKey: item.key, score: score.value });
  }
  if (!parsed.ok || heldOn === undefined || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, heldOn, actions, nextOn, fidelity: ratings } };
}

const listOf = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function parseGroupForm(body: unknown, today: string, themes: readonly string[]): Parsed<GroupInput> {
  const fields = asRecord(body);
  const parsed = parseForm(
    z.object({
      submissionToken,
      durationMinutes: minutes,
      facilitator: text(
        'Enter who facilitated it',
        200,
        'Who facilitated it must be 200 characters or fewer',
      ),
      otherTheme: optionalText(80, 'Another theme must be 80 characters or fewer'),
      notes: optionalText(NOTES_MAX, `Notes must be ${String(NOTES_MAX)} characters or fewer`),
    }),
    fields,
  );
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const heldOn = heldOnDate(fields, today, errors);
  const attendees = listOf(fields.attendeeIds);
  const attendeeIds = z.array(z.uuid()).min(1).max(100).safeParse(attendees);
  if (!attendeeIds.success) errors.attendeeIds = 'Select the peer support workers who attended';
  const chosenThemes = listOf(fields.themes);
  if (!chosenThemes.every((theme) => typeof theme === 'string' && themes.includes(theme)))
    errors.themes = 'Select themes from the list, or write another';
  if (!parsed.ok || heldOn === undefined || !attendeeIds.success || Object.keys(errors).length > 0)
    return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...parsed.value,
      heldOn,
      attendeeIds: [...new Set(attendeeIds.data.map((id) => id.toLowerCase()))],
      themes: chosenThemes as string[],
      confirmed: fields.confirmed === 'yes',
    },
  };
}

/** Days between supervision sessions: empty for the deployment's default, else 7 to 180. */
function targetDays(value: unknown, label: string, errors: FieldErrors, name: string): number | null {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
  if (
    typeof value !== 'string' ||
    !/^\d{1,3}$/.test(value.trim()) ||
    Number(value) < 7 ||
    Number(value) > 180
  ) {
    errors[name] = `${label} must be a number of days from 7 to 180, or empty for the usual`;
    return null;
  }
  return Number(value);
}

export function parseTargetsForm(
  body: unknown,
): Parsed<{ oneToOneEveryDays: number | null; groupEveryDays: number | null }> {
  const fields = asRecord(body);
  const errors: FieldErrors = {};
  const oneToOneEveryDays = targetDays(
    fields.oneToOneEveryDays,
    '1:1 supervision every',
    errors,
    'oneToOneEveryDays',
  );
  const groupEveryDays = targetDays(
    fields.groupEveryDays,
    'Group supervision every',
    errors,
    'groupEveryDays',
  );
  return Object.keys(errors).length > 0
    ? { ok: false, errors }
    : { ok: true, value: { oneToOneEveryDays, groupEveryDays } };
}
