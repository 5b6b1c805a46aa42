/**
 * The hazard log (docs/clinical-safety/hazard-log.md) names, for every hazard, the tests that
 * prove its controls. This keeps it honest: each hazard names at least one test, and every
 * named test file exists and still holds a test with that exact title.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = readFileSync(path.join(root, 'docs/clinical-safety/hazard-log.md'), 'utf8');

/** Each hazard's heading and the tests its "Tests" list names. */
function hazards(): { id: string; tests: { file: string; title: string }[] }[] {
  return log
    .split(/^### /m)
    .slice(1)
    .map((section) => {
      const id = section.split('\n')[0]?.trim() ?? '';
      // `file` › "title" (the title runs to the end of the line), or `file` (what it covers).
      const tests = [...section.matchAll(/^\s+- `([^`]+)`(?: › "(.+)")?.*$/gm)].map((m) => ({
        file: m[1] ?? '',
        title: m[2] ?? '',
      }));
      return { id, tests };
    });
}

describe('the hazard log', () => {
  const all = hazards();

  it('lists hazards, each with cause, effect, severity, likelihood, controls and tests', () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const section of log.split(/^### /m).slice(1)) {
      for (const part of [
        '**Cause**',
        '**Effect**',
        '**Severity**',
        '**Likelihood**',
        '**Controls**',
        '**Tests**',
      ]) {
        expect(section, `${section.split('\n')[0] ?? ''} has ${part}`).toContain(part);
      }
    }
  });

  for (const hazard of all) {
    it(`${hazard.id}: names tests that exist`, () => {
      expect(hazard.tests.length, `${hazard.id} names at least one test`).toBeGreaterThan(0);
      for (const { file, title } of hazard.tests) {
        const full = path.join(root, file);
        expect(existsSync(full), `${file} exists`).toBe(true);
        if (!title) continue;
        const source = readFileSync(full, 'utf8');
        // The title as written in it('…') / test('…'), quotes escaped or not.
        expect(
          source.includes(`'${title}'`) || source.includes(`"${title}"`) || source.includes(`\`${title}\``),
          `${file} has a test "${title}"`,
        ).toBe(true);
      }
    });
  }
});
