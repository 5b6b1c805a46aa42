/**
 * `node src/server.ts` with a setting that cannot work stops within seconds with one message
 * naming the setting and what to do: exit code 1, no stack trace, never a silent hang.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerExpectingFailure } from './test-support/server-process.ts';
import {
  createTestDatabase,
  testDatabaseEngine,
  type TestDatabase,
} from './platform/database/test-database.ts';

const AUDIT_KEY = randomBytes(32).toString('base64');
let scratch: string;
let silent: net.Server;
const sockets: net.Socket[] = [];
let freePort: number;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'greenleaf-start-up-'));
  silent = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  // A port nobody listens on: taken, then given back.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  freePort = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

/** Starts it and checks it stopped with one message (no stack trace) containing each of `words`; the time bound is generous because a loaded machine takes seconds just to load the app. */
async function expectRefusal(env: Record<string, string>, words: string[], withinMs = 45_000) {
  const result = await startServerExpectingFailure(env);
  expect(result.code, result.output).toBe(1);
  expect(result.ms).toBeLessThan(withinMs);
  expect(result.output).not.toMatch(/^\s+at /m);
  for (const word of words) expect(result.output).toContain(word);
  return result.output;
}

describe('starting with settings that cannot work', { timeout: 90_000 }, () => {
  it('a database host that refuses the connection', async () => {
    await expectRefusal(
      { DATABASE_URL: `postgres://greenleaf@127.0.0.1:${String(freePort)}/greenleaf`, AUDIT_KEY },
      ['DATABASE_URL', 'refused the connection'],
    );
  });

  it('a database host that never answers: stops after the connect timeout instead of hanging', async () => {
    const { port } = silent.address() as net.AddressInfo;
    await expectRefusal(
      {
        DATABASE_URL: `postgres://greenleaf@127.0.0.1:${String(port)}/greenleaf`,
        DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
        AUDIT_KEY,
      },
      ['did not answer within 1 seconds', 'DATABASE_URL', 'DATABASE_CONNECT_TIMEOUT_SECONDS'],
    );
  });

  it('a database host name that does not exist', async () => {
    await expectRefusal({ DATABASE_URL: 'postgres://greenleaf@no-such-host.invalid/greenleaf', AUDIT_KEY }, [
      'was not found',
      'DATABASE_URL',
    ]);
  });

  it('a DATA_DIR that cannot be a folder', async () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, '');
    await expectRefusal({ DATA_DIR: path.join(file, 'data') }, ['DATA_DIR', 'cannot be used']);
  });

  it('a number written as 0x10, a PUBLIC_URL that is not http(s), and a misspelt setting, all named at once', async () => {
    const output = await expectRefusal(
      { PORT: '0x10', PUBLIC_URL: 'ftp://greenleaf.example', DATABASE_POOL_SIZ: '4', GREENLEAF_MODE: 'on' },
      ['PORT', 'PUBLIC_URL', 'did you mean DATABASE_POOL_SIZE?', 'GREENLEAF_MODE'],
    );
    expect(output.match(/Greenleaf cannot start/g)).toHaveLength(1);
  });
});

// A real PostgreSQL server to be wrong about.
if (testDatabaseEngine() === 'postgres') {
  describe('starting against PostgreSQL with a wrong name, user, port or host', { timeout: 120_000 }, () => {
    let database: TestDatabase;
    let url: URL;
    beforeAll(async () => {
      database = await createTestDatabase();
      url = new URL(database.url ?? '');
    });
    afterAll(async () => {
      await database.close();
    });

    it('a database that does not exist', async () => {
      const wrong = new URL(url);
      wrong.pathname = '/greenleaf_no_such_database';
      await expectRefusal({ DATABASE_URL: wrong.toString(), AUDIT_KEY }, ['does not exist', 'DATABASE_URL']);
    });

    it('a user PostgreSQL does not know', async () => {
      const wrong = new URL(url);
      wrong.username = 'greenleaf_no_such_user';
      await expectRefusal({ DATABASE_URL: wrong.toString(), AUDIT_KEY }, [
        'refused the user',
        'DATABASE_URL',
      ]);
    });

    it('a PORT already in use', async () => {
      const { port } = silent.address() as net.AddressInfo;
      await expectRefusal(
        { DATABASE_URL: database.url ?? '', AUDIT_KEY, PORT: String(port), SEED_DEMO_DATA: 'off' },
        [`PORT ${String(port)} is already in use`],
      );
    });

    it('a HOST that is not an address of this machine', async () => {
      await expectRefusal(
        { DATABASE_URL: database.url ?? '', AUDIT_KEY, HOST: '192.0.2.1', SEED_DEMO_DATA: 'off' },
        ['HOST (192.0.2.1) is not an address of this machine'],
      );
    });
  });
}
