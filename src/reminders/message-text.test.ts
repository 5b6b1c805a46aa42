import { describe, expect, it } from 'vitest';
import {
  CLINICAL_WORDS,
  messagePreview,
  renderMessage,
  sessionPersonalisation,
  type SessionMessageTemplate,
} from './message-text.ts';

const TEMPLATES: SessionMessageTemplate[] = ['session_booked', 'session_reminder'];
const MEETINGS = [
  { mode: 'phone', place: null },
  { mode: 'video', place: null },
  { mode: 'in_person', place: 'home' },
  { mode: 'in_person', place: 'community_venue' },
  { mode: 'in_person', place: 'nhs_site' },
] as const;

function every(changeLink: string | null) {
  return TEMPLATES.flatMap((template) =>
    (['sms', 'email'] as const).flatMap((channel) =>
      MEETINGS.map((meeting) => ({
        template,
        channel,
        text: messagePreview(
          template,
          channel,
          sessionPersonalisation({
            firstName: 'Sam',
            workerFirstName: 'Pat',
            startsAt: new Date('2026-12-03T14:30:00Z'),
            ...meeting,
            changeLink,
            ...(channel === 'email' ? { calendarLink: 'https://greenleaf.example/calendar/abc.ics' } : {}),
          }),
        ),
      })),
    ),
  );
}

describe('message wording', () => {
  it('never uses a clinical word in any message, by any channel, for any kind of meeting', () => {
    const messages = [...every('https://greenleaf.example/me'), ...every(null)];
    expect(messages).toHaveLength(40);
    for (const { text } of messages) {
      for (const word of CLINICAL_WORDS) {
        expect(text.toLowerCase(), `"${word}" in: ${text}`).not.toMatch(new RegExp(`\\b${word}`));
      }
    }
  });

  it('says who, when and how in plain words', () => {
    const values = sessionPersonalisation({
      firstName: 'Sam',
      workerFirstName: 'Pat',
      startsAt: new Date('2026-12-03T14:30:00Z'),
      mode: 'in_person',
      place: 'community_venue',
      changeLink: 'https://greenleaf.example/me',
    });
    expect(renderMessage('session_reminder', 'sms', values).body).toBe(
      'Hello Sam, a reminder that your Greenleaf meeting with Pat is on Thursday 3 December at 2:30pm, in person at a community venue.\n' +
        'To change it, contact Pat or go to https://greenleaf.example/me',
    );
  });

  it('leaves out the link lines when there is no public address, and tidies the gap of no place', () => {
    const values = sessionPersonalisation({
      firstName: 'Sam',
      workerFirstName: 'Pat',
      startsAt: new Date('2026-12-03T10:00:00Z'),
      mode: 'phone',
      place: null,
      changeLink: null,
    });
    expect(renderMessage('session_booked', 'sms', values).body).toBe(
      'Hello Sam, your Greenleaf meeting with Pat is booked for Thursday 3 December at 10am, by phone.',
    );
    const email = renderMessage('session_booked', 'email', {
      ...values,
      calendar_link: 'https://x.example/c.ics',
    });
    expect(email.subject).toBe('Your Greenleaf meeting on Thursday 3 December');
    expect(email.body).toContain('Add it to your calendar: https://x.example/c.ics');
    expect(email.body).not.toContain('change it');
  });

  it('writes the date and time the GOV.UK way, in UK time', () => {
    const at = (startsAt: string) =>
      sessionPersonalisation({
        firstName: 'Sam',
        workerFirstName: 'Pat',
        startsAt: new Date(startsAt),
        mode: 'phone',
        place: null,
        changeLink: null,
      });
    expect(at('2026-12-03T12:00:00Z')).toMatchObject({ date: 'Thursday 3 December', time: 'midday' });
    expect(at('2027-06-03T08:05:00Z')).toMatchObject({ date: 'Thursday 3 June', time: '9:05am' });
    expect(at('2026-12-03T23:45:00Z')).toMatchObject({ date: 'Thursday 3 December', time: '11:45pm' });
  });
});
