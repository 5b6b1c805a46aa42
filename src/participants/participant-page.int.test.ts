/**
 * The staff participant page is read as one: one access check, its panels read without a
 * transaction, one `participant.viewed` event, whatever panels it shows. Its content is tested with each panel's
 * feature (consent, contact, endings, sessions, reminders, concerns, plan).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp } from '../test-support/test-app.ts';
import { aParticipant } from '../test-support/factories.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { RequestContext, StaffActor, StaffRole } from '../policy/actor.ts';

let t: TestApp;
let participantId: string;

async function staffContext(email: string): Promise<RequestContext & { actor: StaffActor }> {
  const [row] = await queryRows<{
    id: string;
    trust_id: string;
    crisis_team_id: string | null;
    roles: StaffRole[];
    full_name: string;
  }>(
    t.database,
    sql`SELECT id, trust_id, crisis_team_id, roles, full_name FROM staff_users WHERE email = ${email}`,
  );
  return {
    actor: {
      kind: 'staff',
      id: row!.id,
      trustId: row!.trust_id,
      crisisTeamId: row!.crisis_team_id,
      roles: row!.roles,
      fullName: row!.full_name,
    },
    ip: '127.0.0.1',
  };
}

const viewEvents = () =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM audit_events
        WHERE action = 'participant.viewed' AND entity_id = ${participantId} AND detail->>'page' = 'summary'`,
  );

beforeAll(async () => {
  t = await createTestApp();
  participantId = (await aParticipant(t, { worker: DEMO.workerPat })).id;
});
afterAll(async () => {
  await t.close();
});

describe('the participant page', () => {
  it('reads the record and every panel without a transaction, its one read event logged before it returns', async () => {
    const ctx = await staffContext(DEMO.workerPat);
    const db = t.deps.database.db;
    const before = await viewEvents();
    const transactions = vi.spyOn(db, 'transaction');
    // Nothing is changed by reading it.
    const changes = (['insert', 'update', 'delete'] as const).map((method) => vi.spyOn(db, method));
    let page;
    try {
      page = await t.deps.services.participantPage.view(ctx, participantId);
      // Already in the log when the page is returned.
      expect(await viewEvents()).toBe(before + 1);
      expect(transactions).not.toHaveBeenCalled();
      for (const spy of changes) expect(spy).not.toHaveBeenCalled();
    } finally {
      transactions.mockRestore();
      for (const spy of changes) spy.mockRestore();
    }
    expect(page.participant.id).toBe(participantId);
    expect(page.contact.participantId).toBe(participantId);
    expect(page.consent.participantId).toBe(participantId);
  });

  it('is not found, and not audited, for someone who may not see the participant', async () => {
    const ctx = await staffContext(DEMO.analyst);
    const before = await viewEvents();
    await expect(t.deps.services.participantPage.view(ctx, participantId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await viewEvents()).toBe(before);
  });

  it('renders through the route as before', async () => {
    const pat = await t.signedInAs(DEMO.workerPat);
    const page = await pat.get(`/participants/${participantId}?done=consent-recorded`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Their choice about sharing is saved.');
    for (const part of ['id="sessions-attended"', 'id="staying-in-touch"', 'id="sharing-consent"']) {
      expect(page.body).toContain(part);
    }
  });
});
