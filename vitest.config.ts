import { defineConfig } from 'vitest/config';

// Three kinds of test file, all beside the code they test:
//   src/**/*.test.ts      unit: fast, in-memory fakes, no database (`npm run test:fast`)
//   src/**/*.int.test.ts  integration: a real database from createTestDatabase()
//                         (PGlite, or PostgreSQL when TEST_DATABASE_URL is set)
//   src/**/*.postgres.int.test.ts
//                         integration on PostgreSQL only (its planner's choices): left out
//                         of the run without TEST_DATABASE_URL rather than listed as skipped
//   src/platform/database/embedded-*.test.ts
//                         embedded: the embedded database's own folder, lock and durability
//                         (PGlite on disk, whatever TEST_DATABASE_URL says)
// `vitest run --project unit` (or integration, embedded) runs one kind.
const embedded = 'src/platform/database/embedded-*.test.ts';
export default defineConfig({
  test: {
    environment: 'node',
    // A 2-core machine, and every PGlite instance holds hundreds of MB: two worker processes.
    pool: 'forks',
    maxWorkers: 2,
    // Files share each worker's loaded modules instead of importing the whole service again per
    // file (that import was about 40% of the integration run). Every test file builds its own
    // app, database and clock, so nothing but the module cache is shared; both runs took about
    // half the time (unit 21 s → 9 s, PostgreSQL integration 260 s → 128 s).
    isolate: false,
    // A worker left holding a server or a pool open is stopped rather than hanging CI.
    teardownTimeout: 10_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts', embedded],
          testTimeout: 5_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts'],
          exclude: process.env.TEST_DATABASE_URL ? [] : ['src/**/*.postgres.int.test.ts'],
          testTimeout: 30_000,
          // beforeAll may build the template database on a cold cache.
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'embedded',
          include: [embedded],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
