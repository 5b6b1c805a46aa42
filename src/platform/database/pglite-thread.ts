/**
 * The embedded database off the event loop: PGlite (PostgreSQL compiled to WebAssembly) runs
 * in a worker thread of its own, and the server talks to it through `PGliteThread`, which has
 * the part of PGlite's interface drizzle, pg-boss and the rest of `database.ts` use (`query`,
 * `exec`, `transaction`, `dumpDataDir`, `close`). While a query runs there, the main thread
 * goes on answering other requests (`/healthz` included) instead of waiting inside WebAssembly.
 *
 * Messages are structured clones. What does not survive the trip is put back on this side:
 * - bytea values arrive as Uint8Array and are made Buffers again (by the column's type);
 * - an error arrives as its fields (code, constraint, detail, cause…) and is made an Error
 *   with them, so `isUniqueViolation`, `isDiskFull` and the logging see what they saw before;
 * - result parsers cannot cross: drizzle's are all "keep the text" for some types, so the
 *   types are sent and the worker keeps their text. Any other parser is refused loudly.
 *
 * One PGlite runs one statement at a time, as before: a query outside a transaction waits in
 * the worker while a transaction is open, as it waited on the main thread.
 */
import { Worker } from 'node:worker_threads';
import type { Results, Transaction } from '@electric-sql/pglite';
import type {
  ThreadCall,
  ThreadNotification,
  ThreadReply,
  ThreadRequest,
  WireError,
} from './pglite-thread.worker.ts';

const BYTEA = 17;

/** PGlite's query options, as far as they can cross a thread. */
interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

export interface ThreadQueryable {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
}

/** An error from the worker, rebuilt with every field it had (code, constraint, detail…). */
function rebuildError(wire: WireError): Error {
  const { name, message, stack, cause, fields } = wire;
  const error = new Error(message, cause ? { cause: rebuildError(cause) } : undefined);
  error.name = name;
  if (stack) error.stack = stack;
  return Object.assign(error, fields);
}

/** Each options object's answer: drizzle reuses one per statement, so it is worked out once. */
const keptTypes = new WeakMap<QueryOptions, number[]>();

/** The types whose text drizzle keeps (its parsers are all `(value) => value`). */
function keptAsText(options: QueryOptions | undefined): number[] {
  if (!options?.parsers) return [];
  let types = keptTypes.get(options);
  if (!types) {
    types = Object.entries(options.parsers).map(([type, parse]) => {
      if (parse('x', Number(type)) !== 'x')
        throw new Error(`a result parser for type ${type} cannot run in the database thread`);
      return Number(type);
    });
    keptTypes.set(options, types);
  }
  return types;
}

/** bytea values come back as Uint8Array: Buffers again, as the rest of the code expects. */
function restoreBytes<T>(results: Results<T>): Results<T> {
  const byteColumns = results.fields.flatMap((field, index) =>
    field.dataTypeID === BYTEA ? [{ index, name: field.name }] : [],
  );
  if (byteColumns.length === 0) return results;
  const asBuffer = (value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
  for (const row of results.rows as unknown[]) {
    if (Array.isArray(row)) for (const { index } of byteColumns) row[index] = asBuffer(row[index]);
    else
      for (const { name } of byteColumns)
        (row as Record<string, unknown>)[name] = asBuffer((row as Record<string, unknown>)[name]);
  }
  return results;
}

export class PGliteThread implements ThreadQueryable {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private stopped: Error | undefined;
  private readonly listeners = new Map<string, (payload: string) => void>();

  private constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (message: ThreadReply | ThreadNotification) => {
      if ('channel' in message) {
        this.listeners.get(message.channel)?.(message.payload);
        return;
      }
      const reply = message;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(rebuildError(reply.error));
    });
    const stop = (error: Error) => {
      this.stopped ??= error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error: Error) => {
      stop(new Error(`the embedded database stopped: ${error.message}`, { cause: error }));
    });
    worker.on('exit', (code) => {
      stop(new Error(`the embedded database stopped (its thread exited with code ${String(code)})`));
    });
  }

  /** Starts the thread and opens the database folder in it (PGlite.create with these options). */
  static async open(
    dataDir: string,
    options: { durable: boolean; loadDataDir?: Buffer },
  ): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-thread.worker.ts', import.meta.url), {
      workerData: { dataDir, durable: options.durable },
      // The process's flags, less those a thread refuses: a script's --eval/--input-type, and
      // the heap limits of `npm start` (a thread's heap is its own; PGlite's memory is outside it).
      execArgv: process.execArgv.filter(
        (flag) => !/^--(eval|print|input-type|max-semi-space-size|max-old-space-size)/.test(flag),
      ),
      // Its own small JavaScript heap (results pass through it; a plan's photos are the largest).
      resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 },
    });
    const thread = new PGliteThread(worker);
    try {
      await thread.call({
        op: 'open',
        loadDataDir: options.loadDataDir && new Uint8Array(options.loadDataDir),
      });
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return thread;
  }

  private call(request: ThreadCall): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } satisfies ThreadRequest);
    });
  }

  private async queryIn<T>(
    tx: number | null,
    sql: string,
    params: unknown[] = [],
    options?: QueryOptions,
  ): Promise<Results<T>> {
    const results = (await this.call({
      op: 'query',
      tx,
      sql,
      params,
      rowMode: options?.rowMode ?? 'object',
      keptAsText: keptAsText(options),
    })) as Results<T>;
    return restoreBytes(results);
  }

  private async execIn(tx: number | null, sql: string): Promise<Results[]> {
    return (await this.call({ op: 'exec', tx, sql })) as Results[];
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.queryIn<T>(null, sql, params, options);
  }

  exec(sql: string): Promise<Results[]> {
    return this.execIn(null, sql);
  }

  /** BEGIN in the worker, the work here, COMMIT (or ROLLBACK if the work throws) there. */
  async transaction<T>(work: (tx: Pick<Transaction, 'query' | 'exec'>) => Promise<T>): Promise<T> {
    const tx = (await this.call({ op: 'begin' })) as number;
    const client = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) =>
        this.queryIn<R>(tx, sql, params, options),
      exec: (sql: string) => this.execIn(tx, sql),
    } as Pick<Transaction, 'query' | 'exec'>;
    let result: T;
    try {
      result = await work(client);
    } catch (error) {
      await this.call({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.call({ op: 'end', tx, commit: true });
    return result;
  }

  /** Hears each NOTIFY on `channel` (one listener a channel), until the function returned is called. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    if (this.listeners.has(channel)) throw new Error(`already listening on ${channel}`);
    this.listeners.set(channel, callback);
    await this.call({ op: 'listen', channel });
    return async () => {
      this.listeners.delete(channel);
      await this.call({ op: 'unlisten', channel });
    };
  }

  /** The whole folder as a tar (gzipped when asked), made in the worker. */
  async dumpDataDir(compression: 'gzip' | 'none' = 'none'): Promise<Blob> {
    const bytes = (await this.call({ op: 'dump', compression })) as Uint8Array;
    return new Blob([new Uint8Array(bytes)]);
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    await this.call({ op: 'close' });
    this.stopped = new Error('the embedded database is closed');
    await this.worker.terminate();
  }
}
