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
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DatabaseLockedError, openEmbeddedDatabase } from './database.ts';
import type { LockHolder } from './embedded-lock.ts';

describe('embedded database lock', { timeout: 180_000 }, () => {
  const databaseModule = path.join(path.dirname(fileURLToPath(import.meta.url)), 'database.ts');
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'greenleaf-lock-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  function lockHolder(): LockHolder {
    return JSON.parse(readFileSync(path.join(dataDir, 'greenleaf.lock'), 'utf8')) as LockHolder;
  }

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
      await expect(attempt).rejects.toThrow(`Its command: ${process.execPath} --input-type=module -e`);
      // The refused process left the holder's lock alone.
      expect(lockHolder().pid).toBe(holder.pid);
    } finally {
      await holder.stop();
    }

    // Once the holder has stopped, the folder opens normally, and closing releases the lock.
    expect(existsSync(path.join(dataDir, 'greenleaf.lock'))).toBe(false);
    const database = await openEmbeddedDatabase(dataDir);
    expect(lockHolder().pid).toBe(process.pid);
    await database.close();
    expect(existsSync(path.join(dataDir, 'greenleaf.lock'))).toBe(false);
  });

  it('takes over a stale lock left by a process that has gone', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    writeFileSync(path.join(dataDir, 'greenleaf.lock'), String(gone.pid));

    const database = await openEmbeddedDatabase(dataDir);
    try {
      expect(lockHolder().pid).toBe(process.pid);
    } finally {
      await database.close();
    }
  });

  const commandLine = (pid: number): string => {
    try {
      return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  };

  /** A program that is not Greenleaf, running under a process id a stale lock names. */
  async function withStranger(work: (pid: number) => Promise<void>): Promise<void> {
    const stranger = spawn('sleep', ['120']);
    try {
      // Until it has become `sleep` (between fork and exec it has no command line of its own).
      for (let i = 0; i < 100 && !commandLine(stranger.pid ?? 0).includes('sleep'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await work(stranger.pid ?? 0);
    } finally {
      stranger.kill();
      await once(stranger, 'exit');
    }
  }

  it('takes over a stale lock whose process id now belongs to another program, saying so', async () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await withStranger(async (pid) => {
        // Written by a Greenleaf process that started earlier, under the id `sleep` has now.
        writeFileSync(
          path.join(dataDir, 'greenleaf.lock'),
          JSON.stringify({ pid, started: '1', command: 'node src/server.ts' }),
        );
        const database = await openEmbeddedDatabase(dataDir);
        await database.close();
        expect(warnings).toHaveBeenCalledWith(
          expect.stringMatching(
            new RegExp(
              `process id ${String(pid)} now belongs to another program, started later \\(sleep 120\\)`,
            ),
          ),
          'DatabaseLockWarning',
        );

        // A lock from before locks named their start time: the id alone, now a program that is not Node.
        warnings.mockClear();
        writeFileSync(path.join(dataDir, 'greenleaf.lock'), String(pid));
        const again = await openEmbeddedDatabase(dataDir);
        await again.close();
        expect(warnings).toHaveBeenCalledWith(
          expect.stringContaining(`process id ${String(pid)} now belongs to another program (sleep 120)`),
          'DatabaseLockWarning',
        );
      });
    } finally {
      warnings.mockRestore();
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
