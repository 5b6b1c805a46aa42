/**
 * Round trips per request, counted on the application's connections: the caseload and
 * recording a session are the pages used most, and each statement is a wait on the database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../../test-support/test-app.ts';
import { queryRows } from '../../test-support/rows.ts';
import { aParticipant } from '../../test-support/factories.ts';
import { openPostgresDatabase } from './database.ts';
import { testDatabaseEngine, type TestDatabase } from './test-database.ts';

let t: TestApp;
let pat: TestClient;
let participantId: string;

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
  participantId = (await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 22 })).id;
});
afterAll(async () => {
  await t.close();
});

/** The statements one request sends, and its response. */
async function counted<T>(request: () => Promise<T>): Promise<{ statements: number; response: T }> {
  const before = t.database.statementsSent();
  const response = await request();
  return { statements: t.database.statementsSent() - before, response };
}

describe('round trips per request', () => {
  it('shows a worker their caseload in at most 3: the session, the caseload, the read event', async () => {
    await pat.get('/caseload'); // statements are prepared on first use
    const { statements, response } = await counted(() => pat.get('/caseload'));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('My caseload');
    expect(statements).toBeLessThanOrEqual(3);
  });

  it('records a session in at most 4', async () => {
    await pat.get(`/participants/${participantId}/sessions/new`);
    const booked = await pat.post(`/participants/${participantId}/sessions/new`, {
      submissionToken: randomUUID(),
      'plannedOn[day]': '25',
      'plannedOn[month]': '11',
      'plannedOn[year]': '2026',
      plannedTime: '10:00',
      mode: 'phone',
    });
    expect(booked.statusCode).toBe(303);
    const [session] = await queryRows<{ id: string; version: number }>(
      t.database,
      sql`SELECT id, version FROM programme_sessions WHERE participant_id = ${participantId}`,
    );
    if (!session) throw new Error('no session booked');
    await pat.get(`/sessions/${session.id}/record`);
    const { statements, response } = await counted(() =>
      pat.post(`/sessions/${session.id}/record`, {
        version: String(session.version),
        status: 'attended',
        durationMinutes: '50',
        sections: ['moving_on'],
        storySharing: 'no',
        note: 'Talked about the week ahead',
      }),
    );
    expect(response.statusCode).toBe(303);
    expect(statements).toBeLessThanOrEqual(4);
  });
});

// PGlite has no JIT compiler to turn off.
if (testDatabaseEngine() === 'postgres') {
  describe('the statements of a request on PostgreSQL', () => {
    it('are never JIT-compiled: the service’s connections run with jit off', async () => {
      const opened = openPostgresDatabase((t.database as TestDatabase).url ?? '');
      try {
        const [row] = await queryRows<{ jit: string }>(opened, sql`SHOW jit`);
        expect(row?.jit).toBe('off');
      } finally {
        await opened.close();
      }
    });
  });
}
