/** The forms of acute-care episodes (finding a study id; recording or correcting an episode) and of a DMC report. */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import type { FormValues, Parsed } from '../platform/http/form-page.ts';
import { asRecord } from '../platform/http/form-page.ts';
import { optionalText, parseDateInput, parseForm, submissionToken, text } from '../platform/http/forms.ts';
import type { EpisodeChange } from './acute-episode.repository.ts';
import type { EpisodeInput } from './acute-episode.service.ts';
import type { DmcReportInput } from './outcomes.service.ts';

export const NOTES_MAX = 500;
export const PURPOSE_MAX = 500;
/** A study id as the trial makes them (`<short code>-0001`); anything else is not found. */
export const STUDY_ID = /^[A-Z0-9][A-Z0-9-]{0,39}$/;

const dateFields = (name: string) => ['day', 'month', 'year'].map((p) => `${name}[${p}]`);

export const EPISODE_FIELDS = ['kind', 'startedOn', 'endedOn', 'source', 'notes'];
export const EPISODE_ANCHORS = { kind: 'kind', source: 'source', startedOn: 'startedOn-day', endedOn: 'endedOn-day' };
export const EPISODE_VALUES = {
  fields: ['submissionToken', 'version', 'kind', ...dateFields('startedOn'), ...dateFields('endedOn'), 'source', 'notes'],
  maxLength: NOTES_MAX + 100,
};

const findSchema = z.object({
  studyId: z
    .string({ error: 'Enter a study id' })
    .transform((v) => v.trim().toUpperCase())
    .pipe(z.string().min(1, 'Enter a study id').regex(STUDY_ID, 'Enter a study id like PEERS-DEMO-0001')),
});

export function parseFindForm(body: unknown): Parsed<{ studyId: string }> {
  return parseForm(findSchema, asRecord(body));
}

const episodeSchema = z.object({
  kind: z.string({ error: 'Select what kind of acute care it was' }).min(1, 'Select what kind of acute care it was'),
  source: z.string({ error: 'Select where the information came from' }).min(1, 'Select where the information came from'),
  notes: optionalText(NOTES_MAX, `Notes must be ${String(NOTES_MAX)} characters or fewer`),
});

const tokenSchema = z.object({ submissionToken });
const versionSchema = z.object({ version: z.coerce.number({ error: 'This form has expired. Start again' }).int().min(1).max(1_000_000) });

/** An episode's fields: its dates today or earlier, its end (optional) on or after its start. */
function parseEpisode(record: Record<string, unknown>, today: string): Parsed<EpisodeChange> {
  const parsed = parseForm(episodeSchema, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const started = parseDateInput(record, 'startedOn', { enter: 'Enter the date it started', label: 'Date it started' });
  const endBlank = dateFields('endedOn').every((f) => typeof record[f] !== 'string' || record[f].trim() === '');
  const ended = endBlank
    ? ({ ok: true, value: null } as const)
    : parseDateInput(record, 'endedOn', { enter: 'Enter the date it ended', label: 'Date it ended' });
  if (!started.ok) errors.startedOn = started.message;
  else if (started.value > today) errors.startedOn = 'Date it started must be today or in the past';
  if (!ended.ok) errors.endedOn = ended.message;
  else if (ended.value !== null && ended.value > today) errors.endedOn = 'Date it ended must be today or in the past';
  else if (ended.value !== null && started.ok && ended.value < started.value)
    errors.endedOn = 'Date it ended must be on or after the date it started';
  if (!parsed.ok || !started.ok || !ended.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, startedOn: started.value, endedOn: ended.value } };
}

export function parseNewEpisodeForm(body: unknown, today: string): Parsed<EpisodeInput> {
  const record = asRecord(body);
  const token = parseForm(tokenSchema, record);
  const episode = parseEpisode(record, today);
  if (!token.ok || !episode.ok)
    return { ok: false, errors: { ...(token.ok ? {} : token.errors), ...(episode.ok ? {} : episode.errors) } };
  return { ok: true, value: { ...episode.value, submissionToken: token.value.submissionToken } };
}

export function parseChangedEpisodeForm(body: unknown, today: string): Parsed<EpisodeChange & { version: number }> {
  const record = asRecord(body);
  const version = parseForm(versionSchema, record);
  const episode = parseEpisode(record, today);
  if (!version.ok || !episode.ok)
    return { ok: false, errors: { ...(version.ok ? {} : version.errors), ...(episode.ok ? {} : episode.errors) } };
  return { ok: true, value: { ...episode.value, version: version.value.version } };
}

/** The form's boxes filled from an episode, to correct it. */
export function episodeValues(e: EpisodeChange & { version: number }): FormValues {
  const split = (name: string, date: string | null) => {
    if (date === null) return {};
    const [year, month, day] = date.split('-') as [string, string, string];
    return { [`${name}[day]`]: day, [`${name}[month]`]: month, [`${name}[year]`]: year };
  };
  return {
    version: String(e.version),
    kind: e.kind,
    source: e.source,
    notes: e.notes ?? '',
    ...split('startedOn', e.startedOn),
    ...split('endedOn', e.endedOn),
  };
}

export const DMC_FIELDS = ['meetingOn', 'purpose'];
export const DMC_VALUES = { fields: ['submissionToken', ...dateFields('meetingOn'), 'purpose'], maxLength: PURPOSE_MAX + 100 };

const dmcSchema = z.object({
  submissionToken,
  purpose: text(
    'Enter what the committee meets for',
    PURPOSE_MAX,
    `What the committee meets for must be ${String(PURPOSE_MAX)} characters or fewer`,
  ),
});

export function parseDmcForm(body: unknown): Parsed<DmcReportInput> {
  const record = asRecord(body);
  const parsed = parseForm(dmcSchema, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const meeting = parseDateInput(record, 'meetingOn', {
    enter: 'Enter the date of the committee’s meeting',
    label: 'Date of the meeting',
  });
  if (!meeting.ok) errors.meetingOn = meeting.message;
  if (!parsed.ok || !meeting.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, meetingOn: meeting.value } };
}
