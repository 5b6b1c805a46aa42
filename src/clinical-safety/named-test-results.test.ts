/**
 * The hazard log's check against the runners' reports, on small made-up reports: a named test
 * counts only when the run that should run it says it passed.
 */
import { describe, expect, it } from 'vitest';
import { parseHazardLog } from './hazard-log.ts';
import {
  checkNamedTests,
  playwrightResults,
  vitestResults,
  type RunResults,
  type TestRun,
} from './named-test-results.ts';

const root = '/repo';

const log = parseHazardLog(`# Hazard log

### H7 A reminder is sent for a session that was moved
- **Controls**: the sender checks the session again.
- **Seen failing**:
  - \`staleReason\` without its time check: "checks again just before sending" failed
- **Tests**:
  - \`src/reminders/reminders.int.test.ts\` › "sends nothing about a moved session"
  - \`src/reminders/reminders.int.test.ts\` › "checks again just before sending"
  - \`src/reminders/message-text.test.ts\` (every message, every channel)
- **Residual**: low; see \`docs/architecture.md\`.
  - \`src/reminders/calendar.test.ts\` is not named: it is under **Residual**.

### H12 Immediate danger is handled by a form instead of an emergency call
- **Tests**:
  - \`src/concerns/concerns.int.test.ts\` › "records a 999 call only on immediate danger"
  - \`e2e/concerns.spec.ts\` › "immediate danger reaches the duty inbox"
  - \`bench/crash-jobs.ts\` (kill -9 of the real senders)
  - \`bench/crash-jobs.ts\` (the same, on PostgreSQL)
`);

/** A vitest JSON report (`--reporter=json`) with only the fields it has that matter here. */
function vitestReport(
  files: Record<string, { status?: string; message?: string; tests: Record<string, string> }>,
): unknown {
  return {
    numPassedTests: 0,
    testResults: Object.entries(files).map(([file, { status = 'passed', message = '', tests }]) => ({
      name: `${root}/${file}`,
      status,
      message,
      assertionResults: Object.entries(tests).map(([title, testStatus]) => ({
        ancestorTitles: ['a describe block'],
        fullName: `a describe block ${title}`,
        title,
        status: testStatus,
      })),
    })),
  };
}

const allPassed = {
  'src/reminders/reminders.int.test.ts': {
    tests: { 'sends nothing about a moved session': 'passed', 'checks again just before sending': 'passed' },
  },
  'src/reminders/message-text.test.ts': { tests: { 'never uses a clinical word': 'passed' } },
  'src/concerns/concerns.int.test.ts': {
    tests: { 'records a 999 call only on immediate danger': 'passed' },
  },
};

function reported(results: RunResults | undefined): TestRun['state'] {
  if (!results) throw new Error('not a report');
  return { kind: 'reported', results };
}

const unit = (state: TestRun['state']): TestRun => ({
  name: 'vitest on PGlite',
  covers: (file) => /^src\/.+\.test\.ts$/.test(file),
  state,
});
const postgres = (state: TestRun['state']): TestRun => ({
  name: 'vitest on PostgreSQL',
  covers: (file) => /^src\/.+\.int\.test\.ts$/.test(file),
  state,
});
const e2e = (state: TestRun['state']): TestRun => ({
  name: 'playwright',
  covers: (file) => file.startsWith('e2e/'),
  state,
});
const notChosen: TestRun['state'] = { kind: 'not run', reason: 'not chosen with --only' };

describe('checking the tests the hazard log names against the runners’ reports', () => {
  it('passes every named test that passed, and says which were not checked and why', () => {
    const check = checkNamedTests(log, [
      unit(reported(vitestResults(vitestReport(allPassed), root))),
      postgres(notChosen),
      e2e(notChosen),
    ]);
    expect(check.problems).toEqual([]);
    expect(check).toMatchObject({ passed: 4, failed: 0, notChecked: 3 });
    expect(check.notCheckedReasons).toEqual([
      '3 named tests not checked by vitest on PostgreSQL: not chosen with --only',
      '1 named test not checked by playwright: not chosen with --only',
      '`bench/crash-jobs.ts` (named by H12) is not a test file that npm test runs',
    ]);
  });

  it('reports a named test that was skipped, todo, failed or absent from the run', () => {
    const report = vitestReport({
      ...allPassed,
      'src/reminders/reminders.int.test.ts': {
        tests: {
          'sends nothing about a moved session': 'skipped',
          'checks again just before sending (renamed)': 'passed',
        },
      },
      'src/reminders/message-text.test.ts': { tests: { 'never uses a clinical word': 'todo' } },
      'src/concerns/concerns.int.test.ts': {
        tests: { 'records a 999 call only on immediate danger': 'failed' },
      },
    });
    const check = checkNamedTests(log, [unit(reported(vitestResults(report, root)))]);
    expect(check.problems).toEqual([
      'hazard H7 names `src/reminders/reminders.int.test.ts` › "sends nothing about a moved session", which was skipped (vitest on PGlite)',
      'hazard H7 names `src/reminders/reminders.int.test.ts` › "checks again just before sending", which was absent from vitest on PGlite',
      'hazard H7 names `src/reminders/message-text.test.ts` (every test in it), where "never uses a clinical word" is only a todo (vitest on PGlite)',
      'hazard H12 names `src/concerns/concerns.int.test.ts` › "records a 999 call only on immediate danger", which failed (vitest on PGlite)',
    ]);
    expect(check).toMatchObject({ passed: 0, failed: 4 });
  });

  it('says why the tests of a file that failed before they ran did not pass', () => {
    const report = vitestReport({
      ...allPassed,
      'src/concerns/concerns.int.test.ts': {
        status: 'failed',
        message: 'Hook timed out in 60000ms.\nIf this is a long-running hook, …',
        tests: { 'records a 999 call only on immediate danger': 'skipped' },
      },
    });
    const check = checkNamedTests(log, [unit(reported(vitestResults(report, root)))]);
    expect(check.problems).toEqual([
      'hazard H12 names `src/concerns/concerns.int.test.ts` › "records a 999 call only on immediate danger", which was skipped (vitest on PGlite); the file failed: Hook timed out in 60000ms.',
    ]);
  });

  it('needs a named test to pass in every run that runs its file', () => {
    const pglite = vitestResults(vitestReport(allPassed), root);
    const onPostgres = vitestResults(
      vitestReport({
        'src/reminders/reminders.int.test.ts': {
          tests: {
            'sends nothing about a moved session': 'passed',
            'checks again just before sending': 'passed',
          },
        },
      }),
      root,
    );
    const check = checkNamedTests(log, [unit(reported(pglite)), postgres(reported(onPostgres))]);
    expect(check.problems).toEqual([
      'hazard H12 names `src/concerns/concerns.int.test.ts` › "records a 999 call only on immediate danger", which was absent from vitest on PostgreSQL',
    ]);
    expect(check).toMatchObject({ passed: 3, failed: 1 });
  });

  it('fails the named tests of a run that left no report, in one line', () => {
    const check = checkNamedTests(log, [unit({ kind: 'no report' })]);
    expect(check.problems).toEqual([
      'vitest on PGlite left no report: 4 named tests in it could not be checked',
    ]);
    expect(check).toMatchObject({ passed: 0, failed: 4 });
  });

  it('reads each Playwright project’s result, a test skipped in one of them included', () => {
    const spec = (projectName: string, status: string) => ({ projectName, status, expectedStatus: 'passed' });
    const report = {
      config: { rootDir: `${root}/e2e` },
      errors: [],
      suites: [
        {
          title: 'concerns.spec.ts',
          file: 'concerns.spec.ts',
          specs: [],
          suites: [
            {
              title: 'a describe block',
              file: 'concerns.spec.ts',
              specs: [
                {
                  title: 'immediate danger reaches the duty inbox',
                  file: 'concerns.spec.ts',
                  tests: [spec('phone', 'expected'), spec('desktop', 'skipped')],
                },
              ],
            },
          ],
        },
      ],
    };
    const check = checkNamedTests(log, [e2e(reported(playwrightResults(report, root)))]);
    expect(check.problems).toEqual([
      'hazard H12 names `e2e/concerns.spec.ts` › "immediate danger reaches the duty inbox", which was skipped (playwright, desktop)',
    ]);
  });

  it('takes nothing that is not a report for one', () => {
    expect(vitestResults({ stats: {} }, root)).toBeUndefined();
    expect(playwrightResults(vitestReport(allPassed), root)).toBeUndefined();
  });
});
