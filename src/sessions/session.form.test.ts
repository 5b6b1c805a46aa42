import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  parseBookingForm,
  parsePastSessionForm,
  parseRecordForm,
  parseTime,
  POSTED_FIELDS,
} from './session.form.ts';
import { loadPlanTemplates } from '../plan/plan-template.ts';

/** The sections the plan template switches on, as the record form offers them. */
const SECTION_KEYS = loadPlanTemplates().enabledSections.map((section) => section.key);
const parseRecord = (body: unknown, reasonKeys?: readonly string[]) =>
  parseRecordForm(body, { sectionKeys: SECTION_KEYS, reasonKeys });

const TODAY = '2026-11-26';
const TOKEN = '5f0c1b8e-2d3a-4c5b-8e9f-0a1b2c3d4e5f';

const booking = (extra: Record<string, unknown> = {}) => ({
  submissionToken: TOKEN,
  'plannedOn[day]': '3',
  'plannedOn[month]': '12',
  'plannedOn[year]': '2026',
  plannedTime: '14:30',
  mode: 'phone',
  ...extra,
});

describe('booking form', () => {
  it('gives a typed booking for a complete form', () => {
    expect(parseBookingForm(booking(), TODAY)).toEqual({
      ok: true,
      value: {
        submissionToken: TOKEN,
        plannedOn: '2026-12-03',
        plannedTime: { hour: 14, minute: 30 },
        mode: 'phone',
        place: null,
        outsideWindowReason: null,
        confirmOverCap: false,
        isEnding: false,
      },
    });
  });

  it('needs a place only for a session in person', () => {
    const result = parseBookingForm(booking({ mode: 'in_person' }), TODAY);
    expect(result).toEqual({ ok: false, errors: { place: 'Select where you will meet' } });
    const withPlace = parseBookingForm(booking({ mode: 'in_person', place: 'home' }), TODAY);
    expect(withPlace.ok && withPlace.value.place).toBe('home');
    // A place sent with a phone session is ignored rather than stored.
    const phone = parseBookingForm(booking({ place: 'home' }), TODAY);
    expect(phone.ok && phone.value.place).toBeNull();
  });

  it('shows every missing field at once', () => {
    const result = parseBookingForm({ submissionToken: TOKEN }, TODAY);
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(['mode', 'plannedOn', 'plannedTime']);
  });

  it('refuses a date more than a year away', () => {
    const result = parseBookingForm(booking({ 'plannedOn[year]': '2028' }), TODAY);
    expect(!result.ok && result.errors.plannedOn).toBe('Date of the session must be within a year of today');
  });

  it('reads the over-the-cap confirmation only as the box being ticked', () => {
    const ticked = parseBookingForm(booking({ confirmOverCap: 'yes' }), TODAY);
    expect(ticked.ok && ticked.value.confirmOverCap).toBe(true);
    expect(parseBookingForm(booking({ confirmOverCap: ['yes', 'no'] }), TODAY).ok).toBe(false);
  });

  it('marks the planned ending session only when its box is ticked', () => {
    const ticked = parseBookingForm(booking({ isEnding: 'yes' }), TODAY);
    expect(ticked.ok && ticked.value.isEnding).toBe(true);
    const clear = parseBookingForm(booking(), TODAY);
    expect(clear.ok && clear.value.isEnding).toBe(false);
    expect(parseBookingForm(booking({ isEnding: 'maybe' }), TODAY)).toEqual({
      ok: false,
      errors: { isEnding: 'Select the box if this is the planned ending session, or leave it clear' },
    });
  });
});

describe('times', () => {
  it.each([
    ['14:30', { hour: 14, minute: 30 }],
    ['9:05', { hour: 9, minute: 5 }],
    [' 09.05 ', { hour: 9, minute: 5 }],
    ['00:00', { hour: 0, minute: 0 }],
  ])('reads %j', (input, expected) => {
    expect(parseTime(input)).toEqual(expected);
  });

  it.each(['24:00', '12:60', '2pm', '1430', '', '12:3', '-1:00'])('refuses %j', (input) => {
    expect(parseTime(input)).toBeUndefined();
  });
});

describe('record form', () => {
  it('gives a typed attended session, without repeated sections', () => {
    expect(
      parseRecord({
        version: '3',
        status: 'attended',
        durationMinutes: ' 45 ',
        sections: ['moving_on', 'keeping_well', 'moving_on'],
        storySharing: 'yes',
        note: '  Good session ',
        followUps: '',
      }),
    ).toEqual({
      ok: true,
      value: {
        version: 3,
        why: null,
        concernToRaise: false,
        status: 'attended',
        durationMinutes: 45,
        sections: ['moving_on', 'keeping_well'],
        storySharing: true,
        note: 'Good session',
        followUps: null,
      },
    });
  });

  it('accepts a single section posted as one string', () => {
    const result = parseRecord({
      version: '1',
      status: 'attended',
      durationMinutes: '30',
      sections: 'tackling_problems',
      storySharing: 'no',
    });
    expect(result.ok && result.value.status === 'attended' && result.value.sections).toEqual([
      'tackling_problems',
    ]);
  });

  it('refuses the crisis planning section, which is off by default', () => {
    const result = parseRecord({
      version: '1',
      status: 'attended',
      durationMinutes: '30',
      sections: 'crisis_planning',
      storySharing: 'no',
    });
    expect(!result.ok && result.errors.sections).toBe('Select the sections of the plan you worked on');
  });

  it('needs a reason for a session that did not go ahead, and words for "other"', () => {
    expect(parseRecord({ version: '1', status: 'rescheduled' })).toEqual({
      ok: false,
      errors: { reason: 'Select why the session did not go ahead' },
    });
    expect(parseRecord({ version: '1', status: 'did_not_attend', reason: 'other' })).toEqual({
      ok: false,
      errors: { reasonOther: 'Enter why the session did not go ahead' },
    });
    expect(
      parseRecord({
        version: '1',
        status: 'cancelled_by_worker',
        reason: 'unwell',
        reasonOther: 'ignored',
      }),
    ).toEqual({
      ok: true,
      value: {
        version: 1,
        why: null,
        concernToRaise: false,
        status: 'cancelled_by_worker',
        reason: 'unwell',
        reasonOther: null,
      },
    });
  });

  it('offers the deployment’s own reasons, and refuses any other', () => {
    const keys = ['transport', 'other'];
    const missed = { version: '1', status: 'did_not_attend' };
    expect(parseRecord({ ...missed, reason: 'transport' }, keys)).toMatchObject({
      ok: true,
      value: { reason: 'transport' },
    });
    expect(parseRecord({ ...missed, reason: 'unwell' }, keys)).toEqual({
      ok: false,
      errors: { reason: 'Select why the session did not go ahead' },
    });
  });

  it('records a concern to raise with any outcome, and only from its own box', () => {
    const missed = { version: '1', status: 'did_not_attend', reason: 'unwell' };
    expect(parseRecord({ ...missed, concernToRaise: 'yes' })).toMatchObject({
      ok: true,
      value: { concernToRaise: true },
    });
    expect(parseRecord({ ...missed, concernToRaise: 'maybe' })).toEqual({
      ok: false,
      errors: { concernToRaise: 'Select the box if you have a concern to raise, or leave it clear' },
    });
  });

  it('bounds the duration to 1 to 600 minutes', () => {
    const at = (durationMinutes: string) =>
      parseRecord({ version: '1', status: 'attended', durationMinutes, storySharing: 'no' });
    expect(at('0').ok).toBe(false);
    expect(at('600').ok).toBe(true);
    expect(at('601').ok).toBe(false);
    expect(at('45.5').ok).toBe(false);
  });

  it('treats a missing or garbled version as an expired form', () => {
    expect(parseRecord({ status: 'rescheduled', reason: 'unwell' })).toEqual({
      ok: false,
      errors: { version: 'This form has expired. Start again' },
    });
    expect(parseRecord({ version: '1e3', status: 'rescheduled', reason: 'unwell' }).ok).toBe(false);
  });
});

describe('hostile input', () => {
  const anything = fc.oneof(
    fc.string(),
    fc.constantFrom('', '0', '-1', '1e9', 'NaN', '__proto__', 'constructor', 'attended', 'in_person'),
    fc.array(fc.oneof(fc.string(), fc.integer())),
    fc.integer(),
    fc.constant(null),
    fc.object(),
  );
  const fields = POSTED_FIELDS;
  const body = fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string()), anything), anything);

  it('never throws: any body gives a value or field errors', () => {
    fc.assert(
      fc.property(body, (input) => {
        const booked = parseBookingForm(input, TODAY);
        expect(booked.ok || Object.keys(booked.errors).length > 0).toBe(true);
        const recorded = parseRecord(input);
        expect(recorded.ok || Object.keys(recorded.errors).length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the form for a session that already happened', () => {
  const parsePast = (body: unknown) => parsePastSessionForm(body, TODAY, { sectionKeys: SECTION_KEYS });
  const past = (extra: Record<string, unknown> = {}) =>
    booking({
      'plannedOn[day]': '25',
      'plannedOn[month]': '11',
      status: 'attended',
      durationMinutes: '45',
      sections: ['moving_on'],
      storySharing: 'yes',
      ...extra,
    });

  it('gives the booking and the outcome together for a complete form', () => {
    const parsed = parsePast(past({ version: '7', why: 'ignored', isEnding: 'yes' }));
    expect(parsed).toEqual({
      ok: true,
      value: {
        booking: {
          submissionToken: TOKEN,
          plannedOn: '2026-11-25',
          plannedTime: { hour: 14, minute: 30 },
          mode: 'phone',
          place: null,
          outsideWindowReason: null,
          confirmOverCap: false,
          // Not a question on this form: a session already over is not planned as the ending.
          isEnding: false,
        },
        outcome: {
          version: 1,
          why: null,
          concernToRaise: false,
          status: 'attended',
          durationMinutes: 45,
          sections: ['moving_on'],
          storySharing: true,
          note: null,
          followUps: null,
        },
      },
    });
  });

  it('reports the booking questions and the record questions at once, with their own messages', () => {
    const parsed = parsePast({ submissionToken: TOKEN, status: 'attended' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toMatchObject({
      plannedOn: 'Enter the date of the session',
      plannedTime: 'Enter the time of the session',
      mode: 'Select how you will meet',
      durationMinutes: 'Enter how long the session lasted, in minutes',
      storySharing: 'Select yes if you shared your own story',
    });
    expect(parsed.errors).not.toHaveProperty('version');
  });

  it('asks why a session did not go ahead, as the record form does', () => {
    const parsed = parsePast(past({ status: 'did_not_attend' }));
    expect(parsed).toEqual({ ok: false, errors: { reason: 'Select why the session did not go ahead' } });
  });

  it('never throws on junk in any field', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...POSTED_FIELDS), fc.anything()), (body) => {
        const parsed = parsePast(body);
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { numRuns: 200 },
    );
  });
});
