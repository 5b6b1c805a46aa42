/**
 * A participant asks to change a meeting: one request however often they submit, their
 * worker emailed (with nothing identifying in it) and prompted on the caseload, and the
 * request closed when the worker deals with it or records the session.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';

let t: TestApp;
let pat: TestClient;
let participantId: string;
let otherParticipantId: string;

async function signInAsParticipant(id: string): Promise<TestClient> {
  return t.signedInAsParticipant(id);
}

/** Pat books a phone session `daysAhead` days on, and returns its id. */
async function book(daysAhead: number): Promise<string> {
  const day = new Date(t.clock.now().getTime() + daysAhead * 86_400_000);
  await pat.get(`/participants/${participantId}/sessions/new`);
  const response = await pat.post(`/participants/${participantId}/sessions/new`, {
    submissionToken: randomUUID(),
    'plannedOn[day]': String(day.getUTCDate()),
    'plannedOn[month]': String(day.getUTCMonth() + 1),
    'plannedOn[year]': String(day.getUTCFullYear()),
    plannedTime: '11:00',
    mode: 'phone',
    confirmOverCap: 'yes',
  });
  expect(response.statusCode).toBe(303);
  const [row] = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT id FROM programme_sessions WHERE participant_id = ${participantId} ORDER BY booked_at DESC, planned_at DESC LIMIT 1`,
  );
  return row!.id;
}

const openRequests = (sessionId: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM session_change_requests WHERE session_id = ${sessionId} AND resolved_at IS NULL`,
  );

const workerEmails = () =>
  queryRows<{ recipient: string; personalisation: Record<string, string> }>(
    t.database,
    sql`SELECT recipient, personalisation FROM notifications WHERE template = 'rearrange_request' ORDER BY created_at`,
  );

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(TEST_NOW);
  pat = await t.signedInAs(DEMO.workerPat);
  const rows = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT p.id FROM participants p JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL
        JOIN staff_users s ON s.id = a.peer_worker_id
        WHERE s.email = ${DEMO.workerPat} AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = p.id)
        ORDER BY p.discharged_on DESC`,
  );
  participantId = rows[0]!.id;
  otherParticipantId = rows[1]!.id;
});
afterAll(async () => {
  await t.close();
});

describe('asking to change a meeting', () => {
  it('records one request, tells the worker, and shows it on both sides', async () => {
    const sessionId = await book(3);
    const me = await signInAsParticipant(participantId);
    const home = await me.get('/me');
    expect(home.body).toContain(`/me/sessions/${sessionId}/rearrange`);

    const form = await me.get(`/me/sessions/${sessionId}/rearrange`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Pat will get in touch to find a time that suits you better');
    const token = /name="submissionToken" value="([^"]+)"/.exec(form.body)![1]!;

    const tooLong = await me.post(`/me/sessions/${sessionId}/rearrange`, {
      submissionToken: token,
      message: 'x'.repeat(501),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('There is a problem');
    expect(tooLong.body).toContain('What suits you must be 500 characters or fewer');
    expect(await openRequests(sessionId)).toBe(0);

    const before = (await workerEmails()).length;
    const asked = await me.post(`/me/sessions/${sessionId}/rearrange`, {
      submissionToken: token,
      message: 'Mornings next week',
    });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/me?done=rearrange-asked');
    // The same form again, and a new form for the same session: still one request, one email.
    await me.post(`/me/sessions/${sessionId}/rearrange`, {
      submissionToken: token,
      message: 'Mornings next week',
    });
    await me.post(`/me/sessions/${sessionId}/rearrange`, { submissionToken: randomUUID(), message: 'Again' });
    expect(await openRequests(sessionId)).toBe(1);
    const emails = (await workerEmails()).slice(before);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.recipient).toBe(DEMO.workerPat);
    // Nothing about who or when in the email.
    expect(JSON.stringify(emails[0]!.personalisation)).not.toMatch(/Mornings|participant|\d{1,2}:\d{2}/i);

    const after = await me.get('/me?done=rearrange-asked');
    expect(after.body).toContain('We have told your worker');
    expect(after.body).toContain('You asked to change this');
    expect(after.body).not.toContain(`/me/sessions/${sessionId}/rearrange"`);

    const summary = await pat.get(`/participants/${participantId}`);
    expect(summary.body).toContain('Asked to change a session');
    expect(summary.body).toContain('They said: “Mornings next week”');
    const caseload = await pat.get('/caseload');
    expect(caseload.body).toContain('data-prompt="change_requested"');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'session.change_requested' AND entity_id = ${sessionId}`,
      ),
    ).toBe(1);
  });

  it('is closed when the worker marks it dealt with, audited', async () => {
    const sessionId = await book(4);
    const me = await signInAsParticipant(participantId);
    await me.get(`/me/sessions/${sessionId}/rearrange`);
    await me.post(`/me/sessions/${sessionId}/rearrange`, { submissionToken: randomUUID(), message: '' });
    const [request] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM session_change_requests WHERE session_id = ${sessionId}`,
    );
    // Another worker cannot close it.
    const rob = await t.signedInAs(DEMO.workerRob);
    await rob.get('/help');
    const refused = await rob.post(
      `/participants/${participantId}/change-requests/${request!.id}/resolve`,
      {},
    );
    expect(refused.statusCode).toBe(404);
    expect(await openRequests(sessionId)).toBe(1);

    await pat.get(`/participants/${participantId}`);
    const done = await pat.post(`/participants/${participantId}/change-requests/${request!.id}/resolve`, {});
    expect(done.statusCode).toBe(303);
    expect(await openRequests(sessionId)).toBe(0);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'session.change_request_resolved' AND entity_id = ${participantId}`,
      ),
    ).toBe(1);
  });

  it('is closed when the session is recorded as moved', async () => {
    const sessionId = await book(5);
    const me = await signInAsParticipant(participantId);
    await me.get(`/me/sessions/${sessionId}/rearrange`);
    await me.post(`/me/sessions/${sessionId}/rearrange`, {
      submissionToken: randomUUID(),
      message: 'Later please',
    });
    expect(await openRequests(sessionId)).toBe(1);
    const page = await pat.get(`/sessions/${sessionId}/record`);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '1';
    const moved = await pat.post(`/sessions/${sessionId}/record`, {
      version,
      status: 'rescheduled',
      reason: 'life_event',
    });
    expect(moved.statusCode).toBe(303);
    expect(await openRequests(sessionId)).toBe(0);
  });

  it('is only for the participant’s own upcoming sessions', async () => {
    const sessionId = await book(6);
    const other = await signInAsParticipant(otherParticipantId);
    expect((await other.get(`/me/sessions/${sessionId}/rearrange`)).statusCode).toBe(404);
    await other.get('/me');
    const post = await other.post(`/me/sessions/${sessionId}/rearrange`, { submissionToken: randomUUID() });
    expect(post.statusCode).toBe(404);
    expect(await openRequests(sessionId)).toBe(0);
    // Staff do not ask on a participant's behalf here.
    expect((await pat.get(`/me/sessions/${sessionId}/rearrange`)).statusCode).toBeGreaterThanOrEqual(300);
    // A past session cannot be moved.
    const [past] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM programme_sessions WHERE participant_id = ${participantId} AND planned_at < ${t.clock.now().toISOString()}::timestamptz LIMIT 1`,
    );
    if (past) {
      const me = await signInAsParticipant(participantId);
      expect((await me.get(`/me/sessions/${past.id}/rearrange`)).statusCode).toBe(404);
    }
    // Hostile ids and bodies get a 4xx.
    const me = await signInAsParticipant(participantId);
    expect((await me.get('/me/sessions/not-a-uuid/rearrange')).statusCode).toBe(404);
    await me.get('/me');
    const hostile = await me.post(`/me/sessions/${sessionId}/rearrange`, {
      submissionToken: 'nope',
      message: 'a\u0000b',
    });
    expect(hostile.statusCode).toBeGreaterThanOrEqual(400);
    expect(hostile.statusCode).toBeLessThan(500);
    expect(await openRequests(sessionId)).toBe(0);
  });
});

describe('the email to the worker', () => {
  it('is kept with the request when the provider refuses it, and sent a minute later', async () => {
    const sessionId = await book(8);
    const me = await signInAsParticipant(participantId);
    const form = await me.get(`/me/sessions/${sessionId}/rearrange`);
    const token = /name="submissionToken" value="([^"]+)"/.exec(form.body)![1]!;
    const before = (await workerEmails()).length;
    const sends = vi
      .spyOn(t.deps.services.notifications, 'send')
      .mockRejectedValueOnce(new Error('Notify answered 500'));
    try {
      const asked = await me.post(`/me/sessions/${sessionId}/rearrange`, {
        submissionToken: token,
        message: '',
      });
      expect(asked.statusCode).toBe(303);
      expect(await openRequests(sessionId)).toBe(1);
      expect((await workerEmails()).slice(before)).toHaveLength(0);
      t.clock.advance(60_000);
      await t.deps.services.messageOutbox.dispatchDue();
      const emails = (await workerEmails()).slice(before);
      expect(emails.map((email) => email.recipient)).toEqual([DEMO.workerPat]);
    } finally {
      sends.mockRestore();
    }
  });
});
