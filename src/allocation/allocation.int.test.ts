import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aParticipant, aTrust, aWorker } from '../test-support/factories.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';

let t: TestApp;
let coordinator: TestClient;
const ids: Record<string, string> = {};

async function waitingParticipant(offset: number): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT p.id FROM participants p LEFT JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL WHERE a.id IS NULL ORDER BY p.discharged_on, p.id OFFSET ${offset} LIMIT 1`,
  );
  return row!.id;
}

beforeAll(async () => {
  t = await createTestApp();
  coordinator = await t.signedInAs(DEMO.coordinator);
  for (const [name, email] of Object.entries({
    pat: DEMO.workerPat,
    rob: DEMO.workerRob,
    nat: DEMO.workerNat,
    kim: 'psw.kim@demo.greenleaf.nhs.uk',
  })) {
    ids[name] = await t.staffId(email);
  }
});
afterAll(async () => {
  await t.close();
});

const allocationsOf = (participantId: string) =>
  queryRows<{ peer_worker_id: string; ended_at: Date | null; reason: string | null }>(
    t.database,
    sql`SELECT peer_worker_id, ended_at, reason FROM allocations WHERE participant_id = ${participantId} ORDER BY allocated_at, ended_at NULLS LAST`,
  );

describe('allocation', () => {
  it('lists the people waiting, and shows each worker with their load and why some cannot take more', async () => {
    const waiting = await coordinator.get('/allocation');
    expect(waiting.statusCode).toBe(200);
    expect(waiting.body).toContain('5 people are waiting');
    const participantId = await waitingParticipant(0);
    const page = await coordinator.get(`/participants/${participantId}/allocate`);
    // Nat is part-way through the course; Kim's personal safety training ran out (demo data).
    expect(page.body).toContain('Training or checks not complete: Referring and linking in with other services (not recorded)');
    // They are listed with the reason, not offered as a choice.
    expect(page.body).not.toContain(`value="${ids.kim}"`);
    expect(page.body).not.toContain(`value="${ids.nat}"`);
    expect(page.body).toContain('<strong>Kim Kaur</strong>: Training or checks not complete: Personal safety and lone working (expired');
    expect(page.body).toContain(`value="${ids.pat}"`);
  });

  it('allocates a worker, audited, and the participant joins their caseload', async () => {
    const participantId = await waitingParticipant(0);
    await coordinator.get(`/participants/${participantId}/allocate`);
    const response = await coordinator.post(`/participants/${participantId}/allocate`, {
      peerWorkerId: ids.pat!,
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}?done=allocated`);
    expect(await allocationsOf(participantId)).toMatchObject([{ peer_worker_id: ids.pat, ended_at: null }]);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'participant.allocated' AND entity_id = ${participantId}`,
      ),
    ).toBe(1);
    const pat = await t.signedInAs(DEMO.workerPat);
    const caseload = await pat.get('/caseload');
    expect(caseload.body).toContain(`/participants/${participantId}`);
  });

  it('treats a resubmitted allocation as done, not as a second allocation', async () => {
    const participantId = await waitingParticipant(0);
    await coordinator.get(`/participants/${participantId}/allocate`);
    const first = await coordinator.post(`/participants/${participantId}/allocate`, {
      peerWorkerId: ids.rob!,
    });
    const second = await coordinator.post(`/participants/${participantId}/allocate`, {
      peerWorkerId: ids.rob!,
    });
    expect([first.statusCode, second.statusCode]).toEqual([303, 303]);
    expect(await allocationsOf(participantId)).toHaveLength(1);
  });

  it('refuses a worker whose training is not complete, or who is full, saying why', async () => {
    const participantId = await waitingParticipant(0);
    await coordinator.get(`/participants/${participantId}/allocate`);
    const notCleared = await coordinator.post(`/participants/${participantId}/allocate`, {
      peerWorkerId: ids.nat!,
    });
    expect(notCleared.statusCode).toBe(400);
    expect(notCleared.body).toContain('Nat Newstart cannot be allocated: training or checks not complete');
    const fullWorker = await aWorker(t, { caseloadLimit: 1 });
    await aParticipant(t, { worker: fullWorker.email });
    const full = await coordinator.post(`/participants/${participantId}/allocate`, {
      peerWorkerId: fullWorker.id,
    });
    expect(full.statusCode).toBe(400);
    expect(full.body).toContain('at their caseload limit');
    expect(await allocationsOf(participantId)).toHaveLength(0);
  });

  it('needs a reason to move someone to a different worker, and keeps the history', async () => {
    const participantId = await waitingParticipant(0);
    await coordinator.get(`/participants/${participantId}/allocate`);
    await coordinator.post(`/participants/${participantId}/allocate`, { peerWorkerId: ids.pat! });
    const noReason = await coordinator.post(`/participants/${participantId}/allocate`, {
      peerWorkerId: ids.rob!,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why the participant is moving');
    const moved = await coordinator.post(`/participants/${participantId}/allocate`, {
      peerWorkerId: ids.rob!,
      reason: 'Pat on long-term leave',
    });
    expect(moved.statusCode).toBe(303);
    const history = await allocationsOf(participantId);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ peer_worker_id: ids.pat });
    expect(history[0]!.ended_at).not.toBeNull();
    expect(history[1]).toMatchObject({
      peer_worker_id: ids.rob,
      ended_at: null,
      reason: 'Pat on long-term leave',
    });
    const summary = await coordinator.get(`/participants/${participantId}`);
    expect(summary.body).toContain('Pat Peer');
    expect(summary.body).toContain('Reason: Pat on long-term leave');
    // Pat no longer sees them; Rob does.
    const pat = await t.signedInAs(DEMO.workerPat);
    expect((await pat.get(`/participants/${participantId}`)).statusCode).toBe(404);
    const rob = await t.signedInAs(DEMO.workerRob);
    expect((await rob.get(`/participants/${participantId}`)).statusCode).toBe(200);
  });

  it('never lets two allocations at once take a worker past their limit', async () => {
    await t.database.db.execute(
      // Participants whose programme has ended no longer count towards a caseload.
      sql`UPDATE staff_users SET caseload_limit = (SELECT count(*) FROM allocations a WHERE peer_worker_id = ${ids.rob} AND ended_at IS NULL AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = a.participant_id)) + 1 WHERE id = ${ids.rob}`,
    );
    const a = await waitingParticipant(0);
    const b = await waitingParticipant(1);
    const other = await t.signedInAs(DEMO.coordinator);
    await coordinator.get(`/participants/${a}/allocate`);
    await other.get(`/participants/${b}/allocate`);
    const results = await Promise.all([
      coordinator.post(`/participants/${a}/allocate`, { peerWorkerId: ids.rob! }),
      other.post(`/participants/${b}/allocate`, { peerWorkerId: ids.rob! }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([303, 400]);
    const [{ over }] = (await queryRows<{ over: boolean }>(
      t.database,
      sql`SELECT count(*) > max(s.caseload_limit) AS over FROM allocations a JOIN staff_users s ON s.id = a.peer_worker_id WHERE a.peer_worker_id = ${ids.rob} AND a.ended_at IS NULL AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = a.participant_id)`,
    )) as [{ over: boolean }];
    expect(over).toBe(false);
  });
});

describe('the waiting list at its limit', () => {
  it('reads the longest waiting first, the same people every time, when more wait than it shows', async () => {
    const trust = await aTrust(t);
    const repository = new ParticipantRepository();
    // Five waiting since their referral, made in an order that is neither theirs nor its reverse.
    const made = new Map<number, string>();
    for (const daysAgo of [25, 10, 30, 5, 20]) {
      made.set(daysAgo, (await aParticipant(t, { trust, dischargedDaysAgo: daysAgo })).id);
    }
    // Referred longer ago than any of them, but waiting only since their worker was asked to
    // change (3 days ago) or ended (a day ago): they come last, not first.
    const now = t.clock.now().getTime();
    const changing = await aParticipant(t, { trust, dischargedDaysAgo: 50, worker: trust.worker });
    await t.database.db.execute(
      sql`UPDATE allocations SET reallocation_requested_at = ${new Date(now - 3 * 86_400_000)}, reallocation_reason = 'Moving away' WHERE participant_id = ${changing.id}`,
    );
    const ended = await aParticipant(t, { trust, dischargedDaysAgo: 45, worker: trust.worker });
    await t.database.db.execute(
      sql`UPDATE allocations SET ended_at = ${new Date(now - 86_400_000)}, ended_by = peer_worker_id WHERE participant_id = ${ended.id}`,
    );
    // One more, referred 40 days ago, has a worker: not waiting.
    await aParticipant(t, { trust, dischargedDaysAgo: 40, worker: trust.worker });

    const shown = await repository.waitingForWorker(t.database.db, trust.id, 2);
    expect(shown.map((row) => row.id)).toEqual([made.get(30), made.get(25)]);
    const all = await repository.waitingForWorker(t.database.db, trust.id);
    expect(all.map((row) => row.id)).toEqual([
      ...[30, 25, 20, 10, 5].map((days) => made.get(days)),
      changing.id,
      ended.id,
    ]);
    expect(all.slice(0, 2)).toEqual(shown);
  });
});
