/**
 * The words of every message about a session, in one place. In production the same wording
 * lives in the GOV.UK Notify templates (paste it from here: ((placeholders)) are Notify's) and
 * Greenleaf sends only the personalisation; the local outbox shows the text rendered here.
 *
 * No clinical words, ever: the phone or inbox may be shared, so a message says "your Greenleaf
 * meeting with Pat", never what kind of help it is (message-text.test.ts checks every message).
 */
import type { Channel } from '../platform/notifications/notification-sender.ts';
import { formatTime, formatWeekdayDate } from '../platform/calendar/uk-format.ts';

export type SessionMessageTemplate = 'session_booked' | 'session_reminder';

/** What a message may say: nothing about why the person is being seen. */
export interface SessionPersonalisation {
  first_name: string;
  worker_first_name: string;
  /** "Thursday 3 December" */
  date: string;
  /** "2:30pm" */
  time: string;
  /** "by phone", "by video call" or "in person" */
  how: string;
  /** For in person only: "at home", "at a community venue", "at an NHS building"; else "". */
  place_kind: string;
  /** The participant's own page, or "" when the service has no public address. */
  change_link: string;
  /** Email only: the calendar file for this meeting. */
  calendar_link?: string;
}

interface MessageWording {
  subject?: string;
  /** One line per paragraph; a line naming an empty placeholder is left out. */
  lines: string[];
}

const WORDING: Record<SessionMessageTemplate, Record<Channel, MessageWording>> = {
  session_booked: {
    sms: {
      lines: [
        'Hello ((first_name)), your Greenleaf meeting with ((worker_first_name)) is booked for ((date)) at ((time)), ((how)) ((place_kind)).',
        'To change it, contact ((worker_first_name)) or go to ((change_link))',
      ],
    },
    email: {
      subject: 'Your Greenleaf meeting on ((date))',
      lines: [
        'Hello ((first_name)),',
        'Your Greenleaf meeting with ((worker_first_name)) is booked for ((date)) at ((time)), ((how)) ((place_kind)).',
        'Add it to your calendar: ((calendar_link))',
        'If you need to change it, contact ((worker_first_name)) or go to ((change_link))',
        'Greenleaf',
      ],
    },
  },
  session_reminder: {
    sms: {
      lines: [
        'Hello ((first_name)), a reminder that your Greenleaf meeting with ((worker_first_name)) is on ((date)) at ((time)), ((how)) ((place_kind)).',
        'To change it, contact ((worker_first_name)) or go to ((change_link))',
      ],
    },
    email: {
      subject: 'Reminder: your Greenleaf meeting on ((date))',
      lines: [
        'Hello ((first_name)),',
        'A reminder that your Greenleaf meeting with ((worker_first_name)) is on ((date)) at ((time)), ((how)) ((place_kind)).',
        'Add it to your calendar: ((calendar_link))',
        'If you need to change it, contact ((worker_first_name)) or go to ((change_link))',
        'Greenleaf',
      ],
    },
  },
};

const PLACEHOLDER = /\(\(([a-z_]+)\)\)/g;

/** The message as the participant reads it: subject (email) and body. */
export function renderMessage(
  template: SessionMessageTemplate,
  channel: Channel,
  values: SessionPersonalisation,
): { subject: string | null; body: string } {
  const wording = WORDING[template][channel];
  const lookup = values as unknown as Record<string, string | undefined>;
  const fill = (line: string) =>
    line
      .replace(PLACEHOLDER, (_match, name: string) => lookup[name] ?? '')
      .replace(/ +([.,])/g, '$1')
      .replace(/ {2,}/g, ' ');
  const optional = ['change_link', 'calendar_link'];
  const lines = wording.lines.filter((line) =>
    optional.every((name) => !line.includes(`((${name}))`) || Boolean(lookup[name])),
  );
  return {
    subject: wording.subject ? fill(wording.subject) : null,
    body: lines.map(fill).join(channel === 'email' ? '\n\n' : '\n'),
  };
}

/** The same text as one string, for the local outbox. */
export function messagePreview(
  template: SessionMessageTemplate,
  channel: Channel,
  values: SessionPersonalisation,
): string {
  const { subject, body } = renderMessage(template, channel, values);
  return subject ? `${subject}\n\n${body}` : body;
}

const HOW = { in_person: 'in person', phone: 'by phone', video: 'by video call' } as const;
const PLACE_KIND = {
  home: 'at home',
  community_venue: 'at a community venue',
  nhs_site: 'at an NHS building',
} as const;

export function sessionPersonalisation(input: {
  firstName: string;
  workerFirstName: string;
  startsAt: Date;
  mode: keyof typeof HOW;
  place: keyof typeof PLACE_KIND | null;
  changeLink: string | null;
  calendarLink?: string;
}): SessionPersonalisation {
  return {
    first_name: input.firstName,
    worker_first_name: input.workerFirstName,
    date: formatWeekdayDate(input.startsAt),
    time: formatTime(input.startsAt),
    how: HOW[input.mode],
    place_kind: input.mode === 'in_person' && input.place ? PLACE_KIND[input.place] : '',
    change_link: input.changeLink ?? '',
    ...(input.calendarLink === undefined ? {} : { calendar_link: input.calendarLink }),
  };
}

/** Words that would say what the meeting is about, to anyone glancing at a shared phone. */
export const CLINICAL_WORDS = [
  'mental',
  'crisis',
  'peer support',
  'support worker',
  'recovery',
  'psychiatr',
  'therap',
  'clinic',
  'hospital',
  'patient',
  'diagnos',
  'medication',
  'treatment',
  'discharge',
  'depress',
  'anxiety',
  'suicid',
  'self-harm',
  'counsell',
  'wellbeing',
  'relapse',
  'session',
  'home treatment',
  'crt',
  'cmht',
] as const;
