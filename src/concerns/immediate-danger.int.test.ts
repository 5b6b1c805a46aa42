/**
 * The 999 step's rules as the concerns service holds them, called directly, as any caller could
 * (a route, a job, an import), with no form in front. The route tests (concerns.int.test.ts) go
 * through the raise form, so they cannot show that the service would refuse on its own (hazard
 * H12): a 999 call is recorded on immediate danger only, never on an urgent or routine concern.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { StaffRepository } from '../organisation/staff.repository.ts';
import { NotFoundError } from '../platform/errors.ts';
import { STAFF_ROLES, type RequestContext, type StaffActor } from '../policy/actor.ts';
import type { RaiseInput } from './concern.form.ts';

let t: TestApp;
let pat: RequestContext & { actor: StaffActor };
/** A participant allocated to Pat. */
let participantId: string;

const called999At = async (id: string) =>
  (
    await queryRows<{ called_999_at: Date | string | null }>(
      t.database,
      sql`SELECT called_999_at FROM safety_concerns WHERE id = ${id}`,
    )
  )[0]?.called_999_at;
const confirmations = (id: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM audit_events WHERE action = 'concern.called_999_confirmed' AND entity_id = ${id}`,
  );

beforeAll(async () => {
  t = await createTestApp();
  const user = (await new StaffRepository().findByEmail(t.database.db, DEMO.workerPat))!;
  pat = {
    actor: {
      kind: 'staff',
      id: user.id,
      trustId: user.trustId,
      crisisTeamId: user.crisisTeamId,
      roles: STAFF_ROLES.filter((role) => user.roles.includes(role)),
      fullName: user.fullName,
    },
    ip: '127.0.0.1',
  };
  const [row] = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT p.id FROM participants p
        JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL
        WHERE a.peer_worker_id = ${user.id}
        AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = p.id)
        ORDER BY p.discharged_on DESC LIMIT 1`,
  );
  participantId = row!.id;
});
afterAll(async () => {
  await t.close();
});

describe('the concerns service, called without the form', () => {
  it('records a 999 call on immediate danger only: an urgent concern gets no 999 call, raised or confirmed', async () => {
    const concerns = t.deps.services.concernRaising;
    const urgent: RaiseInput = {
      kind: 'concern',
      submissionToken: randomUUID(),
      whatHappened: 'Low and not sleeping, no danger now',
      urgency: 'urgent',
      participantKnows: 'yes',
      // What a stale or forged form could send: a "999 called" that no 999 step asked for.
      called999: true,
    };
    const raised = await concerns.raise(pat, participantId, urgent);
    expect(raised.awaiting999).toBe(false);
    expect(await called999At(raised.concernId)).toBeNull();
    await expect(concerns.confirm999(pat, raised.concernId)).rejects.toThrow(NotFoundError);
    await expect(concerns.call999Page(pat, raised.concernId)).rejects.toThrow(NotFoundError);
    expect(await called999At(raised.concernId)).toBeNull();
    expect(await confirmations(raised.concernId)).toBe(0);

    // Immediate danger goes to the 999 step, and its raiser's confirmation is recorded once.
    const immediate = await concerns.raise(pat, participantId, {
      ...urgent,
      submissionToken: randomUUID(),
      urgency: 'immediate',
      called999: false,
    });
    expect(immediate.awaiting999).toBe(true);
    await concerns.confirm999(pat, immediate.concernId);
    await concerns.confirm999(pat, immediate.concernId);
    expect(await called999At(immediate.concernId)).not.toBeNull();
    expect(await confirmations(immediate.concernId)).toBe(1);
  });
});
