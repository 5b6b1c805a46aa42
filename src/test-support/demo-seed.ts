/**
 * The demo data as a test database seed: written once into a template (test-database.ts), which
 * each app test's database is loaded or cloned from. Its version is a hash of the service's
 * source, since the seed calls into much of it: any change to the code rebuilds the template once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemoData } from '../demo/seed.ts';
import type { TestSeed } from '../platform/database/test-database.ts';

const sourceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceHash(): string {
  const hash = createHash('sha256');
  const files = readdirSync(sourceRoot, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|json|md)$/.test(file) && !file.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(path.join(sourceRoot, file)));
  }
  return hash.digest('hex');
}

/** The demo data as it stands at `now` (the test clock's start). */
export function demoSeed(now: string): TestSeed {
  return {
    name: 'demo',
    version: `${now} ${sourceHash()}`,
    async run(database) {
      await seedDemoData(database.db, new Date(now));
    },
  };
}
