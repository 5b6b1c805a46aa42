/**
 * Escalation of unacknowledged safety concerns: each step once, in order, at the right time
 * by the app clock, across concurrent runs, restarts and the real pg-boss job; acknowledging
 * stops it; the emails never carry the participant's name or what happened.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ManualClock, MINUTE } from '../platform/clock.ts';
import type { Database } from '../platform/database/database.ts';
import { createTestDatabase } from '../platform/database/test-database.ts';
import { createJobQueue, type JobQueue } from '../platform/jobs/job-queue.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import { NotificationsRepository } from '../platform/notifications/notifications.repository.ts';
import { OutboxSender } from '../platform/notifications/outbox-sender.ts';
import { seedDemoData } from '../demo/seed.ts';
import { DEMO, TEST_NOW } from '../test-support/test-app.ts';
import { startAppInstance, type AppInstance } from '../test-support/app-instance.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { escalationJobs, ESCALATE_JOB } from './escalation-jobs.ts';

let database: Database;
let queue: JobQueue | undefined;
const open: Instance[] = [];

type Instance = AppInstance;

/** One app instance on the shared database, as `npm start` builds it, with its own clock. */
async function startInstance(
  now: string,
  sender?: NotificationSender,
  env: Record<string, string> = {},
): Promise<Instance> {
  const instance = await startAppInstance(database, now, {
    env: { PUBLIC_URL: 'https://greenleaf.example.nhs.uk', ...env },
    ...(sender ? { notifications: sender } : {}),
  });
  open.push(instance);
  return instance;
}

const WHAT_HAPPENED = 'Said they had stopped their medication and were giving things away';

interface Participant {
  id: string;
  givenName: string;
  familyName: string;
  teamId: string;
}

async function northParticipant(): Promise<Participant> {
  const [row] = await queryRows<Participant>(
    database,
    sql`SELECT p.id, p.given_name AS "givenName", p.family_name AS "familyName", p.crisis_team_id AS "teamId"
        FROM participants p JOIN crisis_teams t ON t.id = p.crisis_team_id
        WHERE t.name LIKE 'North%' ORDER BY p.referred_at LIMIT 1`,
  );
  return row!;
}

/** A concern raised by Pat (North) about a North participant, straight into the table. */
async function insertConcern(options: {
  urgency: 'immediate' | 'urgent' | 'routine';
  raisedAt: string;
  acknowledgeBy: string;
}): Promise<string> {
  const participant = await northParticipant();
  const [pat] = await queryRows<{ id: string }>(
    database,
    sql`SELECT id FROM staff_users WHERE email = ${DEMO.workerPat}`,
  );
  const id = randomUUID();
  await database.db.execute(sql`
    INSERT INTO safety_concerns (id, kind, participant_id, crisis_team_id, raised_by, raised_at, urgency,
      what_happened, acknowledge_by, submission_token)
    VALUES (${id}, 'concern', ${participant.id}, ${participant.teamId}, ${pat!.id}, ${options.raisedAt},
      ${options.urgency}, ${WHAT_HAPPENED}, ${options.acknowledgeBy}, ${randomUUID()})`);
  return id;
}

interface Sent {
  recipient: string;
  overdue: string;
  body: string;
  all: string;
}

/** The escalation emails about a concern, oldest first. */
async function emailsAbout(concernId: string): Promise<Sent[]> {
  return queryRows<Sent>(
    database,
    sql`SELECT recipient, personalisation->>'overdue' AS overdue, personalisation->>'body' AS body,
          personalisation::text AS "all"
        FROM notifications WHERE template = 'concern_escalation'
          AND personalisation->>'link' = ${`https://greenleaf.example.nhs.uk/concerns/${concernId}`}
        ORDER BY created_at, recipient`,
  );
}

const recipientsOf = async (concernId: string) => (await emailsAbout(concernId)).map((e) => e.recipient);

async function stepsOf(concernId: string): Promise<{ step: number; kind: string; at: string }[]> {
  const rows = await queryRows<{ step: number | string; kind: string; at: Date | string }>(
    database,
    sql`SELECT step, step_kind AS kind, escalated_at AS at FROM safety_escalations WHERE concern_id = ${concernId} ORDER BY step`,
  );
  return rows.map((r) => ({ step: Number(r.step), kind: r.kind, at: new Date(r.at).toISOString() }));
}

const auditCount = (concernId: string) =>
  count(
    database,
    sql`SELECT count(*) AS n FROM audit_events WHERE action = 'concern.escalated' AND entity_id = ${concernId}`,
  );

/** North's clinicians, who get step 1 when the team has no duty email. */
let CLINICIANS: string[] = [];
const SUPERVISOR = DEMO.supervisorNorth;
const COORDINATOR = DEMO.coordinator;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoData(database.db, new Date(TEST_NOW));
  // Only this file's concerns: any the demo seeds are out of the way.
  await database.db.execute(
    sql`UPDATE safety_concerns SET status = 'acknowledged', acknowledged_at = raised_at WHERE status = 'open'`,
  );
  CLINICIANS = (
    await queryRows<{ email: string }>(
      database,
      sql`SELECT s.email FROM staff_users s JOIN crisis_teams t ON t.id = s.crisis_team_id
          WHERE t.name LIKE 'North%' AND 'clinician' = ANY(s.roles) AND s.disabled_at IS NULL ORDER BY s.email`,
    )
  ).map((row) => row.email);
  expect(CLINICIANS).toContain(DEMO.clinicianNorth);
});
beforeEach(async () => {
  await database.db.execute(sql`UPDATE crisis_teams SET duty_email = NULL`);
});
afterAll(async () => {
  await queue?.stop();
  for (const instance of open) await instance.app.close();
  await database.close();
});

describe('escalation of an unacknowledged concern', () => {
  it('takes each step once, at the deadline and one and two steps after, to the right people', async () => {
    const concern = await insertConcern({
      urgency: 'urgent',
      raisedAt: '2026-11-26T10:00:00Z',
      acknowledgeBy: '2026-11-26T11:00:00Z',
    });
    const { deps, clock } = await startInstance('2026-11-26T10:59:00Z');
    const escalation = deps.services.escalation;

    await escalation.escalateDue();
    expect(await stepsOf(concern)).toEqual([]);

    // The deadline: no duty email for North, so its clinicians.
    clock.set('2026-11-26T11:00:00Z');
    await escalation.escalateDue();
    await escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual(CLINICIANS);

    // 29 minutes later nothing more; at 30 the supervisors of Pat's team.
    clock.set('2026-11-26T11:29:00Z');
    await escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual(CLINICIANS);
    clock.set('2026-11-26T11:30:00Z');
    await escalation.escalateDue();
    await escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual([...CLINICIANS, SUPERVISOR]);

    // An hour after the deadline, the coordinator; then nothing more, ever.
    clock.set('2026-11-26T12:00:00Z');
    await escalation.escalateDue();
    clock.set('2026-11-27T12:00:00Z');
    await escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual([...CLINICIANS, SUPERVISOR, COORDINATOR]);
    expect(await stepsOf(concern)).toEqual([
      { step: 1, kind: 'duty_contact', at: '2026-11-26T11:00:00.000Z' },
      { step: 2, kind: 'supervisor', at: '2026-11-26T11:30:00.000Z' },
      { step: 3, kind: 'coordinator', at: '2026-11-26T12:00:00.000Z' },
    ]);
    expect(await auditCount(concern)).toBe(3);
    expect([...new Set((await emailsAbout(concern)).map((e) => e.overdue))]).toEqual([
      'less than a minute',
      '30 minutes',
      '1 hour',
    ]);
  });

  it('retries a step’s emails while the provider is down, gives the step back when they reached nobody, and takes it again', async () => {
    const concern = await insertConcern({
      urgency: 'urgent',
      raisedAt: '2026-11-26T13:00:00Z',
      acknowledgeBy: '2026-11-26T14:00:00Z',
    });
    // The email service is down for the first run; the outbox stands in for it otherwise.
    const outbox = new OutboxSender(
      database.db,
      new NotificationsRepository(),
      new ManualClock('2026-11-26T14:00:00Z'),
    );
    let down = true;
    const flaky: NotificationSender = {
      send: (message) => (down ? Promise.reject(new Error('503 from the provider')) : outbox.send(message)),
      deliveryStatus: (reference) => outbox.deliveryStatus(reference),
      findSent: (message) => outbox.findSent(message),
    };
    const { deps, clock } = await startInstance('2026-11-26T14:00:00Z', flaky, { REMINDER_MAX_ATTEMPTS: '2' });
    const escalation = deps.services.escalation;
    const first = await escalation.escalateDue();
    expect(first).toEqual({ steps: 1, queued: CLINICIANS.length });
    expect((await stepsOf(concern)).map((s) => s.step)).toEqual([1]);
    expect(await recipientsOf(concern)).toEqual([]);

    // The second try fails too: nobody was reached, so the step is not done.
    clock.set('2026-11-26T14:01:00Z');
    await escalation.escalateDue();
    expect(await stepsOf(concern)).toEqual([]);

    down = false;
    clock.set('2026-11-26T14:02:00Z');
    await escalation.escalateDue();
    await escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual(CLINICIANS);
    expect((await stepsOf(concern)).map((s) => s.step)).toEqual([1]);
  });

  it('sends step 1 to the team duty email when there is one', async () => {
    await database.db.execute(
      sql`UPDATE crisis_teams SET duty_email = 'north.duty@nhs.example' WHERE name LIKE 'North%'`,
    );
    const concern = await insertConcern({
      urgency: 'immediate',
      raisedAt: '2026-11-26T10:00:00Z',
      acknowledgeBy: '2026-11-26T10:15:00Z',
    });
    const { deps } = await startInstance('2026-11-26T10:16:00Z');
    await deps.services.escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual(['north.duty@nhs.example']);
  });

  it('sends once when two runs go at the same time', async () => {
    const concern = await insertConcern({
      urgency: 'urgent',
      raisedAt: '2026-11-26T10:00:00Z',
      acknowledgeBy: '2026-11-26T11:00:00Z',
    });
    const a = await startInstance('2026-11-26T11:01:00Z');
    const b = await startInstance('2026-11-26T11:01:00Z');
    await Promise.all([
      a.deps.services.escalation.escalateDue(),
      b.deps.services.escalation.escalateDue(),
      a.deps.services.escalation.escalateDue(),
    ]);
    expect(await recipientsOf(concern)).toEqual(CLINICIANS);
    expect(await auditCount(concern)).toBe(1);
  });

  it('runs steps missed while the service was down in order, once each, on the next tick', async () => {
    const concern = await insertConcern({
      urgency: 'routine',
      raisedAt: '2026-11-23T10:00:00Z',
      acknowledgeBy: '2026-11-26T17:00:00Z',
    });
    const { deps } = await startInstance('2026-11-27T09:00:00Z');
    await deps.services.escalation.escalateDue();
    await deps.services.escalation.escalateDue();
    expect((await stepsOf(concern)).map((s) => s.step)).toEqual([1, 2, 3]);
    expect(await recipientsOf(concern)).toHaveLength(CLINICIANS.length + 2);
    expect(await recipientsOf(concern)).toEqual(
      expect.arrayContaining([...CLINICIANS, SUPERVISOR, COORDINATOR]),
    );
    expect(await auditCount(concern)).toBe(3);
    // The audit events are in step order.
    const events = await queryRows<{ step: number | string }>(
      database,
      sql`SELECT (detail->>'step')::int AS step FROM audit_events WHERE action = 'concern.escalated' AND entity_id = ${concern} ORDER BY seq`,
    );
    expect(events.map((e) => Number(e.step))).toEqual([1, 2, 3]);
  });

  it('continues after a restart with the next step only', async () => {
    const concern = await insertConcern({
      urgency: 'urgent',
      raisedAt: '2026-11-26T10:00:00Z',
      acknowledgeBy: '2026-11-26T11:00:00Z',
    });
    const first = await startInstance('2026-11-26T11:05:00Z');
    await first.deps.services.escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual(CLINICIANS);
    // The process stops.
    await first.app.close();
    open.splice(open.indexOf(first), 1);

    const second = await startInstance('2026-11-26T11:40:00Z');
    await second.deps.services.escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual([...CLINICIANS, SUPERVISOR]);
    await second.app.close();
    open.splice(open.indexOf(second), 1);

    const third = await startInstance('2026-11-26T12:10:00Z');
    await third.deps.services.escalation.escalateDue();
    await third.deps.services.escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual([...CLINICIANS, SUPERVISOR, COORDINATOR]);
    expect(await auditCount(concern)).toBe(3);
  });

  it('stops when the concern is acknowledged, and never starts for one acknowledged in time', async () => {
    const concern = await insertConcern({
      urgency: 'urgent',
      raisedAt: '2026-11-26T10:00:00Z',
      acknowledgeBy: '2026-11-26T11:00:00Z',
    });
    const onTime = await insertConcern({
      urgency: 'urgent',
      raisedAt: '2026-11-26T10:00:00Z',
      acknowledgeBy: '2026-11-26T11:00:00Z',
    });
    await database.db.execute(
      sql`UPDATE safety_concerns SET status = 'acknowledged', acknowledged_at = '2026-11-26T10:40:00Z' WHERE id = ${onTime}`,
    );
    const { deps, clock } = await startInstance('2026-11-26T11:10:00Z');
    await deps.services.escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual(CLINICIANS);

    await database.db.execute(
      sql`UPDATE safety_concerns SET status = 'acknowledged', acknowledged_at = '2026-11-26T11:20:00Z' WHERE id = ${concern}`,
    );
    clock.set('2026-11-26T13:00:00Z');
    await deps.services.escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual(CLINICIANS);
    expect(await stepsOf(concern)).toHaveLength(1);
    expect(await recipientsOf(onTime)).toEqual([]);
    expect(await stepsOf(onTime)).toEqual([]);
  });

  it('never puts the participant or what happened in the message', async () => {
    const participant = await northParticipant();
    const concern = await insertConcern({
      urgency: 'urgent',
      raisedAt: '2026-11-26T10:00:00Z',
      acknowledgeBy: '2026-11-26T11:00:00Z',
    });
    const { deps } = await startInstance('2026-11-26T12:30:00Z');
    await deps.services.escalation.escalateDue();
    const emails = await emailsAbout(concern);
    expect(emails).toHaveLength(CLINICIANS.length + 2);
    for (const email of emails) {
      expect(email.all).toContain('North crisis resolution team');
      expect(email.all).toContain('urgent');
      expect(email.body).toContain(`https://greenleaf.example.nhs.uk/concerns/${concern}`);
      expect(email.all).not.toContain(participant.givenName);
      expect(email.all).not.toContain(participant.familyName);
      expect(email.all).not.toContain('medication');
      expect(email.all).not.toContain(participant.id);
    }
    expect(emails[0]!.body).toBe(
      `An urgent safety concern for North crisis resolution team has not been acknowledged. ` +
        `It is 1 hour 30 minutes past its deadline. Open it in Greenleaf: https://greenleaf.example.nhs.uk/concerns/${concern}`,
    );
  });

  it(
    'runs on the pg-boss queue every minute, with its cron kept in the database',
    { timeout: 60_000 },
    async () => {
      const concern = await insertConcern({
        urgency: 'immediate',
        raisedAt: '2026-11-26T10:00:00Z',
        acknowledgeBy: '2026-11-26T10:15:00Z',
      });
      const instance = await startInstance('2026-11-26T10:20:00Z');
      queue = createJobQueue(database);
      await queue.start(escalationJobs(instance.deps.services.escalation), (error) => {
        throw error;
      });
      const schedules = await queryRows<{ name: string; cron: string }>(
        database,
        sql`SELECT name, cron FROM pgboss.schedule WHERE name = ${ESCALATE_JOB}`,
      );
      expect(schedules).toEqual([{ name: 'concerns.escalate', cron: '* * * * *' }]);
      await queue.runNow(ESCALATE_JOB);
      const deadline = Date.now() + 30_000;
      while ((await recipientsOf(concern)).length < CLINICIANS.length && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(await recipientsOf(concern)).toEqual(CLINICIANS);
      // Later ticks, by the clock, take the later steps.
      instance.clock.advance(30 * MINUTE);
      await queue.runNow(ESCALATE_JOB);
      const later = Date.now() + 30_000;
      while ((await recipientsOf(concern)).length < CLINICIANS.length + 1 && Date.now() < later) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(await recipientsOf(concern)).toEqual([...CLINICIANS, SUPERVISOR]);
      await queue.stop();
      queue = undefined;
    },
  );
});

describe('immediate danger without "I have called 999"', () => {
  /** The unconfirmed-999 emails about a concern, oldest first. */
  const alertsAbout = (concernId: string) =>
    queryRows<Sent>(
      database,
      sql`SELECT recipient, personalisation->>'minutes' AS overdue, personalisation->>'body' AS body,
            personalisation::text AS "all"
          FROM notifications WHERE template = 'concern_999_unconfirmed'
            AND personalisation->>'link' = ${`https://greenleaf.example.nhs.uk/concerns/${concernId}`}
          ORDER BY created_at, recipient`,
    );
  const alertAudits = (concernId: string) =>
    count(
      database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'concern.999_unconfirmed_escalated' AND entity_id = ${concernId}`,
    );

  it('tells the duty contact and the worker’s supervisors once, five minutes after it was sent, naming nobody', async () => {
    await database.db.execute(
      sql`UPDATE crisis_teams SET duty_email = 'north.duty@nhs.example' WHERE name LIKE 'North%'`,
    );
    const concern = await insertConcern({
      urgency: 'immediate',
      raisedAt: '2026-11-30T10:00:00Z',
      acknowledgeBy: '2026-11-30T10:15:00Z',
    });
    const a = await startInstance('2026-11-30T10:04:00Z');
    await a.deps.services.escalation.escalateUnconfirmed999();
    expect(await alertsAbout(concern)).toEqual([]);

    a.clock.set('2026-11-30T10:05:00Z');
    const b = await startInstance('2026-11-30T10:05:00Z');
    await Promise.all([
      a.deps.services.escalation.escalateUnconfirmed999(),
      b.deps.services.escalation.escalateUnconfirmed999(),
    ]);
    a.clock.set('2026-11-30T10:09:00Z');
    await a.deps.services.escalation.escalateUnconfirmed999();
    const alerts = await alertsAbout(concern);
    expect(alerts.map((alert) => alert.recipient)).toEqual(['north.duty@nhs.example', SUPERVISOR]);
    expect(await alertAudits(concern)).toBe(1);
    const participant = await northParticipant();
    for (const alert of alerts) {
      expect(alert.body).toBe(
        'An immediate safety concern for North crisis resolution team was sent 5 minutes ago, and the worker ' +
          'has not yet confirmed that 999 was called. Check that someone has. ' +
          `Open it in Greenleaf: https://greenleaf.example.nhs.uk/concerns/${concern}`,
      );
      expect(alert.all).not.toContain(participant.givenName);
      expect(alert.all).not.toContain(participant.familyName);
      expect(alert.all).not.toContain('medication');
    }
    // The deadline's own escalation still follows, as for any unacknowledged concern.
    a.clock.set('2026-11-30T10:15:00Z');
    await a.deps.services.escalation.escalateDue();
    expect(await recipientsOf(concern)).toEqual(['north.duty@nhs.example']);
  });

  it('says nothing when the worker confirms the call in time, or the team has already acknowledged it', async () => {
    const confirmed = await insertConcern({
      urgency: 'immediate',
      raisedAt: '2026-11-30T11:00:00Z',
      acknowledgeBy: '2026-11-30T11:15:00Z',
    });
    await database.db.execute(
      sql`UPDATE safety_concerns SET called_999_at = '2026-11-30T11:03:00Z' WHERE id = ${confirmed}`,
    );
    const acknowledged = await insertConcern({
      urgency: 'immediate',
      raisedAt: '2026-11-30T11:00:00Z',
      acknowledgeBy: '2026-11-30T11:15:00Z',
    });
    await database.db.execute(
      sql`UPDATE safety_concerns SET status = 'acknowledged', acknowledged_at = '2026-11-30T11:02:00Z' WHERE id = ${acknowledged}`,
    );
    const urgent = await insertConcern({
      urgency: 'urgent',
      raisedAt: '2026-11-30T11:00:00Z',
      acknowledgeBy: '2026-11-30T12:00:00Z',
    });
    const { deps } = await startInstance('2026-11-30T11:10:00Z');
    await deps.services.escalation.escalateUnconfirmed999();
    for (const id of [confirmed, acknowledged, urgent]) {
      expect(await alertsAbout(id)).toEqual([]);
      expect(await alertAudits(id)).toBe(0);
    }
  });

  it('tries again on the next run when nobody received it', async () => {
    const concern = await insertConcern({
      urgency: 'immediate',
      raisedAt: '2026-11-30T12:00:00Z',
      acknowledgeBy: '2026-11-30T12:15:00Z',
    });
    const failing: NotificationSender = {
      send: () => Promise.reject(new Error('email service down')),
      deliveryStatus: () => Promise.reject(new Error('email service down')),
      findSent: () => Promise.reject(new Error('email service down')),
    };
    const down = await startInstance('2026-11-30T12:06:00Z', failing);
    await down.deps.services.escalation.escalateUnconfirmed999();
    expect(await alertsAbout(concern)).toEqual([]);
    const up = await startInstance('2026-11-30T12:07:00Z');
    await up.deps.services.escalation.escalateUnconfirmed999();
    expect((await alertsAbout(concern)).map((alert) => alert.recipient)).toEqual([...CLINICIANS, SUPERVISOR]);
  });
});
