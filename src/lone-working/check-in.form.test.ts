import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseAcknowledgeForm, parseCheckInForm } from './check-in.form.ts';

// 10:00 in the UK in winter (GMT), and 10:00 in summer (BST, UTC+1).
const WINTER = new Date('2026-11-26T10:00:00Z');
const SUMMER = new Date('2026-07-01T09:00:00Z');
const form = (extra: Record<string, unknown>) => ({
  submissionToken: randomUUID(),
  place: '1 High Street',
  expectedEnd: '11:30',
  ...extra,
});

describe('check-in form', () => {
  it('reads the expected end as UK time today, in winter and in summer', () => {
    const winter = parseCheckInForm(form({}), WINTER);
    expect(winter.ok && winter.value.expectedEndAt.toISOString()).toBe('2026-11-26T11:30:00.000Z');
    const summer = parseCheckInForm(form({}), SUMMER);
    expect(summer.ok && summer.value.expectedEndAt.toISOString()).toBe('2026-07-01T10:30:00.000Z');
  });

  it('needs an end time after now and within 12 hours', () => {
    const tooLate = {
      ok: false,
      errors: { expectedEnd: 'The time you expect to finish must be later than now and within 12 hours' },
    };
    // 10:00 now: 10:00 again is tomorrow's, 24 hours away.
    expect(parseCheckInForm(form({ expectedEnd: '10:00' }), WINTER)).toEqual(tooLate);
    expect(parseCheckInForm(form({ expectedEnd: '09:59' }), WINTER)).toEqual(tooLate);
    expect(parseCheckInForm(form({ expectedEnd: '22:00' }), WINTER).ok).toBe(true);
    expect(parseCheckInForm(form({ expectedEnd: '22:01' }), WINTER)).toEqual(tooLate);
  });

  it('takes a visit that ends after midnight: an earlier time is tomorrow’s', () => {
    const lateEvening = new Date('2026-11-26T21:30:00Z');
    const afterMidnight = parseCheckInForm(form({ expectedEnd: '00:45' }), lateEvening);
    expect(afterMidnight.ok && afterMidnight.value.expectedEndAt.toISOString()).toBe('2026-11-27T00:45:00.000Z');
    const sameEvening = parseCheckInForm(form({ expectedEnd: '23:15' }), lateEvening);
    expect(sameEvening.ok && sameEvening.value.expectedEndAt.toISOString()).toBe('2026-11-26T23:15:00.000Z');
    // Summer: 23:00 BST now, 01:30 BST tomorrow is 00:30 UTC.
    const summerNight = parseCheckInForm(form({ expectedEnd: '01:30' }), new Date('2026-07-01T22:00:00Z'));
    expect(summerNight.ok && summerNight.value.expectedEndAt.toISOString()).toBe('2026-07-02T00:30:00.000Z');
  });

  it('treats "no one" as no participant and refuses a participant id that is not an id', () => {
    const none = parseCheckInForm(form({ participantId: '' }), WINTER);
    expect(none.ok && none.value.participantId).toBeNull();
    const bad = parseCheckInForm(form({ participantId: 'Robert' }), WINTER);
    expect(bad.ok).toBe(false);
  });

  it('gives every message at once for an empty form, and never throws on junk', () => {
    const empty = parseCheckInForm({ submissionToken: randomUUID() }, WINTER);
    expect(empty.ok ? {} : empty.errors).toEqual({
      place: 'Enter where you are going, such as the address or the name of the place',
      expectedEnd: 'Enter the time you expect to finish',
    });
    for (const junk of [null, 'text', 42, [], { place: {}, expectedEnd: [] }]) {
      expect(parseCheckInForm(junk, WINTER).ok).toBe(false);
    }
  });

  it('needs a note to acknowledge an overdue visit, up to 1000 characters', () => {
    expect(parseAcknowledgeForm({ note: ' Spoke to them ' })).toEqual({ ok: true, note: 'Spoke to them' });
    expect(parseAcknowledgeForm({ note: '' }).ok).toBe(false);
    expect(parseAcknowledgeForm({ note: 'x'.repeat(1001) }).ok).toBe(false);
  });
});
