/**
 * Small numbers withheld (issue 16): a figure about fewer than 5 people in an equality group
 * could identify someone, so it is never shown, nor can it be worked out from what is.
 *
 * - A group of 1 to 4 people is withheld whole: its size and every figure about it.
 * - A count of 1 to 4 is withheld, and so is a count whose complement (the rest of its group)
 *   is 1 to 4, since "all but 2" tells as much as "2".
 * - Down each column, if exactly one cell is withheld, the next smallest is withheld too, so the
 *   withheld one cannot be worked out from the total.
 *
 * Zero is shown: "nobody" identifies no one.
 */
export const SMALLEST_SHOWN = 5;

export type Cell = { withheld: true } | { withheld: false; n: number; d: number; percent: number | null };

export interface GroupCounts {
  group: string;
  size: number;
  /** Each measure's count within the group (of `size`). */
  counts: readonly number[];
}

export interface SuppressedRow {
  group: string;
  size: Cell;
  cells: Cell[];
}

const small = (n: number) => n > 0 && n < SMALLEST_SHOWN;

export function percentOf(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((100 * n) / d);
}

/**
 * Withholds, down one column, the smallest other cell when exactly one is withheld. `values`
 * are the column's counts; `withheld` is changed in place.
 */
function complement(values: readonly number[], withheld: boolean[]): void {
  if (withheld.filter(Boolean).length !== 1 || values.length < 2) return;
  let next = -1;
  for (let i = 0; i < values.length; i++) {
    if (withheld[i]) continue;
    if (next === -1 || (values[i] ?? 0) < (values[next] ?? 0)) next = i;
  }
  if (next !== -1) withheld[next] = true;
}

/** One breakdown table with its small numbers withheld. */
export function suppress(rows: readonly GroupCounts[]): SuppressedRow[] {
  const sizes = rows.map((r) => r.size);
  const groupWithheld = sizes.map(small);
  complement(sizes, groupWithheld);
  const measures = rows[0]?.counts.length ?? 0;
  const cellWithheld = rows.map((row, i) =>
    row.counts.map((n) => groupWithheld[i] === true || small(n) || small(row.size - n)),
  );
  for (let m = 0; m < measures; m++) {
    const column = cellWithheld.map((cells) => cells[m] ?? false);
    complement(
      rows.map((r) => r.counts[m] ?? 0),
      column,
    );
    column.forEach((w, i) => {
      const cells = cellWithheld[i];
      if (cells) cells[m] = w;
    });
  }
  return rows.map((row, i) => ({
    group: row.group,
    size: groupWithheld[i] ? { withheld: true } : { withheld: false, n: row.size, d: row.size, percent: null },
    cells: row.counts.map(
      (n, m): Cell =>
        cellWithheld[i]?.[m]
          ? { withheld: true }
          : { withheld: false, n, d: row.size, percent: percentOf(n, row.size) },
    ),
  }));
}
