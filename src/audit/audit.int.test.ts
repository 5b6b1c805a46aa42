import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { ManualClock } from '../platform/clock.ts';
import type { Database } from '../platform/database/database.ts';
import { createTestDatabase } from '../platform/database/test-database.ts';
import { seedDemoData } from '../demo/seed.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';
import { TEST_AUDIT_KEY } from '../test-support/audit-key.ts';
import { ReferralService } from '../referral/referral.service.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';
import { TeamRepository } from '../organisation/team.repository.ts';
import { StaffRepository } from '../organisation/staff.repository.ts';
import type { StaffActor } from '../policy/actor.ts';
import type { ReferralInput } from '../referral/referral.service.ts';
import { EqualityService } from '../equality/equality.service.ts';
import { EqualityRepository } from '../equality/equality.repository.ts';

let database: Database;
const clock = new ManualClock('2026-11-26T10:00:00Z');
const audit = new AuditService(new AuditRepository(), clock, TEST_AUDIT_KEY);
let clinician: StaffActor;
let teamId: string;

// Each referral its own mobile: a mobile another participant has is not saved without a question.
let nextMobile = 555;

function referral(overrides: Partial<ReferralInput> = {}): ReferralInput {
  return {
    submissionToken: randomUUID(),
    givenName: 'Alex',
    familyName: 'Audit',
    preferredName: null,
    dateOfBirth: '1990-01-01',
    nhsNumber: null,
    email: null,
    mobile: `+447700900${String(nextMobile++)}`,
    phone: null,
    address: null,
    postcode: null,
    contactMethods: ['sms'],
    safeContactTimes: null,
    mayLeaveMessages: true,
    crisisTeamId: teamId,
    dischargedOn: '2026-11-20',
    dischargeDestination: 'gp',
    gpPracticeName: null,
    gpPracticeEmail: null,
    careCoordinatorName: null,
    careCoordinatorEmail: null,
    accessibilityNeeds: null,
    safetyInformation: null,
    ...overrides,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoData(database.db, clock.now());
  const user = await new StaffRepository().findByEmail(database.db, 'clinician.north@demo.greenleaf.nhs.uk');
  clinician = {
    kind: 'staff',
    id: user!.id,
    trustId: user!.trustId,
    crisisTeamId: user!.crisisTeamId,
    roles: ['clinician'],
    fullName: user!.fullName,
  };
  teamId = user!.crisisTeamId!;
});
afterAll(async () => {
  await database.close();
});

/** Records the equality answers a referral carries, audited by `auditService`. */
const equalityService = (auditService: AuditService) =>
  new EqualityService(
    database.db,
    new ParticipantRepository(),
    new EqualityRepository(),
    auditService,
    clock,
  );

const countParticipants = async (familyName: string) =>
  await count(database, sql`SELECT count(*)::int AS n FROM participants WHERE family_name = ${familyName}`);

describe('audit log', () => {
  it('records a referral and its audit event together, and the chain verifies', async () => {
    const service = new ReferralService(
      database.db,
      new ParticipantRepository(),
      new TeamRepository(),
      audit,
      clock,
      equalityService(audit),
    );
    const { participantId } = await service.refer(
      { actor: clinician, ip: '203.0.113.9' },
      referral({ familyName: 'Chained' }),
    );
    const events = await new AuditRepository().forEntity(database.db, 'participant', participantId);
    expect(events.map((e) => e.action)).toEqual(['participant.referred']);
    expect(events[0]).toMatchObject({ actorType: 'staff', actorId: clinician.id, ip: '203.0.113.9' });
    expect(await audit.verify(database.db)).toMatchObject({ ok: true });
  });

  it('rolls the change back when the audit write fails', async () => {
    class FailingAuditRepository extends AuditRepository {
      override async append(): Promise<number> {
        throw new Error('audit storage unavailable');
      }
    }
    const failingAudit = new AuditService(new FailingAuditRepository(), clock, TEST_AUDIT_KEY);
    const service = new ReferralService(
      database.db,
      new ParticipantRepository(),
      new TeamRepository(),
      failingAudit,
      clock,
      equalityService(failingAudit),
    );
    await expect(
      service.refer({ actor: clinician, ip: null }, referral({ familyName: 'Unaudited' })),
    ).rejects.toThrow('audit storage unavailable');
    expect(await countParticipants('Unaudited')).toBe(0);
  });

  it('records an event for a client that has already gone, its address unknown, and the chain verifies', async () => {
    const entityId = randomUUID();
    // Node has no address for a disconnected client: request.ip is undefined, whatever its type says.
    const gone = undefined as unknown as null;
    await database.db.transaction((tx) =>
      audit.record(tx, {
        actor: { kind: 'system' },
        ip: gone,
        action: 'participant.viewed',
        entityType: 'participant',
        entityId,
      }),
    );
    const events = await new AuditRepository().forEntity(database.db, 'participant', entityId);
    expect(events).toMatchObject([{ action: 'participant.viewed', ip: null }]);
    expect(await audit.verify(database.db)).toMatchObject({ ok: true });
  });

  it('refuses to update or delete an audit event', async () => {
    await expect(
      database.db.execute(sql`UPDATE audit_events SET action = 'x' WHERE seq = 1`),
    ).rejects.toThrow();
    await expect(database.db.execute(sql`DELETE FROM audit_events WHERE seq = 1`)).rejects.toThrow();
  });

  it('detects an event edited behind the application’s back', async () => {
    const service = new ReferralService(
      database.db,
      new ParticipantRepository(),
      new TeamRepository(),
      audit,
      clock,
      equalityService(audit),
    );
    for (let i = 0; i < 3; i++)
      await service.refer({ actor: clinician, ip: null }, referral({ familyName: `Tamper${i}` }));
    const before = await audit.verify(database.db);
    expect(before.ok).toBe(true);
    const [target] = await queryRows<{ seq: string | number }>(
      database,
      sql`SELECT seq FROM audit_events ORDER BY seq DESC OFFSET 1 LIMIT 1`,
    );
    // A database superuser can switch the guard off; the hash chain still tells.
    await database.execScript(`
      ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
      UPDATE audit_events SET ip = '198.51.100.1' WHERE seq = ${Number(target!.seq)};
      ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;`);
    const after = await audit.verify(database.db);
    expect(after.ok).toBe(false);
    expect(after.problems).toEqual([expect.objectContaining({ kind: 'contents', seq: Number(target!.seq) })]);
  });

  it('detects a deleted event', async () => {
    const fresh = await createTestDatabase();
    try {
      for (let i = 0; i < 3; i++) {
        await fresh.db.transaction((tx) =>
          audit.record(tx, {
            actor: { kind: 'system' },
            ip: null,
            action: 'outbox.viewed',
            entityType: 'test',
            entityId: String(i),
          }),
        );
      }
      await fresh.execScript(`
        ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
        DELETE FROM audit_events WHERE seq = 2;
        ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;`);
      // Event 3's link now points at a row that is not there.
      const verdict = await audit.verify(fresh.db);
      expect(verdict.ok).toBe(false);
      expect(verdict.problems).toEqual([expect.objectContaining({ kind: 'link', seq: 3 })]);
      expect(verdict.problems[0]?.message).toMatch(/event 3 does not link to the event before it/);
    } finally {
      await fresh.close();
    }
  });
});

describe('audit chains under concurrency', () => {
  it('keeps every chain intact when many transactions append at once', async () => {
    const fresh = await createTestDatabase();
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          fresh.db.transaction((tx) =>
            audit.record(tx, {
              actor: { kind: 'system' },
              ip: null,
              action: 'outbox.viewed',
              entityType: 'test',
              entityId: String(i),
            }),
          ),
        ),
      );
      expect(await audit.verify(fresh.db)).toMatchObject({ ok: true, checked: 40, problems: [] });
    } finally {
      await fresh.close();
    }
  });
});
