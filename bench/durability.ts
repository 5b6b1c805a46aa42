/**
 * `node bench/durability.ts`: what durable commits cost on the embedded database. The same
 * small transactions (an insert and an update, like recording a session with its revision)
 * committed one by one, first as PGlite comes out of the box (fsync off, nothing reaches the
 * disk before the acknowledgement), then as Greenleaf opens it (`openEmbeddedDatabase`: fsync
 * on, every commit flushed to the disk). Both in fresh folders under the system's temporary
 * folder, which must be on a real disk (not tmpfs) for the figures to mean anything.
 *
 * Knobs (env): BENCH_COMMITS (default 300).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openEmbeddedDatabase } from '../src/platform/database/database.ts';

const COMMITS = Number(process.env.BENCH_COMMITS ?? 300);
const SETUP = `CREATE TABLE IF NOT EXISTS record (id serial PRIMARY KEY, note text, version int NOT NULL DEFAULT 1)`;

interface Timing {
  label: string;
  medianMs: number;
  p99Ms: number;
  perSecond: number;
}

async function time(label: string, exec: (sql: string) => Promise<unknown>): Promise<Timing> {
  await exec(SETUP);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < COMMITS; i++) {
    const start = performance.now();
    await exec(
      `BEGIN; INSERT INTO record (note) VALUES ('session ${String(i)}'); ` +
        `UPDATE record SET version = version + 1 WHERE id = (SELECT max(id) FROM record); COMMIT;`,
    );
    samples.push(performance.now() - start);
  }
  const total = performance.now() - started;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { label, medianMs: at(0.5), p99Ms: at(0.99), perSecond: (COMMITS / total) * 1000 };
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'greenleaf-durability-bench-'));
  try {
    const relaxed = await PGlite.create({ dataDir: path.join(root, 'relaxed') });
    const off = await time('fsync off (PGlite out of the box)', (sql) => relaxed.exec(sql));
    await relaxed.close();
    const durable = await openEmbeddedDatabase(path.join(root, 'durable'));
    const on = await time('fsync on (Greenleaf)', (sql) => durable.execScript(sql));
    await durable.close();
    console.log(`\n${String(COMMITS)} commits, one after another, on ${root}\n`);
    console.log('| Embedded database | Median per commit | p99 | Commits per second |');
    console.log('| --- | --- | --- | --- |');
    for (const t of [off, on]) {
      console.log(
        `| ${t.label} | ${t.medianMs.toFixed(2)} ms | ${t.p99Ms.toFixed(2)} ms | ${t.perSecond.toFixed(0)} |`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
