/**
 * What the bench's parts share: starting the real server (`node src/server.ts`) on a free port
 * as a child process and stopping it, its memory, demo sign-in, and the PostgreSQL admin
 * connection for a throwaway bench database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Extra node flags for the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
/**
 * The server's Node flags: those of `npm start` (its heap limits, package.json), so the bench
 * measures what runs; BENCH_SERVER_NODE_ARGS replaces them ("" for Node's defaults).
 */
function startFlags(): string[] {
  const scripts = (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts;
  const match = /^node((?: --[\w-]+(?:=\S+)?)*) src\/server\.ts$/.exec(scripts.start);
  if (!match)
    throw new Error(`package.json's start script is not "node [flags] src/server.ts": ${scripts.start}`);
  return (match[1] ?? '').split(' ').filter(Boolean);
}
export const SERVER_NODE_ARGS =
  process.env.BENCH_SERVER_NODE_ARGS === undefined
    ? startFlags()
    : process.env.BENCH_SERVER_NODE_ARGS.split(' ').filter(Boolean);

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

export class BenchFailure extends Error {}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export interface RunningServer {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  output: () => string;
}

export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.DATABASE_URL;
  delete childEnv.DATA_DIR;
  delete childEnv.SEED_DEMO_DATA;
  Object.assign(childEnv, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DEMO_MODE: 'on',
    COOKIE_SECURE: 'off',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    ...env,
  });
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, 'src/server.ts'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new BenchFailure(`server exited with ${child.exitCode} before it was ready:\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok && child.pid !== undefined)
        return { child, pid: child.pid, baseUrl, output: () => output };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new BenchFailure(`server did not answer /healthz within 60 s:\n${output}`);
}

export async function stopServer(server: RunningServer): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  child.kill('SIGTERM');
  const code = await Promise.race([exited, sleep(15_000).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    log(`  server did not stop within 15 s of SIGTERM; killing it`);
    child.kill('SIGKILL');
    await exited;
  } else if (code !== 0) {
    log(`  server exited with code ${String(code)} after SIGTERM`);
  }
}

export function memoryMb(pid: number): { rss: number; hwm: number; wasm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024, wasm: wasmResidentMb(pid) };
}

/**
 * What WebAssembly memory holds resident (on the embedded engine: PGlite's PostgreSQL). V8
 * reserves each WebAssembly memory as one inaccessible mapping of about 8 GB and opens the part
 * in use at its start, which the kernel then lists as a mapping of its own just before the rest
 * of the reservation: the Rss of those mappings is WebAssembly's share.
 */
export function wasmResidentMb(pid: number): number {
  let smaps: string;
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return NaN;
  }
  const mappings: { start: number; end: number; access: string; rssKb: number }[] = [];
  for (const line of smaps.split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(line);
    if (range?.[1] && range[2] && range[3]) {
      mappings.push({
        start: Number.parseInt(range[1], 16),
        end: Number.parseInt(range[2], 16),
        access: range[3],
        rssKb: 0,
      });
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    const last = mappings.at(-1);
    if (rss?.[1] && last) last.rssKb = Number(rss[1]);
  }
  const byEnd = new Map(mappings.map((m) => [m.end, m]));
  let totalKb = 0;
  for (const reserved of mappings) {
    if (reserved.access !== '---p' || reserved.end - reserved.start < 4 * 1024 ** 3) continue;
    const used = byEnd.get(reserved.start);
    if (used?.access.startsWith('rw')) totalKb += used.rssKb;
  }
  return totalKb / 1024;
}

export function cookiePairs(response: Response): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) pairs.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return pairs;
}

/** Demo sign-in as the worker: CSRF token and cookie from GET /demo, then the form POST. */
export async function signIn(baseUrl: string, staffId: string): Promise<string> {
  const page = await fetch(`${baseUrl}/demo`);
  if (page.status !== 200) throw new BenchFailure(`GET /demo answered ${page.status}`);
  const html = await page.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookies = cookiePairs(page);
  if (!token || cookies.size === 0) throw new BenchFailure('GET /demo gave no CSRF token or cookie');
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${baseUrl}/demo/sign-in/staff/${staffId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ _csrf: token }).toString(),
  });
  if (response.status !== 303)
    throw new BenchFailure(
      `demo sign-in answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
    );
  const signedIn = cookiePairs(response);
  if (![...signedIn.keys()].some((k) => k.includes('session')))
    throw new BenchFailure('demo sign-in set no session cookie');
  for (const [k, v] of signedIn) cookies.set(k, v);
  // A browser sends the CSRF cookie too; without it every render would mint a new secret.
  return header();
}

export function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
