/**
 * The two session forms: booking a session, and recording what happened (or changing that
 * record). Each parses the posted body into a typed value or the messages to show beside
 * each field; hostile input gets messages, never an exception.
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
import { DEFAULT_STATUS_REASONS, parseStatusReasons } from './status-reasons.ts';
import { daysBetween } from '../platform/calendar/uk-time.ts';

const DEFAULT_REASON_KEYS = ((parsed) => (parsed.ok ? parsed.reasons.map((r) => r.key) : []))(
  parseStatusReasons(DEFAULT_STATUS_REASONS),
);

export const MODES = ['in_person', 'phone', 'video'] as const;
export const PLACES = ['home', 'community_venue', 'nhs_site'] as const;
/** What a worker can record: every status but "planned". */
export const OUTCOMES = [
  'attended',
  'did_not_attend',
  'cancelled_by_participant',
  'cancelled_by_worker',
  'rescheduled',
] as const;

export type Mode = (typeof MODES)[number];
export type Place = (typeof PLACES)[number];
export type Outcome = (typeof OUTCOMES)[number];

export interface BookingInput {
  submissionToken: string;
  /** The UK calendar date and time of the session, as typed. */
  plannedOn: string;
  plannedTime: { hour: number; minute: number };
  mode: Mode;
  place: Place | null;
  outsideWindowReason: string | null;
  confirmOverCap: boolean;
  /** The planned ending session (PRODUCT.md section 2: endings matter). */
  isEnding: boolean;
}

export type RecordInput = {
  version: number;
  why: string | null;
  /** The worker has a concern to raise with the crisis team. */
  concernToRaise: boolean;
} & (
  | {
      status: 'attended';
      durationMinutes: number;
      /** Keys of the recovery plan's sections worked on (the plan template's keys). */
      sections: string[];
      storySharing: boolean;
      note: string | null;
      followUps: string | null;
    }
  | { status: Exclude<Outcome, 'attended'>; reason: string; reasonOther: string | null }
);

export const BOOKING_FIELD_ORDER = [
  'plannedOn',
  'plannedTime',
  'mode',
  'place',
  'outsideWindowReason',
  'confirmOverCap',
  'isEnding',
] as const;
export const BOOKING_ANCHORS: Record<string, string> = {
  plannedOn: 'plannedOn-day',
  mode: 'mode',
  place: 'place',
  confirmOverCap: 'confirmOverCap',
  isEnding: 'isEnding',
};
export const RECORD_FIELD_ORDER = [
  'status',
  'reason',
  'reasonOther',
  'durationMinutes',
  'sections',
  'storySharing',
  'note',
  'followUps',
  'concernToRaise',
  'why',
] as const;
/** Every name the booking and record forms post (the date as its three boxes), for tests that feed them junk. */
export const POSTED_FIELDS = [
  'submissionToken',
  'version',
  ...BOOKING_FIELD_ORDER.flatMap((field) =>
    field === 'plannedOn' ? ['plannedOn[day]', 'plannedOn[month]', 'plannedOn[year]'] : [field],
  ),
  ...RECORD_FIELD_ORDER,
];
export const RECORD_ANCHORS: Record<string, string> = {
  status: 'status',
  reason: 'reason',
  sections: 'sections',
  storySharing: 'storySharing',
  concernToRaise: 'concernToRaise',
};

/** What is shown again in the boxes when a form comes back with errors. */
export const VALUES: FormValuesOptions = { lists: ['sections'] };

/** "14:30", "9:05" or "14.30": the 24-hour clock, as the hint asks. */
export function parseTime(value: unknown): { hour: number; minute: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

const bookingBase = z.object({
  submissionToken,
  mode: radio(MODES, 'Select how you will meet'),
  outsideWindowReason: optionalText(500, 'Reason must be 500 characters or fewer'),
});
const placeField = radio(PLACES, 'Select where you will meet');

export function parseBookingForm(
  body: unknown,
  today: string,
): { ok: true; value: BookingInput } | { ok: false; errors: FieldErrors } {
  const record = asRecord(body);
  const parsed = parseForm(bookingBase, record);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };

  const plannedOn = parseDateInput(record, 'plannedOn', {
    enter: 'Enter the date of the session',
    label: 'Date of the session',
  });
  if (!plannedOn.ok) errors.plannedOn = plannedOn.message;
  else if (Math.abs(daysBetween(today, plannedOn.value)) > 366)
    errors.plannedOn = 'Date of the session must be within a year of today';

  const plannedTime = parseTime(record.plannedTime);
  if (!plannedTime)
    errors.plannedTime =
      typeof record.plannedTime === 'string' && record.plannedTime.trim() !== ''
        ? 'Enter a real time, using the 24-hour clock, like 14:30'
        : 'Enter the time of the session';

  const v = parsed.ok ? parsed.value : (parsed.partial ?? {});
  let place: Place | null = null;
  if (v.mode === 'in_person') {
    const placeResult = placeField.safeParse(record.place);
    if (placeResult.success) place = placeResult.data;
    else errors.place = 'Select where you will meet';
  }
  const confirm = record.confirmOverCap;
  if (confirm !== undefined && confirm !== 'yes') errors.confirmOverCap = 'Select the box to confirm';
  const ending = record.isEnding;
  if (ending !== undefined && ending !== 'yes')
    errors.isEnding = 'Select the box if this is the planned ending session, or leave it clear';

  if (!parsed.ok || !plannedOn.ok || !plannedTime || Object.keys(errors).length > 0)
    return { ok: false, errors };
  return {
    ok: true,
    value: {
      submissionToken: parsed.value.submissionToken,
      plannedOn: plannedOn.value,
      plannedTime,
      mode: parsed.value.mode,
      place,
      outsideWindowReason: parsed.value.outsideWindowReason,
      confirmOverCap: confirm === 'yes',
      isEnding: ending === 'yes',
    },
  };
}

const recordBase = z.object({
  version: z
    .string({ error: 'This form has expired. Start again' })
    .regex(/^\d{1,9}$/, 'This form has expired. Start again')
    .transform(Number),
  status: radio(OUTCOMES, 'Select what happened'),
  why: optionalText(500, 'Reason for the change must be 500 characters or fewer'),
});

/**
 * A schema built once per list of keys (the plan template's sections, the deployment's
 * reasons: both fixed at start-up), not on every request: building one costs about twenty
 * times what parsing with it does.
 */
function onceFor<Keys extends readonly string[], Schema>(
  build: (keys: Keys) => Schema,
): (keys: Keys) => Schema {
  const built = new Map<string, Schema>();
  return (keys) => {
    const key = keys.join('\u0000');
    let schema = built.get(key);
    if (!schema) {
      schema = build(keys);
      built.set(key, schema);
    }
    return schema;
  };
}

const attendedFields = onceFor((sectionKeys: readonly [string, ...string[]]) =>
  z.object({
    durationMinutes: z
      .string({ error: 'Enter how long the session lasted, in minutes' })
      .transform((value) => value.trim())
      .pipe(
        z
          .string()
          .min(1, 'Enter how long the session lasted, in minutes')
          .regex(/^\d{1,4}$/, 'How long the session lasted must be a number of minutes, like 45'),
      )
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1, 'How long the session lasted must be at least 1 minute')
          .max(600, 'How long the session lasted must be 600 minutes (10 hours) or less'),
      ),
    sections: checkboxes(sectionKeys, 'Select the sections of the plan you worked on'),
    storySharing: radio(['yes', 'no'], 'Select yes if you shared your own story'),
    note: optionalText(2000, 'Note must be 2000 characters or fewer'),
    followUps: optionalText(2000, 'Follow-ups must be 2000 characters or fewer'),
  }),
);

const reasonFields = onceFor((reasonKeys: readonly string[]) =>
  z.object({
    reason: z
      .string({ error: 'Select why the session did not go ahead' })
      .refine((value) => reasonKeys.includes(value), 'Select why the session did not go ahead'),
    reasonOther: optionalText(500, 'Reason must be 500 characters or fewer'),
  }),
);

export function parseRecordForm(
  body: unknown,
  options: {
    /** The keys of the plan template's sections switched on: the only ones a session can have worked on. */
    sectionKeys: readonly string[];
    /** The codes on this deployment's list of reasons (SESSION_STATUS_REASONS), "other" included. */
    reasonKeys?: readonly string[];
  },
): { ok: true; value: RecordInput } | { ok: false; errors: FieldErrors } {
  const record = asRecord(body);
  const base = parseForm(recordBase, record);
  const errors: FieldErrors = base.ok ? {} : { ...base.errors };
  const status = base.ok ? base.value.status : base.partial?.status;
  const concern = record.concernToRaise;
  if (concern !== undefined && concern !== 'yes')
    errors.concernToRaise = 'Select the box if you have a concern to raise, or leave it clear';
  const concernToRaise = concern === 'yes';

  if (status === 'attended') {
    // The template's schema keeps at least one section on; '' stands in only if a deployment switched all off.
    const [first, ...rest] = options.sectionKeys;
    const sectionKeys: readonly [string, ...string[]] = first === undefined ? [''] : [first, ...rest];
    const attended = parseForm(attendedFields(sectionKeys), record);
    // A bad checkbox value is reported on its item ("sections-0"): show it on the question.
    if (!attended.ok)
      for (const [field, message] of Object.entries(attended.errors))
        errors[field.replace(/-\d+$/, '')] ??= message;
    if (base.ok && attended.ok && Object.keys(errors).length === 0) {
      return {
        ok: true,
        value: {
          version: base.value.version,
          why: base.value.why,
          concernToRaise,
          status: 'attended',
          durationMinutes: attended.value.durationMinutes,
          sections: [...new Set(attended.value.sections)],
          storySharing: attended.value.storySharing === 'yes',
          note: attended.value.note,
          followUps: attended.value.followUps,
        },
      };
    }
    return { ok: false, errors };
  }
  if (status !== undefined) {
    const reasons = parseForm(reasonFields(options.reasonKeys ?? DEFAULT_REASON_KEYS), record);
    if (!reasons.ok) Object.assign(errors, reasons.errors);
    const reasonOther = reasons.ok ? reasons.value.reasonOther : (reasons.partial?.reasonOther ?? null);
    const reason = reasons.ok ? reasons.value.reason : reasons.partial?.reason;
    if (reason === 'other' && !reasonOther && !errors.reasonOther)
      errors.reasonOther = 'Enter why the session did not go ahead';
    if (base.ok && reasons.ok && Object.keys(errors).length === 0) {
      return {
        ok: true,
        value: {
          version: base.value.version,
          why: base.value.why,
          concernToRaise,
          status: base.value.status as Exclude<Outcome, 'attended'>,
          reason: reasons.value.reason,
          reasonOther: reasons.value.reason === 'other' ? reasons.value.reasonOther : null,
        },
      };
    }
  }
  return { ok: false, errors };
}

/** A session that already happened, booked and recorded in one go. */
export interface PastSessionInput {
  booking: BookingInput;
  outcome: RecordInput;
}

/** The one form's questions in page order: when and how, then what happened. */
export const PAST_SESSION_FIELD_ORDER = [
  ...BOOKING_FIELD_ORDER.filter((field) => field !== 'isEnding'),
  ...RECORD_FIELD_ORDER.filter((field) => field !== 'why'),
];
export const PAST_SESSION_ANCHORS: Record<string, string> = { ...BOOKING_ANCHORS, ...RECORD_ANCHORS };

/**
 * "Record a session that already happened": the booking questions and the record questions,
 * with the same messages as each form alone. Whether the time has passed is the service's to
 * say (it owns the clock and the participant's dates).
 */
export function parsePastSessionForm(
  body: unknown,
  today: string,
  options: { sectionKeys: readonly string[]; reasonKeys?: readonly string[] },
): { ok: true; value: PastSessionInput } | { ok: false; errors: FieldErrors } {
  const record = asRecord(body);
  // Nothing to be stale against yet, and nothing to mark as the ending after the event.
  const { version: _version, why: _why, isEnding: _isEnding, ...fields } = record;
  const booking = parseBookingForm(fields, today);
  const outcome = parseRecordForm({ ...fields, version: '1' }, options);
  if (booking.ok && outcome.ok)
    return { ok: true, value: { booking: booking.value, outcome: outcome.value } };
  return {
    ok: false,
    errors: { ...(booking.ok ? {} : booking.errors), ...(outcome.ok ? {} : outcome.errors) },
  };
}
