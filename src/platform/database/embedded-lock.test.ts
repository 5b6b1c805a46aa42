/**
 * The embedded database's exclusive lock (STACK.md, PGlite trap 1: two processes on one data
 * folder lose rows). Embedded only, so a plain test file: it runs once, not per engine.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseLockedError, openEmbeddedDatabase } from './database.ts';

describe('embedded database lock', { timeout: 180_000 }, () => {
  const databaseModule = path.join(path.dirname(fileURLToPath(import.meta.url)), 'database.ts');
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'greenleaf-lock-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Another Node process that opens the embedded database and holds it until its stdin closes. */
  async function startHolder() {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { openEmbeddedDatabase } = await import(process.env.HOLDER_MODULE);
         const database = await openEmbeddedDatabase(process.env.HOLDER_DATA_DIR);
         process.stdout.write('ready\\n');
         process.stdin.resume();
         process.stdin.on('end', async () => { await database.close(); process.exit(0); });`,
      ],
      {
        env: { ...process.env, HOLDER_MODULE: databaseModule, HOLDER_DATA_DIR: dataDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready')) resolve();
      });
      child.on('exit', (code) => {
        reject(new Error(`lock holder exited early (${String(code)}):\n${output}`));
      });
    });
    return {
      pid: child.pid ?? 0,
      async stop() {
        child.stdin.end();
        await once(child, 'exit');
      },
    };
  }

  it('refuses a second process on the same folder, naming the process that holds it', async () => {
    const holder = await startHolder();
    try {
      const attempt = openEmbeddedDatabase(dataDir);
      await expect(attempt).rejects.toBeInstanceOf(DatabaseLockedError);
      await expect(attempt).rejects.toThrow(`Another Greenleaf process (pid ${String(holder.pid)})`);
      // The refused process left the holder's lock alone.
      expect(readFileSync(path.join(dataDir, 'greenleaf.lock'), 'utf8')).toBe(String(holder.pid));
    } finally {
      await holder.stop();
    }

    // Once the holder has stopped, the folder opens normally, and closing releases the lock.
    expect(existsSync(path.join(dataDir, 'greenleaf.lock'))).toBe(false);
    const database = await openEmbeddedDatabase(dataDir);
    expect(readFileSync(path.join(dataDir, 'greenleaf.lock'), 'utf8')).toBe(String(process.pid));
    await database.close();
    expect(existsSync(path.join(dataDir, 'greenleaf.lock'))).toBe(false);
  });

  it('takes over a stale lock left by a process that has gone', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    writeFileSync(path.join(dataDir, 'greenleaf.lock'), String(gone.pid));

    const database = await openEmbeddedDatabase(dataDir);
    try {
      expect(readFileSync(path.join(dataDir, 'greenleaf.lock'), 'utf8')).toBe(String(process.pid));
    } finally {
      await database.close();
    }
  });

  it('refuses a second open of the same folder from the same process', async () => {
    const first = await openEmbeddedDatabase(dataDir);
    try {
      await expect(openEmbeddedDatabase(dataDir)).rejects.toBeInstanceOf(DatabaseLockedError);
    } finally {
      await first.close();
    }
    // Closed, it opens again.
    const again = await openEmbeddedDatabase(dataDir);
    await again.close();
  });
});
