/**
 * A worker's own caseload rows, kept between their requests while nothing they show can have
 * changed, so a caseload opened again is not read again.
 *
 * Never stale after a change: every change that a caseload shows bumps the worker's
 * `caseload_version` in the same transaction (database triggers, so no code path can forget:
 * migrations/2026-12-04-011-caseload-version.sql), and the sign-in session lookup reads that
 * version with the worker at the start of each request. Rows read at a version are used again
 * only for a request that read the same version, so a worker who has just changed something (or
 * whose participant has just been reallocated, or whose concern has a reply) never sees the
 * caseload from before it, on this instance or any other.
 *
 * Never stale with time: the rows depend on the clock only through each participant's next
 * planned session (after its start it counts as unrecorded), so they are kept only until the
 * earliest of those starts, and at most `maxAgeMs`. The prompts themselves are worked out
 * afresh from the rows on every request, with the time of that request.
 *
 * With the rows, the caseload worked out from them (`shown`) and the page rendered from that:
 * both depend on the clock only through the UK date (the prompts count days) and the next
 * session's start, and on the viewer only through their roles, so they are used again only on
 * the same date with the same roles, until the rows' own end.
 *
 * Each view is still audited: the service writes its read event whether the rows came from
 * here or from the database.
 */
import type { CaseloadRow } from './caseload.repository.ts';

/**
 * The caseload worked out from kept rows for one UK day and one set of roles (the prompts count
 * days, and what the page offers depends on the roles), and the page's HTML once rendered.
 */
export interface ShownCaseload<T> {
  key: string;
  /** Carries the slot the page keeps its HTML in (caseload.service.ts, `rendered`). */
  view: T;
}

export interface KeptCaseload {
  version: number;
  rows: CaseloadRow[];
  /** The rows stand for the caseload until this instant. */
  until: number;
  shown?: ShownCaseload<unknown>;
  /** Each participant's status worked out from the rows on one UK day (the caseloads overview). */
  worked?: { day: string; entries: readonly unknown[] };
}

export class CaseloadCache {
  private readonly entries = new Map<string, KeptCaseload>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;

  constructor(options: { maxAgeMs: number; maxEntries: number } = { maxAgeMs: 60_000, maxEntries: 2_000 }) {
    this.maxAgeMs = options.maxAgeMs;
    this.maxEntries = options.maxEntries;
  }

  /** What was kept at this version, if its rows still stand at `now`. */
  get(workerId: string, version: number, now: Date): KeptCaseload | undefined {
    const entry = this.entries.get(workerId);
    if (entry?.version !== version || now.getTime() >= entry.until) return undefined;
    return entry;
  }

  /** Keeps rows read at `now`, after the request read `version`. */
  set(workerId: string, version: number, now: Date, rows: CaseloadRow[]): KeptCaseload {
    const nextStart = Math.min(...rows.map((row) => row.nextSessionAt?.getTime() ?? Infinity));
    this.entries.delete(workerId);
    if (this.entries.size >= this.maxEntries) {
      // The oldest kept (a Map keeps insertion order, and each set moves its worker last).
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const entry = { version, rows, until: Math.min(nextStart, now.getTime() + this.maxAgeMs) };
    this.entries.set(workerId, entry);
    return entry;
  }
}
