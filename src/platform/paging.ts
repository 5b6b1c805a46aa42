/**
 * A long list a page at a time, so no staff page grows with the size of the service (at
 * national scale the waiting list alone was over 1 MB of HTML). Pages past the end show the last.
 */
export interface Page<T> {
  items: T[];
  /** 1-based. */
  number: number;
  count: number;
  total: number;
  /** The page numbers before and after, for the NHS.UK pagination links. */
  previous: number | null;
  next: number | null;
  /** Positions of the first and last item shown, 1-based ("Showing 51 to 100 of 240"). */
  from: number;
  to: number;
}

export function pageOf<T>(all: readonly T[], wanted: number, size: number): Page<T> {
  const count = Math.max(1, Math.ceil(all.length / size));
  const number = Math.min(wanted, count);
  const start = (number - 1) * size;
  const items = all.slice(start, start + size);
  return {
    items,
    number,
    count,
    total: all.length,
    previous: number > 1 ? number - 1 : null,
    next: number < count ? number + 1 : null,
    from: items.length === 0 ? 0 : start + 1,
    to: start + items.length,
  };
}
