import { describe, expect, it } from 'vitest';
import { openItem, waitingByTeam, waitingCounts } from './oversight-waiting.ts';
import type { OversightConcern } from './oversight.repository.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

function item(overrides: Partial<OversightConcern>): OversightConcern {
  return {
    id: 'c1',
    kind: 'concern',
    urgency: 'urgent',
    status: 'open',
    crisisTeamId: 'north',
    teamName: 'North crisis resolution team',
    raisedAt: minutes(-30),
    acknowledgeBy: minutes(30),
    acknowledgedAt: null,
    stepReached: 0,
    ...overrides,
  };
}

describe('waitingCounts', () => {
  it('counts what waits, past its deadline (at the deadline itself too), escalated, and over a day', () => {
    expect(
      waitingCounts(
        [
          item({}),
          item({ acknowledgeBy: NOW }),
          item({ acknowledgeBy: minutes(-1), stepReached: 1 }),
          item({ raisedAt: minutes(-24 * 60 - 1), acknowledgeBy: minutes(60 * 24) }),
          item({ raisedAt: minutes(-24 * 60) }),
        ],
        NOW,
      ),
    ).toEqual({ waiting: 5, overdue: 2, escalated: 1, overADay: 1 });
  });

  it('counts nothing when nothing waits', () => {
    expect(waitingCounts([], NOW)).toEqual({ waiting: 0, overdue: 0, escalated: 0, overADay: 0 });
  });
});

describe('waitingByTeam', () => {
  it('gives every team in the order given, those with nothing waiting included', () => {
    const teams = [
      { id: 'north', name: 'North' },
      { id: 'quiet', name: 'Quiet' },
      { id: 'south', name: 'South' },
    ];
    const rows = waitingByTeam(
      teams,
      [item({ crisisTeamId: 'south' }), item({ crisisTeamId: 'north' }), item({ crisisTeamId: 'south' })],
      NOW,
    );
    expect(rows.map((row) => [row.name, row.waiting])).toEqual([
      ['North', 1],
      ['Quiet', 0],
      ['South', 2],
    ]);
  });
});

describe('openItem', () => {
  it('says how long until the deadline, or how long past it, and the step reached', () => {
    expect(openItem(item({ acknowledgeBy: minutes(65) }), NOW)).toMatchObject({
      overdue: false,
      timing: '1 hour 5 minutes',
      step: 'Not escalated',
      urgencyLabel: 'Urgent',
      kind: 'Safety concern',
    });
    expect(openItem(item({ acknowledgeBy: minutes(-15), kind: 'advice' }), NOW)).toMatchObject({
      overdue: true,
      timing: '15 minutes',
      kind: 'Request for advice',
    });
  });
});
