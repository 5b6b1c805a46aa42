import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Project } from '@playwright/test';
import { HEADLESS_CHROMIUM } from './e2e/support/chromium.ts';

const root = path.dirname(fileURLToPath(import.meta.url));

// E2E_PORT lets two runs share a machine. Each project (phone, desktop) has its own server and
// database, on E2E_PORT and the port after it: the journeys refer many people to the same two
// workers, and one database holding both projects' people filled their caseloads.
const port = Number(process.env.E2E_PORT ?? 3107);
const screens = {
  phone: { port, viewport: { width: 390, height: 844 } },
  desktop: { port: port + 1, viewport: { width: 1280, height: 800 } },
} as const;
type Screen = keyof typeof screens;
const urlOf = (screen: Screen) => `http://localhost:${String(screens[screen].port)}`;
// E2E_SCREENS=phone (or desktop) runs one project and starts only its server: `npm test` runs the
// two as separate processes side by side, one per core.
const chosen = (process.env.E2E_SCREENS ?? 'phone,desktop').split(',').map((name) => name.trim());
const unknown = chosen.filter((name) => !(name in screens));
if (unknown.length > 0) throw new Error(`E2E_SCREENS: unknown ${unknown.join(', ')} (phone, desktop)`);
const run = (Object.keys(screens) as Screen[]).filter((screen) => chosen.includes(screen));

const tmpRoot = path.join(root, '.tmp');
process.env.GREENLEAF_E2E_DATA_DIR ??= (() => {
  // Earlier runs' folders (an hour old or more: never a run still going).
  // The phone and desktop processes both tidy at once: an entry the other has just removed is
  // skipped, not a crash.
  for (const entry of existsSync(tmpRoot) ? readdirSync(tmpRoot) : []) {
    const old = path.join(tmpRoot, entry);
    const modified = entry.startsWith('e2e-data-')
      ? statSync(old, { throwIfNoEntry: false })?.mtimeMs
      : undefined;
    if (modified !== undefined && Date.now() - modified > 3_600_000) {
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
  // Two workers, each taking whole files: every journey makes the people it needs (a new
  // referral, its own participant), so journeys in two files at once do not meet. One server
  // per screen size serves both (PGlite on its main thread), while the browsers' work (drawing,
  // axe) runs beside it.
  fullyParallel: false,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // 60 s per test, 3 minutes for those marked slow (the whole-plan journeys): generous, so that a
  // loaded machine slows the suite down instead of failing it.
  timeout: 60_000,
  expect: { timeout: 5_000 },
  // E2E_REPORT: where the JSON results go (one file per process when `npm test` runs two).
  reporter: [['list'], ['json', { outputFile: process.env.E2E_REPORT ?? 'reports/playwright.json' }]],
  use: {
    browserName: 'chromium',
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      // Debian's headless Chromium (package chromium-headless-shell), the build Playwright itself
      // runs headless: a third less CPU than the full browser for the same journeys. Never
      // `npx playwright install` (no downloads on these machines).
      executablePath: process.env.E2E_CHROMIUM ?? HEADLESS_CHROMIUM,
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
  // The journeys run at phone width, where most people use the service. The desktop project runs
  // the layout sweep alone (e2e/desktop-layout.spec.ts): every page each role can reach, laid out
  // and scanned at 1280 px. Repeating every journey there took half the suite's time and found
  // nothing the phone run and the sweep do not.
  projects: run.flatMap((screen): Project[] =>
    screen === 'phone'
      ? [
          // Raises two workers' caseload limits through the admin page first (e2e/capacity.setup.ts).
          {
            name: 'setup-phone',
            testMatch: /.*\.setup\.ts/,
            use: { baseURL: urlOf(screen), viewport: { width: 1280, height: 800 } },
          },
          {
            name: 'phone',
            use: { baseURL: urlOf(screen), viewport: screens[screen].viewport, isMobile: false },
            dependencies: ['setup-phone'],
            testIgnore: /desktop-layout\.spec\.ts/,
          },
        ]
      : [
          {
            name: 'desktop',
            use: { baseURL: urlOf(screen), viewport: screens[screen].viewport, isMobile: false },
            testMatch: /desktop-layout\.spec\.ts/,
          },
        ],
  ),
  webServer: run.map((screen) => ({
    // npm start, with its Node heap limits (package.json), as a deployment runs it.
    command: 'npm start',
    cwd: root,
    url: `${urlOf(screen)}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
    env: {
      PORT: String(screens[screen].port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(process.env.GREENLEAF_E2E_DATA_DIR ?? '', screen),
      NODE_ENV: 'test',
      DEMO_MODE: 'on',
      // The trial's pages and the demo trial too: the journeys and the link crawl cover them.
      TRIAL_MODE: 'on',
      LOG_LEVEL: 'warn',
      // Throwaway databases: commits need not wait for the disk (a durable commit costs ~25 ms
      // here, and the journeys make thousands). Durability has its own tests (database.int.test.ts).
      EMBEDDED_DURABILITY: 'off',
    },
  })),
});
