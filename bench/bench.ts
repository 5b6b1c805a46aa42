/**
 * `npm run bench`: QUALITY.md's performance table, measured side by side in one run.
 *
 * For each database engine (embedded PGlite in a fresh temp folder; PostgreSQL in a fresh
 * `greenleaf_bench` database, skipped with a note when unreachable):
 *   1. prepare data with the project's own modules (seed, psw.pat with 25 participants,
 *      thousands of background participants), then close the database;
 *   2. start the real server (`node src/server.ts`) as a child process;
 *   3. sign in as psw.pat through the demo sign-in (CSRF token from GET /demo);
 *   4. load `GET /healthz` (bare), `GET /caseload` (authenticated, audited page) and
 *      `POST /sessions/:id/record` (recording a session: form, validation, transaction with a
 *      revision and an audit event, redirect) with autocannon;
 *   5. read the server's resident memory, stop it with SIGTERM and clean up.
 * Then print one table with the ratios and QUALITY.md's targets. First, the printable plan's
 * PDF (`plan-pdf.ts`): rendered in this process, then asked for through the server on each
 * engine while /healthz is timed.
 *
 * Knobs (env): BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2), BENCH_CONNECTIONS
 * (default 64), BENCH_BACKGROUND (participants, default 6000), BENCH_PG_URL (admin URL,
 * default postgres://postgres@127.0.0.1:5432/postgres), BENCH_ENGINES (e.g. "embedded"),
 * BENCH_SERVER_NODE_ARGS (node flags for the server instead of `npm start`'s heap limits, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof", or "" for Node's defaults),
 * BENCH_PDF_RUNS (default 20). `BENCH_ENGINES=none npm run bench` measures the PDF alone (seconds).
 *
 * National scale: `BENCH_SCALE=national` adds, after the data above, the national data set
 * (`national.ts`: 50,000 more participants over 40 more teams, ~460,000 sessions, ~157,000
 * allocations, ~100,000 safety concerns, contact attempts, 1,000,000 signed audit events), then
 * times every staff list page one request at a time before the load tests (`pages.ts`:
 * BENCH_PAGE_RUNS sequential requests each, default 20, after BENCH_PAGE_WARMUP, default 2) and
 * prints them as a table of their own. BENCH_NATIONAL_PARTICIPANTS and BENCH_NATIONAL_AUDIT_EVENTS
 * make it smaller for a quick try.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import {
  openEmbeddedDatabase,
  openPostgresDatabase,
  type Database,
} from '../src/platform/database/database.ts';
import { AuditKey, embeddedAuditKey } from '../src/audit/audit-key.ts';
import { benchPlanPdf, describePdfBench, type PdfBench } from './plan-pdf.ts';
import {
  admin,
  BenchFailure,
  databaseUrl,
  log,
  memoryMb,
  PG_ADMIN_URL,
  signIn,
  startServer,
  stopServer,
  SERVER_NODE_ARGS,
} from './server.ts';
import { CASELOAD_SIZE, prepareData, type PreparedData } from './prepare.ts';
import { addNationalData, NATIONAL_SCALE, type NationalData } from './national.ts';
import { timePages, type PageTiming } from './pages.ts';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const BACKGROUND = Number(process.env.BENCH_BACKGROUND ?? 6_000);
const BENCH_DB = 'greenleaf_bench';
const ENGINES = (process.env.BENCH_ENGINES ?? 'embedded,postgres').split(',').map((e) => e.trim());
const PDF_RUNS = Number(process.env.BENCH_PDF_RUNS ?? 20);
const SCALE = process.env.BENCH_SCALE ?? 'default';
const SOAK_SECONDS = Number(process.env.BENCH_SOAK ?? 0);
if (SCALE !== 'default' && SCALE !== 'national')
  throw new Error(`BENCH_SCALE is "default" or "national", not "${SCALE}"`);
const NATIONAL = SCALE === 'national';
const NATIONAL_SIZE = {
  ...NATIONAL_SCALE,
  participants: Number(process.env.BENCH_NATIONAL_PARTICIPANTS ?? NATIONAL_SCALE.participants),
  auditEvents: Number(process.env.BENCH_NATIONAL_AUDIT_EVENTS ?? NATIONAL_SCALE.auditEvents),
};
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 20);
const PAGE_WARMUP = Number(process.env.BENCH_PAGE_WARMUP ?? 2);
/** What the national section calls slow or heavy (issue 14): a page over 1 s, or over ~200 KB. */
const PAGE_SLOW_MS = 1_000;
const PAGE_HEAVY_BYTES = 200 * 1024;

// QUALITY.md, Performance: the authenticated, audited page against the bare route, and
// recording a session.
const TARGET_RATIO = 0.15;
const TARGET_RECORD_RATIO = 0.1;
const TARGET_RECORD_P99_MS = 150;
const RECORD_ROUTE = 'POST /sessions/:id/record';
const TIMEOUT_S = 10;
const TARGET_P99_MS = 100;
const TARGET_RSS_MB = 250;

type Engine = 'embedded' | 'postgres';

interface Row {
  engine: Engine;
  route: string;
  result: Result;
}

interface EngineReport {
  engine: Engine;
  rows: Row[];
  idleRssMb: number;
  rssMb: number;
  hwmMb: number;
  /** Of the resident memory after the run, what WebAssembly holds (embedded: PGlite). */
  wasmMb: number;
  /** `/healthz` asked one at a time while the caseload was loaded: is the event loop free? */
  healthzDuringCaseload: ProbeResult;
  soak?: SoakResult;
  prepared: PreparedData;
  bodyBytes: number;
  /** With BENCH_SCALE=national: the data added and the staff list pages' timings. */
  national?: { data: NationalData; pages: PageTiming[] };
}

/**
 * What a browser asks for: compressed answers. Every measured request sends it, so the cost of
 * compressing a page (about 0.5–1 ms for the caseload) is part of what is measured.
 */
const BROWSER_HEADERS = { 'accept-encoding': 'br, gzip' } as const;

/**
 * One request first: the page is the worker's, lists exactly the 25 participants, and comes
 * compressed as a browser asks. Returns the page's size before compression.
 */
async function checkCaseload(baseUrl: string, cookie: string, prepared: PreparedData): Promise<number> {
  const response = await fetch(`${baseUrl}/caseload`, {
    headers: { cookie, ...BROWSER_HEADERS },
    redirect: 'manual',
  });
  // fetch decodes the body; the header says how it came over the wire.
  const encoding = response.headers.get('content-encoding');
  const body = await response.text();
  if (response.status !== 200)
    throw new BenchFailure(`GET /caseload answered ${response.status}: ${body.slice(0, 300)}`);
  if (encoding !== 'br' && encoding !== 'gzip')
    throw new BenchFailure(`GET /caseload came uncompressed (content-encoding ${String(encoding)})`);
  const missing = prepared.caseloadIds.filter((id) => !body.includes(`href="/participants/${id}"`));
  const listed = body.match(/class="nhsuk-card__link" href="\/participants\/[0-9a-f-]{36}"/g)?.length ?? 0;
  if (
    missing.length > 0 ||
    listed !== CASELOAD_SIZE ||
    !body.includes(`You support ${CASELOAD_SIZE} participants.`)
  ) {
    throw new BenchFailure(
      `GET /caseload does not list exactly the ${CASELOAD_SIZE} participants (listed ${listed}, missing ${missing.length})`,
    );
  }
  return Buffer.byteLength(body);
}

async function load(url: string, title: string, headers: Record<string, string> = {}): Promise<Result> {
  const result = await autocannon({
    url,
    title,
    connections: CONNECTIONS,
    duration: DURATION,
    headers,
    timeout: TIMEOUT_S,
    ...(WARMUP > 0 ? { warmup: { connections: CONNECTIONS, duration: WARMUP } } : {}),
  });
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, s]) => `${code}×${s.count}`)
    .join(' ');
  log(
    `  ${title}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (${codes})`,
  );
  // A non-2xx answer or a refused connection means the run measured the wrong thing: stop.
  // A timeout (no answer within 10 s) is a latency result: it is reported and fails the p99 target.
  const warmupBad = result.warmup ? result.warmup.non2xx + result.warmup.errors - result.warmup.timeouts : 0;
  const connectionErrors = result.errors - result.timeouts;
  if (result.non2xx > 0 || connectionErrors > 0 || warmupBad > 0) {
    throw new BenchFailure(
      `${title}: ${result.non2xx} non-2xx responses, ${connectionErrors} connection errors (warm-up: ${warmupBad} bad); status codes ${codes}`,
    );
  }
  if (result.timeouts > 0) log(`  ${title}: ${result.timeouts} requests got no answer within ${TIMEOUT_S} s`);
  return result;
}

/**
 * Records sessions as fast as the server allows: each request records a different session
 * that has started and is not recorded yet (the form as a worker sends it after a meeting).
 * Every answer must be the 303 of a saved record: a 409, 400 or 500 stops the run.
 */
async function loadRecording(
  engine: Engine,
  baseUrl: string,
  cookie: string,
  sessionIds: string[],
): Promise<Result> {
  const page = await fetch(`${baseUrl}/sessions/${sessionIds[0] ?? ''}/record`, { headers: { cookie } });
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !csrf) throw new BenchFailure(`GET the record page answered ${page.status}`);
  const waiting = [...sessionIds];
  const title = `${engine} ${RECORD_ROUTE}`;
  const result = await autocannon({
    url: baseUrl,
    title,
    connections: CONNECTIONS,
    duration: DURATION,
    timeout: TIMEOUT_S,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const sessionId = waiting.shift();
          if (!sessionId)
            throw new BenchFailure(`all ${sessionIds.length} sessions recorded before the run ended`);
          return {
            ...request,
            method: 'POST',
            path: `/sessions/${sessionId}/record`,
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...BROWSER_HEADERS },
            body: new URLSearchParams({
              _csrf: csrf,
              version: '1',
              status: 'attended',
              durationMinutes: '45',
              sections: 'moving_on',
              storySharing: 'no',
              note: 'Talked about the week ahead and what helps in the mornings.',
              followUps: 'Find the walking group times',
            }).toString(),
          };
        },
      },
    ],
  });
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, stat]) => `${code}×${stat.count}`)
    .join(' ');
  log(
    `  ${title}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (${codes})`,
  );
  const saved = result.statusCodeStats['303']?.count ?? 0;
  const other = Object.entries(result.statusCodeStats).filter(([code]) => code !== '303');
  if (other.length > 0 || result.errors - result.timeouts > 0 || saved === 0) {
    throw new BenchFailure(`${title}: expected only 303 (saved); got ${codes}, ${result.errors} errors`);
  }
  if (result.timeouts > 0) log(`  ${title}: ${result.timeouts} requests got no answer within ${TIMEOUT_S} s`);
  return result;
}

/** Every staff list page, signed in as who opens it: the national section's table. */
async function timeStaffPages(
  baseUrl: string,
  workerCookie: string,
  data: NationalData,
): Promise<PageTiming[]> {
  const { coordinatorId, supervisorId, dutyClinicianId } = data.accounts;
  const coordinator = await signIn(baseUrl, coordinatorId);
  const supervisor = await signIn(baseUrl, supervisorId);
  const clinician = await signIn(baseUrl, dutyClinicianId);
  return timePages(
    baseUrl,
    [
      { path: '/caseload', who: 'psw.pat (25 participants)', cookie: workerCookie },
      { path: '/caseloads', who: 'coordinator', cookie: coordinator },
      { path: '/caseloads', who: 'supervisor.north', cookie: supervisor },
      { path: '/allocation', who: 'coordinator', cookie: coordinator },
      { path: '/concerns/inbox', who: 'clinician, Area 1 team', cookie: clinician },
      { path: '/concerns/overview', who: 'coordinator', cookie: coordinator },
      // Service reports: the last 12 months of referrals, every team, and one broken down.
      { path: '/reports', who: 'coordinator', cookie: coordinator },
      { path: '/reports?by=ethnicity', who: 'coordinator', cookie: coordinator },
      { path: '/reports?by=age', who: 'supervisor.north', cookie: supervisor },
      { path: '/reports/feedback', who: 'coordinator', cookie: coordinator },
    ],
    { runs: PAGE_RUNS, warmup: PAGE_WARMUP, log },
  );
}

interface ProbeResult {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Asks `url` one request at a time until `stop` resolves; the latencies seen. */
async function probe(url: string, stop: Promise<unknown>): Promise<ProbeResult> {
  const times: number[] = [];
  const state = { stopped: false };
  void stop.then(() => {
    state.stopped = true;
  });
  while (!state.stopped) {
    const started = performance.now();
    const response = await fetch(url, { headers: BROWSER_HEADERS });
    await response.arrayBuffer();
    if (!response.ok) throw new BenchFailure(`${url} answered ${String(response.status)} under load`);
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { count: times.length, p50: at(0.5), p99: at(0.99), max: times.at(-1) ?? NaN };
}

interface SoakResult {
  seconds: number;
  /** Resident memory sampled every 30 s while the caseload was loaded: [seconds, MB]. */
  samples: [number, number][];
  requests: number;
}

/**
 * BENCH_SOAK=<seconds>: the caseload loaded for that long after the measured runs (a few
 * connections, as a busy day would), the server's memory read every 30 s. Growth after the
 * first third is what a leak looks like.
 */
async function soak(baseUrl: string, cookie: string, pid: number): Promise<SoakResult | undefined> {
  if (SOAK_SECONDS <= 0) return undefined;
  log(`  soak: the caseload loaded for ${String(SOAK_SECONDS)} s, memory read every 30 s…`);
  const samples: [number, number][] = [[0, memoryMb(pid).rss]];
  const started = performance.now();
  const timer = setInterval(() => {
    samples.push([Math.round((performance.now() - started) / 1000), memoryMb(pid).rss]);
  }, 30_000);
  try {
    const result = await autocannon({
      url: `${baseUrl}/caseload`,
      connections: 8,
      duration: SOAK_SECONDS,
      headers: { cookie, ...BROWSER_HEADERS },
      timeout: TIMEOUT_S,
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new BenchFailure(
        `soak: ${String(result.non2xx)} non-2xx answers, ${String(result.errors)} errors`,
      );
    samples.push([SOAK_SECONDS, memoryMb(pid).rss]);
    return { seconds: SOAK_SECONDS, samples, requests: result.requests.total };
  } finally {
    clearInterval(timer);
  }
}

async function benchEngine(
  engine: Engine,
  open: () => Promise<Database>,
  serverEnv: Record<string, string>,
  auditKey: AuditKey,
): Promise<EngineReport> {
  log(`\n[${engine}] preparing data…`);
  const database = await open();
  let prepared: PreparedData;
  let nationalData: NationalData | undefined;
  try {
    prepared = await prepareData(database, BACKGROUND);
    log(
      `  ${prepared.participantCount} participants, ${prepared.allocationCount} allocations, ` +
        `${prepared.workerName} has ${prepared.caseloadIds.length} (${(prepared.ms / 1000).toFixed(1)} s)`,
    );
    if (NATIONAL) {
      log('  adding the national data set…');
      nationalData = await addNationalData(database, {
        now: new Date(),
        auditKey,
        scale: NATIONAL_SIZE,
        log,
      });
      log(
        `  national data in ${(nationalData.ms / 1000).toFixed(1)} s: ` +
          Object.entries(nationalData.counts)
            .map(([name, n]) => `${n.toLocaleString('en-GB')} ${name}`)
            .join(', '),
      );
    }
  } finally {
    await database.close();
  }

  const server = await startServer(serverEnv);
  try {
    const cookie = await signIn(server.baseUrl, prepared.workerId);
    const bodyBytes = await checkCaseload(server.baseUrl, cookie, prepared);
    const idle = memoryMb(server.pid);
    log(
      `  server pid ${server.child.pid} at ${server.baseUrl}; caseload page ${bodyBytes} bytes, ${CASELOAD_SIZE} participants listed`,
    );
    // Before the load tests, on a quiet server: one person opening each page.
    const national = nationalData && {
      data: nationalData,
      pages: await timeStaffPages(server.baseUrl, cookie, nationalData),
    };
    const rows: Row[] = [];
    rows.push({
      engine,
      route: 'GET /healthz',
      result: await load(`${server.baseUrl}/healthz`, `${engine} GET /healthz`, { ...BROWSER_HEADERS }),
    });
    // Meanwhile /healthz, one request at a time: does the server still answer at once?
    let caseloadDone!: () => void;
    const healthz = probe(
      `${server.baseUrl}/healthz`,
      new Promise<void>((resolve) => (caseloadDone = resolve)),
    );
    const caseloadResult = await load(`${server.baseUrl}/caseload`, `${engine} GET /caseload`, {
      cookie,
      ...BROWSER_HEADERS,
    }).finally(() => {
      caseloadDone();
    });
    const healthzDuringCaseload = await healthz;
    log(
      `  GET /healthz one at a time meanwhile: ${String(healthzDuringCaseload.count)} requests, p50 ${healthzDuringCaseload.p50.toFixed(0)} ms, p99 ${healthzDuringCaseload.p99.toFixed(0)} ms, max ${healthzDuringCaseload.max.toFixed(0)} ms`,
    );
    rows.push({ engine, route: 'GET /caseload', result: caseloadResult });
    rows.push({
      engine,
      route: RECORD_ROUTE,
      result: await loadRecording(
        engine,
        server.baseUrl,
        await signIn(server.baseUrl, prepared.recordWorkerId),
        prepared.recordSessionIds,
      ),
    });
    // The session is still good after the run (no expiry or sign-out mid-run).
    await checkCaseload(server.baseUrl, cookie, prepared);
    const memory = memoryMb(server.pid);
    const soaked = await soak(server.baseUrl, cookie, server.pid);
    return {
      engine,
      rows,
      idleRssMb: idle.rss,
      rssMb: memory.rss,
      hwmMb: memory.hwm,
      wasmMb: memory.wasm,
      healthzDuringCaseload,
      ...(soaked ? { soak: soaked } : {}),
      prepared,
      bodyBytes,
      ...(national ? { national } : {}),
    };
  } catch (error) {
    if (error instanceof BenchFailure) log(`  server output (tail):\n${server.output().slice(-3_000)}`);
    throw error;
  } finally {
    await stopServer(server);
  }
}

async function benchEmbedded(): Promise<EngineReport> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenleaf-bench-'));
  try {
    // The key the server will find in the folder, made now so the national audit events are signed with it.
    const auditKey = embeddedAuditKey(dataDir, { create: true });
    return await benchEngine(
      'embedded',
      () => openEmbeddedDatabase(dataDir),
      { DATA_DIR: dataDir },
      auditKey,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<EngineReport | string> {
  try {
    await admin('SELECT 1');
  } catch (error) {
    return `PostgreSQL skipped: ${PG_ADMIN_URL} is unreachable (${(error as Error).message})`;
  }
  await admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${BENCH_DB}`);
  try {
    const url = databaseUrl(BENCH_DB);
    // PostgreSQL needs the audit key from configuration; a fresh one for a throwaway database.
    const auditKey = AuditKey.generate();
    return await benchEngine(
      'postgres',
      () => Promise.resolve(openPostgresDatabase(url)),
      { DATABASE_URL: url, AUDIT_KEY: auditKey.exportBase64() },
      auditKey,
    );
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  }
}

/** A Markdown table; the first `left` columns and the last are left-aligned, numbers right-aligned. */
function table(headers: string[], rows: string[][], left = 2): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < left || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

const startLoad = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');

function report(reports: EngineReport[], notes: string[], pdf: PdfBench | undefined): boolean {
  let allMet = true;
  const rows: string[][] = [];
  for (const r of reports) {
    const bare = r.rows.find((row) => row.route === 'GET /healthz')?.result.requests.average ?? NaN;
    for (const row of r.rows) {
      const rps = row.result.requests.average;
      const ratio = rps / bare;
      let target = '(reference)';
      if (row.route !== 'GET /healthz') {
        const [minRatio, maxP99] =
          row.route === RECORD_ROUTE
            ? [TARGET_RECORD_RATIO, TARGET_RECORD_P99_MS]
            : [TARGET_RATIO, TARGET_P99_MS];
        const ratioOk = ratio >= minRatio;
        const p99Ok = row.result.latency.p99 <= maxP99 && row.result.timeouts === 0;
        allMet &&= ratioOk && p99Ok;
        target = `ratio ≥ ${minRatio * 100}% ${ratioOk ? 'PASS' : 'MISS'}; p99 ≤ ${maxP99} ms ${p99Ok ? 'PASS' : 'MISS'}`;
      }
      rows.push([
        r.engine,
        row.route,
        rps.toFixed(0),
        row.result.latency.p50.toFixed(0),
        row.result.latency.p99.toFixed(0),
        row.result.latency.max.toFixed(0),
        String(row.result.timeouts),
        `${(ratio * 100).toFixed(1)}%`,
        target,
      ]);
    }
  }
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  log(
    `\nGreenleaf bench: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per route, ` +
      `${os.cpus().length} CPUs, Node ${process.version} (server flags: ${SERVER_NODE_ARGS.join(' ') || 'none'}), ` +
      `load average at start ${startLoad}, now ${load}\n`,
  );
  log(
    table(
      [
        'engine',
        'route',
        'req/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        `timeouts (>${TIMEOUT_S} s)`,
        'vs bare',
        'QUALITY.md target',
      ],
      rows,
    ),
  );
  log('');
  const memRows = reports.map((r) => {
    const ok = r.rssMb <= TARGET_RSS_MB;
    allMet &&= ok;
    return [
      r.engine,
      r.idleRssMb.toFixed(0),
      r.rssMb.toFixed(0),
      r.wasmMb.toFixed(0),
      r.hwmMb.toFixed(0),
      `≤ ${TARGET_RSS_MB} MB ${ok ? 'PASS' : 'MISS'}`,
    ];
  });
  log(
    table(
      [
        'engine',
        'VmRSS MB before load',
        'VmRSS MB after run',
        'of which WebAssembly (PGlite)',
        'VmHWM MB (peak)',
        'QUALITY.md memory (resident under load)',
      ],
      memRows,
      1,
    ),
  );
  log('');
  const probeRows = reports.map((r) => {
    const ok = r.healthzDuringCaseload.p99 <= 100;
    allMet &&= ok;
    const p = r.healthzDuringCaseload;
    return [
      r.engine,
      String(p.count),
      p.p50.toFixed(0),
      p.p99.toFixed(0),
      p.max.toFixed(0),
      `p99 ≤ 100 ms ${ok ? 'PASS' : 'MISS'}`,
    ];
  });
  log(
    table(
      ['engine', 'GET /healthz during GET /caseload load', 'p50 ms', 'p99 ms', 'max ms', 'target'],
      probeRows,
      1,
    ),
  );
  for (const r of reports) {
    if (!r.soak) continue;
    const { samples, seconds } = r.soak;
    const third = samples.find(([at]) => at >= seconds / 3)?.[1] ?? samples[0]?.[1] ?? NaN;
    const last = samples.at(-1)?.[1] ?? NaN;
    log(
      `\n${r.engine} soak (${String(r.soak.seconds)} s, ${String(r.soak.requests)} caseloads): VmRSS MB ${samples.map(([at, mb]) => `${String(at)} s ${mb.toFixed(0)}`).join(', ')}; after the first third ${third.toFixed(0)} → end ${last.toFixed(0)} (${(((last - third) / third) * 100).toFixed(1)}%)`,
    );
  }
  const national = reports.filter((r) => r.national);
  if (national.length > 0) describeNational(national);
  if (pdf) {
    const { lines, met } = describePdfBench(pdf);
    allMet &&= met;
    log('');
    for (const line of lines) log(line);
  }
  for (const note of notes) log(`\nNote: ${note}`);
  log(
    `\nData: ${reports.map((r) => `${r.engine} ${r.prepared.participantCount} participants / ${r.prepared.allocationCount} allocations`).join('; ')}.`,
  );
  return allMet;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The national section: the data each engine got, how long it took, and the staff list pages. */
function describeNational(reports: EngineReport[]): void {
  log(
    '\nNational scale (BENCH_SCALE=national): the national data added after the bench data (rows in the database',
  );
  log(
    'afterwards, the bench data included), then each staff list page opened by one person: ' +
      `${PAGE_RUNS} requests one after another after ${PAGE_WARMUP} to warm up, compressed as a browser asks ` +
      '(br, gzip), timed to the last byte; its size as rendered and as sent.\n',
  );
  const counts = Object.keys(reports[0]?.national?.data.counts ?? {});
  log(
    table(
      ['engine', 'generated in', ...counts],
      reports.map((r) => [
        r.engine,
        `${((r.national?.data.ms ?? NaN) / 1000).toFixed(1)} s`,
        ...counts.map((name) => (r.national?.data.counts[name] ?? 0).toLocaleString('en-GB')),
      ]),
      1,
    ),
  );
  log('');
  log(
    table(
      ['engine', ...(reports[0]?.national?.data.steps.map((s) => s.name) ?? [])],
      reports.map((r) => [
        r.engine,
        ...(r.national?.data.steps.map((s) => `${(s.ms / 1000).toFixed(1)} s`) ?? []),
      ]),
      1,
    ),
  );
  log('');
  const rows: string[][] = [];
  for (const r of reports) {
    for (const page of r.national?.pages ?? []) {
      const flags = [
        page.p95Ms > PAGE_SLOW_MS ? `p95 over ${PAGE_SLOW_MS / 1000} s` : '',
        page.bytes > PAGE_HEAVY_BYTES ? `over ${PAGE_HEAVY_BYTES / 1024} KB` : '',
      ].filter(Boolean);
      rows.push([
        r.engine,
        `GET ${page.path}`,
        page.who,
        page.p50Ms.toFixed(0),
        page.p95Ms.toFixed(0),
        page.maxMs.toFixed(0),
        kb(page.bytes),
        `${kb(page.compressedBytes)} ${page.encoding}`,
        flags.join('; ') || 'ok',
      ]);
    }
  }
  log(
    table(
      ['engine', 'page', 'signed in as', 'p50 ms', 'p95 ms', 'max ms', 'HTML', 'sent', 'over 1 s / 200 KB'],
      rows,
      3,
    ),
  );
  log(
    `\nWaiting for a worker among the national participants: ${reports.map((r) => `${r.engine} ${r.national?.data.waiting ?? 0}`).join(', ')} ` +
      '(the waiting list also shows the default bench data’s participants with no current worker).',
  );
}

function describe(error: unknown): string {
  const cause =
    error instanceof Error && error.cause instanceof Error ? ` (caused by: ${error.cause.message})` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const reports: EngineReport[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  // Before the load tests, so they do not share the machine.
  let pdf: PdfBench | undefined;
  try {
    pdf = await benchPlanPdf(PDF_RUNS, ENGINES);
  } catch (error) {
    failures.push(`pdf: ${describe(error)}`);
    log(`\n[pdf] FAILED: ${describe(error)}`);
  }
  // One engine failing does not hide the other's figures; the run still ends in failure.
  if (ENGINES.includes('embedded')) {
    try {
      reports.push(await benchEmbedded());
    } catch (error) {
      failures.push(`embedded: ${describe(error)}`);
      log(`\n[embedded] FAILED: ${describe(error)}`);
    }
  }
  if (ENGINES.includes('postgres')) {
    try {
      const outcome = await benchPostgres();
      if (typeof outcome === 'string') {
        log(`\n${outcome}`);
        notes.push(outcome);
      } else reports.push(outcome);
    } catch (error) {
      failures.push(`postgres: ${describe(error)}`);
      log(`\n[postgres] FAILED: ${describe(error)}`);
    }
  }
  const met = report(reports, notes, pdf);
  log(
    `\n${met ? 'All targets met.' : 'Some targets missed (see MISS above).'} Bench took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
  if (failures.length > 0) throw new BenchFailure(failures.join('\n'));
}

// autocannon's timers warn when the event loop lags under load; that is expected here.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning')
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

try {
  await main();
} catch (error) {
  process.stderr.write(`\nBENCH FAILED: ${describe(error)}\n`);
  process.exitCode = 1;
}
