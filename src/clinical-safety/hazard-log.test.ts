/**
 * The hazard log (docs/clinical-safety/hazard-log.md) names, for every hazard, the tests that
 * prove its controls. This keeps its shape honest: each hazard states its cause, effect,
 * severity, likelihood and controls and names at least one test, and every named test file
 * exists and still holds a test with that exact title. Whether each named test ran and passed
 * is checked by `npm test` from the runners' reports (named-test-results.ts), since a title
 * found in a file may belong to a skipped test or one whose file fails before it runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HAZARD_LOG_PATH, parseHazardLog } from './hazard-log.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const hazards = parseHazardLog(readFileSync(path.join(root, HAZARD_LOG_PATH), 'utf8'));

describe('the hazard log', () => {
  it('lists hazards, each with cause, effect, severity, likelihood, controls and tests', () => {
    expect(hazards.length).toBeGreaterThanOrEqual(10);
    for (const hazard of hazards) {
      for (const part of [
        '**Cause**',
        '**Effect**',
        '**Severity**',
        '**Likelihood**',
        '**Controls**',
        '**Tests**',
      ]) {
        expect(hazard.text, `${hazard.heading} has ${part}`).toContain(part);
      }
    }
  });

  for (const hazard of hazards) {
    it(`${hazard.heading}: names tests that exist`, () => {
      expect(hazard.tests.length, `${hazard.id} names at least one test`).toBeGreaterThan(0);
      for (const { file, title } of hazard.tests) {
        const full = path.join(root, file);
        expect(existsSync(full), `${file} exists`).toBe(true);
        if (title === undefined) continue;
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
