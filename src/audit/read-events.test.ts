import { describe, expect, it } from 'vitest';
import type { Db } from '../platform/database/database.ts';
import { FakeDatabase } from '../test-support/fake-db.ts';
import type { SignedEvent } from './audit.repository.ts';
import { READ_EVENT_BATCH_LIMIT, ReadEventBatches, type ReadEventStore } from './read-events.ts';

/** A store whose statements finish only when the test says so. */
class HeldStore implements ReadEventStore {
  readonly statements: string[][] = [];
  private readonly finishers: ((error?: Error) => void)[] = [];

  appendMany(_db: Db, events: readonly SignedEvent[]): Promise<void> {
    this.statements.push(events.map((e) => e.fields.entityId ?? ''));
    return new Promise((resolve, reject) => {
      this.finishers.push((error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Finishes the oldest statement still running, with `error` if given. */
  finish(error?: Error): void {
    const finisher = this.finishers.shift();
    if (!finisher) throw new Error('no statement is running');
    finisher(error);
  }
}

// The store here ignores the connection; the batches only pass it on.
const db = new FakeDatabase().db;
const event = (id: string): SignedEvent => ({
  fields: {
    occurredAt: new Date('2026-12-04T10:00:00Z'),
    actorType: 'staff',
    actorId: null,
    action: 'caseload.viewed',
    entityType: 'staff',
    entityId: id,
    ip: null,
    detail: {},
  },
  bodyMac: 'a'.repeat(64),
});
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Whether the promise has settled by now. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await turn();
  return done;
}

describe('read events written in batches', () => {
  it('writes the reads of one moment in one statement, and answers each only once it is written', async () => {
    const store = new HeldStore();
    const batches = new ReadEventBatches(db, store);
    const writes = ['a', 'b', 'c'].map((id) => batches.write(event(id)));
    await turn();
    expect(store.statements).toEqual([['a', 'b', 'c']]);
    expect(await settled(Promise.race(writes))).toBe(false);
    store.finish();
    await expect(Promise.all(writes)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('queues the reads made while a batch is written for the next one, which starts when it ends', async () => {
    const store = new HeldStore();
    const batches = new ReadEventBatches(db, store);
    const first = batches.write(event('a'));
    await turn();
    const later = [batches.write(event('b')), batches.write(event('c'))];
    await turn();
    expect(store.statements).toEqual([['a']]);
    expect(batches.pending).toBe(2);
    store.finish();
    await first;
    await turn();
    expect(store.statements).toEqual([['a'], ['b', 'c']]);
    expect(await settled(Promise.race(later))).toBe(false);
    store.finish();
    await Promise.all(later);
    expect(batches.pending).toBe(0);
  });

  it('fails the reads of a batch that could not be written, and writes the next batch', async () => {
    const store = new HeldStore();
    const batches = new ReadEventBatches(db, store);
    const failed = batches.write(event('a'));
    await turn();
    const next = batches.write(event('b'));
    store.finish(new Error('the database is unavailable'));
    await expect(failed).rejects.toThrow('the database is unavailable');
    await turn();
    store.finish();
    await expect(next).resolves.toBeUndefined();
    expect(store.statements).toEqual([['a'], ['b']]);
  });

  it(`puts at most ${String(READ_EVENT_BATCH_LIMIT)} events in one statement`, async () => {
    const store = new HeldStore();
    const batches = new ReadEventBatches(db, store);
    const writes = Array.from({ length: READ_EVENT_BATCH_LIMIT + 1 }, (_, i) =>
      batches.write(event(String(i))),
    );
    await turn();
    expect(store.statements.map((s) => s.length)).toEqual([READ_EVENT_BATCH_LIMIT]);
    store.finish();
    await turn();
    await turn();
    expect(store.statements.map((s) => s.length)).toEqual([READ_EVENT_BATCH_LIMIT, 1]);
    store.finish();
    await Promise.all(writes);
  });
});
