/**
 * Whether every test the hazard log names ran and passed, read from the runners' JSON reports
 * once `npm test` has run them (scripts/test.ts). Finding a test's title in its file proves
 * nothing: a skipped test, a todo, or a file whose setup failed before its tests ran would all be
 * "found". Here a named test counts only if the run that should have run it says it passed.
 */
import path from 'node:path';
import { z } from 'zod';
import { describeNamedTest, type Hazard, type NamedTest } from './hazard-log.ts';

export type TestOutcome = 'passed' | 'failed' | 'skipped' | 'todo';

export interface TestResult {
  /** From the repository's root, as the hazard log writes it. */
  readonly file: string;
  /** The test's own title, without its describe blocks'. */
  readonly title: string;
  readonly outcome: TestOutcome;
  /** Where it ran, when a run runs each test more than once: a Playwright project ("phone"). */
  readonly where?: string;
}

export interface RunResults {
  readonly results: readonly TestResult[];
  /** Files that failed outside any test (an import error, a failing beforeAll), with the reason. */
  readonly brokenFiles: ReadonlyMap<string, string>;
}

export type RunState =
  | { readonly kind: 'reported'; readonly results: RunResults }
  /** It ran but left no report it could be read from (it crashed, or was killed). */
  | { readonly kind: 'no report' }
  /** Not part of this `npm test` (`--only`, or no PostgreSQL to run on). */
  | { readonly kind: 'not run'; readonly reason: string };

export interface TestRun {
  /** As the summary names it: "vitest on PGlite". */
  readonly name: string;
  /** Whether this run runs the file (a path from the repository's root). */
  readonly covers: (file: string) => boolean;
  readonly state: RunState;
}

export interface HazardLogCheck {
  /** Named tests (each time a hazard names one) that passed in every run of theirs that ran. */
  readonly passed: number;
  /** Named tests that were skipped, todo, failed or missing in a run, or whose run left no report. */
  readonly failed: number;
  /** Named tests that no run of this `npm test` was there to check. */
  readonly notChecked: number;
  /** One line each: hazard H7 names `file` › "title", which was skipped (vitest on PGlite). */
  readonly problems: readonly string[];
  /** What was not checked, and why: one line for each run that did not run, and for files no runner runs. */
  readonly notCheckedReasons: readonly string[];
}

const OUTCOME_WORDS: Record<Exclude<TestOutcome, 'passed'>, string> = {
  failed: 'failed',
  skipped: 'was skipped',
  todo: 'is only a todo',
};

/** Checks every test the log names against the runs that should have run it. */
export function checkNamedTests(hazards: readonly Hazard[], runs: readonly TestRun[]): HazardLogCheck {
  let passed = 0;
  let failed = 0;
  let notChecked = 0;
  const problems: string[] = [];
  const notRun = new Map<string, { reason: string; count: number }>();
  const noReport = new Map<string, number>();
  const noRunner = new Map<string, Set<string>>();

  for (const hazard of hazards) {
    for (const test of hazard.tests) {
      const lead = `hazard ${hazard.id} names ${describeNamedTest(test)}`;
      const mine = runs.filter((run) => run.covers(test.file));
      if (mine.length === 0) {
        noRunner.set(test.file, (noRunner.get(test.file) ?? new Set()).add(hazard.id));
        notChecked += 1;
        continue;
      }
      let checked = false;
      let wrong = false;
      for (const run of mine) {
        switch (run.state.kind) {
          case 'not run': {
            const earlier = notRun.get(run.name);
            notRun.set(run.name, { reason: run.state.reason, count: (earlier?.count ?? 0) + 1 });
            break;
          }
          case 'no report':
            noReport.set(run.name, (noReport.get(run.name) ?? 0) + 1);
            wrong = true;
            break;
          case 'reported': {
            checked = true;
            const found = problemsIn(lead, test, run.name, run.state.results);
            problems.push(...found);
            if (found.length > 0) wrong = true;
            break;
          }
        }
      }
      if (wrong) failed += 1;
      else if (checked) passed += 1;
      else notChecked += 1;
    }
  }

  for (const [name, count] of noReport)
    problems.push(`${name} left no report: ${plural(count, 'named test')} in it could not be checked`);
  const notCheckedReasons = [
    ...[...notRun].map(
      ([name, { reason, count }]) => `${plural(count, 'named test')} not checked by ${name}: ${reason}`,
    ),
    ...[...noRunner].map(
      ([file, ids]) => `\`${file}\` (named by ${[...ids].join(', ')}) is not a test file that npm test runs`,
    ),
  ];
  return { passed, failed, notChecked, problems, notCheckedReasons };
}

function problemsIn(lead: string, test: NamedTest, runName: string, run: RunResults): string[] {
  const inFile = run.results.filter((result) => result.file === test.file);
  const broken = run.brokenFiles.get(test.file);
  const because = broken === undefined ? '' : `; the file failed: ${broken}`;
  const where = (result: TestResult) => (result.where ? `${runName}, ${result.where}` : runName);
  if (test.title === undefined) {
    if (inFile.length === 0) return [`${lead}, which had no tests in ${runName}${because}`];
    return inFile.flatMap((result) =>
      result.outcome === 'passed'
        ? []
        : [`${lead}, where "${result.title}" ${OUTCOME_WORDS[result.outcome]} (${where(result)})${because}`],
    );
  }
  const matching = inFile.filter((result) => result.title === test.title);
  if (matching.length === 0) return [`${lead}, which was absent from ${runName}${because}`];
  // Two tests of one title in one file (in different describe blocks): both must pass.
  return matching.flatMap((result) =>
    result.outcome === 'passed'
      ? []
      : [`${lead}, which ${OUTCOME_WORDS[result.outcome]} (${where(result)})${because}`],
  );
}

function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** The first line of a runner's error message, short enough for one line of the summary. */
function reason(message: string | undefined): string {
  const line = (message ?? '').split('\n')[0]?.trim() ?? '';
  if (!line) return 'outside any test';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

// The parts of vitest's JSON report (`--reporter=json`) read here.
const vitestReport = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      message: z.string().optional(),
      assertionResults: z.array(z.object({ title: z.string(), status: z.string() })),
    }),
  ),
});

function vitestOutcome(status: string): TestOutcome {
  switch (status) {
    case 'passed':
      return 'passed';
    case 'todo':
      return 'todo';
    case 'skipped':
    case 'pending':
    case 'disabled':
      return 'skipped';
    default:
      return 'failed';
  }
}

/** A vitest JSON report's results, or undefined when it is not one. `root`: the repository's. */
export function vitestResults(report: unknown, root: string): RunResults | undefined {
  const parsed = vitestReport.safeParse(report);
  if (!parsed.success) return undefined;
  const results: TestResult[] = [];
  const brokenFiles = new Map<string, string>();
  for (const file of parsed.data.testResults) {
    const relative = path.relative(root, file.name).split(path.sep).join('/');
    for (const test of file.assertionResults)
      results.push({ file: relative, title: test.title, outcome: vitestOutcome(test.status) });
    if (file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'))
      brokenFiles.set(relative, reason(file.message));
  }
  return { results, brokenFiles };
}

// The parts of Playwright's JSON report read here: suites (files, then describe blocks) of specs,
// each spec run once per project.
interface PlaywrightSuite {
  specs?:
    | {
        title: string;
        file: string;
        tests: { projectName: string; status: string; expectedStatus: string }[];
      }[]
    | undefined;
  suites?: PlaywrightSuite[] | undefined;
}
const playwrightSuite: z.ZodType<PlaywrightSuite> = z.lazy(() =>
  z.object({
    specs: z
      .array(
        z.object({
          title: z.string(),
          file: z.string(),
          tests: z.array(
            z.object({ projectName: z.string(), status: z.string(), expectedStatus: z.string() }),
          ),
        }),
      )
      .optional(),
    suites: z.array(playwrightSuite).optional(),
  }),
);
const playwrightReport = z.object({
  config: z.object({ rootDir: z.string() }),
  suites: z.array(playwrightSuite),
});

function playwrightOutcome(status: string, expectedStatus: string): TestOutcome {
  if (status === 'skipped' || expectedStatus === 'skipped') return 'skipped';
  // "flaky" passed on a retry. A test.fail() that failed as expected proves no control: failed.
  if ((status === 'expected' || status === 'flaky') && expectedStatus === 'passed') return 'passed';
  return 'failed';
}

/** A Playwright JSON report's results, one for each project a test ran in; undefined when it is not one. */
export function playwrightResults(report: unknown, root: string): RunResults | undefined {
  const parsed = playwrightReport.safeParse(report);
  if (!parsed.success) return undefined;
  const { rootDir } = parsed.data.config;
  const results: TestResult[] = [];
  const walk = (suite: PlaywrightSuite) => {
    for (const spec of suite.specs ?? []) {
      const file = path.relative(root, path.resolve(rootDir, spec.file)).split(path.sep).join('/');
      for (const test of spec.tests)
        results.push({
          file,
          title: spec.title,
          outcome: playwrightOutcome(test.status, test.expectedStatus),
          where: test.projectName,
        });
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of parsed.data.suites) walk(suite);
  // Errors outside tests (the web server did not start) leave the named tests absent: reported so.
  return { results, brokenFiles: new Map() };
}
