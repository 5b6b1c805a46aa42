/**
 * The embedded database in its own thread: the event loop keeps answering while a query runs,
 * and what crosses the thread (transactions, errors, bytes) behaves as PGlite did in-process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { wrapPglite, type Database, type EmbeddedClient } from './database.ts';
import { PGliteThread } from './pglite-thread.ts';
import { isUniqueViolation } from './unique-violation.ts';

let dataDir: string;
let thread: PGliteThread;
let database: Database;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'greenleaf-thread-'));
  thread = await PGliteThread.open(path.join(dataDir, 'pgdata'), { durable: false });
  database = wrapPglite(thread as unknown as EmbeddedClient);
  await database.execScript(`
    CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, photo bytea);
    CREATE UNIQUE INDEX notes_body_key ON notes (body);`);
}, 120_000);
afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result: unknown = await database.db.execute(query);
  return (result as { rows: T[] }).rows;
}

describe('the embedded database in its own thread', () => {
  it('leaves the event loop free while a long query runs', async () => {
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    try {
      await rows(sql`SELECT count(*) FROM generate_series(1, 3000000) AS n WHERE n % 7 = 3`);
    } finally {
      clearInterval(ticker);
    }
    const took = performance.now() - started;
    // The query keeps PostgreSQL busy for a while; the timers here never waited more than a moment.
    expect(took).toBeGreaterThan(200);
    expect(longestGap).toBeLessThan(100);
  });

  it('commits a transaction whole, and rolls one back whole when its work fails', async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO notes (id, body) VALUES (1, 'first')`);
      await tx.execute(sql`INSERT INTO notes (id, body) VALUES (2, 'second')`);
    });
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO notes (id, body) VALUES (3, 'third')`);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await rows<{ id: number }>(sql`SELECT id FROM notes ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('keeps a query from outside waiting until an open transaction ends, as one PGlite does', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = database.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE notes SET body = 'first, changed' WHERE id = 1`);
      order.push('changed');
      await held;
      order.push('committing');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outside = rows<{ body: string }>(sql`SELECT body FROM notes WHERE id = 1`).then((found) => {
      order.push('read');
      return found;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await transaction;
    expect(await outside).toEqual([{ body: 'first, changed' }]);
    expect(order).toEqual(['changed', 'committing', 'read']);
  });

  it('reports a database error with its code and constraint, as the services expect', async () => {
    const error: unknown = await database.db
      .execute(sql`INSERT INTO notes (id, body) VALUES (4, 'second')`)
      .catch((caught: unknown) => caught);
    expect(isUniqueViolation(error, 'notes_body_key')).toBe(true);
  });

  it('gives bytes back as a Buffer, unchanged', async () => {
    const photo = Buffer.from([0, 1, 2, 250, 255, 0, 42]);
    await database.db.execute(sql`INSERT INTO notes (id, body, photo) VALUES (5, 'photo', ${photo})`);
    const [row] = await rows<{ photo: Buffer }>(sql`SELECT photo FROM notes WHERE id = 5`);
    expect(Buffer.isBuffer(row?.photo)).toBe(true);
    expect(row?.photo.equals(photo)).toBe(true);
  });
});
