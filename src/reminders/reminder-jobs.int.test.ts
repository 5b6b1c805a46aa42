/**
 * The reminder jobs on the real pg-boss queue, and across a restart: a reminder planned by one
 * app instance is sent exactly once by a new instance built on the same database, and the
 * cron schedule is kept in the database.
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
import { reminderJobs, SEND_DUE_JOB } from './reminder-jobs.ts';

let database: Database;
let queue: JobQueue | undefined;

type Instance = AppInstance;

/** One app instance on the shared database, as `npm start` builds it, with its own clock. */
const startInstance = (now: string): Promise<Instance> => startAppInstance(database, now);

async function signedInAs(instance: Instance, email: string): Promise<TestClient> {
  const client = new TestClient(instance.app);
  const { staff } = await instance.deps.services.demo.accounts();
  await client.get('/demo');
  await client.post(`/demo/sign-in/staff/${staff.find((s) => s.email === email)!.id}`, {});
  return client;
}

const messagesAbout = async (sessionId: string) =>
  (
    await queryRows<{ template: string }>(
      database,
      sql`SELECT n.template FROM notifications n JOIN session_reminders r ON r.notification_id = n.id WHERE r.session_id = ${sessionId} ORDER BY n.created_at`,
    )
  ).map((row) => row.template);

async function bookAsPat(
  instance: Instance,
  on: { day: string; month: string; year: string },
): Promise<string> {
  const pat = await signedInAs(instance, DEMO.workerPat);
  const [participant] = await queryRows<{ id: string }>(
    database,
    sql`SELECT p.id FROM participants p JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL JOIN staff_users s ON s.id = a.peer_worker_id WHERE s.email = ${DEMO.workerPat} AND p.mobile IS NOT NULL ORDER BY p.discharged_on DESC LIMIT 1`,
  );
  await database.db.execute(
    sql`UPDATE participants SET reminder_channel = 'sms', reminder_earliest_hour = 8, reminder_latest_hour = 21 WHERE id = ${participant!.id}`,
  );
  const submissionToken = randomUUID();
  await pat.get(`/participants/${participant!.id}/sessions/new`);
  const response = await pat.post(`/participants/${participant!.id}/sessions/new`, {
    submissionToken,
    'plannedOn[day]': on.day,
    'plannedOn[month]': on.month,
    'plannedOn[year]': on.year,
    plannedTime: '11:00',
    mode: 'phone',
    confirmOverCap: 'yes',
  });
  expect(response.statusCode).toBe(303);
  const [session] = await queryRows<{ id: string }>(
    database,
    sql`SELECT id FROM programme_sessions WHERE submission_token = ${submissionToken}`,
  );
  return session!.id;
}

beforeAll(async () => {
  database = await createTestDatabase({ seed: demoSeed(TEST_NOW) });
  // Only this file's messages: the demo's own are out of the way.
  await database.db.execute(
    sql`UPDATE session_reminders SET status = 'cancelled' WHERE status = 'scheduled'`,
  );
});
afterAll(async () => {
  await queue?.stop();
  await database.close();
});

describe('reminder jobs', () => {
  it('sends a reminder planned before a restart exactly once from a new instance', async () => {
    const first = await startInstance(TEST_NOW);
    const sessionId = await bookAsPat(first, { day: '1', month: '12', year: '2026' });
    await first.deps.services.reminderDelivery.sendDue();
    expect(await messagesAbout(sessionId)).toEqual(['session_booked']);
    // The process stops.
    await first.app.close();

    // A new process on the same database, days later: the reminder is due (30 November, 11am).
    const second = await startInstance('2026-11-30T11:00:00Z');
    await second.deps.services.reminderDelivery.sendDue();
    await second.deps.services.reminderDelivery.sendDue();
    expect(await messagesAbout(sessionId)).toEqual(['session_booked', 'session_reminder']);
    // And a third instance running the job again sends nothing more.
    const third = await startInstance('2026-11-30T11:05:00Z');
    await third.deps.services.reminderDelivery.sendDue();
    expect(await messagesAbout(sessionId)).toEqual(['session_booked', 'session_reminder']);
    await second.app.close();
    await third.app.close();
  });

  it(
    'runs the sender on the pg-boss queue, with its cron kept in the database',
    { timeout: 60_000 },
    async () => {
      const instance = await startInstance(TEST_NOW);
      const sessionId = await bookAsPat(instance, { day: '2', month: '12', year: '2026' });
      queue = createJobQueue(database);
      await queue.start(reminderJobs(instance.deps.services.reminderDelivery), (error) => {
        throw error;
      });
      const schedules = await queryRows<{ name: string; cron: string }>(
        database,
        sql`SELECT name, cron FROM pgboss.schedule WHERE name LIKE 'reminders.%' ORDER BY name`,
      );
      expect(schedules).toEqual([
        { name: 'reminders.check-delivery', cron: '*/10 * * * *' },
        { name: 'reminders.send-due', cron: '* * * * *' },
      ]);
      await queue.runNow(SEND_DUE_JOB);
      const deadline = Date.now() + 30_000;
      while ((await messagesAbout(sessionId)).length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(await messagesAbout(sessionId)).toEqual(['session_booked']);
      await queue.stop();
      queue = undefined;
      await instance.app.close();
    },
  );
});
