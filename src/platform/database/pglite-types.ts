import { PGlite, types, type PGliteOptions } from '@electric-sql/pglite';
import { DurableNodeFS, durableStartParams } from './embedded-durability.ts';

/**
 * PGlite's own bytea conversion goes through every byte in JavaScript (`parseInt` per hex pair,
 * `toString(16)` per byte) on the main thread: 10 MB of photos took 4 s to read and 13 s to
 * write, and every other request waited. Written here as binary parameters (PGlite sends a
 * byte array as it is, in the binary format), read with Node's own hex decoder.
 */
export const PGLITE_TYPES: Pick<PGliteOptions, 'parsers' | 'serializers'> = {
  parsers: { [types.BYTEA]: (text: string) => Buffer.from(text.slice(2), 'hex') },
  // The declared type says a serializer gives text; PGlite also takes bytes, and sends them as binary.
  serializers: { [types.BYTEA]: ((value: Uint8Array) => value) as unknown as (value: unknown) => string },
};

/**
 * PostgreSQL's page cache inside PGlite's WebAssembly memory, which only ever grows: 128 MB by
 * default, filled under load. The operating system caches the files as well, so a small one
 * costs little: 16 MB keeps the embedded server within its memory target (docs/performance.md).
 */
const SMALL_BUFFERS = ['-c', 'shared_buffers=16MB'];

/**
 * Opens PGlite on a data folder as Greenleaf runs it: durable (every commit on the disk before
 * it is acknowledged, embedded-durability.ts) unless `durable` is false (throwaway test
 * databases), with the bytea conversion above; `loadDataDir` makes it from a copy. The same in
 * the server's database thread and wherever a folder is opened in this thread.
 */
export function createPglite(
  dataDir: string,
  options: { durable: boolean; loadDataDir?: Blob },
): Promise<PGlite> {
  const load = options.loadDataDir ? { loadDataDir: options.loadDataDir } : {};
  const defaults = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams;
  if (!options.durable)
    return PGlite.create({ dataDir, startParams: [...defaults, ...SMALL_BUFFERS], ...load, ...PGLITE_TYPES });
  return PGlite.create({
    fs: new DurableNodeFS(dataDir),
    startParams: [...durableStartParams(), ...SMALL_BUFFERS],
    relaxedDurability: false,
    ...load,
    ...PGLITE_TYPES,
  });
}
