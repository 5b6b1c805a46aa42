/**
 * The coordinator's admin of crisis teams against a real database: each change and its audit
 * event commit together, stale edits conflict, other trusts' teams are not found, and other
 * roles are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../platform/database/test-database.ts';
import type { Database } from '../platform/database/database.ts';
import { ManualClock } from '../platform/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { AuditService } from '../audit/audit.service.ts';
import { TEST_AUDIT_KEY } from '../test-support/audit-key.ts';
import { TeamRepository } from './team.repository.ts';
import { DUPLICATE_TEAM_MESSAGE, TeamAdminService } from './team-admin.service.ts';
import { addStaff, contextOf, expectValidation, trustWithCoordinator } from './admin-test-data.ts';

const clock = new ManualClock('2026-11-26T09:00:00Z');
const teams = new TeamRepository();
const auditRepository = new AuditRepository();
let database: Database;
let audit: AuditService;
let service: TeamAdminService;

beforeAll(async () => {
  database = await createTestDatabase();
  audit = new AuditService(auditRepository, clock, TEST_AUDIT_KEY);
  service = new TeamAdminService(database.db, teams, audit, clock);
});

afterAll(async () => {
  await database.close();
});

const auditActions = async (entityId: string) =>
  (await auditRepository.forEntity(database.db, 'crisis_team', entityId)).map((event) => event.action);

describe('crisis teams', () => {
  it('adds a team to the coordinator’s trust and audits it in the same change', async () => {
    const { trustId, ctx } = await trustWithCoordinator(database.db);
    const id = await service.createTeam(ctx, {
      name: 'East crisis team',
      phone: '01632 960 001',
      dutyEmail: null,
    });

    expect((await service.listTeams(ctx)).map((team) => team.name)).toContain('East crisis team');
    expect((await teams.findById(database.db, id))?.trustId).toBe(trustId);
    expect(await auditActions(id)).toEqual(['team.created']);
  });

  it('refuses a second team with the same name in one trust, ignoring case, as a field error', async () => {
    const { ctx, trustId } = await trustWithCoordinator(database.db);
    await service.createTeam(ctx, { name: 'West crisis team', phone: '01632 960 001', dutyEmail: null });

    const errors = await expectValidation(
      service.createTeam(ctx, { name: 'WEST crisis team', phone: '01632 960 002', dutyEmail: null }),
    );
    expect(errors).toEqual({ name: DUPLICATE_TEAM_MESSAGE });
    expect(
      (await teams.listForTrust(database.db, trustId)).filter((team) => /west/i.test(team.name)),
    ).toHaveLength(1);
  });

  it('lets another trust use the same team name', async () => {
    const first = await trustWithCoordinator(database.db);
    const second = await trustWithCoordinator(database.db);
    await service.createTeam(first.ctx, {
      name: 'Central crisis team',
      phone: '01632 960 001',
      dutyEmail: null,
    });
    await expect(
      service.createTeam(second.ctx, {
        name: 'Central crisis team',
        phone: '01632 960 001',
        dutyEmail: null,
      }),
    ).resolves.toBeTypeOf('string');
  });

  it('changes a team at the version the coordinator saw, and audits which fields changed', async () => {
    const { ctx, teamId } = await trustWithCoordinator(database.db);
    await service.updateTeam(ctx, teamId, 1, {
      name: 'Renamed team',
      phone: '01632 960 123',
      dutyEmail: null,
    });

    const team = await teams.findById(database.db, teamId);
    expect(team).toMatchObject({ name: 'Renamed team', phone: '01632 960 123', version: 2 });
    const [event] = await auditRepository.forEntity(database.db, 'crisis_team', teamId);
    expect(event).toMatchObject({
      action: 'team.updated',
      actorId: ctx.actor.id,
      detail: { changed: ['name', 'phone'] },
    });
  });

  it('refuses a stale edit with a conflict and keeps the newer change', async () => {
    const { ctx, teamId } = await trustWithCoordinator(database.db);
    await service.updateTeam(ctx, teamId, 1, { name: 'First edit', phone: '01632 960 001', dutyEmail: null });

    await expect(
      service.updateTeam(ctx, teamId, 1, { name: 'Second edit', phone: '01632 960 001', dutyEmail: null }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await teams.findById(database.db, teamId))?.name).toBe('First edit');
    expect(await auditActions(teamId)).toEqual(['team.updated']);
  });

  it('does not find another trust’s team for a coordinator', async () => {
    const { teamId } = await trustWithCoordinator(database.db);
    const stranger = await trustWithCoordinator(database.db);

    await expect(service.team(stranger.ctx, teamId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      service.updateTeam(stranger.ctx, teamId, 1, {
        name: 'Taken over',
        phone: '01632 960 001',
        dutyEmail: null,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await auditActions(teamId)).toEqual([]);
  });

  it('refuses staff without the coordinator role', async () => {
    const { trustId, teamId } = await trustWithCoordinator(database.db);
    const clinician = contextOf(await addStaff(database.db, trustId, ['clinician'], teamId));

    await expect(service.listTeams(clinician)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      service.createTeam(clinician, { name: 'Mine', phone: '01632 960 001', dutyEmail: null }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      service.updateTeam(clinician, teamId, 1, { name: 'Mine', phone: '01632 960 001', dutyEmail: null }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('leaves an audit chain that still verifies after all of the above', async () => {
    expect(await audit.verify(database.db)).toMatchObject({ ok: true });
  });
});
