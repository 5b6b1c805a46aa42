/**
 * A worker asking for support, through HTTP: it reaches their supervisor (named, else their
 * team's) and only them, by email once; the supervisor acknowledges and the worker sees it;
 * colleagues, clinicians, research roles and other supervisors never see it; the coordinator
 * sees counts per team, never names or words; every read and change is audited; hostile input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aWorker } from '../test-support/factories.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { saveAtOnce } from '../test-support/at-once.ts';

let t: TestApp;
let coordinator: TestClient;

const emailsAbout = (workerName: string) =>
  queryRows<{ recipient: string }>(
    t.database,
    sql`SELECT recipient FROM notifications WHERE template = 'wellbeing_request' AND personalisation->>'workerName' = ${workerName} ORDER BY recipient`,
  ).then((rows) => rows.map((row) => row.recipient));

async function ask(client: TestClient, fields: Record<string, string> = {}) {
  await client.get('/wellbeing');
  return client.post('/wellbeing', {
    submissionToken: randomUUID(),
    afterSession: 'yes',
    note: '',
    ...fields,
  });
}

beforeAll(async () => {
  t = await createTestApp();
});
beforeEach(async () => {
  t.clock.set(TEST_NOW);
  coordinator = await t.signedInAs(DEMO.coordinator);
});
afterAll(async () => {
  await t.close();
});

describe('asking for support', () => {
  it('reaches the named supervisor alone, once, and the worker sees it acknowledged', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const named = await aWorker(t, { roles: ['supervisor'], team: 'south', cleared: false });
    await coordinator.get(`/training/workers/${worker.id}/supervisor`);
    expect(
      (await coordinator.post(`/training/workers/${worker.id}/supervisor`, { supervisorId: named.id }))
        .statusCode,
    ).toBe(303);

    const client = await t.signedInAs(worker.email);
    const token = randomUUID();
    const first = await ask(client, {
      submissionToken: token,
      note: 'The session with a lot of anger stayed with me',
    });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/wellbeing?told=1');
    // The same form sent twice is one request.
    expect(
      (await client.post('/wellbeing', { submissionToken: token, afterSession: 'yes', note: 'again' }))
        .statusCode,
    ).toBe(303);
    expect(await emailsAbout(worker.fullName)).toEqual([named.email]);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM wellbeing_requests WHERE staff_id = ${worker.id}`,
      ),
    ).toBe(1);
    // The email never carries the worker's words.
    const [message] = await queryRows<{ personalisation: Record<string, string> }>(
      t.database,
      sql`SELECT personalisation FROM notifications WHERE template = 'wellbeing_request' AND recipient = ${named.email}`,
    );
    expect(JSON.stringify(message?.personalisation)).not.toContain('anger');

    const own = await client.get('/wellbeing');
    expect(own.body).toContain('not yet acknowledged');

    const supervisorClient = await t.signedInAs(named.email);
    const inbox = await supervisorClient.get('/wellbeing/requests');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(worker.fullName);
    expect(inbox.body).toContain('The session with a lot of anger stayed with me');
    const [request] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM wellbeing_requests WHERE staff_id = ${worker.id}`,
    );
    const acknowledged = await supervisorClient.post(`/wellbeing/requests/${request!.id}/acknowledge`, {});
    expect(acknowledged.headers.location).toBe('/wellbeing/requests?done=acknowledged');
    expect(
      (await supervisorClient.post(`/wellbeing/requests/${request!.id}/acknowledge`, {})).headers.location,
    ).toBe('/wellbeing/requests?done=already');
    expect((await client.get('/wellbeing')).body).toContain(`acknowledged by ${named.fullName}`);

    const audited = await queryRows<{ action: string }>(
      t.database,
      sql`SELECT action FROM audit_events WHERE action LIKE 'wellbeing.%' AND (entity_id = ${request!.id} OR entity_id = ${worker.id} OR entity_id = ${named.id}) ORDER BY seq`,
    );
    expect(audited.map((row) => row.action)).toEqual(
      expect.arrayContaining(['wellbeing.requested', 'wellbeing.viewed', 'wellbeing.acknowledged']),
    );
  });

  it('with no supervisor named, reaches the supervisors of the worker’s team', async () => {
    const worker = await aWorker(t, { team: 'north' });
    expect((await ask(await t.signedInAs(worker.email))).statusCode).toBe(303);
    expect(await emailsAbout(worker.fullName)).toEqual([DEMO.supervisorNorth]);
  });

  it('is never seen by colleagues, another team’s supervisor, clinicians or research roles; the coordinator sees only counts', async () => {
    const worker = await aWorker(t, { team: 'north' });
    await ask(await t.signedInAs(worker.email), { note: 'Private words for Sunita only' });
    const [request] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM wellbeing_requests WHERE staff_id = ${worker.id}`,
    );

    const colleague = await t.signedInAs(DEMO.workerPat);
    expect((await colleague.get('/wellbeing')).body).not.toContain('Private words');
    expect((await colleague.get('/wellbeing/requests')).statusCode).toBe(404);
    expect((await colleague.post(`/wellbeing/requests/${request!.id}/acknowledge`, {})).statusCode).toBe(404);

    const southSupervisor = await t.signedInAs(DEMO.supervisorSouth);
    expect((await southSupervisor.get('/wellbeing/requests')).body).not.toContain(worker.fullName);
    expect(
      (await southSupervisor.post(`/wellbeing/requests/${request!.id}/acknowledge`, {})).statusCode,
    ).toBe(404);

    for (const email of [DEMO.clinicianNorth, DEMO.trialManager, DEMO.assessor, DEMO.analyst]) {
      const client = await t.signedInAs(email);
      for (const url of ['/wellbeing', '/wellbeing/requests', '/wellbeing/teams']) {
        expect((await client.get(url)).statusCode, `${email} ${url}`).toBe(404);
      }
    }

    expect((await coordinator.get('/wellbeing/requests')).statusCode).toBe(404);
    const counts = await coordinator.get('/wellbeing/teams');
    expect(counts.statusCode).toBe(200);
    expect(counts.body).toContain('North crisis resolution team');
    expect(counts.body).not.toContain(worker.fullName);
    expect(counts.body).not.toContain('Private words');
    expect(
      (await t.signedInAs(DEMO.supervisorNorth).then((c) => c.get('/wellbeing/requests'))).body,
    ).toContain('Private words for Sunita only');
  });

  it('after recording a session, the banner offers support', async () => {
    const pat = await t.signedInAs(DEMO.workerPat);
    const [participant] = await queryRows<{ participant_id: string }>(
      t.database,
      sql`SELECT a.participant_id FROM allocations a JOIN staff_users s ON s.id = a.peer_worker_id WHERE s.email = ${DEMO.workerPat} AND a.ended_at IS NULL LIMIT 1`,
    );
    const page = await pat.get(`/participants/${participant!.participant_id}?done=session-recorded`);
    expect(page.body).toContain('href="/wellbeing?after=session"');
    expect((await pat.get('/wellbeing?after=session')).body).toContain('name="afterSession" value="yes"');
  });

  it('never answers hostile input with a server error', async () => {
    const client = await t.signedInAs(DEMO.workerRob);
    await client.get('/wellbeing');
    await fc.assert(
      fc.asyncProperty(
        hostileForm(['submissionToken', 'afterSession', 'note'], 'x'.repeat(600)),
        async (fields) => {
          expect([303, 400]).toContain((await client.post('/wellbeing', fields)).statusCode);
        },
      ),
      { numRuns: 30 },
    );
    expect(
      (await client.post('/wellbeing', { submissionToken: randomUUID(), note: 'x'.repeat(501) })).statusCode,
    ).toBe(400);
    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    expect((await supervisor.post('/wellbeing/requests/not-an-id/acknowledge', {})).statusCode).toBe(404);
    expect((await supervisor.post(`/wellbeing/requests/${randomUUID()}/acknowledge`, {})).statusCode).toBe(
      404,
    );
  });
});

describe('a request whose supervisor leaves', () => {
  it('is taken over by the worker’s supervisors of now, so nobody’s request waits for no one', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const named = await aWorker(t, { roles: ['supervisor'], team: 'south', cleared: false });
    await coordinator.get(`/training/workers/${worker.id}/supervisor`);
    await coordinator.post(`/training/workers/${worker.id}/supervisor`, { supervisorId: named.id });
    await ask(await t.signedInAs(worker.email), { note: 'Before my supervisor left' });
    const north = await t.signedInAs(DEMO.supervisorNorth);
    expect((await north.get('/wellbeing/requests')).body).not.toContain('Before my supervisor left');

    await t.database.db.execute(sql`UPDATE staff_users SET disabled_at = now() WHERE id = ${named.id}`);
    const inbox = await north.get('/wellbeing/requests');
    expect(inbox.body).toContain('Before my supervisor left');
    const [request] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM wellbeing_requests WHERE staff_id = ${worker.id}`,
    );
    expect((await north.post(`/wellbeing/requests/${request!.id}/acknowledge`, {})).headers.location).toBe(
      '/wellbeing/requests?done=acknowledged',
    );
  });
});

describe('the same form sent twice at once', () => {
  it('makes one request and answers both with it; another person’s token is refused', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const client = await t.signedInAs(worker.email);
    await client.get('/wellbeing');
    const fields = { submissionToken: randomUUID(), afterSession: 'no', note: 'Twice' };
    const race = await saveAtOnce([
      () => client.post('/wellbeing', fields),
      () => client.post('/wellbeing', fields),
    ]);
    expect(race.statuses, race.said).toEqual([303, 303]);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM wellbeing_requests WHERE staff_id = ${worker.id}`,
      ),
    ).toBe(1);
    // The same token from someone else: never their request, and nothing saved.
    const other = await t.signedInAs(DEMO.workerRob);
    await other.get('/wellbeing');
    const refused = await other.post('/wellbeing', fields);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('This form has expired. Start again');
  });
});
