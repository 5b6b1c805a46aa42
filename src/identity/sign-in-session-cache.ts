/**
 * Signed-in sessions kept in this instance's memory between requests, so a page does not read
 * its session from the database each time (one round trip of the few a page makes).
 *
 * Never trusted past a change:
 * - Anything that changes what a kept session stands for (it ended; the person's roles, team,
 *   account, names or caseload changed) is announced by a database trigger on the channel
 *   `sign_in_changed` in the changing transaction (migrations/2026-12-04-012). Every instance
 *   listens and forgets the session, or all of the person's, when the change commits.
 * - While this instance is not listening (before it first listens, and whenever the listening
 *   connection has dropped and may have missed something), nothing is kept or served: every
 *   request reads its session from the database, as it did without this cache.
 * - A session read while a change was being announced is not kept (the read may predate it):
 *   `generation` counts what this instance has heard, and `keep` refuses a row read under an
 *   older count.
 * - A person's own change: the request that made it forgets their session as it ends (see
 *   app.ts), so their next page reads it afresh even before the announcement arrives.
 * - Only fully signed-in sessions are kept (a half-finished sign-in changes step by step), and
 *   none for longer than `maxAgeMs`, so the idle time a kept copy has seen is never far behind.
 *
 * On the embedded database the announcement reaches this instance before the COMMIT that made
 * it returns (PGlite hands notifications over first), so there revocation is immediate; on
 * PostgreSQL it follows the COMMIT by the time one packet takes on the listening connection.
 */
import type { SignInSessionWithSubject } from './sign-in-session.repository.ts';

export const SIGN_IN_CHANNEL = 'sign_in_changed';

interface Kept {
  row: SignInSessionWithSubject;
  /** When it was read from the database (ms). */
  readAt: number;
}

export interface SignInSessionCacheOptions {
  maxAgeMs: number;
  maxEntries: number;
}

export class SignInSessionCache {
  private readonly kept = new Map<string, Kept>();
  /** Each subject's kept sessions, to forget them all at once. */
  private readonly bySubject = new Map<string, Set<string>>();
  private readonly options: SignInSessionCacheOptions;
  private listening = false;
  /** How many announcements and listening changes this instance has heard: see `keep`. */
  private heard = 0;
  private readonly waiters = new Set<() => void>();
  private readonly syncs = new Map<string, () => void>();

  constructor(options: SignInSessionCacheOptions = { maxAgeMs: 60_000, maxEntries: 10_000 }) {
    this.options = options;
  }

  /** Whether sessions are served from memory now. */
  get active(): boolean {
    return this.listening;
  }

  /** Read before the database read: `keep` is given it back. */
  get generation(): number {
    return this.heard;
  }

  /** The session as last read, if it may still be served. */
  get(idHash: string, now: number): SignInSessionWithSubject | undefined {
    if (!this.listening) return undefined;
    const entry = this.kept.get(idHash);
    if (!entry) return undefined;
    if (now - entry.readAt >= this.options.maxAgeMs) {
      this.forgetSession(idHash);
      return undefined;
    }
    return entry.row;
  }

  /** Keeps a full session read at `readAt`, unless something was heard since `generation`. */
  keep(row: SignInSessionWithSubject, generation: number, readAt: number): void {
    if (!this.listening || generation !== this.heard || row.stage !== 'full') return;
    this.forgetSession(row.idHash);
    if (this.kept.size >= this.options.maxEntries) {
      const oldest = this.kept.keys().next();
      if (!oldest.done) this.forgetSession(oldest.value);
    }
    this.kept.set(row.idHash, { row, readAt });
    const subject = subjectKey(row.subjectType, row.subjectId);
    let sessions = this.bySubject.get(subject);
    if (!sessions) this.bySubject.set(subject, (sessions = new Set()));
    sessions.add(row.idHash);
  }

  /** The kept copy's idle timer moved on (the session was touched in the database). */
  touched(idHash: string, at: Date): void {
    const entry = this.kept.get(idHash);
    if (entry) entry.row = { ...entry.row, lastSeenAt: at };
  }

  /**
   * Forgets one session (`session:<hash>`) or a person's (`staff:<id>`, `participant:<id>`);
   * `sync:<id>` changes nothing and answers `caughtUp(id)`.
   */
  heardOf(payload: string): void {
    const colon = payload.indexOf(':');
    const kind = payload.slice(0, colon);
    const id = payload.slice(colon + 1);
    if (kind === 'sync') {
      this.syncs.get(id)?.();
      this.syncs.delete(id);
      return;
    }
    this.heard += 1;
    if (kind === 'session') this.forgetSession(id);
    else if (kind === 'staff' || kind === 'participant') this.forgetSubject(kind, id);
    else this.clear();
    this.wake();
  }

  /** Listening (true) or not, and so perhaps deaf to some changes (false): forget everything. */
  listeningChanged(listening: boolean): void {
    this.heard += 1;
    this.listening = listening;
    this.clear();
    // Nothing kept now, so nobody need wait to catch up.
    for (const resolve of this.syncs.values()) resolve();
    this.syncs.clear();
    this.wake();
  }

  forgetSubject(type: string, id: string): void {
    const key = subjectKey(type, id);
    for (const idHash of this.bySubject.get(key) ?? []) this.kept.delete(idHash);
    this.bySubject.delete(key);
  }

  forgetSession(idHash: string): void {
    const entry = this.kept.get(idHash);
    if (!entry) return;
    this.kept.delete(idHash);
    const key = subjectKey(entry.row.subjectType, entry.row.subjectId);
    const sessions = this.bySubject.get(key);
    sessions?.delete(idHash);
    if (sessions?.size === 0) this.bySubject.delete(key);
  }

  /** How many sessions are kept (for tests and the bench). */
  get size(): number {
    return this.kept.size;
  }

  /** Resolves the next time anything is heard (tests wait on it instead of sleeping). */
  nextHeard(): Promise<void> {
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /**
   * Resolves once `sync:<id>` is heard: announcements arrive in the order their transactions
   * committed, so by then everything committed before it was sent has been heard too.
   */
  caughtUp(id: string): Promise<void> {
    return new Promise((resolve) => this.syncs.set(id, resolve));
  }

  private wake(): void {
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }

  private clear(): void {
    this.kept.clear();
    this.bySubject.clear();
  }
}

const subjectKey = (type: string, id: string) => `${type}:${id}`;
