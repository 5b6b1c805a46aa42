import { describe, expect, it } from 'vitest';
import { loadFidelity, meanScore, teamMeans } from './fidelity.ts';
import { fidelityChart } from './fidelity-chart.ts';

const fidelity = loadFidelity();

describe('fidelity to the programme’s values', () => {
  it('ships the four values and four principles, on a four-point scale', () => {
    expect(fidelity.items).toHaveLength(8);
    expect(fidelity.scale.map((s) => s.label)).toEqual(['Not yet', 'Sometimes', 'Mostly', 'Fully']);
  });

  it('takes means to one decimal place, and none of nothing', () => {
    expect(meanScore([3, 4, 4])).toBe(3.7);
    expect(meanScore([])).toBeNull();
  });

  it('shows a team’s mean only from three rated 1:1s of three different workers up', () => {
    const two = [
      { sessionId: 'a', workerId: 'w1', itemKey: 'reciprocity', score: 4 },
      { sessionId: 'b', workerId: 'w2', itemKey: 'reciprocity', score: 2 },
    ];
    const reciprocity = (rows: typeof two) =>
      teamMeans(fidelity, rows).find((m) => m.itemKey === 'reciprocity');
    expect(reciprocity(two)).toEqual({ itemKey: 'reciprocity', sessions: 2, mean: null });
    expect(
      reciprocity([...two, { sessionId: 'c', workerId: 'w3', itemKey: 'reciprocity', score: 3 }]),
    ).toEqual({
      itemKey: 'reciprocity',
      sessions: 3,
      mean: 3,
    });
    // One worker's three 1:1s would be that worker's own ratings: withheld.
    const oneWorker = ['a', 'b', 'c'].map((sessionId) => ({
      sessionId,
      workerId: 'w1',
      itemKey: 'reciprocity',
      score: 4,
    }));
    expect(reciprocity(oneWorker)).toEqual({ itemKey: 'reciprocity', sessions: 3, mean: null });
  });

  it('draws a chart with a point per 1:1, its labels escaped, and nothing for no points', () => {
    const svg = fidelityChart(
      [
        { label: '3 Nov', value: 2.5 },
        { label: '<b>1 Dec</b>', value: 3.5 },
      ],
      1,
      4,
    );
    expect(svg.match(/<circle/g)).toHaveLength(2);
    expect(svg).toContain('&lt;b&gt;1 Dec&lt;/b&gt;');
    expect(svg).toContain('aria-hidden="true"');
    expect(fidelityChart([], 1, 4)).toBe('');
  });
});
