import { describe, expect, it } from 'vitest';
import {
  endingReasonInSentence,
  endingReasonText,
  GOALS_NOT_YET,
  shareItem,
  summaryText,
  type EndingSummary,
} from './ending.view-model.ts';

const summary = (extra: Partial<EndingSummary> = {}): EndingSummary => ({
  participantId: '00000000-0000-4000-8000-000000000001',
  name: 'Josh Hall',
  firstName: 'Josh',
  dateOfBirth: '1990-05-15',
  nhsNumber: '999 000 0018',
  dischargedOn: '2026-08-01',
  crisisTeamName: 'North crisis resolution team',
  workerName: 'Pat Peer',
  endedOn: '2026-11-02',
  reason: 'Completed the programme',
  sessionsAttended: 8,
  sessionCap: 10,
  sections: ['Moving on after a crisis', 'Keeping well'],
  goals: null,
  onwardSupport: 'Their GP',
  message: 'All the best',
  messageFrom: 'Pat',
  shareConsent: 'yes',
  shareConsentText: 'Yes',
  recordedByName: 'Pat Peer',
  recordedAt: new Date('2026-11-02T15:00:00Z'),
  shares: [],
  ...extra,
});

describe('ending reasons', () => {
  it('reads as a label, in a sentence, and as the worker’s own words for another reason', () => {
    expect(endingReasonText({ reason: 'readmitted', reasonOther: null })).toBe(
      'Readmitted to hospital or crisis care',
    );
    expect(endingReasonInSentence({ reason: 'completed', reasonOther: null })).toBe(
      'completed the programme',
    );
    expect(endingReasonInSentence({ reason: 'other', reasonOther: 'Moved to Spain' })).toBe('Moved to Spain');
  });
});

describe('shares', () => {
  it('shows an address only for people emailed, and an email not yet handed over as not sent', () => {
    const base = {
      id: 'x',
      participantId: 'p',
      sharedBy: 's',
      sharedAt: new Date(),
      submissionToken: 't',
      sharedByName: 'Pat Peer',
    };
    const team = shareItem({
      ...base,
      recipientKind: 'crisis_team',
      recipientName: 'North crisis resolution team',
      recipientEmail: '',
      notificationId: null,
    });
    expect(team).toMatchObject({ recipient: 'Crisis team', email: null, sent: true });
    const gp = shareItem({
      ...base,
      recipientKind: 'gp',
      recipientName: 'Dr Rahman',
      recipientEmail: 'dr@nhs.net',
      notificationId: null,
    });
    expect(gp).toMatchObject({ recipient: 'GP', email: 'dr@nhs.net', sent: false });
  });
});

describe('summary text for the email', () => {
  it('says who, when, what was done and what next, and that goals are still to come', () => {
    const text = summaryText(summary());
    expect(text).toContain('Name: Josh Hall');
    expect(text).toContain('NHS number: 999 000 0018');
    expect(text).toContain('Programme ended: 2 November 2026 (Completed the programme)');
    expect(text).toContain('Sessions attended: 8 of 10');
    expect(text).toContain('Sections of the recovery plan worked on: Moving on after a crisis, Keeping well');
    expect(text).toContain(`Goals: ${GOALS_NOT_YET}`);
    expect(text).toContain('Onward support: Their GP');
    // The message is for the participant, not their care team.
    expect(text).not.toContain('All the best');
  });

  it('says so when nothing was recorded', () => {
    const text = summaryText(summary({ sections: [], nhsNumber: null, onwardSupport: null }));
    expect(text).toContain('worked on: None recorded');
    expect(text).toContain('NHS number: Not given');
    expect(text).toContain('Onward support: Not known');
  });
});
