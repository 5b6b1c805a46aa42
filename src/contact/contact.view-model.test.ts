import { describe, expect, it } from 'vitest';
import { daysAgo } from './contact.view-model.ts';

describe('days since last reached', () => {
  it('counts UK calendar days, not 24-hour periods', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    expect(daysAgo(new Date('2026-11-26T08:00:00Z'), now)).toBe('today');
    // 11:30 pm UK time the evening before is yesterday, though under 24 hours ago.
    expect(daysAgo(new Date('2026-11-25T23:30:00Z'), now)).toBe('yesterday');
    expect(daysAgo(new Date('2026-11-20T12:00:00Z'), now)).toBe('6 days ago');
  });

  it('uses the UK date in summer time', () => {
    // 00:30 on 2 July in the UK is 23:30 on 1 July UTC.
    expect(daysAgo(new Date('2026-07-01T23:30:00Z'), new Date('2026-07-03T09:00:00Z'))).toBe('yesterday');
  });
});
