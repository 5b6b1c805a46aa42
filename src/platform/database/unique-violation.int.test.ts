import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { createTestDatabase } from './test-database.ts';
import { CONCURRENT_WRITE_CONSTRAINTS } from './unique-violation.ts';
import { queryRows } from '../../test-support/rows.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('the keys a concurrent write collides on', () => {
  it('each names a unique index of the migrated database, so a renamed one is noticed', async () => {
    const rows = await queryRows<{ name: string }>(
      database,
      sql`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const indexes = new Set(rows.map((row) => row.name));
    for (const constraint of CONCURRENT_WRITE_CONSTRAINTS) expect(indexes, constraint).toContain(constraint);
  });
});
