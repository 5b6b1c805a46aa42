/**
 * A calendar invitation (iCalendar, RFC 5545) for one meeting: a pure builder, so the whole
 * file is checked by golden tests. Lines end CRLF and fold at 75 octets (section 3.1), text is
 * escaped (3.3.11), times are UTC (3.3.5, form 2). Like the messages, it says nothing about
 * what the meeting is for: a calendar may be shared too.
 */
import { ukToday } from '../platform/calendar/uk-time.ts';

export interface CalendarMeeting {
  /** The session's id: the event's UID stays the same when it is sent again. */
  sessionId: string;
  startsAt: Date;
  durationMinutes: number;
  workerFirstName: string;
  mode: 'in_person' | 'phone' | 'video';
  place: 'home' | 'community_venue' | 'nhs_site' | null;
  /** Goes up each time the event is changed (RFC 5545 3.8.7.4). */
  sequence: number;
  /** When the file was made (DTSTAMP). */
  stampedAt: Date;
  /** The participant's own page, for changing the meeting; omitted when unknown. */
  changeLink: string | null;
}

/** "greenleaf-2026-12-03.ics": named by the meeting's UK date, the day the participant sees. */
export function calendarFilename(startsAt: Date): string {
  return `greenleaf-${ukToday(startsAt)}.ics`;
}

const LOCATIONS = {
  phone: 'Phone call',
  video: 'Video call',
  home: 'Home',
  community_venue: 'Community venue',
  nhs_site: 'NHS building',
} as const;

/** RFC 5545 3.3.5 form 2: 20261203T143000Z. */
export function icsUtc(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** RFC 5545 3.1: lines longer than 75 octets continue on the next line after CRLF and a space. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // The first line holds 75 octets; each continuation holds 74 after its leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function buildCalendar(meeting: CalendarMeeting): string {
  const location =
    meeting.mode === 'in_person' ? LOCATIONS[meeting.place ?? 'community_venue'] : LOCATIONS[meeting.mode];
  const ends = new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000);
  const description = meeting.changeLink
    ? `To change it, contact ${meeting.workerFirstName} or go to ${meeting.changeLink}`
    : `To change it, contact ${meeting.workerFirstName}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Greenleaf//Meetings//EN',
    'CALSCALE:GREGORIAN',
    // PUBLISH: an event to add to the calendar, not a meeting request needing an organiser
    // and replies (RFC 5546, section 3.2.1).
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${meeting.sessionId}@greenleaf`,
    `DTSTAMP:${icsUtc(meeting.stampedAt)}`,
    `DTSTART:${icsUtc(meeting.startsAt)}`,
    `DTEND:${icsUtc(ends)}`,
    `SEQUENCE:${String(meeting.sequence)}`,
    `SUMMARY:${escapeText(`Greenleaf meeting with ${meeting.workerFirstName}`)}`,
    `LOCATION:${escapeText(location)}`,
    `DESCRIPTION:${escapeText(description)}`,
    'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
