import { sql } from 'drizzle-orm';
import type { Db } from '../database/database.ts';
import { rowsOf } from '../database/rows.ts';

export class ReadinessRepository {
  /** A round trip to the database. */
  async ping(db: Db): Promise<void> {
    await db.execute(sql`SELECT 1`);
  }

  /**
   * Jobs that should have run and have not: waiting past their start by `waitingMinutes`, or
   * running longer than `runningMinutes`. None before the queue has made its tables.
   */
  async stuckJobs(db: Db, waitingMinutes: number, runningMinutes: number): Promise<number> {
    const installed = await rowsOf<{ installed: boolean }>(
      db,
      sql`SELECT to_regclass('pgboss.job') IS NOT NULL AS installed`,
    );
    if (!installed[0]?.installed) return 0;
    const result = await rowsOf<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM pgboss.job
           WHERE (state IN ('created', 'retry') AND start_after < now() - make_interval(mins => ${waitingMinutes}))
              OR (state = 'active' AND started_on < now() - make_interval(mins => ${runningMinutes}))`,
    );
    return result[0]?.n ?? 0;
  }
}
