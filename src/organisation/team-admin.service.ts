/**
 * The programme coordinator's administration of their own trust's crisis teams. Each method
 * asks the policy first, then changes the record and writes its audit event in one
 * transaction. Edits carry the version the person saw, so a stale edit is a conflict, never a
 * silent overwrite.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import type { Clock } from '../platform/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { CrisisTeamRow, TeamRepository } from './team.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface TeamInput {
  name: string;
  phone: string;
  /** Where unacknowledged safety concerns escalate first; null: the team's clinicians. */
  dutyEmail: string | null;
}

export const DUPLICATE_TEAM_MESSAGE = 'Your trust already has a crisis team with this name';

export class TeamAdminService {
  private readonly db: Db;
  private readonly teams: TeamRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(db: Db, teams: TeamRepository, audit: AuditService, clock: Clock) {
    this.db = db;
    this.teams = teams;
    this.audit = audit;
    this.clock = clock;
  }

  private assertCanManageTeams(ctx: StaffContext): void {
    if (!can(ctx.actor, 'team.manage', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new ForbiddenError();
  }

  /** Refuses early, so a form is never shown to someone who could not submit it. */
  checkCanManageTeams(ctx: StaffContext): void {
    this.assertCanManageTeams(ctx);
  }

  async listTeams(ctx: StaffContext): Promise<CrisisTeamRow[]> {
    this.assertCanManageTeams(ctx);
    return this.teams.listForTrust(this.db, ctx.actor.trustId);
  }

  async team(ctx: StaffContext, teamId: string): Promise<CrisisTeamRow> {
    return this.teamRow(ctx, this.db, teamId);
  }

  private async teamRow(ctx: StaffContext, db: Db, teamId: string): Promise<CrisisTeamRow> {
    this.assertCanManageTeams(ctx);
    const team = await this.teams.findById(db, teamId);
    if (!team || !can(ctx.actor, 'team.manage', { type: 'trust', trustId: team.trustId }))
      throw new NotFoundError('crisis team');
    return team;
  }

  async createTeam(ctx: StaffContext, input: TeamInput): Promise<string> {
    this.assertCanManageTeams(ctx);
    const id = randomUUID();
    await this.saveTeam(async (tx) => {
      await this.assertTeamNameFree(tx, ctx.actor.trustId, input.name, null);
      await this.teams.insert(tx, {
        id,
        trustId: ctx.actor.trustId,
        name: input.name,
        phone: input.phone,
        dutyEmail: input.dutyEmail,
        createdAt: this.clock.now(),
        version: 1,
      });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'team.created',
        entityType: 'crisis_team',
        entityId: id,
        detail: { name: input.name },
      });
    });
    return id;
  }

  async updateTeam(ctx: StaffContext, teamId: string, version: number, input: TeamInput): Promise<void> {
    this.assertCanManageTeams(ctx);
    await this.saveTeam(async (tx) => {
      const team = await this.teamRow(ctx, tx, teamId);
      if (team.version !== version) throw new ConflictError();
      const changed = (['name', 'phone', 'dutyEmail'] as const).filter(
        (field) => team[field] !== input[field],
      );
      if (changed.length === 0) return;
      await this.assertTeamNameFree(tx, team.trustId, input.name, team.id);
      if (!(await this.teams.update(tx, team.id, version, input))) throw new ConflictError();
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'team.updated',
        entityType: 'crisis_team',
        entityId: team.id,
        detail: { changed },
      });
    });
  }

  private async assertTeamNameFree(
    tx: Db,
    trustId: string,
    name: string,
    exceptTeamId: string | null,
  ): Promise<void> {
    const existing = await this.teams.findByName(tx, trustId, name);
    if (existing && existing.id !== exceptTeamId) throw new ValidationError({ name: DUPLICATE_TEAM_MESSAGE });
  }

  /** Two coordinators adding the same name at once: the database's unique key decides. */
  private async saveTeam(work: (tx: Db) => Promise<void>): Promise<void> {
    try {
      await this.db.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error, 'crisis_teams_trust_id_name_key'))
        throw new ValidationError({ name: DUPLICATE_TEAM_MESSAGE });
      throw error;
    }
  }
}
