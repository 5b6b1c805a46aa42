import { describe, expect, it } from 'vitest';
import { armColumn, armTable } from './trial.view-model.ts';

const flow = (arm: 'intervention' | 'control') => ({
  arm,
  randomised: 10,
  withdrewFromIntervention: 3,
  withdrewFromFollowUp: 2,
  withdrewData: 1,
  followedUp: 6,
});

describe('the CONSORT diagram’s arms, from allocation to analysis', () => {
  it('counts each arm down to those analysed: everyone randomised but those who withdrew their data', () => {
    expect(armColumn(flow('intervention')).lines).toEqual([
      { label: 'Randomised to it', people: 10 },
      { label: 'Stopped peer support (withdrew)', people: 3 },
      { label: 'Withdrew from follow-up', people: 2 },
      { label: 'At least one follow-up done', people: 6 },
      { label: 'Analysed (all but those who withdrew their data)', people: 9 },
    ]);
    // The control group has no peer support to stop.
    expect(armColumn(flow('control')).lines.map((l) => l.label)).not.toContain('Stopped peer support (withdrew)');
  });

  it('lays the columns out as a table, a line the other arm lacks left empty', () => {
    const table = armTable([armColumn(flow('intervention')), armColumn(flow('control'))]);
    expect(table.titles).toEqual(['Peer support', 'Usual care with the workbook']);
    expect(table.rows.find((r) => r.label === 'Stopped peer support (withdrew)')?.people).toEqual([3, null]);
    expect(table.rows.find((r) => r.label.startsWith('Analysed'))?.people).toEqual([9, 9]);
  });
});
