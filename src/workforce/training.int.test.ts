/**
 * The workforce's training and checks, through HTTP as a coordinator, a supervisor and a worker
 * would, on both engines: allocation refused to a worker whose mandatory training or checks are
 * not current (and why), allowed once recorded, refused again when something runs out, the
 * coordinator's override and its end; who may see and record what; the audit trail; the
 * matrix and its CSV (formulas neutralised); reminders before and at expiry, sent once; and
 * hostile input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aParticipant, aWorker, trainWorker } from '../test-support/factories.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { saveAtOnce } from '../test-support/at-once.ts';
import { DAY } from '../platform/clock.ts';
import { addDays, addMonths, ukToday } from '../platform/calendar/uk-time.ts';
import { COMPLETION_VALUES, CHECK_VALUES, OVERRIDE_VALUES } from './training.form.ts';

let t: TestApp;
let coordinator: TestClient;
let supervisor: TestClient;

const today = () => ukToday(t.clock.now());
const dateFields = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return { [`${name}[day]`]: day!, [`${name}[month]`]: month!, [`${name}[year]`]: year! };
};

/** Tries to allocate a new participant to the worker; the response. */
async function allocateTo(workerId: string) {
  const participant = await aParticipant(t, {});
  await coordinator.get(`/participants/${participant.id}/allocate`);
  const response = await coordinator.post(`/participants/${participant.id}/allocate`, {
    peerWorkerId: workerId,
  });
  return { response, participantId: participant.id };
}

const allocatedTo = (participantId: string) =>
  queryRows<{ peer_worker_id: string }>(
    t.database,
    sql`SELECT peer_worker_id FROM allocations WHERE participant_id = ${participantId} AND ended_at IS NULL`,
  );

const auditOf = (staffId: string, action: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM audit_events WHERE entity_id = ${staffId} AND action = ${action}`,
  );

async function recordTraining(client: TestClient, staffId: string, itemKey: string, completedOn: string) {
  await client.get(`/training/workers/${staffId}/record`);
  return client.post(`/training/workers/${staffId}/record`, {
    submissionToken: randomUUID(),
    itemKey,
    ...dateFields('completedOn', completedOn),
    provider: 'Peer support course',
    note: '',
  });
}

beforeAll(async () => {
  t = await createTestApp();
  coordinator = await t.signedInAs(DEMO.coordinator);
  supervisor = await t.signedInAs(DEMO.supervisorNorth);
});
beforeEach(async () => {
  t.clock.set(TEST_NOW);
  coordinator = await t.signedInAs(DEMO.coordinator);
  supervisor = await t.signedInAs(DEMO.supervisorNorth);
});
afterAll(async () => {
  await t.close();
});

describe('training gates allocation', () => {
  it('refuses a worker with nothing recorded, naming what is missing, and changes nothing', async () => {
    const worker = await aWorker(t, { cleared: false });
    const { response, participantId } = await allocateTo(worker.id);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('training or checks not complete');
    expect(response.body).toContain('Boundaries and disclosure (not recorded)');
    expect(response.body).toContain('Enhanced DBS check (not recorded)');
    expect(await allocatedTo(participantId)).toEqual([]);
  });

  it('the allocation page says why a worker is not available', async () => {
    const worker = await aWorker(t, { cleared: false });
    const participant = await aParticipant(t, {});
    const page = await coordinator.get(`/participants/${participant.id}/allocate`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(worker.fullName);
    expect(page.body).toMatch(/Training or checks not complete: The meaning of peer support/);
  });

  it('allows a worker once every mandatory item and check is recorded, and refuses them again when one runs out', async () => {
    const worker = await aWorker(t, { cleared: false });
    await trainWorker(t, worker);
    const first = await allocateTo(worker.id);
    expect(first.response.statusCode).toBe(303);
    expect(await allocatedTo(first.participantId)).toEqual([{ peer_worker_id: worker.id }]);

    // Data security is renewed every 12 months; done 30 days ago, it runs out 11 months on.
    t.clock.set(new Date(Date.parse(TEST_NOW) + 340 * DAY));
    coordinator = await t.signedInAs(DEMO.coordinator);
    const second = await allocateTo(worker.id);
    expect(second.response.statusCode).toBe(400);
    expect(second.response.body).toMatch(/Data security awareness \(expired [0-9]+ [A-Z][a-z]+ 2027\)/);
    expect(await allocatedTo(second.participantId)).toEqual([]);
    // A lapse takes nobody away.
    expect(await allocatedTo(first.participantId)).toEqual([{ peer_worker_id: worker.id }]);

    const renewed = await recordTraining(
      (supervisor = await t.signedInAs(DEMO.supervisorNorth)),
      worker.id,
      'data_security',
      today(),
    );
    expect(renewed.statusCode).toBe(303);
    expect((await allocateTo(worker.id)).response.statusCode).toBe(303);
  });

  it('a withdrawn record no longer counts', async () => {
    const worker = await aWorker(t, { cleared: false });
    await trainWorker(t, worker);
    const [record] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM training_records WHERE staff_id = ${worker.id} AND item_key = 'distress_and_safety'`,
    );
    const url = `/training/workers/${worker.id}/records/${record!.id}/withdraw`;
    expect((await supervisor.get(url)).statusCode).toBe(200);
    expect((await supervisor.post(url, { reason: '' })).statusCode).toBe(400);
    expect((await supervisor.post(url, { reason: 'Recorded for the wrong person' })).statusCode).toBe(303);
    const { response } = await allocateTo(worker.id);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Working with distress and raising safety concerns (not recorded)');
    expect(await auditOf(worker.id, 'training.withdrawn')).toBe(1);
    const page = await supervisor.get(`/training/workers/${worker.id}`);
    expect(page.body).toContain('withdrawn: Recorded for the wrong person');
  });

  it('the coordinator may allow a worker with a reason until a date, shown on their record, and end it', async () => {
    const worker = await aWorker(t, { cleared: false });
    const allow = `/training/workers/${worker.id}/allow`;
    expect((await coordinator.get(allow)).statusCode).toBe(200);
    const tooLong = await coordinator.post(allow, {
      reason: 'Course done in another trust',
      ...dateFields('untilOn', addDays(today(), 200)),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Date it ends must be within 92 days');
    const allowed = await coordinator.post(allow, {
      reason: 'Course done in another trust; certificates on the way',
      ...dateFields('untilOn', addDays(today(), 30)),
    });
    expect(allowed.statusCode).toBe(303);
    expect(await auditOf(worker.id, 'allocation.override_granted')).toBe(1);
    const record = await coordinator.get(`/training/workers/${worker.id}`);
    expect(record.body).toContain('Course done in another trust; certificates on the way');
    expect(record.body).toContain('Carol Coordinator');
    expect((await allocateTo(worker.id)).response.statusCode).toBe(303);

    // After the date, it no longer counts.
    t.clock.set(new Date(Date.parse(TEST_NOW) + 31 * DAY));
    coordinator = await t.signedInAs(DEMO.coordinator);
    expect((await allocateTo(worker.id)).response.statusCode).toBe(400);

    // Ended early, it no longer counts either.
    t.clock.set(TEST_NOW);
    coordinator = await t.signedInAs(DEMO.coordinator);
    await coordinator.post(allow, { reason: 'Again', ...dateFields('untilOn', addDays(today(), 10)) });
    expect((await coordinator.post(`${allow}/end`, {})).statusCode).toBe(303);
    expect((await allocateTo(worker.id)).response.statusCode).toBe(400);
    expect(await auditOf(worker.id, 'allocation.override_ended')).toBe(1);
  });
});

describe('who may see and record training', () => {
  it('a worker sees their own record, never a colleague’s, and cannot record anything', async () => {
    const worker = await aWorker(t);
    const colleague = await aWorker(t);
    const client = await t.signedInAs(worker.email);
    const own = await client.get('/training/mine');
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('My training');
    expect((await client.get(`/training/workers/${worker.id}`)).statusCode).toBe(200);
    expect((await client.get(`/training/workers/${colleague.id}`)).statusCode).toBe(404);
    expect((await client.get('/training')).statusCode).toBe(404);
    expect((await client.get('/training.csv')).statusCode).toBe(404);
    expect((await client.get(`/training/workers/${worker.id}/record`)).statusCode).toBe(404);
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM training_records WHERE staff_id = ${worker.id}`,
    );
    expect((await recordTraining(client, worker.id, 'top_up_day_2', today())).statusCode).toBe(404);
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM training_records WHERE staff_id = ${worker.id}`),
    ).toBe(before);
  });

  it('a supervisor records training but not checks or exceptions; the coordinator does all three', async () => {
    const worker = await aWorker(t, { cleared: false });
    expect((await recordTraining(supervisor, worker.id, 'core_skills', today())).statusCode).toBe(303);
    expect((await supervisor.get(`/training/workers/${worker.id}/checks`)).statusCode).toBe(404);
    expect((await supervisor.get(`/training/workers/${worker.id}/allow`)).statusCode).toBe(404);
    expect((await coordinator.get(`/training/workers/${worker.id}/checks`)).statusCode).toBe(200);
    const check = await coordinator.post(`/training/workers/${worker.id}/checks`, {
      submissionToken: randomUUID(),
      kind: 'dbs',
      ...dateFields('completedOn', today()),
      ...dateFields('renewBy', addMonths(today(), 36)),
      note: 'Certificate 001234567890',
    });
    expect(check.statusCode).toBe(303);
    expect(await auditOf(worker.id, 'training.check_recorded')).toBe(1);
    expect(await auditOf(worker.id, 'training.recorded')).toBe(1);
  });

  it('clinicians and research roles reach none of it', async () => {
    const worker = await aWorker(t);
    for (const email of [DEMO.clinicianNorth, DEMO.trialManager, DEMO.assessor, DEMO.analyst]) {
      const client = await t.signedInAs(email);
      for (const url of ['/training', '/training.csv', '/training/mine', `/training/workers/${worker.id}`]) {
        expect((await client.get(url)).statusCode, `${email} ${url}`).toBe(404);
      }
    }
  });

  it('another trust’s coordinator cannot see a worker', async () => {
    const other = await import('../test-support/factories.ts').then(({ aTrust }) => aTrust(t));
    const worker = await aWorker(t);
    const stranger = await t.signedInAs(other.coordinator);
    expect((await stranger.get(`/training/workers/${worker.id}`)).statusCode).toBe(404);
    expect((await stranger.get('/training')).body).not.toContain(worker.fullName);
  });

  it('reading a worker’s record is audited, and so is the matrix', async () => {
    const worker = await aWorker(t);
    await supervisor.get(`/training/workers/${worker.id}`);
    expect(await auditOf(worker.id, 'training.viewed')).toBe(1);
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'training.matrix_viewed'`,
    );
    await supervisor.get('/training');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'training.matrix_viewed'`,
      ),
    ).toBe(before + 1);
  });
});

describe('the training matrix', () => {
  it('shows every worker’s state in words, with counts out of all workers, and the CSV neutralises formulas', async () => {
    const hostile = await aWorker(t, {
      cleared: false,
      with: { fullName: '=HYPERLINK("http://evil.example","click")' },
    });
    const page = await coordinator.get('/training');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Not recorded');
    expect(page.body).toMatch(/[0-9]+ of [0-9]+ workers can take new participants/);
    const csv = await coordinator.get('/training.csv?within=60');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="greenleaf-training-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const line = csv.body.split('\r\n').find((l) => l.includes('HYPERLINK'));
    expect(line?.startsWith(`"'=HYPERLINK(`)).toBe(true);
    expect(line).toContain('"No"');
    expect(hostile.id).toBeTruthy();
  });

  it('refuses a "within" it does not offer with a 400', async () => {
    expect((await coordinator.get('/training?within=7')).statusCode).toBe(400);
    expect((await coordinator.get('/training.csv?within=abc')).statusCode).toBe(400);
  });
});

describe('reminders before and at expiry', () => {
  const sendDue = () => t.deps.services.trainingReminders.sendDue();
  const remindersTo = (email: string, workerName: string) =>
    count(
      t.database,
      sql`SELECT count(*) AS n FROM notifications WHERE template = 'training_expiry' AND recipient = ${email} AND personalisation->>'workerName' = ${workerName}`,
    );

  it('tells the worker and their supervisors once when it comes due, once when it runs out, and again next cycle', async () => {
    const worker = await aWorker(t);
    const workerName = worker.fullName;
    await sendDue();
    expect(await remindersTo(worker.email, workerName)).toBe(0);

    // Data security done 30 days before TEST_NOW runs out 11 months on; due 30 days before that.
    t.clock.set(new Date(Date.parse(TEST_NOW) + 310 * DAY));
    await Promise.all([sendDue(), sendDue()]);
    await sendDue();
    expect(await remindersTo(worker.email, workerName)).toBe(1);
    expect(await remindersTo(DEMO.supervisorNorth, workerName)).toBe(1);

    t.clock.set(new Date(Date.parse(TEST_NOW) + 340 * DAY));
    await sendDue();
    await sendDue();
    expect(await remindersTo(worker.email, workerName)).toBe(2);
    expect(await remindersTo(DEMO.supervisorNorth, workerName)).toBe(2);
    expect(await auditOf(worker.id, 'training.reminded')).toBe(2);

    // Renewed: the next expiry is a year on, reminded about in its own time.
    supervisor = await t.signedInAs(DEMO.supervisorNorth);
    await recordTraining(supervisor, worker.id, 'data_security', today());
    await sendDue();
    expect(await remindersTo(worker.email, workerName)).toBe(2);
    t.clock.set(new Date(Date.parse(TEST_NOW) + (340 + 340) * DAY));
    await sendDue();
    expect(await remindersTo(worker.email, workerName)).toBeGreaterThan(2);
  });
});

describe('hostile input', () => {
  it('never answers a training, check or exception form with a server error, and saves nothing bad', async () => {
    const worker = await aWorker(t, { cleared: false });
    const base = `/training/workers/${worker.id}`;
    await coordinator.get(`${base}/record`);
    await fc.assert(
      fc.asyncProperty(
        hostileForm(COMPLETION_VALUES.fields ?? []),
        hostileForm(CHECK_VALUES.fields ?? []),
        hostileForm(OVERRIDE_VALUES.fields ?? []),
        async (completion, check, override) => {
          expect([303, 400]).toContain((await coordinator.post(`${base}/record`, completion)).statusCode);
          expect([303, 400]).toContain((await coordinator.post(`${base}/checks`, check)).statusCode);
          expect([303, 400]).toContain((await coordinator.post(`${base}/allow`, override)).statusCode);
        },
      ),
      { numRuns: 30 },
    );
    expect((await coordinator.get(`/training/workers/not-an-id`)).statusCode).toBe(404);
    expect((await coordinator.get(`/training/workers/${randomUUID()}`)).statusCode).toBe(404);
    expect((await coordinator.post(`${base}/record`, { itemKey: 'flying_lessons' })).statusCode).toBe(400);
  });
});

describe('a worker’s named supervisor', () => {
  const alertRecipients = (place: string) =>
    queryRows<{ recipient: string }>(
      t.database,
      sql`SELECT recipient FROM notifications WHERE template = 'lone_working_alert' AND personalisation->>'place' = ${place} ORDER BY recipient`,
    ).then((rows) => rows.map((row) => row.recipient));

  /** The worker checks in until 10:30 and never checks out; the alerts due an hour later are sent. */
  async function overdueVisit(worker: { email: string }, place: string) {
    t.clock.set(TEST_NOW);
    const client = await t.signedInAs(worker.email);
    await client.get('/lone-working/check-in');
    const checkedIn = await client.post('/lone-working/check-in', {
      submissionToken: randomUUID(),
      place,
      participantId: '',
      expectedEnd: '10:30',
    });
    expect(
      checkedIn.statusCode,
      checkedIn.body.match(/nhsuk-error-message[^<]*<[^<]*<[^<]*/g)?.join(' '),
    ).toBe(303);
    t.clock.set(new Date(Date.parse(TEST_NOW) + 50 * 60_000));
    await t.deps.services.loneWorkingAlerts.sendDue();
  }

  it('is told first, instead of the team’s supervisors; with none named, or once they leave, the team’s are', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const named = await aWorker(t, { roles: ['supervisor'], team: 'south', cleared: false });
    const url = `/training/workers/${worker.id}/supervisor`;
    expect((await coordinator.get(url)).statusCode).toBe(200);
    expect((await coordinator.post(url, { supervisorId: worker.id })).statusCode).toBe(400);
    expect((await coordinator.post(url, { supervisorId: named.id })).statusCode).toBe(303);
    expect(await auditOf(worker.id, 'staff.supervisor_named')).toBe(1);
    expect((await coordinator.get(`/training/workers/${worker.id}`)).body).toContain(named.fullName);

    await overdueVisit(worker, `Named supervisor ${worker.id}`);
    expect(await alertRecipients(`Named supervisor ${worker.id}`)).toEqual([named.email]);

    // A second worker with the same named supervisor, whose account is then disabled: the
    // alert goes back to the North team's supervisors.
    t.clock.set(TEST_NOW);
    coordinator = await t.signedInAs(DEMO.coordinator);
    const second = await aWorker(t, { team: 'north' });
    expect(
      (await coordinator.post(`/training/workers/${second.id}/supervisor`, { supervisorId: named.id }))
        .statusCode,
    ).toBe(303);
    await t.database.db.execute(sql`UPDATE staff_users SET disabled_at = now() WHERE id = ${named.id}`);
    await overdueVisit(second, `Named supervisor gone ${second.id}`);
    expect(await alertRecipients(`Named supervisor gone ${second.id}`)).toContain(DEMO.supervisorNorth);
    expect(await alertRecipients(`Named supervisor gone ${second.id}`)).not.toContain(named.email);
  });

  it('refuses anyone who is not one of the trust’s supervisors, and a supervisor cannot name one', async () => {
    const worker = await aWorker(t);
    const notASupervisor = await aWorker(t);
    const url = `/training/workers/${worker.id}/supervisor`;
    const refused = await coordinator.post(url, { supervisorId: notASupervisor.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Select one of the supervisors listed, or none');
    expect((await coordinator.post(url, { supervisorId: 'someone' })).statusCode).toBe(400);
    expect((await supervisor.get(url)).statusCode).toBe(404);
    expect(await auditOf(worker.id, 'staff.supervisor_named')).toBe(0);
  });
});

describe('nobody signs off their own workforce record', () => {
  it('a supervisor who is also a worker cannot record their own training, and the coordinator cannot set their own exception', async () => {
    const both = await aWorker(t, { roles: ['peer_worker', 'supervisor'], cleared: false });
    const client = await t.signedInAs(both.email);
    expect((await client.get(`/training/workers/${both.id}/record`)).statusCode).toBe(404);
    expect((await recordTraining(client, both.id, 'core_skills', today())).statusCode).toBe(404);
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM training_records WHERE staff_id = ${both.id}`),
    ).toBe(0);
    // Someone else signs it off.
    expect((await recordTraining(supervisor, both.id, 'core_skills', today())).statusCode).toBe(303);
  });

  it('the same training form sent twice at once is one record', async () => {
    const worker = await aWorker(t, { cleared: false });
    await supervisor.get(`/training/workers/${worker.id}/record`);
    const fields = {
      submissionToken: randomUUID(),
      itemKey: 'boundaries_and_disclosure',
      ...dateFields('completedOn', today()),
      provider: 'Peer support course',
      note: '',
    };
    const race = await saveAtOnce([
      () => supervisor.post(`/training/workers/${worker.id}/record`, fields),
      () => supervisor.post(`/training/workers/${worker.id}/record`, fields),
    ]);
    expect(race.statuses, race.said).toEqual([303, 303]);
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM training_records WHERE staff_id = ${worker.id}`),
    ).toBe(1);
  });
});
