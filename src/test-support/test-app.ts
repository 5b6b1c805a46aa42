/**
 * An app on a real test database with the demo data, a hand-moved clock and the outbox
 * sender, plus a small cookie-keeping client for `app.inject`. For route and journey tests.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createApp } from '../app.ts';
import { backgroundJobs, buildDependencies, type Dependencies } from '../composition-root.ts';
import { createLogger } from '../platform/logger.ts';
import { SILENT_LOG } from './silent-log.ts';
import { loadConfig } from '../config.ts';
import { ManualClock } from '../platform/clock.ts';
import type { Database } from '../platform/database/database.ts';
import { createTestDatabase } from '../platform/database/test-database.ts';
import { demoSeed } from './demo-seed.ts';
import { TEST_AUDIT_KEY } from './audit-key.ts';
import { ManualJobQueue } from './manual-job-queue.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';

export interface TestApp {
  app: FastifyInstance;
  deps: Dependencies;
  database: Database;
  clock: ManualClock;
  client(ip?: string): TestClient;
  /** A client signed in (through demo sign-in) as the seeded staff member with this email. */
  signedInAs(email: string): Promise<TestClient>;
  /** A client signed in (through demo sign-in) as this participant. */
  signedInAsParticipant(participantId: string): Promise<TestClient>;
  staffId(email: string): Promise<string>;
  /** The jobs requests have sent, not yet run until `runJobs`. */
  jobs: ManualJobQueue;
  /** Runs the jobs requests have sent so far, as the server's queue would straight away. */
  runJobs(): Promise<number>;
  close(): Promise<void>;
}

export const TEST_NOW = '2026-11-26T10:00:00Z';

export interface TestAppOptions {
  /** Receives each line the app logs, through the service's own logger settings (redaction included). */
  log?: (line: string) => void;
  /** Sends the app's messages instead of the local outbox (a provider that refuses them, say). */
  sender?: NotificationSender;
}

export async function createTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase({ seed: demoSeed(TEST_NOW) });
  const clock = new ManualClock(TEST_NOW);
  const config = loadConfig({
    NODE_ENV: 'test',
    DEMO_MODE: 'on',
    COOKIE_SECURE: 'off',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const jobs = new ManualJobQueue();
  const deps = buildDependencies(config, database, {
    auditKey: TEST_AUDIT_KEY,
    clock,
    logger: options.log
      ? createLogger(env.LOG_LEVEL ?? 'info', { write: options.log })
      : env.LOG_LEVEL
        ? createLogger(env.LOG_LEVEL)
        : SILENT_LOG,
    jobQueue: jobs,
    ...(options.sender ? { notifications: options.sender } : {}),
  });
  await jobs.start(backgroundJobs(deps.services, config, { error: () => undefined }));
  const app = await createApp(deps);
  await app.ready();
  // Before each request a test sends: this app has heard every change made so far, as it
  // would have by the time a person clicks again (sign-in-session-cache.ts).
  const caughtUp = () => deps.services.signInSessions.caughtUp();
  const staffId = async (email: string) => {
    const row = await deps.services.demo.accounts();
    const found = row.staff.find((s) => s.email === email);
    if (!found) throw new Error(`no seeded staff ${email}`);
    return found.id;
  };
  return {
    app,
    deps,
    database,
    clock,
    client: (ip?: string) => new TestClient(app, ip, caughtUp),
    staffId,
    jobs,
    runJobs: () => jobs.runPending(),
    async signedInAs(email) {
      const client = new TestClient(app, undefined, caughtUp);
      await client.get('/demo');
      const response = await client.post(`/demo/sign-in/staff/${await staffId(email)}`, {});
      if (response.statusCode !== 303) throw new Error(`demo sign-in failed: ${response.statusCode}`);
      // Signing in renews the form secret: read a page for a token, as a browser would.
      await client.get('/help');
      return client;
    },
    async signedInAsParticipant(participantId) {
      const client = new TestClient(app, undefined, caughtUp);
      await client.get('/demo');
      const response = await client.post(`/demo/sign-in/participant/${participantId}`, {});
      if (response.statusCode !== 303) throw new Error(`demo sign-in failed: ${response.statusCode}`);
      await client.get('/help');
      return client;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Keeps cookies between requests and sends the CSRF token from the last page it read. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  private readonly app: FastifyInstance;
  /** The address requests come from (each client can be a different person). */
  ip: string;

  /** Waits until the app has heard of every change made so far (see `caughtUp` in createTestApp). */
  private readonly caughtUp: () => Promise<void>;

  constructor(app: FastifyInstance, ip = '127.0.0.1', caughtUp: () => Promise<void> = async () => undefined) {
    this.app = app;
    this.ip = ip;
    this.caughtUp = caughtUp;
  }

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as {
      name: string;
      value: string;
      maxAge?: number;
      expires?: Date;
    }[]) {
      const expired =
        cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() < Date.now());
      if (expired || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (match) this.csrfToken = match[1];
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    await this.caughtUp();
    const response = await this.app.inject({
      method: 'GET',
      url,
      cookies: Object.fromEntries(this.cookies),
      headers,
      remoteAddress: this.ip,
    });
    this.remember(response);
    return response;
  }

  /** Posts a form; `_csrf` is added from the last page unless the fields set it (or `csrf: false`). */
  async post(
    url: string,
    fields: Record<string, string | string[]>,
    options: { csrf?: boolean; headers?: Record<string, string>; ip?: string } = {},
  ): Promise<LightMyRequestResponse> {
    await this.caughtUp();
    const body = new URLSearchParams();
    const all =
      options.csrf === false || '_csrf' in fields ? fields : { _csrf: this.csrfToken ?? '', ...fields };
    for (const [key, value] of Object.entries(all)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    const response = await this.app.inject({
      method: 'POST',
      url,
      cookies: Object.fromEntries(this.cookies),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      remoteAddress: options.ip ?? this.ip,
      payload: body.toString(),
    });
    this.remember(response);
    return response;
  }
}

/** Every seeded account's email by role, for matrix tests. */
export const DEMO = {
  coordinator: 'coordinator@demo.greenleaf.nhs.uk',
  supervisorNorth: 'supervisor.north@demo.greenleaf.nhs.uk',
  supervisorSouth: 'supervisor.south@demo.greenleaf.nhs.uk',
  workerPat: 'psw.pat@demo.greenleaf.nhs.uk',
  workerRob: 'psw.rob@demo.greenleaf.nhs.uk',
  workerNat: 'psw.nat@demo.greenleaf.nhs.uk',
  clinicianNorth: 'clinician.north@demo.greenleaf.nhs.uk',
  clinicianSouth: 'clinician.south@demo.greenleaf.nhs.uk',
  trialManager: 'trial.manager@demo.greenleaf.nhs.uk',
  assessor: 'assessor@demo.greenleaf.nhs.uk',
  analyst: 'analyst@demo.greenleaf.nhs.uk',
  statistician: 'statistician@demo.greenleaf.nhs.uk',
} as const;
