/** The appointment forms: a vacancy with its panel, a candidate, a panel member's scores, the decision. */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type Parsed } from '../platform/http/form-page.ts';
import { optionalText, parseDateInput, parseForm, submissionToken, text } from '../platform/http/forms.ts';
import type { AppointmentCriteria } from './appointment-criteria.ts';
import {
  PANEL_MAX,
  type CandidateInput,
  type ScoresInput,
  type VacancyInput,
} from './appointment.service.ts';

export const NOTE_MAX = 500;
export const REASONS_MAX = 2000;
export const VACANCY_FIELD_ORDER = [
  'crisisTeamId',
  'title',
  'hoursPerWeek',
  'closingOn',
  'memberIds',
  'chairId',
];
export const VACANCY_ANCHORS = {
  closingOn: 'closingOn-day',
  crisisTeamId: 'crisisTeamId',
  memberIds: 'memberIds',
  chairId: 'chairId',
};
export const CANDIDATE_FIELD_ORDER = ['fullName', 'email', 'phone'];

const listOf = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function parseVacancyForm(body: unknown, today: string): Parsed<VacancyInput> {
  const fields = asRecord(body);
  const parsed = parseForm(
    z.object({
      submissionToken,
      crisisTeamId: z.uuid({ error: 'Select the crisis team the post is in' }),
      title: text('Enter the post’s title', 120, 'The title must be 120 characters or fewer'),
      hoursPerWeek: z
        .string({ error: 'Enter the hours a week' })
        .trim()
        .regex(/^\d{1,2}(\.\d)?$/, 'Hours a week must be a number, like 30 or 22.5')
        .transform(Number)
        .pipe(
          z.number().gt(0, 'Hours a week must be more than 0').max(48, 'Hours a week must be 48 or fewer'),
        ),
      chairId: z.uuid({ error: 'Select who chairs the panel' }),
    }),
    fields,
  );
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const closing = parseDateInput(fields, 'closingOn', {
    enter: 'Enter the closing date',
    label: 'Closing date',
  });
  if (!closing.ok) errors.closingOn = closing.message;
  else if (closing.value < today) errors.closingOn = 'Closing date must be today or later';
  const members = z.array(z.uuid()).min(2).max(PANEL_MAX).safeParse(listOf(fields.memberIds));
  if (!members.success) errors.memberIds = `Select between 2 and ${String(PANEL_MAX)} panel members`;
  if (!parsed.ok || !closing.ok || !members.success || Object.keys(errors).length > 0)
    return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, closingOn: closing.value, memberIds: members.data } };
}

export function parseCandidateForm(body: unknown): Parsed<CandidateInput> {
  return parseForm(
    z.object({
      submissionToken,
      fullName: text('Enter their full name', 100, 'Full name must be 100 characters or fewer'),
      email: text('Enter their email address', 254, 'Email address must be 254 characters or fewer').refine(
        (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
        'Enter an email address in the correct format, like name@example.com',
      ),
      phone: optionalText(30, 'Phone number must be 30 characters or fewer'),
    }),
    asRecord(body),
  );
}

export const scoreField = (key: string) => `score_${key}`;
export const noteField = (key: string) => `note_${key}`;

export function parseScoresForm(body: unknown, criteria: AppointmentCriteria): Parsed<ScoresInput> {
  const fields = asRecord(body);
  const errors: FieldErrors = {};
  const scores: ScoresInput['scores'] = [];
  for (const criterion of criteria.criteria) {
    const raw = fields[scoreField(criterion.key)];
    const point = criteria.scale.find((s) => String(s.value) === raw);
    const note = fields[noteField(criterion.key)];
    const noteText = typeof note === 'string' ? note.trim() : '';
    if (note !== undefined && typeof note !== 'string')
      errors[noteField(criterion.key)] = 'Enter the note as text';
    if (noteText.length > NOTE_MAX)
      errors[noteField(criterion.key)] = `A note must be ${String(NOTE_MAX)} characters or fewer`;
    if (!point) errors[scoreField(criterion.key)] = `Score: ${criterion.title}`;
    else scores.push({ criterionKey: criterion.key, score: point.value, note: noteText || null });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { scores } };
}

export function parseDecisionForm(
  body: unknown,
): Parsed<{ outcome: 'appointed' | 'not_appointed'; reasons: string }> {
  return parseForm(
    z.object({
      outcome: z.enum(['appointed', 'not_appointed'], { error: 'Select the panel’s decision' }),
      reasons: text(
        'Enter the reasons for the decision',
        REASONS_MAX,
        `Reasons must be ${String(REASONS_MAX)} characters or fewer`,
      ),
    }),
    asRecord(body),
  );
}
