import type { SQL } from 'drizzle-orm';
import type { Db } from './database.ts';

/** The rows of a raw statement: both engines answer `db.execute` with `{ rows }`. */
export async function rowsOf<Row>(db: Db, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: Row[] }).rows;
}
