/**
 * Support from an experienced peer worker, through HTTP: a worker asks; the trust's experienced
 * workers are emailed once and one takes it (two at once: one wins); the two talk and close it;
 * only they and the asker's supervisors see it; one nobody takes in time is told to the asker's
 * supervisors once; audit; hostile input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aWorker } from '../test-support/factories.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { HOUR } from '../platform/clock.ts';

let t: TestApp;
let coordinator: TestClient;

const emails = (template: string, link: string) =>
  queryRows<{ recipient: string }>(
    t.database,
    sql`SELECT recipient FROM notifications WHERE template = ${template} AND personalisation->>'link' LIKE ${`%${link}`} ORDER BY recipient`,
  ).then((rows) => rows.map((row) => row.recipient));

async function ask(client: TestClient, fields: Record<string, string> = {}) {
  await client.get('/peer-support');
  return client.post('/peer-support', {
    submissionToken: randomUUID(),
    topic: 'boundaries',
    topicText: '',
    neededBy: 'today',
    ...fields,
  });
}

async function experiencedWorker() {
  const worker = await aWorker(t, { team: 'south' });
  await coordinator.get(`/training/workers/${worker.id}`);
  expect(
    (await coordinator.post(`/training/workers/${worker.id}/experienced`, { experienced: 'yes' })).statusCode,
  ).toBe(303);
  return worker;
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

describe('asking an experienced peer worker', () => {
  it('reaches the experienced workers once; one takes it, they talk, and it is closed', async () => {
    const helper = await experiencedWorker();
    const asker = await aWorker(t, { team: 'north' });
    const askerClient = await t.signedInAs(asker.email);
    const asked = await ask(askerClient);
    expect(asked.statusCode).toBe(303);
    const url = asked.headers.location!.split('?')[0]!;
    const id = url.split('/').pop()!;
    expect(await emails('peer_support_request', id)).toContain(helper.email);
    expect(await emails('peer_support_request', id)).not.toContain(asker.email);

    const helperClient = await t.signedInAs(helper.email);
    expect((await helperClient.get('/peer-support')).body).toContain(asker.fullName);
    const other = await experiencedWorker();
    const otherClient = await t.signedInAs(other.email);
    await helperClient.get(url);
    await otherClient.get(url);
    const [first, second] = await Promise.all([
      helperClient.post(`${url}/take`, {}),
      otherClient.post(`${url}/take`, {}),
    ]);
    const outcomes = [first.headers.location, second.headers.location].sort();
    expect(outcomes).toEqual([`${url}?done=already-taken`, `${url}?done=taken`]);
    const takenBy = (
      await queryRows<{ taken_by: string }>(
        t.database,
        sql`SELECT taken_by FROM peer_support_requests WHERE id = ${id}`,
      )
    )[0]?.taken_by;
    const [winner, loser] = takenBy === helper.id ? [helperClient, otherClient] : [otherClient, helperClient];
    // Once taken, only the one who took it sees it among the experienced workers.
    expect((await loser.get(url)).statusCode).toBe(404);

    expect(
      (await winner.post(url, { submissionToken: randomUUID(), body: 'Happy to talk. Tomorrow at 10?' }))
        .statusCode,
    ).toBe(303);
    expect(
      (await askerClient.post(url, { submissionToken: randomUUID(), body: 'Yes please' })).statusCode,
    ).toBe(303);
    const thread = await askerClient.get(url);
    expect(thread.body).toContain('Happy to talk. Tomorrow at 10?');
    expect((await askerClient.post(`${url}/close`, {})).statusCode).toBe(303);
    expect(
      (await winner.post(url, { submissionToken: randomUUID(), body: 'After closing' })).statusCode,
    ).toBe(404);
    const actions = await queryRows<{ action: string }>(
      t.database,
      sql`SELECT action FROM audit_events WHERE entity_id = ${id} ORDER BY seq`,
    );
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'peer_support.requested',
        'peer_support.taken',
        'peer_support.message_sent',
        'peer_support.closed',
        'peer_support.viewed',
      ]),
    );
  });

  it('is private to the pair and the asker’s supervisors', async () => {
    await experiencedWorker();
    const asker = await aWorker(t, { team: 'north' });
    const url = (await ask(await t.signedInAs(asker.email))).headers.location!.split('?')[0]!;
    expect((await (await t.signedInAs(DEMO.supervisorNorth)).get(url)).statusCode).toBe(200);
    expect((await (await t.signedInAs(DEMO.supervisorNorth)).get('/peer-support')).body).toContain(
      asker.fullName,
    );
    for (const email of [
      DEMO.supervisorSouth,
      DEMO.coordinator,
      DEMO.workerRob,
      DEMO.clinicianNorth,
      DEMO.analyst,
    ]) {
      expect((await (await t.signedInAs(email)).get(url)).statusCode, email).toBe(404);
    }
    // A supervisor reads; they do not write in the pair's thread.
    expect(
      (
        await (
          await t.signedInAs(DEMO.supervisorNorth)
        ).post(url, { submissionToken: randomUUID(), body: 'Hello' })
      ).statusCode,
    ).toBe(404);
  });

  it('nobody taking it in time tells the asker’s supervisors, once', async () => {
    const asker = await aWorker(t, { team: 'north' });
    const url = (await ask(await t.signedInAs(asker.email), { neededBy: 'today' })).headers.location!.split(
      '?',
    )[0]!;
    const id = url.split('/').pop()!;
    const surface = () => t.deps.services.peerSupport.surfaceUnanswered();
    t.clock.set(new Date(Date.parse(TEST_NOW) + 3 * HOUR));
    await surface();
    expect(await emails('peer_support_unanswered', id)).toEqual([]);
    t.clock.set(new Date(Date.parse(TEST_NOW) + 5 * HOUR));
    await Promise.all([surface(), surface()]);
    await surface();
    expect(await emails('peer_support_unanswered', id)).toEqual([DEMO.supervisorNorth]);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'peer_support.surfaced' AND entity_id = ${id}`,
      ),
    ).toBe(1);
  });

  it('only the coordinator marks who is experienced; hostile input gets a 4xx', async () => {
    const worker = await aWorker(t);
    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    await supervisor.get('/caseloads');
    expect(
      (await supervisor.post(`/training/workers/${worker.id}/experienced`, { experienced: 'yes' }))
        .statusCode,
    ).toBe(404);
    const refused = await ask(await t.signedInAs(worker.email), { topic: 'other', topicText: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Say what you would like support with');
    const client = await t.signedInAs(DEMO.workerRob);
    await client.get('/peer-support');
    await fc.assert(
      fc.asyncProperty(hostileForm(['submissionToken', 'topic', 'topicText', 'neededBy']), async (fields) => {
        expect([303, 400]).toContain((await client.post('/peer-support', fields)).statusCode);
      }),
      { numRuns: 30 },
    );
    expect((await client.get('/peer-support/not-an-id')).statusCode).toBe(404);
    expect((await client.post(`/peer-support/${randomUUID()}/take`, {})).statusCode).toBe(404);
  });
});
