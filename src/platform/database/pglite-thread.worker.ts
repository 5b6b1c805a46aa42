/**
 * The worker side of `PGliteThread` (pglite-thread.ts): one PGlite on one data folder, opened
 * as `openEmbeddedDatabase` opened it on the main thread before (durable commits, the project's
 * bytea conversion), answering each request once, in the order PGlite runs them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Results, Transaction } from '@electric-sql/pglite';
import { createPglite } from './pglite-types.ts';

export interface WireError {
  name: string;
  message: string;
  stack?: string;
  cause?: WireError;
  /** The error's own fields: PostgreSQL's code, constraint, detail, severity… */
  fields: Record<string, unknown>;
}

/** What the main thread asks (a request is one of these and its id). */
export type ThreadCall =
  | { op: 'open'; loadDataDir?: Uint8Array }
  | {
      op: 'query';
      tx: number | null;
      sql: string;
      params: unknown[];
      rowMode: 'array' | 'object';
      keptAsText: number[];
    }
  | { op: 'exec'; tx: number | null; sql: string }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'dump'; compression: 'gzip' | 'none' }
  | { op: 'listen'; channel: string }
  | { op: 'unlisten'; channel: string }
  | { op: 'close' };

export type ThreadRequest = ThreadCall & { id: number };

export type ThreadReply = { id: number } & ({ ok: true; value: unknown } | { ok: false; error: WireError });

/**
 * A NOTIFY heard on a channel the main thread listens to. PGlite hands it over (a microtask)
 * while it reads the reply of the statement that committed it, so it is posted before that
 * reply: the main thread hears of a change before the change's own COMMIT returns.
 */
export interface ThreadNotification {
  channel: string;
  payload: string;
}

const port = parentPort;
if (!port) throw new Error('pglite-thread.worker.ts runs only in a worker thread');
const { dataDir, durable } = workerData as { dataDir: string; durable: boolean };

/** Thrown inside a transaction's work to end it with ROLLBACK. */
class RollBack extends Error {}

interface OpenTransaction {
  tx: Transaction;
  end(commit: boolean): void;
  ended: Promise<void>;
}

let client: PGlite | undefined;
const listening = new Map<string, () => Promise<void>>();
const transactions = new Map<number, OpenTransaction>();
let nextTransaction = 1;

function toWire(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause' || typeof value === 'function') continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      fields[key] = String(value);
    }
  }
  const wire: WireError = { name: error.name, message: error.message, fields };
  if (error.stack) wire.stack = error.stack;
  if (error.cause !== undefined && depth < 5) wire.cause = toWire(error.cause, depth + 1);
  return wire;
}

function open(loadDataDir: Uint8Array | undefined): Promise<PGlite> {
  return createPglite(dataDir, {
    durable,
    ...(loadDataDir ? { loadDataDir: new Blob([new Uint8Array(loadDataDir)]) } : {}),
  });
}

function opened(): PGlite {
  if (!client) throw new Error('the embedded database is not open');
  return client;
}

function on(tx: number | null): Pick<Transaction, 'query' | 'exec'> {
  if (tx === null) return opened();
  const open = transactions.get(tx);
  if (!open) throw new Error('that transaction has ended');
  return open.tx;
}

async function begin(): Promise<number> {
  const id = nextTransaction++;
  let started!: (tx: Transaction) => void;
  const begun = new Promise<Transaction>((resolve) => (started = resolve));
  let end!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (end = resolve));
  const ended = opened()
    .transaction(async (tx) => {
      started(tx);
      if (!(await decided)) throw new RollBack('rolled back');
    })
    .catch((error: unknown) => {
      if (!(error instanceof RollBack)) throw error;
    });
  // BEGIN itself failing ends the transaction before it starts.
  const tx = await Promise.race([
    begun,
    ended.then(() => Promise.reject(new Error('the transaction did not start'))),
  ]);
  transactions.set(id, { tx, end, ended });
  return id;
}

async function finish(id: number, commit: boolean): Promise<void> {
  const open = transactions.get(id);
  if (!open) throw new Error('that transaction has ended');
  transactions.delete(id);
  open.end(commit);
  await open.ended;
}

async function answer(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'open':
      client = await open(request.loadDataDir);
      return null;
    case 'query': {
      const parsers = Object.fromEntries(request.keptAsText.map((type) => [type, (text: string) => text]));
      const results: Results = await on(request.tx).query(request.sql, request.params, {
        rowMode: request.rowMode,
        parsers,
      });
      return results;
    }
    case 'exec':
      return on(request.tx).exec(request.sql);
    case 'begin':
      return begin();
    case 'end':
      return finish(request.tx, request.commit);
    case 'dump': {
      const dump = await opened().dumpDataDir(request.compression);
      return new Uint8Array(await dump.arrayBuffer());
    }
    case 'listen': {
      const { channel } = request;
      if (!listening.has(channel))
        listening.set(
          channel,
          await opened().listen(channel, (payload) => {
            parentPort?.postMessage({ channel, payload } satisfies ThreadNotification);
          }),
        );
      return null;
    }
    case 'unlisten':
      await listening.get(request.channel)?.();
      listening.delete(request.channel);
      return null;
    case 'close':
      await client?.close();
      client = undefined;
      return null;
  }
}

port.on('message', (request: ThreadRequest) => {
  answer(request).then(
    (value) => {
      const transfer = value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : [];
      port.postMessage({ id: request.id, ok: true, value } satisfies ThreadReply, transfer);
    },
    (error: unknown) => {
      port.postMessage({ id: request.id, ok: false, error: toWire(error) } satisfies ThreadReply);
    },
  );
});
