import { describe, expect, it } from 'vitest';
import { byUrgency, participantStatus, type CaseloadFacts, type PromptSettings } from './prompts.ts';

const SETTINGS: PromptSettings = {
  sessionCap: 10,
  windowMonths: 3,
  firstSessionDays: 7,
  noContactDays: 14,
  windowClosingDays: 14,
};
const NOW = new Date('2026-11-26T10:00:00Z');
const at = (iso: string) => new Date(iso);

/** Someone discharged on `dischargedOn`, allocated the next day, with nothing else yet. */
function facts(dischargedOn: string, more: Partial<CaseloadFacts> = {}): CaseloadFacts {
  return {
    dischargedOn,
    allocatedAt: at(`${dischargedOn}T15:00:00Z`),
    sessionsAttended: 0,
    sessionsPlanned: 0,
    nextSessionAt: null,
    lastAttendedAt: null,
    lastMissedAt: null,
    lastContactAttemptAt: null,
    lastReachedAt: null,
    endingSessionPlanned: false,
    openChangeRequests: 0,
    oldestUnrecordedAt: null,
    unreadReplies: 0,
    unreadReplyConcernId: null,
    unreadReplyUrgent: false,
    withdrewFromTrialOn: null,
    ...more,
  };
}

const kinds = (f: CaseloadFacts, settings = SETTINGS) =>
  participantStatus(f, NOW, settings).prompts.map((p) => p.kind);

describe('caseload prompts', () => {
  it('asks for a first session from the 7th day after discharge, not before', () => {
    expect(kinds(facts('2026-11-20'))).toEqual([]); // 6 days
    const status = participantStatus(facts('2026-11-19'), NOW, SETTINGS); // 7 days
    expect(status.prompts.map((p) => p.text)).toEqual(['No first session booked, 7 days since discharge']);
    expect(
      kinds(facts('2026-11-19', { sessionsPlanned: 1, nextSessionAt: at('2026-11-30T10:00:00Z') })),
    ).toEqual([]);
  });

  it('after a withdrawal from the trial asks only to end the programme (and to record a session already held), never to contact them', () => {
    // Long out of touch, a missed session, no first session, the window closing: all would prompt.
    const lapsed = facts('2026-09-01', {
      lastMissedAt: at('2026-11-20T10:00:00Z'),
      openChangeRequests: 1,
      oldestUnrecordedAt: at('2026-11-24T10:00:00Z'),
      sessionsPlanned: 1,
    });
    expect(kinds(lapsed)).toContain('no_contact');
    const withdrawn = participantStatus({ ...lapsed, withdrewFromTrialOn: '2026-11-25' }, NOW, SETTINGS);
    expect(withdrawn.prompts.map((p) => p.kind)).toEqual(['trial_withdrawn', 'record_session']);
    expect(withdrawn.prompts[0]?.text).toBe('Withdrew from peer support in the research trial: end their programme');
    // A reply from the crisis team about a concern is still shown first: safety comes before all.
    const replied = { ...lapsed, withdrewFromTrialOn: '2026-11-25', unreadReplies: 1, unreadReplyConcernId: 'c-1', unreadReplyUrgent: true };
    expect(kinds(replied)).toEqual(['urgent_concern_reply', 'trial_withdrawn', 'record_session']);
  });

  it('uses the configured threshold', () => {
    expect(kinds(facts('2026-11-23'), { ...SETTINGS, firstSessionDays: 3 })).toEqual([
      'first_session_overdue',
    ]);
  });

  it('flags a missed session until someone tries to reach them or they attend', () => {
    const missed = facts('2026-11-01', {
      sessionsAttended: 1,
      lastAttendedAt: at('2026-11-10T10:00:00Z'),
      lastReachedAt: at('2026-11-20T10:00:00Z'),
      lastMissedAt: at('2026-11-24T10:00:00Z'),
      sessionsPlanned: 1,
    });
    const status = participantStatus(missed, NOW, SETTINGS);
    expect(status.prompts[0]).toMatchObject({
      kind: 'missed_no_follow_up',
      text: 'Missed a session 2 days ago: get in touch',
    });
    // An attempt after the missed session counts as following it up, even if unanswered.
    expect(kinds({ ...missed, lastContactAttemptAt: at('2026-11-25T09:00:00Z') })).toEqual([]);
    // An attempt before it does not.
    expect(kinds({ ...missed, lastContactAttemptAt: at('2026-11-23T09:00:00Z') })).toEqual([
      'missed_no_follow_up',
    ]);
    expect(kinds({ ...missed, lastAttendedAt: at('2026-11-25T10:00:00Z') })).toEqual([]);
  });

  it('prompts after 14 days without contact, counting attended sessions and answered attempts', () => {
    const base = facts('2026-10-20', { sessionsAttended: 2, sessionsPlanned: 1 });
    expect(kinds({ ...base, lastAttendedAt: at('2026-11-13T10:00:00Z') })).toEqual([]); // 13 days
    const status = participantStatus({ ...base, lastAttendedAt: at('2026-11-12T10:00:00Z') }, NOW, SETTINGS);
    expect(status.daysSinceContact).toBe(14);
    expect(status.prompts.map((p) => p.text)).toEqual(['No contact for 14 days']);
    expect(
      kinds({
        ...base,
        lastAttendedAt: at('2026-11-01T10:00:00Z'),
        lastReachedAt: at('2026-11-20T10:00:00Z'),
      }),
    ).toEqual([]);
  });

  it('counts from allocation when they have never been reached', () => {
    const status = participantStatus(facts('2026-11-05', { sessionsPlanned: 1 }), NOW, SETTINGS);
    expect(status.neverReached).toBe(true);
    expect(status.prompts.map((p) => p.text)).toEqual(['Not reached yet, 21 days since allocation']);
  });

  it('warns when the window closes with sessions left, from 14 days before its end', () => {
    // Window of 3 months from 11 September ends 11 December: 15 days left.
    const recent = { sessionsAttended: 6, sessionsPlanned: 1, lastAttendedAt: at('2026-11-24T10:00:00Z') };
    expect(kinds(facts('2026-09-11', { ...recent, endingSessionPlanned: true }))).toEqual([]);
    const closing = participantStatus(
      facts('2026-09-10', { ...recent, endingSessionPlanned: true }),
      NOW,
      SETTINGS,
    );
    expect(closing.daysLeft).toBe(14);
    expect(closing.prompts.map((p) => p.text)).toEqual([
      'Programme window closes in 14 days, 4 sessions left',
    ]);
    // With all ten sessions used there are none left to warn about.
    expect(
      kinds(facts('2026-09-10', { ...recent, sessionsAttended: 10, endingSessionPlanned: true })),
    ).toEqual([]);
  });

  it('asks for an ending session once the last sessions are due', () => {
    const recent = { lastAttendedAt: at('2026-11-24T10:00:00Z') };
    // Ten attended or booked, early in the window.
    expect(kinds(facts('2026-10-20', { ...recent, sessionsAttended: 8, sessionsPlanned: 2 }))).toEqual([
      'ending_not_planned',
    ]);
    expect(
      kinds(
        facts('2026-10-20', {
          ...recent,
          sessionsAttended: 8,
          sessionsPlanned: 2,
          endingSessionPlanned: true,
        }),
      ),
    ).toEqual([]);
    expect(kinds(facts('2026-10-20', { ...recent, sessionsAttended: 8, sessionsPlanned: 1 }))).toEqual([]);
    // Past the window: record the ending, even for someone never seen.
    const ended = participantStatus(facts('2026-08-01'), NOW, SETTINGS);
    expect(ended.daysLeft).toBe(0);
    expect(ended.prompts.map((p) => p.text)).toEqual(['Programme window has ended: record the ending']);
  });

  it('asks for a session that has started to be recorded', () => {
    const f = facts('2026-11-10', {
      sessionsPlanned: 1,
      lastReachedAt: at('2026-11-24T10:00:00Z'),
      oldestUnrecordedAt: at('2026-11-25T14:00:00Z'),
    });
    expect(participantStatus(f, NOW, SETTINGS).prompts.map((p) => p.text)).toEqual([
      'Record the session from 1 day ago',
    ]);
  });

  it('orders prompts and participants by urgency', () => {
    const many = participantStatus(
      facts('2026-09-10', {
        sessionsAttended: 3,
        lastAttendedAt: at('2026-10-20T10:00:00Z'),
        lastMissedAt: at('2026-11-19T10:00:00Z'),
        openChangeRequests: 1,
      }),
      NOW,
      SETTINGS,
    );
    expect(many.prompts.map((p) => p.kind)).toEqual([
      'missed_no_follow_up',
      'change_requested',
      'no_contact',
      'ending_not_planned',
      'window_closing',
    ]);
    const entries = [
      { name: 'none', prompts: [] },
      { name: 'no contact 20', prompts: [{ kind: 'no_contact' as const, text: '', weight: 20 }] },
      { name: 'missed', prompts: [{ kind: 'missed_no_follow_up' as const, text: '', weight: 1 }] },
      { name: 'no contact 30', prompts: [{ kind: 'no_contact' as const, text: '', weight: 30 }] },
    ];
    expect(entries.sort(byUrgency).map((e) => e.name)).toEqual([
      'missed',
      'no contact 30',
      'no contact 20',
      'none',
    ]);
  });

  describe('a reply from the crisis team', () => {
    const recent = facts('2026-11-20', { lastReachedAt: at('2026-11-25T10:00:00Z'), sessionsPlanned: 1 });

    it('asks the worker to read an unread reply, linking to the concern', () => {
      const status = participantStatus(
        { ...recent, unreadReplies: 1, unreadReplyConcernId: 'c-1' },
        NOW,
        SETTINGS,
      );
      expect(status.prompts).toEqual([
        { kind: 'concern_reply', text: 'The crisis team replied: read it', weight: 1, href: '/concerns/c-1' },
      ]);
      expect(kinds(recent)).toEqual([]);
    });

    it('puts a reply on an immediate or urgent concern before everything else', () => {
      const f = {
        ...recent,
        unreadReplies: 2,
        unreadReplyConcernId: 'c-2',
        unreadReplyUrgent: true,
        lastMissedAt: at('2026-11-24T10:00:00Z'),
        openChangeRequests: 1,
      };
      expect(kinds(f)).toEqual(['urgent_concern_reply', 'missed_no_follow_up', 'change_requested']);
      expect(participantStatus(f, NOW, SETTINGS).prompts[0]).toMatchObject({
        text: 'The crisis team replied about an urgent concern: read it now',
        href: '/concerns/c-2',
      });
      // Across a caseload, too.
      const urgentReply = participantStatus(f, NOW, SETTINGS);
      const missed = participantStatus(
        { ...recent, lastMissedAt: at('2026-11-10T10:00:00Z') },
        NOW,
        SETTINGS,
      );
      expect([missed, urgentReply].sort(byUrgency)[0]).toBe(urgentReply);
    });

    it('counts several routine replies and links to the list', () => {
      const f = { ...recent, unreadReplies: 3, unreadReplyConcernId: 'c-3', openChangeRequests: 1 };
      expect(kinds(f)).toEqual(['change_requested', 'concern_reply']);
      expect(participantStatus(f, NOW, SETTINGS).prompts[1]).toMatchObject({
        text: 'The crisis team replied about 3 things you sent: read them',
        href: '/concerns/mine',
      });
    });
  });
});
