/**
 * `npm test`: every test suite, one after another, then one summary read from the runners'
 * JSON reports. The last line is always `N passed, N failed` (CI reads it), so a run that
 * found no tests or crashed is never mistaken for a green one.
 *
 *   fast      vitest: unit tests, no database (`npm run test:fast` runs this step alone)
 *   embedded  vitest: integration tests on embedded PGlite, and the embedded database's own tests
 *   postgres  vitest: integration tests again, on PostgreSQL (TEST_DATABASE_URL, else the
 *             local server at postgres://postgres@127.0.0.1:5432/postgres if it answers)
 *   e2e       playwright: the browser journeys at phone size and the desktop layout sweep, as
 *             two processes side by side, each against its own freshly started server
 *
 * Each step's time and the whole run's are printed at the end, against the targets (the whole
 * run within 10 minutes, the fast step within 60 s, on an idle 2-core machine).
 *
 * Then, from the same reports, the hazard log's check (src/clinical-safety/named-test-results.ts):
 * every test docs/clinical-safety/hazard-log.md names must have run and passed in each of these
 * runs that runs its file. It has its own line in the summary; a named test whose run was not
 * chosen is listed as not checked, never as failed.
 *
 * Choose steps with `npm test -- --only=fast,embedded` (or `--only e2e`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { HEADLESS_CHROMIUM } from '../e2e/support/chromium.ts';
import { HAZARD_LOG_PATH, parseHazardLog } from '../src/clinical-safety/hazard-log.ts';
import {
  checkNamedTests,
  playwrightResults,
  vitestResults,
  type RunResults,
  type RunState,
} from '../src/clinical-safety/named-test-results.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reportsDir = path.join(root, 'reports');
const vitestCli = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const playwrightCli = path.join(root, 'node_modules', '@playwright', 'test', 'cli.js');
const defaultPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

const stepNames = ['fast', 'embedded', 'postgres', 'e2e'] as const;
type StepName = (typeof stepNames)[number];

/** Each step's runs as the hazard log check names them, and the files each runs (vitest.config.ts, playwright.config.ts). */
const testRuns: Record<StepName, { name: string; covers: (file: string) => boolean }> = {
  fast: {
    name: 'vitest unit',
    covers: (file) =>
      /^src\/.+\.test\.ts$/.test(file) && !file.endsWith('.int.test.ts') && !isEmbeddedTest(file),
  },
  embedded: {
    name: 'vitest on PGlite',
    covers: (file) => /^src\/.+\.int\.test\.ts$/.test(file) || isEmbeddedTest(file),
  },
  postgres: { name: 'vitest on PostgreSQL', covers: (file) => /^src\/.+\.int\.test\.ts$/.test(file) },
  e2e: { name: 'playwright', covers: (file) => /^e2e\/.+\.(spec|setup)\.ts$/.test(file) },
};

/** The embedded database's own tests (vitest.config.ts, project embedded). */
function isEmbeddedTest(file: string): boolean {
  return /^src\/platform\/database\/embedded-[^/]+\.test\.ts$/.test(file);
}

/** Wall-clock targets on an idle 2-core machine (issue: a suite that stays fast). */
const TARGET_MS = { whole: 10 * 60_000, fast: 60_000 } as const;

function minutesAndSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60
    ? `${String(seconds)} s`
    : `${String(Math.floor(seconds / 60))} min ${String(seconds % 60)} s`;
}

interface Outcome {
  readonly label: string;
  readonly passed: number;
  readonly failed: number;
  /** Skipped and todo tests, or a reason the whole step did not run. */
  readonly note: string;
  /** How long the step took, when it ran. */
  readonly ms?: number;
}

function parseOnly(argv: string[]): Set<StepName> {
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--only=')) values.push(arg.slice('--only='.length));
    else if (arg === '--only') values.push(argv[++i] ?? '');
    else {
      console.error(`Unknown argument ${arg}. Usage: npm test [-- --only=${stepNames.join('|')}[,…]]`);
      process.exit(2);
    }
  }
  if (values.length === 0) return new Set(stepNames);
  const chosen = new Set<StepName>();
  for (const value of values.flatMap((v) => v.split(','))) {
    const name = stepNames.find((s) => s === value.trim());
    if (!name) {
      console.error(`Unknown step "${value}" in --only: choose from ${stepNames.join(', ')}.`);
      process.exit(2);
    }
    chosen.add(name);
  }
  return chosen;
}

/** Runs a Node CLI with this same Node binary, output straight to the terminal. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`Could not start ${args.join(' ')}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

function heading(text: string): void {
  console.log(`\n=== ${text} ${'='.repeat(Math.max(0, 74 - text.length))}`);
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Counts from a step's report; a step that left no report counts as one failure. */
function settle(
  label: string,
  exitCode: number,
  counts: { passed: number; failed: number; note: string } | undefined,
): Outcome {
  if (!counts)
    return { label, passed: 0, failed: 1, note: `crashed without a report (exit code ${String(exitCode)})` };
  if (exitCode !== 0 && counts.failed === 0) {
    // Errors outside any test (an unhandled rejection, a failing setup) fail the run too.
    return {
      label,
      ...counts,
      failed: 1,
      note: `${counts.note}; exit code ${String(exitCode)} with no failed test`,
    };
  }
  return { label, ...counts };
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; assertionResults: { status: string }[] }[];
}

function vitestCounts(file: string) {
  const report = readJson(file) as VitestReport | undefined;
  if (!report || typeof report.numPassedTests !== 'number') return undefined;
  // A file that failed before any test ran (an import error, a failing beforeAll) has no failed test.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  ).length;
  const notes = [`${String(report.numPendingTests)} skipped`, `${String(report.numTodoTests)} todo`];
  if (brokenFiles > 0) notes.push(`${String(brokenFiles)} file(s) failed outside a test`);
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    note: notes.join(', '),
  };
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors: unknown[];
}

function playwrightCounts(file: string) {
  const report = readJson(file) as PlaywrightReport | undefined;
  if (!report || typeof report.stats !== 'object') return undefined;
  const { expected, unexpected, flaky, skipped } = report.stats;
  const notes = [`${String(skipped)} skipped`];
  if (flaky > 0) notes.push(`${String(flaky)} flaky (passed on retry)`);
  // Errors outside tests: the web server did not start, no tests were found, …
  const globalErrors = report.errors.length;
  if (globalErrors > 0) notes.push(`${String(globalErrors)} error(s) outside tests`);
  return {
    passed: expected + flaky,
    failed: unexpected + (unexpected === 0 ? globalErrors : 0),
    note: notes.join(', '),
  };
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

async function postgresAnswers(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * What a step's reports say for the hazard log check: their results together, or that one of
 * them was missing or unreadable.
 */
function runState(
  reports: readonly string[],
  read: (json: unknown, root: string) => RunResults | undefined,
): RunState {
  const results: RunResults[] = [];
  for (const report of reports) {
    const one = read(readJson(report), root);
    if (!one) return { kind: 'no report' };
    results.push(one);
  }
  return {
    kind: 'reported',
    results: {
      results: results.flatMap((one) => one.results),
      brokenFiles: new Map(results.flatMap((one) => [...one.brokenFiles])),
    },
  };
}

async function vitestStep(label: string, reportName: string, args: string[], env: NodeJS.ProcessEnv) {
  const report = path.join(reportsDir, reportName);
  rmSync(report, { force: true });
  const exitCode = await run(
    [vitestCli, 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  );
  return { outcome: settle(label, exitCode, vitestCounts(report)), state: runState([report], vitestResults) };
}

/**
 * The hazard log's named tests, against this run's reports (not earlier runs': each step
 * deleted its report before it ran).
 */
function hazardLogCheck(states: ReadonlyMap<StepName, RunState>): Outcome {
  const label = 'hazard log (named tests ran and passed)';
  heading(label);
  let log: string;
  try {
    log = readFileSync(path.join(root, HAZARD_LOG_PATH), 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.log(`Could not read ${HAZARD_LOG_PATH}: ${reason}`);
    return { label, passed: 0, failed: 1, note: `could not read ${HAZARD_LOG_PATH}` };
  }
  const check = checkNamedTests(
    parseHazardLog(log),
    stepNames.map((step) => ({
      ...testRuns[step],
      state: states.get(step) ?? { kind: 'not run', reason: 'not chosen with --only' },
    })),
  );
  for (const problem of check.problems) console.log(problem);
  for (const reason of check.notCheckedReasons) console.log(`Not checked: ${reason}`);
  if (check.problems.length === 0)
    console.log(`Every named test that these runs ran passed (${String(check.passed)}).`);
  return {
    label,
    passed: check.passed,
    failed: check.failed,
    note: `${String(check.notChecked)} not checked`,
  };
}

/** Whether a program is on the PATH (or at that absolute path). */
function installed(program: string): boolean {
  if (path.isAbsolute(program)) return existsSync(program);
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && existsSync(path.join(dir, program)));
}

/**
 * What the chosen steps need from the machine and is missing, as the Debian packages to install:
 * said in one line before anything runs, rather than as one failing test after another.
 */
function missingPackages(only: Set<StepName>): string[] {
  const missing: string[] = [];
  // The recovery plan's PDF tests (every vitest step) read PDFs with poppler's tools.
  const pdfTools = ['pdftotext', 'pdfinfo', 'pdftoppm'];
  if ((only.has('fast') || only.has('embedded') || only.has('postgres')) && !pdfTools.every(installed))
    missing.push('poppler-utils');
  // The journeys use Debian's headless Chromium, never a downloaded one (playwright.config.ts).
  if (only.has('e2e') && !installed(HEADLESS_CHROMIUM)) missing.push('chromium-headless-shell');
  return missing;
}

/** Runs a step and keeps how long it took with its outcome. */
async function timed<T extends { outcome: Outcome }>(step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await step();
  return { ...result, outcome: { ...result.outcome, ms: performance.now() - started } };
}

/** The run's time against its target, and the fast step's against its own. */
function timesLine(only: ReadonlySet<StepName>, fastMs: number | undefined, wholeMs: number): string {
  const parts: string[] = [];
  if (fastMs !== undefined) {
    parts.push(
      `unit tests (npm run test:fast): ${minutesAndSeconds(fastMs)} (target ${minutesAndSeconds(TARGET_MS.fast)})`,
    );
  }
  const everything = stepNames.every((step) => only.has(step));
  parts.push(
    `${everything ? 'npm test' : 'these steps'}: ${minutesAndSeconds(wholeMs)}` +
      (everything ? ` (target ${minutesAndSeconds(TARGET_MS.whole)})` : ''),
  );
  return `Time: ${parts.join('; ')}`;
}

const runStarted = performance.now();

async function main(): Promise<number> {
  const only = parseOnly(process.argv.slice(2));
  const missing = missingPackages(only);
  if (missing.length > 0) {
    console.log(
      `Missing from this machine: install it first with  sudo apt-get install ${missing.join(' ')}`,
    );
    console.log('0 passed, 1 failed');
    return 1;
  }
  mkdirSync(reportsDir, { recursive: true });
  const outcomes: Outcome[] = [];
  const states = new Map<StepName, RunState>();
  let fastMs: number | undefined;

  if (only.has('fast')) {
    const label = 'unit (vitest, no database)';
    heading(label);
    const env = { ...process.env };
    delete env.TEST_DATABASE_URL;
    const step = await timed(() => vitestStep(label, 'vitest-unit.json', ['--project', 'unit'], env));
    outcomes.push(step.outcome);
    states.set('fast', step.state);
    fastMs = step.outcome.ms;
  }

  if (only.has('embedded')) {
    const label = 'integration (vitest, embedded PGlite)';
    heading(label);
    const env = { ...process.env };
    delete env.TEST_DATABASE_URL;
    const step = await timed(() =>
      vitestStep(label, 'vitest-embedded.json', ['--project', 'integration', '--project', 'embedded'], env),
    );
    outcomes.push(step.outcome);
    states.set('embedded', step.state);
  }

  if (only.has('postgres')) {
    const label = 'integration (vitest, PostgreSQL)';
    heading(label);
    const explicit = process.env.TEST_DATABASE_URL;
    const url = explicit || defaultPostgresUrl;
    const problem = await postgresAnswers(url);
    if (problem === undefined) {
      const step = await timed(() =>
        vitestStep(label, 'vitest-postgres.json', ['--project', 'integration'], {
          ...process.env,
          TEST_DATABASE_URL: url,
        }),
      );
      outcomes.push(step.outcome);
      states.set('postgres', step.state);
    } else if (explicit) {
      // Asked for explicitly (as CI does): not being able to run it is a failure.
      console.log(`PostgreSQL at ${withoutPassword(url)} (TEST_DATABASE_URL) did not answer: ${problem}`);
      outcomes.push({ label, passed: 0, failed: 1, note: `TEST_DATABASE_URL did not answer: ${problem}` });
      states.set('postgres', { kind: 'not run', reason: 'TEST_DATABASE_URL did not answer' });
    } else {
      const reason = `no TEST_DATABASE_URL, and nothing answered at ${withoutPassword(url)} (${problem})`;
      console.log(`PostgreSQL run skipped: ${reason}.`);
      outcomes.push({ label, passed: 0, failed: 0, note: `skipped: ${reason}` });
      states.set('postgres', { kind: 'not run', reason: 'no PostgreSQL answered' });
    }
  }

  if (only.has('e2e')) {
    // One Playwright process per screen size, side by side (each with its own server, database,
    // port and report): on two cores this takes about half the time of one after the other.
    const base = Number(process.env.E2E_PORT ?? 3107);
    const screens = ['phone', 'desktop'] as const;
    heading(`end to end (playwright, chromium): ${screens.join(' and ')} side by side`);
    const started = performance.now();
    const results = await Promise.all(
      screens.map(async (screen, index) => {
        const report = path.join(reportsDir, `playwright-${screen}.json`);
        rmSync(report, { force: true });
        const exitCode = await run([playwrightCli, 'test'], {
          ...process.env,
          E2E_SCREENS: screen,
          // Each process's servers use E2E_PORT and the port after it: 10 apart is clear of both.
          E2E_PORT: String(base + index * 10),
          E2E_REPORT: report,
          E2E_OUTPUT_DIR: path.join(root, 'test-results', screen),
        });
        const outcome = settle(
          `end to end (playwright, chromium, ${screen})`,
          exitCode,
          playwrightCounts(report),
        );
        return { ...outcome, ms: performance.now() - started };
      }),
    );
    outcomes.push(...results);
    states.set(
      'e2e',
      runState(
        screens.map((screen) => path.join(reportsDir, `playwright-${screen}.json`)),
        playwrightResults,
      ),
    );
  }

  outcomes.push(hazardLogCheck(states));

  heading('Summary');
  const width = Math.max(...outcomes.map((o) => o.label.length));
  for (const o of outcomes) {
    const took = o.ms === undefined ? '' : `, ${minutesAndSeconds(o.ms)}`;
    console.log(
      `${o.label.padEnd(width)}  ${String(o.passed)} passed, ${String(o.failed)} failed  (${o.note}${took})`,
    );
  }
  console.log(timesLine(only, fastMs, performance.now() - runStarted));
  const passed = outcomes.reduce((sum, o) => sum + o.passed, 0);
  const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
  console.log(`${String(passed)} passed, ${String(failed)} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
