/**
 * The attacks of hardening item 7, by someone who can write to the database (a superuser can
 * switch the append-only trigger off) but holds neither the audit key nor the checkpoints kept
 * outside the database: each must be named by the verifier.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, sql } from 'drizzle-orm';
import { ManualClock, MINUTE } from '../platform/clock.ts';
import type { Database } from '../platform/database/database.ts';
import { auditEvents } from '../platform/database/schema.ts';
import { createTestDatabase, testDatabaseEngine } from '../platform/database/test-database.ts';
import { TEST_AUDIT_KEY, WRONG_AUDIT_KEY } from '../test-support/audit-key.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';
import { AuditCheckpointService } from './audit-checkpoint.service.ts';
import { readCheckpoints } from './audit-checkpoint.ts';
import { keyedChainHash, unkeyedChainHash, type ChainedFields } from './audit-chain.ts';
import { FileCheckpointSink } from './checkpoint-sink.ts';

const clock = new ManualClock('2026-12-03T10:00:00Z');
const repository = new AuditRepository();
const audit = new AuditService(repository, clock, TEST_AUDIT_KEY);
let database: Database;
let folder: string;
let checkpointFile: string;
let checkpoints: AuditCheckpointService;

beforeEach(async () => {
  clock.set('2026-12-03T10:00:00Z');
  database = await createTestDatabase();
  folder = mkdtempSync(path.join(tmpdir(), 'greenleaf-audit-'));
  checkpointFile = path.join(folder, 'audit-checkpoints.jsonl');
  checkpoints = new AuditCheckpointService(
    database.db,
    repository,
    TEST_AUDIT_KEY,
    clock,
    new FileCheckpointSink(checkpointFile),
  );
});
afterEach(async () => {
  await database.close();
  rmSync(folder, { recursive: true, force: true });
});

async function recordEvents(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await database.db.transaction((tx) =>
      audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'outbox.viewed',
        entityType: 'test',
        entityId: String(i),
      }),
    );
  }
}

/** The last chain written to, and its events in order. */
async function lastChain() {
  const rows = await database.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
  const chain = rows.at(-1)!.chain;
  return { chain, events: rows.filter((r) => r.chain === chain) };
}

/** As a database superuser would: with the append-only trigger off. */
async function asAttacker(work: () => Promise<void>): Promise<void> {
  await database.execScript('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  try {
    await work();
  } finally {
    await database.execScript('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  }
}

/** Changes the chain's event at `index` and re-hashes it and every later event with `link`. */
async function rewriteFrom(
  index: number,
  link: (prev: string, seq: number, fields: ChainedFields) => string,
  keyed: boolean,
): Promise<number> {
  const { events } = await lastChain();
  await asAttacker(async () => {
    let prev = events[index]!.prevHash;
    for (const row of events.slice(index)) {
      const { seq, chain: _chain, prevHash: _prev, hash: _hash, keyed: _keyed, ...fields } = row;
      if (seq === events[index]!.seq) fields.ip = '198.51.100.7';
      const hash = link(prev, seq, fields);
      await database.db.execute(
        sql`UPDATE audit_events SET ip = ${fields.ip}, prev_hash = ${prev}, hash = ${hash}, keyed = ${keyed} WHERE seq = ${seq}`,
      );
      prev = hash;
    }
  });
  return events[index]!.seq;
}

const readBack = () => readCheckpoints(TEST_AUDIT_KEY, readFileSync(checkpointFile, 'utf8'), checkpointFile);
const verifyWithCheckpoints = async () => audit.verify(database.db, readBack().checkpoints);

describe(`the audit log on ${testDatabaseEngine()}, attacked without the key`, () => {
  it('verifies intact with its checkpoints, after more events than the last checkpoint holds', async () => {
    await recordEvents(3);
    await checkpoints.take();
    clock.advance(5 * MINUTE);
    await recordEvents(2);
    await checkpoints.take();
    await recordEvents(1);
    const verdict = await verifyWithCheckpoints();
    expect(verdict).toMatchObject({ ok: true, checked: 6, unkeyed: 0, checkpoints: 2, problems: [] });
    expect(verdict.latestCheckpoint).toBe('2026-12-03T10:05:00.000Z');
  });

  it('names the chain whose last events were deleted, how many, and where its head should be', async () => {
    await recordEvents(5);
    await checkpoints.take();
    const { chain, events } = await lastChain();
    await asAttacker(() =>
      database.execScript(`DELETE FROM audit_events WHERE seq >= ${String(events[3]!.seq)}`),
    );
    // The key alone cannot see a cut tail: what is left links and verifies.
    expect((await audit.verify(database.db)).ok).toBe(true);
    const verdict = await verifyWithCheckpoints();
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      {
        kind: 'missing-tail',
        chain,
        seq: events[4]!.seq,
        message: `Chain ${String(chain)}: the last 2 events checkpointed at 2026-12-03 10:00:00 UTC are missing; its head should be event ${String(events[4]!.seq)}, but the chain ends at event ${String(events[2]!.seq)}.`,
      },
    ]);
  });

  it('names a chain deleted whole', async () => {
    await recordEvents(3);
    await checkpoints.take();
    const { chain, events } = await lastChain();
    await asAttacker(() => database.execScript(`DELETE FROM audit_events WHERE chain = ${String(chain)}`));
    const verdict = await verifyWithCheckpoints();
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toContainEqual({
      kind: 'missing-chain',
      chain,
      seq: events[2]!.seq,
      message: `Chain ${String(chain)} is missing: all 3 events checkpointed at 2026-12-03 10:00:00 UTC (up to event ${String(events[2]!.seq)}) are gone.`,
    });
  });

  it('finds an event rewritten with the rest of its chain re-hashed without the key', async () => {
    await recordEvents(3);
    const changed = await rewriteFrom(1, unkeyedChainHash, false);
    const verdict = await audit.verify(database.db);
    expect(verdict.ok).toBe(false);
    const problem = verdict.problems.find((p) => p.kind === 'unkeyed');
    expect(problem).toMatchObject({ seq: changed });
    expect(problem?.message).toMatch(
      /not signed with the key, though events before it are: it was rewritten/,
    );
  });

  it('finds a whole chain re-hashed without the key, passing itself off as written before the key', async () => {
    await recordEvents(3);
    await checkpoints.take();
    const changed = await rewriteFrom(0, unkeyedChainHash, false);
    const { chain, events } = await lastChain();
    // Unsigned events are believed only where a checkpoint vouches for them…
    const withoutCheckpoints = await audit.verify(database.db);
    expect(withoutCheckpoints.ok).toBe(false);
    const problem = withoutCheckpoints.problems.find((p) => p.kind === 'unkeyed');
    expect(problem).toMatchObject({ seq: changed });
    expect(problem?.message).toMatch(/no checkpoint vouches for it/);
    // …and this one vouches for other events.
    expect((await verifyWithCheckpoints()).problems).toEqual([
      expect.objectContaining({
        kind: 'rewritten',
        chain,
        seq: events[2]!.seq,
        message: `Chain ${String(chain)}: event ${String(events[2]!.seq)} is not the event recorded at the checkpoint of 2026-12-03 10:00:00 UTC: the chain was rewritten up to it.`,
      }),
    ]);
  });

  it('finds an event rewritten with the rest of its chain re-hashed with a wrong key', async () => {
    await recordEvents(3);
    const changed = await rewriteFrom(
      1,
      (prev, seq, fields) => keyedChainHash(WRONG_AUDIT_KEY, prev, seq, fields),
      true,
    );
    const verdict = await audit.verify(database.db);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toMatchObject({ kind: 'contents', seq: changed });
    expect(verdict.problems[0]?.message).toMatch(/does not match its signed hash/);
  });

  it('lists the first three events with one problem in a chain, and says how many more there are', async () => {
    await recordEvents(6);
    await rewriteFrom(0, (prev, seq, fields) => keyedChainHash(WRONG_AUDIT_KEY, prev, seq, fields), true);
    const { chain } = await lastChain();
    const { problems } = await audit.verify(database.db);
    expect(problems.map((p) => p.kind)).toEqual(['contents', 'contents', 'contents', 'contents']);
    expect(problems[3]?.message).toBe(
      `Chain ${String(chain)}: 3 more events with the same problem (contents), not listed.`,
    );
  });

  it('still accepts events written before the key, at the start of a chain and covered by a checkpoint', async () => {
    await recordEvents(3);
    // As the events of a log from before the upgrade: hashed without the key.
    await rewriteFrom(0, unkeyedChainHash, false);
    await checkpoints.take();
    await recordEvents(2);
    expect(await verifyWithCheckpoints()).toMatchObject({ ok: true, checked: 5, unkeyed: 3, problems: [] });
  });

  it('ignores a tampered checkpoint line and says so', async () => {
    await recordEvents(3);
    await checkpoints.take();
    const line = readFileSync(checkpointFile, 'utf8');
    const { problems, checkpoints: good } = readCheckpoints(
      TEST_AUDIT_KEY,
      line.replace('"count":3', '"count":2'),
      checkpointFile,
    );
    expect(good).toEqual([]);
    expect(problems).toEqual([
      {
        kind: 'checkpoint',
        message: `Line 1 of ${checkpointFile} does not match its signature: it was changed after it was written. It was not used.`,
      },
    ]);
  });
});

describe(`checkpoints on ${testDatabaseEngine()}`, () => {
  it('count every chain on from the last one, and write nothing when nothing changed', async () => {
    await recordEvents(2);
    expect(await checkpoints.take()).toEqual({ written: true, chains: 1, lostHeads: [] });
    expect(await checkpoints.take()).toEqual({ written: false, chains: 1, lostHeads: [] });
    await recordEvents(3);
    await checkpoints.take();
    const { chain, events } = await lastChain();
    const lines = readBack().checkpoints;
    expect(lines.map((c) => c.chains)).toEqual([
      [{ chain, count: 2, seq: events[1]!.seq, hash: events[1]!.hash }],
      [{ chain, count: 5, seq: events[4]!.seq, hash: events[4]!.hash }],
    ]);
  });

  it('notice at once a chain that lost the head they last recorded, and count it afresh', async () => {
    await recordEvents(4);
    await checkpoints.take();
    const { chain, events } = await lastChain();
    await asAttacker(() =>
      database.execScript(`DELETE FROM audit_events WHERE seq = ${String(events[3]!.seq)}`),
    );
    expect(await checkpoints.take()).toEqual({ written: true, chains: 1, lostHeads: [chain] });
    expect(readBack().checkpoints.at(-1)?.chains).toEqual([
      { chain, count: 3, seq: events[2]!.seq, hash: events[2]!.hash },
    ]);
  });
});
