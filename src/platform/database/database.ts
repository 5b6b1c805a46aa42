/**
 * The only module that knows which engine runs: embedded PGlite (a folder on disk, one
 * process) or PostgreSQL (DATABASE_URL). Everything above it sees a drizzle `Db`.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Db as JobQueueDatabase } from 'pg-boss';
import { schema } from './schema.ts';
import { DatabaseLockedError, lockFile } from './embedded-lock.ts';
import { syncPath, syncTree } from './embedded-durability.ts';
import { DatabaseDamagedError, DatabaseMissingError, inspectEmbeddedFolder } from './embedded-folder.ts';
import { DiskFullError, isDiskFull } from './disk-full.ts';
import { PGliteThread } from './pglite-thread.ts';
import { createPglite, PGLITE_TYPES } from './pglite-types.ts';

export { DatabaseLockedError, liveLockHolder, processIsAlive } from './embedded-lock.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly engine: 'embedded' | 'postgres';
  readonly db: Db;
  /** Runs a script of one or more statements without parameters (migrations, tests). */
  execScript(sql: string): Promise<void>;
  /** A transaction on one connection that can run multi-statement scripts (migrations). */
  scriptTransaction<T>(work: (connection: ScriptConnection) => Promise<T>): Promise<T>;
  /**
   * How many statements this process has sent on the application's connections (BEGIN and
   * COMMIT included; pg-boss's own connections not): round trips, which tests count.
   */
  statementsSent(): number;
  /** What pg-boss needs to run on this engine. */
  jobQueueConnection(): { db: JobQueueDatabase } | { connectionString: string };
  /**
   * Embedded only: a consistent copy of the whole database folder (a gzipped tar), taken while
   * it runs. PostgreSQL is copied with pg_dump instead (src/platform/backup/).
   */
  onlineCopy?(): Promise<Buffer>;
  /**
   * Hears each NOTIFY on `channel` (notifications.ts). `onState(false)` says some may have been
   * missed (the connection that listens dropped); it listens again on its own and says
   * `onState(true)` once it does. Resolves once listening (or once the first attempt failed).
   */
  listen(channel: string, handlers: NotificationHandlers): Promise<Listener>;
  close(): Promise<void>;
}

export interface NotificationHandlers {
  onNotify(payload: string): void;
  onState(listening: boolean): void;
}

export interface Listener {
  /**
   * Every notification reaches the listener before the statement that committed it returns
   * (the embedded database): a caller has always heard every change it can know of.
   */
  readonly inStep: boolean;
  stop(): Promise<void>;
  /**
   * Sends a NOTIFY on the channel from the listening connection itself (no statement on the
   * application's connections); nothing when it is not connected.
   */
  announce(payload: string): Promise<void>;
}

export interface ScriptConnection {
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/**
 * Folders this process has open. The lock file names a pid, so it cannot tell a second open
 * in the same process from a stale lock; this set can. It is process state by nature.
 */
const openInThisProcess = new Set<string>();

/** An exclusive lock file beside the data: a second process is refused, a stale lock is taken over. */
function lockDataDir(dataDir: string): () => void {
  if (openInThisProcess.has(dataDir)) throw new DatabaseLockedError(dataDir, { pid: process.pid });
  const unlockFile = lockFile(dataDir);
  openInThisProcess.add(dataDir);
  return () => {
    openInThisProcess.delete(dataDir);
    unlockFile();
  };
}

function pgliteJobQueueAdapter(client: EmbeddedClient): JobQueueDatabase {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return client.query(text, values);
      // pg-boss sends multi-statement scripts and reads the rows of every statement.
      const results = await client.exec(text);
      return { rows: results.flatMap((r) => r.rows) };
    },
  };
}

export { PGLITE_TYPES };

type Queryable = Pick<PGlite, 'query' | 'exec'>;

/**
 * The PGlite the server talks to: PGlite itself (tests, a first start's preparation) or the
 * same in a worker thread (`PGliteThread`: the server's database, off the event loop).
 */
export type EmbeddedClient = Pick<PGlite, 'query' | 'exec' | 'transaction' | 'dumpDataDir' | 'close'> & {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
};

/**
 * The same PGlite, counting each statement drizzle sends through it: a query, a script, and a
 * transaction's BEGIN and COMMIT (PGlite sends those itself).
 */
function countingPglite<T extends Queryable>(target: T, counted: () => void): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property === 'query' || property === 'exec')
        return (...args: unknown[]) => {
          counted();
          return method.apply(object, args);
        };
      if (property === 'transaction')
        return (work: (tx: Queryable) => unknown) => {
          counted();
          counted();
          return method.call(object, (tx: Queryable) => work(countingPglite(tx, counted)));
        };
      return method.bind(object);
    },
  });
}

export function wrapPglite(client: EmbeddedClient, onClose: () => void = () => undefined): Database {
  let sent = 0;
  const db = drizzlePglite({
    client: countingPglite(client, () => (sent += 1)) as PGlite,
    schema,
  }) as unknown as Db;
  return {
    engine: 'embedded',
    db,
    statementsSent: () => sent,
    async execScript(sql) {
      await client.exec(sql);
    },
    scriptTransaction: (work) =>
      client.transaction((tx) =>
        work({
          exec: async (text) => {
            await tx.exec(text);
          },
          query: async <Row>(text: string, params?: unknown[]) => (await tx.query<Row>(text, params)).rows,
        }),
      ),
    jobQueueConnection: () => ({ db: pgliteJobQueueAdapter(client) }),
    // One process holds the embedded database, and the listener is PGlite itself: nothing to
    // drop, and a notification reaches it before the reply to the statement that committed it.
    async listen(channel, handlers) {
      const name = checkedChannel(channel);
      const stop = await client.listen(name, (payload) => {
        handlers.onNotify(payload);
      });
      handlers.onState(true);
      return {
        inStep: true,
        stop: () => stop(),
        async announce(payload) {
          await client.query('SELECT pg_notify($1, $2)', [name, payload]);
        },
      };
    },
    async onlineCopy() {
      // A checkpoint first, so the copy opens without replaying much. PGlite runs one statement
      // at a time and takes the copy between two: what it holds is what a sudden stop would
      // leave, which PostgreSQL recovers to the last committed transaction.
      await client.exec('CHECKPOINT');
      return Buffer.from(await (await client.dumpDataDir('gzip')).arrayBuffer());
    },
    async close() {
      await client.close();
      onClose();
    },
  };
}

export interface OpenOptions {
  /**
   * The work that makes a database ready (migrations, first data). On a new embedded database
   * it runs in a temporary folder beside the real one, renamed into place only once it has
   * succeeded: a failure (a full disk, say) leaves nothing half-made. Elsewhere it runs after
   * opening.
   */
  prepare?: (database: Database) => Promise<void>;
  /** false: a folder without a database is an error, not made into one (commands that only read). */
  create?: boolean;
  /**
   * false: PGlite's own settings, fsync off (commits acknowledged before they reach the disk).
   * Only for throwaway test databases (EMBEDDED_DURABILITY=off); the default is durable.
   */
  durable?: boolean;
}

const NEW_FOLDER_PREFIX = 'pgdata.new-';

/** Durability on: every commit is on the disk before it is acknowledged (embedded-durability.ts). */
function openPglite(pgdata: string, durable: boolean): Promise<PGlite> {
  return createPglite(pgdata, { durable });
}

/** Makes a database in a sibling folder, prepares it, and renames it into place. */
async function createEmbedded(
  dataDir: string,
  pgdata: string,
  prepare: OpenOptions['prepare'],
  durable: boolean,
): Promise<void> {
  const temporary = path.join(dataDir, `${NEW_FOLDER_PREFIX}${String(process.pid)}`);
  let client: PGlite | undefined;
  try {
    client = await openPglite(temporary, durable);
    if (prepare) await prepare(wrapPglite(client));
    const closing = client;
    client = undefined;
    await closing.close();
    syncTree(temporary);
    renameSync(temporary, pgdata);
    syncPath(dataDir);
  } catch (error) {
    await client?.close().catch(() => undefined);
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}

export async function openEmbeddedDatabase(dataDir: string, options: OpenOptions = {}): Promise<Database> {
  const absolute = path.resolve(dataDir);
  let unlock: () => void;
  try {
    mkdirSync(absolute, { recursive: true });
    unlock = lockDataDir(absolute);
  } catch (error) {
    throw isDiskFull(error) ? new DiskFullError(absolute, error) : error;
  }
  try {
    // A first start that stopped half-way (the process killed) left its temporary folder.
    for (const entry of readdirSync(absolute)) {
      if (entry.startsWith(NEW_FOLDER_PREFIX))
        rmSync(path.join(absolute, entry), { recursive: true, force: true });
    }
    const pgdata = path.join(absolute, 'pgdata');
    const state = inspectEmbeddedFolder(pgdata);
    if (state.kind === 'damaged') throw new DatabaseDamagedError(pgdata, state.problem);
    let prepared = false;
    if (state.kind === 'none') {
      if (options.create === false) throw new DatabaseMissingError(pgdata);
      // An empty folder holds nothing to keep; the made database takes its place.
      rmSync(pgdata, { recursive: true, force: true });
      await createEmbedded(absolute, pgdata, options.prepare, options.durable ?? true);
      prepared = true;
    }
    let client: EmbeddedClient;
    try {
      // The server's database runs in a thread of its own (pglite-thread.ts); a first start's
      // preparation above ran here, before anyone could be waiting.
      client = (await PGliteThread.open(pgdata, {
        durable: options.durable ?? true,
      })) as unknown as EmbeddedClient;
    } catch (error) {
      if (isDiskFull(error)) throw error;
      throw new DatabaseDamagedError(
        pgdata,
        `PostgreSQL could not start on it (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const database = wrapPglite(client, unlock);
    if (!prepared && options.prepare) {
      try {
        await options.prepare(database);
      } catch (error) {
        await client.close().catch(() => undefined);
        throw error;
      }
    }
    return database;
  } catch (error) {
    unlock();
    // Whatever was being written (the lock, the new database, a migration): said in words.
    throw isDiskFull(error) ? new DiskFullError(absolute, error) : error;
  }
}

/** Whether the folder holds an embedded database (or what is left of one). */
export function holdsEmbeddedDatabase(dataDir: string): boolean {
  const pgdata = path.join(path.resolve(dataDir), 'pgdata');
  return existsSync(pgdata) && readdirSync(pgdata).length > 0;
}

/**
 * Opens an embedded database made from a copy (`onlineCopy`) in a folder that holds none;
 * the caller checks the folder is empty, and closes what it gets.
 */
export async function openEmbeddedCopy(dataDir: string, copy: Buffer): Promise<Database> {
  const absolute = path.resolve(dataDir);
  mkdirSync(absolute, { recursive: true });
  const unlock = lockDataDir(absolute);
  try {
    const pgdata = path.join(absolute, 'pgdata');
    const client = await PGliteThread.open(pgdata, { durable: true, loadDataDir: copy });
    return wrapPglite(client as unknown as EmbeddedClient, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

/** How long PostgreSQL may take before a request stops waiting for it (DATABASE_*_TIMEOUT_SECONDS). */
export interface DatabaseTimeouts {
  connectSeconds: number;
  statementSeconds: number;
  idleInTransactionSeconds: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectSeconds: 5,
  statementSeconds: 30,
  idleInTransactionSeconds: 60,
};

export function openPostgresDatabase(
  url: string,
  poolSize = 10,
  timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS,
): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: timeouts.connectSeconds * 1000,
    // The server ends a statement or an abandoned transaction that runs too long; a host that
    // has gone silent never answers at all, so the client gives up a little later on its own.
    statement_timeout: timeouts.statementSeconds * 1000,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionSeconds * 1000,
    query_timeout: (timeouts.statementSeconds + timeouts.connectSeconds) * 1000,
    keepAlive: true,
    // The trust-wide caseload's estimated cost passes the JIT threshold, and compiling it took
    // 0.8 s where running it takes 0.25 s (docs/performance.md, national scale): these are short
    // statements, so they are never compiled.
    options: '-c jit=off',
  });
  // A connection the server ends (a restart, an immediate stop, pg_terminate_backend, a
  // failover) emits 'error' on its client, idle or checked out, with or without a query
  // running; with no listener Node throws it and the process stops. A query on it fails and
  // its transaction rolls back; the pool drops the client and opens a new one for the next.
  const reportDroppedConnection = (error: Error) => {
    process.emitWarning(`PostgreSQL ended a connection: ${error.message}`, 'DatabaseWarning');
  };
  let sent = 0;
  pool.on('connect', (client) => {
    client.on('error', reportDroppedConnection);
    // Every statement on the pool goes through its client's query (pool.query included).
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      sent += 1;
      return query(...args);
    }) as typeof client.query;
  });
  // The pool repeats an idle client's error on itself; the client's own listener has reported it.
  pool.on('error', () => undefined);
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    engine: 'postgres',
    db,
    statementsSent: () => sent,
    async execScript(sql) {
      await pool.query(sql);
    },
    async scriptTransaction(work) {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const result = await work({
          exec: async (text) => {
            await connection.query(text);
          },
          query: async <Row>(text: string, params?: unknown[]) =>
            (await connection.query(text, params)).rows as Row[],
        });
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        // On a connection the server has ended there is nothing to roll back.
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
    jobQueueConnection: () => ({ connectionString: url }),
    listen: (channel, handlers) => listenOnPostgres(url, timeouts, checkedChannel(channel), handlers),
    async close() {
      await pool.end();
    },
  };
}

/** A channel name as written in LISTEN: plain lowercase letters and underscores only. */
function checkedChannel(channel: string): string {
  if (!/^[a-z_]{1,63}$/.test(channel)) throw new Error(`not a notification channel name: ${channel}`);
  return channel;
}

/** The listening connection's application_name. */
export const LISTENER_NAME = 'greenleaf-listener';

/** After a dropped listening connection, the next try waits this long. */
const LISTEN_RETRY_MS = 1000;

/**
 * A connection of its own that LISTENs (a pooled one would be handed to other work). When it
 * drops, `onState(false)` at once and a new one every LISTEN_RETRY_MS until one listens.
 */
async function listenOnPostgres(
  url: string,
  timeouts: DatabaseTimeouts,
  channel: string,
  handlers: NotificationHandlers,
): Promise<Listener> {
  let stopped = false;
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let announced: Promise<void> = Promise.resolve();
  const again = () => {
    if (stopped) return;
    retry = setTimeout(() => void connect(), LISTEN_RETRY_MS);
    retry.unref();
  };
  const connect = async () => {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: timeouts.connectSeconds * 1000,
      keepAlive: true,
      // Named, so pg_stat_activity tells it from the pool's connections.
      application_name: LISTENER_NAME,
    });
    // A drop is an 'error' then 'end'; 'end' alone is enough to act on.
    client.on('error', () => undefined);
    client.on('end', () => {
      if (current !== client) return;
      current = undefined;
      handlers.onState(false);
      again();
    });
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotify(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch {
      await client.end().catch(() => undefined);
      again();
      return;
    }
    if (stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    current = client;
    handlers.onState(true);
  };
  await connect();
  return {
    inStep: false,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
    // One statement at a time on the listening connection (pg queues them, but warns).
    announce(payload) {
      const sent = announced.then(() => current?.query('SELECT pg_notify($1, $2)', [channel, payload]));
      announced = sent.then(
        () => undefined,
        () => undefined,
      );
      return sent.then(() => undefined);
    },
  };
}
