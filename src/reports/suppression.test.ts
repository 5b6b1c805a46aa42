import { describe, expect, it } from 'vitest';
import { suppress, type Cell } from './suppression.ts';

const shown = (cell: Cell | undefined) => (cell && !cell.withheld ? cell.n : 'withheld');

describe('small numbers in a breakdown', () => {
  it('shows every figure when each group and count is 5 or more (or none at all)', () => {
    const rows = suppress([
      { group: 'A', size: 40, counts: [20, 0] },
      { group: 'B', size: 30, counts: [10, 0] },
    ]);
    expect(rows.map((r) => [shown(r.size), ...r.cells.map(shown)])).toEqual([
      [40, 20, 0],
      [30, 10, 0],
    ]);
    expect(rows[0]?.cells[0]).toEqual({ withheld: false, n: 20, d: 40, percent: 50 });
  });

  it('withholds a group of fewer than 5 whole, and the next smallest group so it cannot be worked out', () => {
    const rows = suppress([
      { group: 'A', size: 50, counts: [25] },
      { group: 'B', size: 3, counts: [0] },
      { group: 'C', size: 9, counts: [6] },
    ]);
    expect(rows.map((r) => shown(r.size))).toEqual([50, 'withheld', 'withheld']);
    // B's count is withheld with its group, and so C's: one withheld cell would be worked out from the total.
    expect(rows.map((r) => shown(r.cells[0]))).toEqual([25, 'withheld', 'withheld']);
  });

  it('withholds a count of 1 to 4, and one whose rest of the group is 1 to 4', () => {
    const rows = suppress([
      { group: 'A', size: 100, counts: [3, 50] },
      { group: 'B', size: 60, counts: [30, 58] },
      { group: 'C', size: 20, counts: [10, 10] },
    ]);
    // 3 is small; the next smallest in the column (10) goes with it.
    expect(rows.map((r) => shown(r.cells[0]))).toEqual(['withheld', 30, 'withheld']);
    // 58 of 60 says "2 did not": withheld, with the next smallest (10).
    expect(rows.map((r) => shown(r.cells[1]))).toEqual([50, 'withheld', 'withheld']);
  });

  it('leaves two or more withheld cells as they are (none can be worked out alone)', () => {
    const rows = suppress([
      { group: 'A', size: 100, counts: [2] },
      { group: 'B', size: 100, counts: [4] },
      { group: 'C', size: 100, counts: [40] },
    ]);
    expect(rows.map((r) => shown(r.cells[0]))).toEqual(['withheld', 'withheld', 40]);
  });
});
