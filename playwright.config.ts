import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const root = path.dirname(fileURLToPath(import.meta.url));

// E2E_PORT lets two runs share a machine (each starts its own server and database).
const port = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://localhost:${String(port)}`;

// A fresh embedded database for every run, in a new folder the server creates. This file is
// evaluated by more than one Playwright process: the folder is chosen by the first and handed
// down through the environment.
const tmpRoot = path.join(root, '.tmp');
process.env.GREENLEAF_E2E_DATA_DIR ??= (() => {
  // Earlier runs' folders (an hour old or more: never a run still going).
  for (const entry of existsSync(tmpRoot) ? readdirSync(tmpRoot) : []) {
    const old = path.join(tmpRoot, entry);
    if (entry.startsWith('e2e-data-') && Date.now() - statSync(old).mtimeMs > 3_600_000) {
      rmSync(old, { recursive: true, force: true });
    }
  }
  const dataDir = path.join(tmpRoot, `e2e-data-${String(Date.now())}-${String(process.pid)}`);
  rmSync(dataDir, { recursive: true, force: true });
  return dataDir;
})();
// The web server inherits this environment: never point it at a real PostgreSQL or Notify.
delete process.env.DATABASE_URL;
delete process.env.NOTIFY_API_KEY;

export default defineConfig({
  testDir: 'e2e',
  // E2E_OUTPUT_DIR keeps a second run on the same machine from clearing this one's screenshots.
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Every write on the embedded database now waits for the disk (durable commits), so a journey of
  // many saves takes longer than it did; 60 s per test, 3 minutes for those marked slow.
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  use: {
    baseURL,
    browserName: 'chromium',
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      // Debian's Chromium; never `npx playwright install` (no downloads on these machines).
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    // Raises two workers' caseload limits through the admin page first (e2e/capacity.setup.ts).
    { name: 'setup', testMatch: /.*\.setup\.ts/, use: { viewport: { width: 1280, height: 800 } } },
    {
      name: 'phone',
      use: { viewport: { width: 390, height: 844 }, isMobile: false },
      dependencies: ['setup'],
    },
    {
      name: 'desktop',
      use: { viewport: { width: 1280, height: 800 } },
      dependencies: ['setup'],
      // The link crawl fetches pages without drawing them: once, in the phone project, is enough.
      testIgnore: /links\.spec\.ts/,
    },
  ],
  webServer: {
    command: 'npx node src/server.ts',
    cwd: root,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: process.env.GREENLEAF_E2E_DATA_DIR,
      NODE_ENV: 'test',
      DEMO_MODE: 'on',
      LOG_LEVEL: 'warn',
    },
  },
});
