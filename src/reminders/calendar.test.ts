import { describe, expect, it } from 'vitest';
import { buildCalendar, calendarFilename, escapeText, foldLine, type CalendarMeeting } from './calendar.ts';

const meeting: CalendarMeeting = {
  sessionId: '0b7e2d4a-5c1f-4e8a-9d3b-6f2a1c0e9b11',
  startsAt: new Date('2026-12-03T14:30:00Z'),
  durationMinutes: 60,
  workerFirstName: 'Pat',
  mode: 'in_person',
  place: 'community_venue',
  sequence: 0,
  stampedAt: new Date('2026-11-26T10:00:00Z'),
  changeLink: 'https://greenleaf.example/me',
};

describe('calendar invitation', () => {
  it('is a whole RFC 5545 request with CRLF line ends', () => {
    expect(buildCalendar(meeting)).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Greenleaf//Meetings//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'BEGIN:VEVENT',
        'UID:0b7e2d4a-5c1f-4e8a-9d3b-6f2a1c0e9b11@greenleaf',
        'DTSTAMP:20261126T100000Z',
        'DTSTART:20261203T143000Z',
        'DTEND:20261203T153000Z',
        'SEQUENCE:0',
        'SUMMARY:Greenleaf meeting with Pat',
        'LOCATION:Community venue',
        // 76 octets: folded, the last one on a continuation line.
        'DESCRIPTION:To change it\\, contact Pat or go to https://greenleaf.example/m',
        ' e',
        'STATUS:CONFIRMED',
        'TRANSP:OPAQUE',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('gives only the kind of meeting as the location, never an address', () => {
    expect(buildCalendar({ ...meeting, mode: 'phone', place: null })).toContain(
      '\r\nLOCATION:Phone call\r\n',
    );
    expect(buildCalendar({ ...meeting, mode: 'video', place: null })).toContain(
      '\r\nLOCATION:Video call\r\n',
    );
    expect(buildCalendar({ ...meeting, place: 'home' })).toContain('\r\nLOCATION:Home\r\n');
  });

  it('gives the start in UTC whatever the UK clock says', () => {
    // 10 June 2027, 2:30pm BST.
    expect(buildCalendar({ ...meeting, startsAt: new Date('2027-06-10T13:30:00Z') })).toContain(
      '\r\nDTSTART:20270610T133000Z\r\n',
    );
  });

  it('escapes text and folds long lines at 75 octets without splitting a character', () => {
    expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
    const long = `SUMMARY:${'é'.repeat(60)}`;
    const folded = foldLine(long);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines.slice(1).every((line) => line.startsWith(' '))).toBe(true);
    expect(lines.map((line, i) => (i === 0 ? line : line.slice(1))).join('')).toBe(long);
    const calendar = buildCalendar({ ...meeting, workerFirstName: 'Bartholomew-Alexander-Maximilian' });
    for (const line of calendar.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });
});

describe('calendar file name', () => {
  it('names the file by the UK date, which in summer starts an hour before the UTC one', () => {
    expect(calendarFilename(new Date('2026-12-03T14:30:00Z'))).toBe('greenleaf-2026-12-03.ics');
    expect(calendarFilename(new Date('2026-07-01T23:30:00Z'))).toBe('greenleaf-2026-07-02.ics');
  });
});
