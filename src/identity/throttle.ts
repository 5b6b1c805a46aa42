/**
 * Slows guessing without locking the real person out. Attempts are counted per key in a window
 * that starts with the first one. What a rule does once its allowance is used depends on whose
 * attempts it counts:
 *
 * - `block`: keys that include the caller's address (an account or contact from one address, or
 *   one address). Past the allowance that caller must wait, told how long; the wait doubles with
 *   each further attempt, up to a cap. Only the caller's own attempts can block them.
 * - `delay`: keys anyone can add to, such as one account from every address. It never refuses:
 *   each further attempt is answered a little later, up to a cap, so spreading guesses over many
 *   addresses buys an attacker little while the real person, from anywhere, still gets in.
 * - `cap`: a silent daily limit its caller applies itself (codes sent to one number).
 */
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { MINUTE } from '../platform/clock.ts';
import { signInThrottles } from '../platform/database/schema.ts';

export interface ThrottleRule {
  key: string;
  /** Attempts allowed in the window before the rule takes effect. */
  allowance: number;
  windowMinutes: number;
  /** What happens past the allowance (see above); `block` when not given. */
  effect?: 'block' | 'delay' | 'cap';
}

const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * MINUTE;
const FIRST_DELAY_MS = 1_000;
/** The longest a `delay` rule holds an answer: noticeable to a script, bearable for a person. */
export const MAX_DELAY_MS = 8_000;

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

  /**
   * Deletes up to `limit` counters whose window started, and whose block (if any) ended, before
   * `before`; how many.
   */
  async deleteExpired(db: Db, before: Date, limit: number): Promise<number> {
    const due = db
      .select({ key: signInThrottles.key })
      .from(signInThrottles)
      .where(
        and(
          lt(signInThrottles.windowStartedAt, before),
          sql`coalesce(${signInThrottles.blockedUntil}, ${signInThrottles.windowStartedAt}) < ${before}`,
        ),
      )
      .limit(limit);
    const deleted = await db
      .delete(signInThrottles)
      .where(inArray(signInThrottles.key, due))
      .returning({ key: signInThrottles.key });
    return deleted.length;
  }
}

type CounterRow = Awaited<ReturnType<ThrottleRepository['find']>>[number];

export class SignInThrottle {
  private readonly repository: ThrottleRepository;
  private readonly clock: Clock;

  constructor(repository: ThrottleRepository, clock: Clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /** When the caller may try again, if a `block` rule is blocking them now. */
  async blockedUntil(db: Db, rules: ThrottleRule[]): Promise<Date | undefined> {
    const now = this.clock.now();
    const blocking = (await this.counters(db, rules))
      .filter(({ rule }) => (rule.effect ?? 'block') === 'block')
      .map(({ row }) => row?.blockedUntil ?? null)
      .filter((until): until is Date => until !== null && until > now)
      .sort((a, b) => b.getTime() - a.getTime());
    return blocking[0];
  }

  /**
   * Waits as long as the `delay` rules ask, before the attempt is judged: right or wrong, the
   * answer comes no sooner, so the timing tells a guesser nothing.
   */
  async slowDown(db: Db, rules: ThrottleRule[]): Promise<number> {
    const now = this.clock.now();
    let ms = 0;
    for (const { rule, row } of await this.counters(db, rules)) {
      if (rule.effect !== 'delay' || !row || !this.windowOpen(rule, row, now)) continue;
      const over = row.failures - rule.allowance + 1;
      if (over > 0) ms = Math.max(ms, Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (over - 1)));
    }
    if (ms > 0) await this.clock.sleep(ms);
    return ms;
  }

  /** Whether a `cap` rule still has room in its window. */
  async withinCap(db: Db, rule: ThrottleRule): Promise<boolean> {
    const [counter] = await this.counters(db, [rule]);
    const row = counter?.row;
    return !row || !this.windowOpen(rule, row, this.clock.now()) || row.failures < rule.allowance;
  }

  /** Counts one attempt (a failed sign-in, a request, a code sent) against every rule. */
  async recordFailure(db: Db, rules: ThrottleRule[]): Promise<void> {
    const now = this.clock.now();
    for (const { rule, row } of await this.counters(db, rules)) {
      const open = row !== undefined && this.windowOpen(rule, row, now);
      const failures = open ? row.failures + 1 : 1;
      const over = failures - rule.allowance + 1;
      const blockedUntil =
        (rule.effect ?? 'block') === 'block' && over > 0
          ? new Date(now.getTime() + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (over - 1)))
          : null;
      await this.repository.upsert(db, {
        key: rule.key,
        failures,
        windowStartedAt: open ? row.windowStartedAt : now,
        blockedUntil,
      });
    }
  }

  async clear(db: Db, key: string): Promise<void> {
    await this.repository.clear(db, key);
  }

  /** After a success, forgets the narrowest rule's count (the person and their address). */
  async clearFirst(db: Db, rules: ThrottleRule[]): Promise<void> {
    const [first] = rules;
    if (first) await this.repository.clear(db, first.key);
  }

  private async counters(db: Db, rules: ThrottleRule[]): Promise<{ rule: ThrottleRule; row?: CounterRow }[]> {
    const rows = new Map(
      (
        await this.repository.find(
          db,
          rules.map((r) => r.key),
        )
      ).map((row) => [row.key, row]),
    );
    return rules.map((rule) => {
      const row = rows.get(rule.key);
      return row ? { rule, row } : { rule };
    });
  }

  private windowOpen(rule: ThrottleRule, row: CounterRow, now: Date): boolean {
    return now.getTime() - row.windowStartedAt.getTime() < rule.windowMinutes * MINUTE;
  }
}

export function waitMessage(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
  return `Too many attempts. Wait ${minutes === 1 ? '1 minute' : `${minutes} minutes`} and try again`;
}
