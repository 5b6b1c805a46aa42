import { describe, expect, it } from 'vitest';
import { identifyingWords, supervisionDue } from './supervision-due.ts';

const defaults = { oneToOneEveryDays: 30, groupEveryDays: 14 };
const worker = {
  startedOn: '2026-09-01',
  lastOneToOne: '2026-11-01',
  nextOneToOne: null,
  lastGroup: '2026-11-20',
  oneToOneEveryDays: null,
  groupEveryDays: null,
};

describe('when supervision is due', () => {
  it('is the target’s days after the last, overdue the day after', () => {
    expect(supervisionDue(worker, defaults, '2026-12-01')).toMatchObject({
      oneToOneDue: '2026-12-01',
      oneToOneOverdue: false,
      groupDue: '2026-12-04',
      groupOverdue: false,
    });
    expect(supervisionDue(worker, defaults, '2026-12-02')).toMatchObject({
      oneToOneOverdue: true,
      groupOverdue: false,
    });
    expect(supervisionDue(worker, defaults, '2026-12-05')).toMatchObject({ groupOverdue: true });
  });

  it('is the day booked at the last 1:1 when there is one, even beyond the target', () => {
    const booked = { ...worker, nextOneToOne: '2026-12-10' };
    expect(supervisionDue(booked, defaults, '2026-12-05')).toMatchObject({
      oneToOneDue: '2026-12-10',
      oneToOneOverdue: false,
      oneToOneBooked: true,
    });
  });

  it('counts a new starter from the day their account was made, and uses a worker’s own targets', () => {
    const starter = {
      ...worker,
      lastOneToOne: null,
      lastGroup: null,
      oneToOneEveryDays: 14,
      groupEveryDays: 7,
    };
    expect(supervisionDue(starter, defaults, '2026-09-10')).toMatchObject({
      oneToOneDue: '2026-09-15',
      groupDue: '2026-09-08',
      groupOverdue: true,
      targets: { oneToOneEveryDays: 14, groupEveryDays: 7 },
    });
  });
});

describe('group notes that might identify someone', () => {
  const names = [
    { givenName: 'Aisha', familyName: 'Khan', preferredName: null },
    { givenName: 'Sam', familyName: 'Li', preferredName: 'Sammy' },
  ];

  it('warns about an NHS number, spaced or not, and a family name on an attendee’s caseload', () => {
    expect(identifyingWords('We talked about 943 476 5919 and boundaries', names)).toEqual([
      'what looks like an NHS number',
    ]);
    expect(identifyingWords('Working with Mrs Khan’s family', names)).toEqual([
      'the name “Khan”, of someone an attendee supports',
    ]);
    expect(identifyingWords('Working with Mrs Khan and her family; Khan again', names)).toEqual([
      'the name “Khan”, of someone an attendee supports',
    ]);
    expect(identifyingWords('9434765919', names)).toEqual(['what looks like an NHS number']);
  });

  it('does not flag ordinary words, short family names or given names alone', () => {
    expect(identifyingWords('Boundaries, story sharing and endings. Sam said it helped.', names)).toEqual([]);
  });
});

describe('names with digits, hyphens and within other words', () => {
  it('finds a hyphenated or numbered family name whole, never inside another word', () => {
    const names = [
      { givenName: 'A', familyName: 'Example-1006', preferredName: null },
      { givenName: 'B', familyName: 'Lin', preferredName: null },
    ];
    expect(identifyingWords('The example-1006 family', names)).toEqual([
      'the name “Example-1006”, of someone an attendee supports',
    ]);
    expect(identifyingWords('Linda and Example-10067', names)).toEqual([]);
  });
});
