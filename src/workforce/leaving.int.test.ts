/**
 * A member of staff leaving (issue 15, part 7): disabling a peer support worker's account ends
 * their access at once and, in the same transaction, puts everyone they support on the
 * coordinator's waiting list; disabling a supervisor sends those who named them back to their
 * team's supervisors. Nobody is left with no one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';
import { aParticipant, aWorker } from '../test-support/factories.ts';
import { supervisorEmailsOf } from '../organisation/supervisors.ts';

let t: TestApp;
let coordinator: TestClient;

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

async function disable(staffId: string) {
  await coordinator.get(`/admin/staff/${staffId}`);
  return coordinator.post(`/admin/staff/${staffId}/disable`, {});
}

describe('a peer support worker leaves', () => {
  it('ends their access and puts everyone they support on the waiting list, against the target, at once', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const first = await aParticipant(t, { worker: worker.email });
    const second = await aParticipant(t, { worker: worker.email });
    const client = await t.signedInAs(worker.email);
    expect((await client.get('/caseload')).statusCode).toBe(200);

    const disabled = await disable(worker.id);
    expect(disabled.statusCode).toBe(303);
    expect((await client.get('/caseload')).statusCode).not.toBe(200);

    const requested = await queryRows<{ participant_id: string; reallocation_reason: string }>(
      t.database,
      sql`SELECT participant_id, reallocation_reason FROM allocations WHERE peer_worker_id = ${worker.id} AND ended_at IS NULL AND reallocation_requested_at IS NOT NULL ORDER BY participant_id`,
    );
    expect(requested.map((r) => r.participant_id).sort()).toEqual([first.id, second.id].sort());
    expect(requested[0]?.reallocation_reason).toContain('has left or is away for a long time');
    const waiting = await coordinator.get('/allocation');
    expect(waiting.body).toContain('has left or is away for a long time');

    const [event] = await queryRows<{ detail: { participantIds: string[] } }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'staff.disabled' AND entity_id = ${worker.id}`,
    );
    expect(event?.detail.participantIds.sort()).toEqual([first.id, second.id].sort());
  });
});

describe('a supervisor leaves', () => {
  it('sends those who named them back to their team’s supervisors', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const named = await aWorker(t, { roles: ['supervisor'], team: 'south', cleared: false });
    await coordinator.get(`/training/workers/${worker.id}/supervisor`);
    await coordinator.post(`/training/workers/${worker.id}/supervisor`, { supervisorId: named.id });
    expect(await supervisorEmailsOf(t.database.db, worker.id)).toEqual([named.email]);

    expect((await disable(named.id)).statusCode).toBe(303);
    const [row] = await queryRows<{ supervisor_id: string | null }>(
      t.database,
      sql`SELECT supervisor_id FROM staff_users WHERE id = ${worker.id}`,
    );
    expect(row?.supervisor_id).toBeNull();
    expect(await supervisorEmailsOf(t.database.db, worker.id)).toContain(DEMO.supervisorNorth);
    expect((await coordinator.get(`/training/workers/${worker.id}`)).body).toContain('None named');
  });
});

describe('an experienced peer worker leaves', () => {
  it('gives the requests for peer support they had taken back to the other experienced workers', async () => {
    const helper = await aWorker(t, { team: 'south' });
    await coordinator.get(`/training/workers/${helper.id}`);
    await coordinator.post(`/training/workers/${helper.id}/experienced`, { experienced: 'yes' });
    const asker = await t.signedInAs(DEMO.workerRob);
    await asker.get('/peer-support');
    const asked = await asker.post('/peer-support', {
      submissionToken: randomUUID(),
      topic: 'endings',
      topicText: '',
      neededBy: 'this_week',
    });
    const url = asked.headers.location!.split('?')[0]!;
    const helperClient = await t.signedInAs(helper.email);
    await helperClient.get(url);
    expect((await helperClient.post(`${url}/take`, {})).headers.location).toBe(`${url}?done=taken`);

    expect((await disable(helper.id)).statusCode).toBe(303);
    const [row] = await queryRows<{ taken_by: string | null }>(
      t.database,
      sql`SELECT taken_by FROM peer_support_requests WHERE id = ${url.split('/').pop()!}`,
    );
    expect(row?.taken_by).toBeNull();
  });
});
