import type { SQL } from 'drizzle-orm';
import type { Database } from '../platform/database/database.ts';

/** Raw rows of a query, for tests that look straight at the tables. Both engines return `{ rows }`. */
export async function queryRows<Row>(database: Database, query: SQL): Promise<Row[]> {
  const result: unknown = await database.db.execute(query);
  return (result as { rows: Row[] }).rows;
}

export async function count(database: Database, query: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(database, query);
  return Number(row?.n ?? 0);
}
