/**
 * A worker's caseload is not read again while nothing on it has changed, and never shown
 * stale: every change anyone makes to what it shows (through the service or straight in the
 * database, as a job or another instance would) is on the next page, and so is the passing
 * of a session's start. Every view is still audited.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aParticipant } from '../test-support/factories.ts';

let t: TestApp;
let pat: TestClient;
let participantId: string;
let familyName: string;

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
  const made = await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 10 });
  participantId = made.id;
  familyName = made.familyName;
});
afterAll(async () => {
  await t.close();
});

/** Pat opens their caseload: the page and the statements it took. */
async function caseload(): Promise<{ body: string; statements: number }> {
  const before = t.database.statementsSent();
  const page = await pat.get('/caseload');
  expect(page.statusCode).toBe(200);
  return { body: page.body, statements: t.database.statementsSent() - before };
}

const viewed = () =>
  count(t.database, sql`SELECT count(*) AS n FROM audit_events WHERE action = 'caseload.viewed'`);

describe('the caseload opened again', () => {
  it('is not read again while nothing on it changed, and each view is still audited', async () => {
    const first = await caseload();
    const events = await viewed();
    const again = await caseload();
    expect(again.body).toContain(familyName);
    // The sign-in session and the read event: no caseload query.
    expect(again.statements).toBeLessThanOrEqual(2);
    expect(again.statements).toBeLessThan(first.statements);
    expect(await viewed()).toBe(events + 1);
  });

  it('shows a change made straight in the database at once (a job, another instance)', async () => {
    await caseload();
    await t.database.execScript(
      `UPDATE participants SET family_name = 'Renamed-Cache' WHERE id = '${participantId}'`,
    );
    expect((await caseload()).body).toContain('Renamed-Cache');
    await t.database.execScript(
      `UPDATE participants SET family_name = '${familyName}' WHERE id = '${participantId}'`,
    );
    expect((await caseload()).body).toContain(familyName);
  });

  it('shows a participant’s request to rearrange the moment they send it', async () => {
    await pat.get(`/participants/${participantId}/sessions/new`);
    const booked = await pat.post(`/participants/${participantId}/sessions/new`, {
      submissionToken: randomUUID(),
      'plannedOn[day]': '3',
      'plannedOn[month]': '12',
      'plannedOn[year]': '2026',
      plannedTime: '11:00',
      mode: 'phone',
    });
    expect(booked.statusCode).toBe(303);
    const [session] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM programme_sessions WHERE participant_id = ${participantId} ORDER BY planned_at DESC`,
    );
    expect((await caseload()).body).not.toContain('Asked to rearrange a session');
    const me = await t.signedInAsParticipant(participantId);
    await me.get(`/me/sessions/${session?.id ?? ''}/rearrange`);
    const asked = await me.post(`/me/sessions/${session?.id ?? ''}/rearrange`, {
      submissionToken: randomUUID(),
      message: 'Could we do Friday?',
    });
    expect(asked.statusCode).toBe(303);
    expect((await caseload()).body).toContain('Asked to rearrange a session');
  });

  it('shows being marked away, and a participant taken off them, at once', async () => {
    await caseload();
    await t.database.execScript(
      `UPDATE staff_users SET away_from = '2026-11-26' WHERE email = '${DEMO.workerPat}'`,
    );
    expect((await caseload()).body).toContain('Away from');
    await t.database.execScript(`UPDATE staff_users SET away_from = NULL WHERE email = '${DEMO.workerPat}'`);
    expect((await caseload()).body).not.toContain('Away from');
    await t.database.execScript(
      `UPDATE allocations SET ended_at = '2026-11-26T10:00:00Z' WHERE participant_id = '${participantId}' AND ended_at IS NULL`,
    );
    expect((await caseload()).body).not.toContain(familyName);
  });
});

describe('the caseload as time passes', () => {
  it('asks for today’s session to be recorded once it has started, with nothing else changed', async () => {
    const { id } = await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 10 });
    await pat.get(`/participants/${id}/sessions/new`);
    const booked = await pat.post(`/participants/${id}/sessions/new`, {
      submissionToken: randomUUID(),
      'plannedOn[day]': '26',
      'plannedOn[month]': '11',
      'plannedOn[year]': '2026',
      plannedTime: '10:15',
      mode: 'phone',
    });
    expect(booked.statusCode).toBe(303);
    expect((await caseload()).body).not.toContain('Record what happened at today’s session');
    expect((await caseload()).statements).toBeLessThanOrEqual(2);
    // Past its start (and within the sign-in's 30 idle minutes).
    t.clock.advance(20 * 60_000);
    expect((await caseload()).body).toContain('Record what happened at today’s session');
  });
});

describe('the caseload page kept as HTML', () => {
  it('carries each request’s own form token and script nonce, and the token works', async () => {
    const { familyName: theirs } = await aParticipant(t, { worker: DEMO.workerNat });
    const worker = await t.signedInAs(DEMO.workerNat);
    const first = await worker.get('/caseload');
    const second = await worker.get('/caseload');
    const nonceOf = (page: typeof first) => {
      const fromHeader = /'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))?.[1];
      expect(fromHeader).toBeTruthy();
      expect(page.body).toContain(`nonce="${fromHeader ?? ''}"`);
      return fromHeader;
    };
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    expect(second.body).toContain(theirs);
    // The sign-out form in the header posts the token this page carried.
    expect((await worker.post('/sign-out', {})).statusCode).toBe(303);
    expect((await worker.get('/caseload')).statusCode).toBe(303);
  });
});

describe('the caseloads overview, from the kept caseloads', () => {
  it('shows a change to one worker’s caseload at once, and reads again only what changed', async () => {
    const made = await aParticipant(t, { worker: DEMO.workerRob, dischargedDaysAgo: 12 });
    const coordinator = await t.signedInAs(DEMO.coordinator);
    const overview = async () => {
      const before = t.database.statementsSent();
      const page = await coordinator.get('/caseloads');
      expect(page.statusCode).toBe(200);
      return { body: page.body, statements: t.database.statementsSent() - before };
    };
    const first = await overview();
    expect(first.body).toContain(made.familyName);
    await t.database.execScript(
      `UPDATE participants SET family_name = 'Overview-Renamed' WHERE id = '${made.id}'`,
    );
    const changed = await overview();
    expect(changed.body).toContain('Overview-Renamed');
    expect(changed.body).not.toContain(made.familyName);
    // Nothing changed since: the workers, their versions, the waiting list and the read event.
    const again = await overview();
    expect(again.body).toContain('Overview-Renamed');
    expect(again.statements).toBeLessThan(changed.statements);
  });
});
