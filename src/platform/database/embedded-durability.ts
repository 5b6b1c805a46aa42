/**
 * Durable writes for the embedded database. Out of the box PGlite starts PostgreSQL with `-F`
 * (fsync off), and its Node file system (Emscripten's NODEFS) has no `fsync` at all, so even
 * with fsync on a commit only reaches the operating system's cache (and its `fdatasync`, the
 * log's default on Linux, does nothing): a power cut (not a killed process) can lose writes
 * already acknowledged to the user. Here PostgreSQL runs with fsync on, flushes its log with
 * fsync, and its fsync reaches the disk through `fs.fsyncSync`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

type InitResult = Awaited<ReturnType<NodeFS['init']>>;

interface NodeStream {
  nfd?: number;
}
interface NodeFsModule {
  NODEFS: { stream_ops: Record<string, unknown>; tryFSOperation<T>(operation: () => T): T };
}

/** The file's own flush, through the conversion NODEFS uses for every other call (errors to errno). */
function installFsync(mod: NodeFsModule): void {
  mod.NODEFS.stream_ops.fsync = (stream: NodeStream) => {
    const fd = stream.nfd;
    if (fd !== undefined)
      mod.NODEFS.tryFSOperation(() => {
        fs.fsyncSync(fd);
      });
    return 0;
  };
}

/** PGlite's Node file system, with an `fsync` that reaches the disk. */
export class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]): Promise<InitResult> {
    const result = await super.init(pg, opts);
    const preRun = result.emscriptenOpts.preRun ?? [];
    return {
      emscriptenOpts: {
        ...result.emscriptenOpts,
        preRun: [
          ...preRun,
          (mod: unknown) => {
            installFsync(mod as NodeFsModule);
          },
        ],
      },
    };
  }
}

/** PGlite's own start-up parameters, less `-F` (fsync off), flushing the log with fsync. */
export function durableStartParams(): string[] {
  const defaults = (PGlite as unknown as { defaultStartParams?: unknown }).defaultStartParams;
  if (!Array.isArray(defaults) || !defaults.includes('-F')) {
    throw new Error(
      'PGlite start-up parameters have changed: check the embedded database still syncs to disk',
    );
  }
  // fdatasync is a no-op in PGlite's C library; fsync reaches `stream_ops.fsync` above.
  return [...(defaults as string[]).filter((parameter) => parameter !== '-F'), '-c', 'wal_sync_method=fsync'];
}

/**
 * Flushes every file and folder under `root` to the disk: a new database is written (from
 * PGlite's template) without a single fsync, and must be on the disk before it is renamed
 * into place.
 */
export function syncTree(root: string): void {
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() || entry.isDirectory()) syncPath(path.join(entry.parentPath, entry.name));
  }
  syncPath(root);
}

export function syncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
