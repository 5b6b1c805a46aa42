/**
 * Reads the hazard log (docs/clinical-safety/hazard-log.md): each hazard's section and the tests
 * its "Tests" list names. The static test (hazard-log.test.ts) checks the sections' shape and
 * that every named test is written down; `npm test` checks, from the runners' reports, that every
 * named test ran and passed (named-test-results.ts).
 */

export const HAZARD_LOG_PATH = 'docs/clinical-safety/hazard-log.md';

/** A test the log names: `file` › "title", or a whole file, `file` (what it covers). */
export interface NamedTest {
  /** From the repository's root, as the log writes it. */
  readonly file: string;
  /** The test's own title, as in it('…') or test('…'); undefined when the whole file is named. */
  readonly title: string | undefined;
}

export interface Hazard {
  /** "H7". */
  readonly id: string;
  /** The whole heading: "H7 A reminder is sent for a session that was cancelled or moved, or sent twice". */
  readonly heading: string;
  /** The section's text, heading included. */
  readonly text: string;
  readonly tests: readonly NamedTest[];
}

export function parseHazardLog(markdown: string): Hazard[] {
  return markdown
    .split(/^### /m)
    .slice(1)
    .map((text) => {
      const heading = text.split('\n')[0]?.trim() ?? '';
      // Only the "Tests" list names tests; it ends at the next top-level item (**Residual**, …).
      const list = text.split('**Tests**')[1]?.split(/^- \*\*/m)[0] ?? '';
      // The title runs to the end of the line: some titles hold quotes of their own.
      const tests = [...list.matchAll(/^\s+- `([^`]+)`(?: › "(.+)")?.*$/gm)].map((m) => ({
        file: m[1] ?? '',
        title: m[2],
      }));
      return { id: heading.split(' ')[0] ?? '', heading, text, tests };
    });
}

/** How the log and the check's messages write a named test. */
export function describeNamedTest(test: NamedTest): string {
  return test.title === undefined
    ? `\`${test.file}\` (every test in it)`
    : `\`${test.file}\` › "${test.title}"`;
}
