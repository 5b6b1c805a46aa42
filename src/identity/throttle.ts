/**
 * Slows guessing without locking the real person out. Failures are counted per key; a key
 * past its allowance must wait, and the wait doubles with each further failure up to a cap.
 * Keys combine the account with the caller's address, so an attacker elsewhere cannot lock a
 * worker out; a looser per-account key catches guessing spread over many addresses.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { MINUTE } from '../platform/clock.ts';
import { signInThrottles } from '../platform/database/schema.ts';

export interface ThrottleRule {
  key: string;
  /** Failures allowed in the window; the next attempt after that many has to wait. */
  allowance: number;
  windowMinutes: number;
}

const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * MINUTE;

export class ThrottleRepository {
  async find(db: Db, keys: string[]) {
    if (keys.length === 0) return [];
    return db
      .select()
      .from(signInThrottles)
      .where(sql`${signInThrottles.key} IN ${keys}`);
  }

  async upsert(db: Db, row: typeof signInThrottles.$inferInsert): Promise<void> {
    await db
      .insert(signInThrottles)
      .values(row)
      .onConflictDoUpdate({
        target: signInThrottles.key,
        set: { failures: row.failures, windowStartedAt: row.windowStartedAt, blockedUntil: row.blockedUntil },
      });
  }

  async clear(db: Db, key: string): Promise<void> {
    await db.delete(signInThrottles).where(eq(signInThrottles.key, key));
  }

  /** Deletes counters whose window started, and whose block (if any) ended, before `before`. */
  async deleteExpired(db: Db, before: Date): Promise<void> {
    await db
      .delete(signInThrottles)
      .where(
        and(
          lt(signInThrottles.windowStartedAt, before),
          sql`coalesce(${signInThrottles.blockedUntil}, ${signInThrottles.windowStartedAt}) < ${before}`,
        ),
      );
  }
}

export class SignInThrottle {
  private readonly repository: ThrottleRepository;
  private readonly clock: Clock;

  constructor(repository: ThrottleRepository, clock: Clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /** When the caller may try again, if any rule is currently blocking. */
  async blockedUntil(db: Db, rules: ThrottleRule[]): Promise<Date | undefined> {
    const now = this.clock.now();
    const rows = await this.repository.find(
      db,
      rules.map((r) => r.key),
    );
    const blocking = rows
      .map((row) => row.blockedUntil)
      .filter((until): until is Date => until !== null && until > now)
      .sort((a, b) => b.getTime() - a.getTime());
    return blocking[0];
  }

  async recordFailure(db: Db, rules: ThrottleRule[]): Promise<void> {
    const now = this.clock.now();
    const rows = new Map(
      (
        await this.repository.find(
          db,
          rules.map((r) => r.key),
        )
      ).map((row) => [row.key, row]),
    );
    for (const rule of rules) {
      const row = rows.get(rule.key);
      const windowOpen = row && now.getTime() - row.windowStartedAt.getTime() < rule.windowMinutes * MINUTE;
      const failures = windowOpen ? row.failures + 1 : 1;
      const over = failures - rule.allowance + 1;
      const blockedUntil =
        over > 0 ? new Date(now.getTime() + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (over - 1))) : null;
      await this.repository.upsert(db, {
        key: rule.key,
        failures,
        windowStartedAt: windowOpen ? row.windowStartedAt : now,
        blockedUntil,
      });
    }
  }

  async clear(db: Db, key: string): Promise<void> {
    await this.repository.clear(db, key);
  }

  /** After a success, forgets the narrowest rule's failures (the person and their address). */
  async clearFirst(db: Db, rules: ThrottleRule[]): Promise<void> {
    const [first] = rules;
    if (first) await this.repository.clear(db, first.key);
  }

  /** Forgets counters that stopped mattering before `before`. */
  async purgeExpired(db: Db, before: Date): Promise<void> {
    await this.repository.deleteExpired(db, before);
  }
}

export function waitMessage(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
  return `Too many attempts. Wait ${minutes === 1 ? '1 minute' : `${minutes} minutes`} and try again`;
}
