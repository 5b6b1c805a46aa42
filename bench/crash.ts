/**
 * `npm run crash-test [-- cycles]`: QUALITY.md's crash-safety check on the embedded database.
 * Each cycle starts the real server, posts referrals from four writers, and `kill -9`s the
 * server mid-write. After every restart, every referral the server acknowledged (303) must be
 * there; at the end, all of them are counted in the database itself. Nothing acknowledged may
 * be lost, nothing duplicated. Default 200 cycles (about 15 minutes on 2 cores).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openEmbeddedDatabase } from '../src/platform/database/database.ts';

const cycles = Number(process.argv[2] ?? 200);
const dataDir = mkdtempSync(path.join(tmpdir(), 'greenleaf-crash-'));
const port = 30_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${String(port)}`;

interface Server {
  child: ChildProcess;
  exited: Promise<unknown>;
}

async function startServer(): Promise<Server> {
  const child = spawn(process.execPath, ['src/server.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_MODE: 'on',
      COOKIE_SECURE: 'off',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { child, exited };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('server did not start');
}

function cookiesOf(response: Response, earlier = ''): string {
  const fresh = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0] ?? '');
  return [...earlier.split('; ').filter(Boolean), ...fresh].join('; ');
}

function match(html: string, pattern: RegExp, what: string): string {
  const found = pattern.exec(html)?.[1];
  if (!found) throw new Error(`could not find ${what}`);
  return found;
}

/** Signs in as the demo coordinator and returns what a referral form post needs. */
async function signIn(): Promise<{ cookie: string; csrf: string; team: string }> {
  const demo = await fetch(`${base}/demo`);
  const html = await demo.text();
  let cookie = cookiesOf(demo);
  const staffId = match(
    html,
    /Carol Coordinator[\s\S]*?action="\/demo\/sign-in\/staff\/([0-9a-f-]{36})"/,
    'the coordinator',
  );
  const signedIn = await fetch(`${base}/demo/sign-in/staff/${staffId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: `_csrf=${encodeURIComponent(match(html, /name="_csrf" value="([^"]+)"/, 'the form token'))}`,
  });
  cookie = cookiesOf(signedIn, cookie);
  const form = await (await fetch(`${base}/referrals/new`, { headers: { cookie } })).text();
  return {
    cookie,
    csrf: match(form, /name="_csrf" value="([^"]+)"/, 'the form token'),
    team: match(form, /name="crisisTeamId" type="radio" value="([0-9a-f-]{36})"/, 'a crisis team'),
  };
}

function referral(csrf: string, team: string, familyName: string): URLSearchParams {
  return new URLSearchParams({
    _csrf: csrf,
    submissionToken: randomUUID(),
    givenName: 'Kay',
    familyName,
    'dateOfBirth[day]': '1',
    'dateOfBirth[month]': '2',
    'dateOfBirth[year]': '1980',
    // Each its own contact: a mobile or email someone else has is not saved without a question.
    email: `${familyName.toLowerCase()}@example.com`,
    contactMethods: 'email',
    mayLeaveMessages: 'no',
    crisisTeamId: team,
    'dischargedOn[day]': '20',
    'dischargedOn[month]': '11',
    'dischargedOn[year]': '2026',
    dischargeDestination: 'gp',
  });
}

const acknowledged: string[] = [];
let lostAtRestart = 0;
const started = Date.now();
try {
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const server = await startServer();
    const { cookie, csrf, team } = await signIn();
    // The last cycle's acknowledged referrals are the newest, so on the first page of the list.
    const list = await (await fetch(`${base}/referrals`, { headers: { cookie } })).text();
    const recent = acknowledged.slice(-200);
    const missing = recent.filter((name) => !list.includes(name));
    lostAtRestart += missing.length;
    if (missing.length > 0)
      console.log(
        `cycle ${String(cycle)}: ${String(missing.length)} acknowledged referrals missing after restart`,
      );

    const killAt = Date.now() + 200 + Math.random() * 800;
    const writers = Array.from({ length: 4 }, async () => {
      while (Date.now() < killAt + 1000) {
        const name = `Crash${randomUUID().slice(0, 12)}`;
        try {
          const response = await fetch(`${base}/referrals`, {
            method: 'POST',
            redirect: 'manual',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: referral(csrf, team, name),
          });
          if (response.status === 303) acknowledged.push(name);
        } catch {
          return; // the server is gone: this write was never acknowledged
        }
      }
    });
    setTimeout(() => server.child.kill('SIGKILL'), Math.max(0, killAt - Date.now()));
    await Promise.all(writers);
    await server.exited;
    if (cycle % 20 === 0)
      console.log(`${String(cycle)} cycles, ${String(acknowledged.length)} acknowledged so far`);
  }

  // At the end, count in the database itself: each acknowledged referral exactly once.
  const database = await openEmbeddedDatabase(dataDir);
  try {
    const result: unknown = await database.db.execute(
      sql`SELECT family_name, count(*)::int AS n FROM participants WHERE family_name LIKE 'Crash%' GROUP BY family_name`,
    );
    const stored = new Map(
      (result as { rows: { family_name: string; n: number }[] }).rows.map((r) => [r.family_name, r.n]),
    );
    const lost = acknowledged.filter((name) => !stored.has(name)).length;
    const duplicated = [...stored.values()].filter((n) => n > 1).length;
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(
      `\n${String(cycles)} kill -9 cycles in ${String(seconds)} s: ${String(acknowledged.length)} referrals acknowledged, ` +
        `${String(lost)} lost, ${String(duplicated)} duplicated (${String(lostAtRestart)} missing at a restart)`,
    );
    if (lost > 0 || duplicated > 0 || lostAtRestart > 0) process.exitCode = 1;
  } finally {
    await database.close();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
