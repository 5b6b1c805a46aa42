/**
 * `npm run backup` and `npm run restore` as an operator runs them, on the engine under test: a
 * backup taken while the service writes, restored into a fresh folder or an empty database,
 * whose audit log then verifies with the key and the checkpoint file kept beside the backup.
 * On the embedded engine the service holds the folder, so the copy comes through its control
 * socket, and `npm run audit:verify` runs while the service is up.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditCheckpointService } from '../../audit/audit-checkpoint.service.ts';
import { runAuditVerify } from '../../audit/audit-verify-command.ts';
import { AuditRepository } from '../../audit/audit.repository.ts';
import { AuditService } from '../../audit/audit.service.ts';
import { FileCheckpointSink } from '../../audit/checkpoint-sink.ts';
import { ManualClock } from '../clock.ts';
import { openEmbeddedDatabase, openPostgresDatabase, type Database } from '../database/database.ts';
import { migrate } from '../database/migrate.ts';
import { testDatabaseEngine } from '../database/test-database.ts';
import { TEST_AUDIT_KEY } from '../../test-support/audit-key.ts';
import { count } from '../../test-support/rows.ts';
import { sql } from 'drizzle-orm';
import { runBackup } from './backup-command.ts';
import { controlSocketPath, serveControlSocket, type ControlSocket } from './control-socket.ts';
import { runRestore } from './restore-command.ts';

const AUDIT_KEY = Buffer.from('greenleaf tests only: never a production audit key').toString('hex');
const engine = testDatabaseEngine();
const clock = new ManualClock('2026-12-03T10:00:00Z');
const audit = new AuditService(new AuditRepository(), clock, TEST_AUDIT_KEY);

let folder: string;
let source: Database;
let control: ControlSocket | undefined;
/** The settings of the running service, and of the place the backup is restored to. */
let serviceEnv: Record<string, string>;
let restoredEnv: Record<string, string>;
const dropAfter: string[] = [];

function postgresUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? '');
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'greenleaf-backup-'));
  if (engine === 'postgres') {
    // Named like the test databases, so a crashed run's are dropped by the next.
    const prefix = `greenleaf_test_${String(process.pid)}_backup`;
    await admin(async (client) => {
      for (const name of [`${prefix}_source`, `${prefix}_restored`]) {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
        dropAfter.push(name);
      }
    });
    source = openPostgresDatabase(postgresUrl(`${prefix}_source`), 4);
    serviceEnv = { DATABASE_URL: postgresUrl(`${prefix}_source`), AUDIT_KEY };
    restoredEnv = { DATABASE_URL: postgresUrl(`${prefix}_restored`), AUDIT_KEY };
  } else {
    const dataDir = path.join(folder, 'data');
    source = await openEmbeddedDatabase(dataDir);
    control = await serveControlSocket(
      controlSocketPath(dataDir),
      () => source.onlineCopy!(),
      () => undefined,
    );
    serviceEnv = { DATA_DIR: dataDir, AUDIT_KEY };
    restoredEnv = { DATA_DIR: path.join(folder, 'restored'), AUDIT_KEY };
  }
  await migrate(source);
}, 180_000);

afterAll(async () => {
  await control?.close();
  await source.close();
  if (dropAfter.length > 0) {
    await admin(async (client) => {
      for (const name of dropAfter) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
  }
  rmSync(folder, { recursive: true, force: true });
});

async function recordEvents(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await source.db.transaction((tx) =>
      audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'outbox.viewed',
        entityType: 'test',
        entityId: String(i),
      }),
    );
    // Let the backup's own requests in between, as a service's requests would.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function run(
  command: typeof runBackup | typeof runRestore | typeof runAuditVerify,
  env: Record<string, string>,
  argv: string[],
) {
  const out: string[] = [];
  const code = await command({
    argv,
    env,
    output: { log: (text) => out.push(text), error: (text) => out.push(text) },
  });
  return { code, text: out.join('\n') };
}

describe(`npm run backup and npm run restore on ${engine}`, () => {
  const backupFile = () => path.join(folder, engine === 'postgres' ? 'greenleaf.pgdump' : 'greenleaf.tar.gz');
  const checkpointFile = () => path.join(folder, 'audit-checkpoints.jsonl');

  it(
    'backs up the database while it is being written, into an owner-only file',
    { timeout: 180_000 },
    async () => {
      await recordEvents(20);
      const checkpoints = new AuditCheckpointService(
        source.db,
        new AuditRepository(),
        TEST_AUDIT_KEY,
        clock,
        new FileCheckpointSink(checkpointFile()),
      );
      await checkpoints.take();
      const writing = recordEvents(30);
      const backup = await run(runBackup, serviceEnv, ['--output', backupFile()]);
      await writing;

      expect(backup.text).toContain(`Backed up the ${engine} database to ${backupFile()}`);
      expect(backup.code).toBe(0);
      if (engine === 'embedded') expect(backup.text).toContain('taken by the running service');
      expect(statSync(backupFile()).mode & 0o777).toBe(0o600);
      expect(readdirSync(folder).filter((name) => name.endsWith('.partial'))).toEqual([]);
    },
  );

  it(
    'restores the backup into a fresh place, where the audit log verifies with the key and checkpoints',
    { timeout: 180_000 },
    async () => {
      const restore = await run(runRestore, restoredEnv, [backupFile()]);
      expect(restore.text).toContain(`Restored ${backupFile()}.`);
      expect(restore.code).toBe(0);

      const verify = await run(runAuditVerify, restoredEnv, ['--checkpoints', checkpointFile()]);
      expect(verify.text).toContain('The audit log is intact');
      expect(verify.code).toBe(0);

      const restored =
        engine === 'postgres'
          ? openPostgresDatabase(restoredEnv.DATABASE_URL ?? '', 2)
          : await openEmbeddedDatabase(restoredEnv.DATA_DIR ?? '');
      try {
        // Every event written before the backup began, and none half-written.
        expect(
          await count(
            restored,
            sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'outbox.viewed'`,
          ),
        ).toBeGreaterThanOrEqual(20);
      } finally {
        await restored.close();
      }
    },
  );

  it('never restores over a database that is there', { timeout: 120_000 }, async () => {
    const again = await run(runRestore, restoredEnv, [backupFile()]);
    expect(again.code).toBe(1);
    expect(again.text).toContain('nothing was restored');
  });
});

// Only the embedded engine is held by its service; PostgreSQL has no lock to refuse or work around.
if (engine === 'embedded')
  describe('the embedded database while its service runs', () => {
    it('asks for copies on a socket only the service’s own user may use', () => {
      const socket = statSync(controlSocketPath(serviceEnv.DATA_DIR ?? ''));
      expect(socket.isSocket()).toBe(true);
      expect(socket.mode & 0o777).toBe(0o600);
    });

    it(
      'lets npm run audit:verify check it through the service, not fail on the lock',
      { timeout: 120_000 },
      async () => {
        const verify = await run(runAuditVerify, serviceEnv, [
          '--checkpoints',
          path.join(folder, 'audit-checkpoints.jsonl'),
        ]);
        expect(verify.text).toContain('The service is running: checking a consistent copy');
        expect(verify.text).toContain('The audit log is intact');
        expect(verify.code).toBe(0);
      },
    );

    it(
      'replaces a stopped database only when told, moving the old one aside',
      { timeout: 120_000 },
      async () => {
        const backup = path.join(folder, 'greenleaf.tar.gz');
        const restoredDir = path.join(folder, 'restored');
        const replaced = await run(runRestore, { ...restoredEnv, DATA_DIR: restoredDir }, [
          backup,
          '--replace',
        ]);
        expect(replaced.code).toBe(0);
        expect(replaced.text).toContain('is now in');
        expect(readdirSync(restoredDir).some((name) => name.startsWith('pgdata.replaced-'))).toBe(true);
        expect(existsSync(path.join(restoredDir, 'pgdata'))).toBe(true);
      },
    );

    it('refuses to replace the database of a running service', { timeout: 60_000 }, async () => {
      const refused = await run(runRestore, serviceEnv, [path.join(folder, 'greenleaf.tar.gz'), '--replace']);
      expect(refused.code).toBe(1);
      expect(refused.text).toContain('is already using the embedded database');
    });
  });
