/**
 * The lone working alert job on the real pg-boss queue, and across a restart: step 1 sent by
 * one app instance is not sent again by a new instance on the same database, which sends only
 * step 2 when it is due; the cron schedule is kept in the database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../platform/database/database.ts';
import { createTestDatabase } from '../platform/database/test-database.ts';
import { createJobQueue, type JobQueue } from '../platform/jobs/job-queue.ts';
import { demoSeed } from '../test-support/demo-seed.ts';
import { TestClient, DEMO, TEST_NOW } from '../test-support/test-app.ts';
import { startAppInstance, type AppInstance } from '../test-support/app-instance.ts';
import { queryRows } from '../test-support/rows.ts';
import { LONE_WORKING_ALERTS_JOB, loneWorkingJobs } from './lone-working-jobs.ts';

let database: Database;
let queue: JobQueue | undefined;

type Instance = AppInstance;

/** One app instance on the shared database, as `npm start` builds it, with its own clock. */
const startInstance = (now: string): Promise<Instance> => startAppInstance(database, now);

async function checkInAs(
  instance: Instance,
  email: string,
  place: string,
  expectedEnd: string,
): Promise<void> {
  const client = new TestClient(instance.app);
  const { staff } = await instance.deps.services.demo.accounts();
  await client.get('/demo');
  await client.post(`/demo/sign-in/staff/${staff.find((s) => s.email === email)!.id}`, {});
  await client.get('/lone-working/check-in');
  const response = await client.post('/lone-working/check-in', {
    submissionToken: randomUUID(),
    place,
    participantId: '',
    expectedEnd,
  });
  expect(response.statusCode).toBe(303);
}

const alertsAbout = async (place: string) =>
  (
    await queryRows<{ recipient: string }>(
      database,
      sql`SELECT recipient FROM notifications WHERE template = 'lone_working_alert' AND personalisation->>'place' = ${place} ORDER BY created_at, recipient`,
    )
  ).map((row) => row.recipient);

beforeAll(async () => {
  database = await createTestDatabase({ seed: demoSeed(TEST_NOW) });
});
afterAll(async () => {
  await queue?.stop();
  await database.close();
});

describe('lone working alert job', () => {
  it('continues with the next step only after a restart', async () => {
    const first = await startInstance(TEST_NOW);
    const place = 'Restart: 5 Cedar Row';
    await checkInAs(first, DEMO.workerPat, place, '10:30');
    first.clock.set('2026-11-26T10:46:00Z');
    await first.deps.services.loneWorkingAlerts.sendDue();
    expect(await alertsAbout(place)).toEqual([DEMO.supervisorNorth]);
    // The process stops.
    await first.app.close();

    // A new process on the same database, before step 2 is due: nothing is sent again.
    const second = await startInstance('2026-11-26T11:00:00Z');
    await second.deps.services.loneWorkingAlerts.sendDue();
    expect(await alertsAbout(place)).toEqual([DEMO.supervisorNorth]);
    second.clock.set('2026-11-26T11:15:00Z');
    await second.deps.services.loneWorkingAlerts.sendDue();
    await second.deps.services.loneWorkingAlerts.sendDue();
    expect(await alertsAbout(place)).toEqual([DEMO.supervisorNorth, DEMO.coordinator]);
    // And a third instance running the job later sends nothing more.
    const third = await startInstance('2026-11-26T12:00:00Z');
    await third.deps.services.loneWorkingAlerts.sendDue();
    expect(await alertsAbout(place)).toEqual([DEMO.supervisorNorth, DEMO.coordinator]);
    await second.app.close();
    await third.app.close();
  });

  it(
    'runs the alerts on the pg-boss queue every minute, with its cron kept in the database',
    { timeout: 60_000 },
    async () => {
      const instance = await startInstance(TEST_NOW);
      const place = 'Queue: 6 Rowan Street';
      await checkInAs(instance, DEMO.workerNat, place, '10:30');
      instance.clock.set('2026-11-26T10:45:00Z');
      queue = createJobQueue(database);
      await queue.start(loneWorkingJobs(instance.deps.services.loneWorkingAlerts), (error) => {
        throw error;
      });
      const schedules = await queryRows<{ name: string; cron: string }>(
        database,
        sql`SELECT name, cron FROM pgboss.schedule WHERE name LIKE 'lone-working.%'`,
      );
      expect(schedules).toEqual([{ name: LONE_WORKING_ALERTS_JOB, cron: '* * * * *' }]);
      await queue.runNow(LONE_WORKING_ALERTS_JOB);
      const deadline = Date.now() + 30_000;
      while ((await alertsAbout(place)).length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect((await alertsAbout(place)).length).toBeGreaterThan(0);
      await queue.stop();
      queue = undefined;
      await instance.app.close();
    },
  );
});
