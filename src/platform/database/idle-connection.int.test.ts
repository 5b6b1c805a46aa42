import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { createTestDatabase, testDatabaseEngine } from './test-database.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('a dropped database connection', () => {
  it('does not take the process down, and the next query works', async () => {
    // Several connections in the pool, idle afterwards.
    await Promise.all(Array.from({ length: 4 }, () => database.db.execute(sql`SELECT pg_sleep(0.05)`)));
    if (testDatabaseEngine() === 'postgres') {
      // Another session ends every idle connection of ours, as a server restart would.
      const pids: unknown = await database.db.execute(sql`SELECT pg_backend_pid() AS pid`);
      const [own] = (pids as { rows: { pid: number }[] }).rows;
      await database.db.execute(
        sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> ${own?.pid ?? 0} AND state = 'idle'`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (let i = 0; i < 5; i++) {
      const result: unknown = await database.db.execute(sql`SELECT 41 + 1 AS answer`);
      expect((result as { rows: { answer: number }[] }).rows[0]?.answer).toBe(42);
    }
  });
});
