import { describe, expect, it } from 'vitest';
import { DEFAULT_STATUS_REASONS, parseStatusReasons, reasonLabel } from './status-reasons.ts';

describe('reasons a session did not go ahead', () => {
  it('reads the default list, with "Another reason" always last', () => {
    const parsed = parseStatusReasons(DEFAULT_STATUS_REASONS);
    expect(parsed).toEqual({
      ok: true,
      reasons: [
        { key: 'unwell', label: 'Unwell' },
        { key: 'life_event', label: 'Something came up in their life' },
        { key: 'lost_contact', label: 'Lost contact' },
        { key: 'other', label: 'Another reason' },
      ],
    });
  });

  it('takes a deployment’s own list, and keeps "other" even when it is listed', () => {
    const parsed = parseStatusReasons(' transport = No transport ; other=Else; caring=Caring duties ;');
    expect(parsed.ok && parsed.reasons.map((r) => r.key)).toEqual(['transport', 'caring', 'other']);
  });

  it('refuses a malformed list with a message', () => {
    expect(parseStatusReasons('Unwell')).toMatchObject({ ok: false });
    expect(parseStatusReasons('bad key=Label')).toMatchObject({ ok: false });
    expect(parseStatusReasons('a=One;a=Two')).toEqual({ ok: false, message: '"a" is listed twice' });
    expect(parseStatusReasons('other=Other')).toMatchObject({ ok: false });
  });

  it('labels a code taken off the list from its words', () => {
    const parsed = parseStatusReasons('transport=No transport');
    const reasons = parsed.ok ? parsed.reasons : [];
    expect(reasonLabel('transport', reasons)).toBe('No transport');
    expect(reasonLabel('life_event', reasons)).toBe('Life event');
  });
});
