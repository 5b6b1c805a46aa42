/**
 * The programme coordinator's administration of their own trust's staff accounts. Each method
 * asks the policy first, then reads or changes the record and writes its audit event: a change
 * in the transaction that makes it; reading one account without a transaction, its read event
 * in the log before it returns. Edits carry the version the person saw, so a stale edit is a
 * conflict, never a silent overwrite.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import { HOUR, type Clock } from '../platform/clock.ts';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import type { WorkforceLeaving } from '../workforce/leaving.ts';
import type { AppointmentRepository } from '../workforce/appointment.repository.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SignInSessionService } from '../identity/sign-in-session.service.ts';
import type { AccountMessages } from '../identity/account-messages.ts';
import type { SetUpLinkRepository } from '../identity/set-up-link.repository.ts';
import { hashPassword } from '../identity/password.ts';
import { STAFF_ROLES, type StaffRole } from '../policy/actor.ts';
import type { CrisisTeamRow, TeamRepository } from './team.repository.ts';
import type { StaffRepository, StaffUserRow } from './staff.repository.ts';
import { assertCanManageStaff, lockedStaff, manageableStaff, type StaffContext } from './staff-access.ts';

export const DEFAULT_CASELOAD_LIMIT = 12;
export const MIN_CASELOAD_LIMIT = 1;
export const MAX_CASELOAD_LIMIT = 60;

/** Roles whose work happens inside one crisis team, so the account must name it. */
export const TEAM_ROLES: readonly StaffRole[] = ['clinician', 'peer_worker'];

export interface StaffInput {
  fullName: string;
  roles: StaffRole[];
  crisisTeamId: string | null;
  /** Only asked for peer support workers; null keeps the current limit (the default for a new account). */
  caseloadLimit: number | null;
}

export interface NewStaffInput extends StaffInput {
  email: string;
  temporaryPassword: string;
}

/** A staff account as the admin pages show it: never the password hash or TOTP secret. */
export interface StaffSummary {
  id: string;
  email: string;
  fullName: string;
  roles: StaffRole[];
  crisisTeamId: string | null;
  crisisTeamName: string | null;
  caseloadLimit: number;
  disabledAt: Date | null;
  mfaEnrolled: boolean;
  createdAt: Date;
  version: number;
}

/** Where the account's password stands, for the coordinator (never the password itself). */
export type PasswordStatus =
  | { kind: 'temporary'; expiresAt: Date }
  | { kind: 'temporary_expired'; expiredAt: Date }
  | { kind: 'set_up_link_sent'; expiresAt: Date }
  | { kind: 'none' }
  | { kind: 'own' };

export interface StaffDetails extends StaffSummary {
  currentCaseload: number;
  isSelf: boolean;
  password: PasswordStatus;
}

export const SELF_DISABLE_MESSAGE =
  'You cannot disable your own account. Ask another programme coordinator, so your trust always has one';
export const SELF_COORDINATOR_MESSAGE =
  'You cannot remove your own programme coordinator role. Ask another programme coordinator, so your trust always has one';
export const DUPLICATE_EMAIL_MESSAGE = 'An account with this email address already exists';
export const TEAM_CHOICE_MESSAGE = 'Select a crisis team, or None (trust-wide)';
export const TEAM_REQUIRED_MESSAGE =
  'Select their crisis team. Peer support workers and crisis team clinicians work in one';

function toSummary(row: StaffUserRow, teams: ReadonlyMap<string, CrisisTeamRow>): StaffSummary {
  return {
    id: row.id,
    email: row.email,
    fullName: row.fullName,
    roles: STAFF_ROLES.filter((role) => row.roles.includes(role)),
    crisisTeamId: row.crisisTeamId,
    crisisTeamName: row.crisisTeamId ? (teams.get(row.crisisTeamId)?.name ?? null) : null,
    caseloadLimit: row.caseloadLimit,
    disabledAt: row.disabledAt,
    mfaEnrolled: row.totpEnrolledAt !== null,
    createdAt: row.createdAt,
    version: row.version,
  };
}

const sameRoles = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((role) => b.includes(role));

function passwordStatus(row: StaffUserRow, openLinkExpiresAt: Date | undefined, now: Date): PasswordStatus {
  const temporaryUntil = row.temporaryPasswordExpiresAt;
  if (row.passwordHash && temporaryUntil) {
    return temporaryUntil > now
      ? { kind: 'temporary', expiresAt: temporaryUntil }
      : { kind: 'temporary_expired', expiredAt: temporaryUntil };
  }
  if (row.passwordHash) return { kind: 'own' };
  return openLinkExpiresAt ? { kind: 'set_up_link_sent', expiresAt: openLinkExpiresAt } : { kind: 'none' };
}

export class StaffAdminService {
  private readonly leaving: Pick<WorkforceLeaving, 'handOver'>;
  private readonly appointments: Pick<AppointmentRepository, 'linkAccount' | 'candidate'>;
  private readonly db: Db;
  private readonly teams: TeamRepository;
  private readonly staff: StaffRepository;
  private readonly signInSessions: SignInSessionService;
  private readonly setUpLinks: SetUpLinkRepository;
  private readonly messages: AccountMessages;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly temporaryPasswordHours: number;

  constructor(
    db: Db,
    teams: TeamRepository,
    staff: StaffRepository,
    signInSessions: SignInSessionService,
    setUpLinks: SetUpLinkRepository,
    messages: AccountMessages,
    audit: AuditService,
    clock: Clock,
    temporaryPasswordHours: number,
    leaving: Pick<WorkforceLeaving, 'handOver'>,
    appointments: Pick<AppointmentRepository, 'linkAccount' | 'candidate'>,
  ) {
    this.leaving = leaving;
    this.appointments = appointments;
    this.db = db;
    this.teams = teams;
    this.staff = staff;
    this.signInSessions = signInSessions;
    this.setUpLinks = setUpLinks;
    this.messages = messages;
    this.audit = audit;
    this.clock = clock;
    this.temporaryPasswordHours = temporaryPasswordHours;
  }

  /** A new account's name and email from an appointed candidate without one yet; nothing otherwise. */
  async candidateForAccount(
    ctx: StaffContext,
    candidateId: string,
  ): Promise<{ fullName: string; email: string } | undefined> {
    assertCanManageStaff(ctx);
    const candidate = await this.appointments.candidate(this.db, candidateId);
    if (
      candidate?.trustId !== ctx.actor.trustId ||
      candidate.outcome !== 'appointed' ||
      candidate.staffId !== null
    )
      return undefined;
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'appointment.viewed',
      entityType: 'candidate',
      entityId: candidate.id,
      detail: { page: 'new staff account' },
    });
    return { fullName: candidate.fullName, email: candidate.email };
  }

  /** The crisis teams a staff account may belong to (for the form's radios). */
  async teamOptions(ctx: StaffContext): Promise<CrisisTeamRow[]> {
    assertCanManageStaff(ctx);
    return this.teams.listForTrust(this.db, ctx.actor.trustId);
  }

  /** Every account in the trust: names and emails of people, so reading the list is audited. */
  async listStaff(ctx: StaffContext): Promise<StaffSummary[]> {
    assertCanManageStaff(ctx);
    const rows = await this.staff.listForTrust(this.db, ctx.actor.trustId);
    const teams = await this.teams.listForTrust(this.db, ctx.actor.trustId);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'staff.listed',
      entityType: 'trust',
      entityId: ctx.actor.trustId,
      detail: { count: rows.length },
    });
    const byId = new Map(teams.map((team) => [team.id, team]));
    return rows.map((row) => toSummary(row, byId));
  }

  /** One account, with its current caseload. Reading it is audited before it is returned. */
  async staffMember(ctx: StaffContext, staffId: string): Promise<StaffDetails> {
    assertCanManageStaff(ctx);
    const row = await manageableStaff(this.staff, this.db, ctx, staffId);
    const now = this.clock.now();
    const [teams, currentCaseload, openLink] = await Promise.all([
      this.teams.listForTrust(this.db, row.trustId),
      this.staff.currentCaseloadCount(this.db, row.id),
      this.setUpLinks.latestOpenFor(this.db, row.id, now),
    ]);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'staff.viewed',
      entityType: 'staff',
      entityId: row.id,
      detail: {},
    });
    return {
      ...toSummary(row, new Map(teams.map((team) => [team.id, team]))),
      currentCaseload,
      isSelf: row.id === ctx.actor.id,
      password: passwordStatus(row, openLink?.expiresAt, now),
    };
  }

  /**
   * A new account with the temporary password the coordinator chose: it works only until
   * TEMPORARY_PASSWORD_HOURS from now, and only to choose the person's own at their first
   * sign-in. The person is emailed that their account exists (never the password).
   */
  async createStaff(ctx: StaffContext, input: NewStaffInput): Promise<string> {
    assertCanManageStaff(ctx);
    const email = input.email.trim().toLowerCase();
    const errors = await this.staffInputProblems(ctx, this.db, input, undefined);
    if (await this.staff.findByEmail(this.db, email)) errors.email = DUPLICATE_EMAIL_MESSAGE;
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    // Hashing takes a moment of CPU by design, so it happens before the transaction opens.
    const passwordHash = await hashPassword(input.temporaryPassword);
    const id = randomUUID();
    const now = this.clock.now();
    const temporaryPasswordExpiresAt = new Date(now.getTime() + this.temporaryPasswordHours * HOUR);
    try {
      await this.db.transaction(async (tx) => {
        await this.staff.insert(tx, {
          id,
          trustId: ctx.actor.trustId,
          crisisTeamId: input.crisisTeamId,
          email,
          fullName: input.fullName,
          roles: [...input.roles],
          passwordHash,
          temporaryPasswordExpiresAt,
          // No authenticator app yet: they enrol one at their first sign-in.
          totpSecret: null,
          totpEnrolledAt: null,
          caseloadLimit: input.caseloadLimit ?? DEFAULT_CASELOAD_LIMIT,
          createdAt: now,
          version: 1,
        });
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'staff.created',
          entityType: 'staff',
          entityId: id,
          detail: {
            roles: input.roles,
            crisisTeamId: input.crisisTeamId,
            temporaryPasswordExpiresAt: temporaryPasswordExpiresAt.toISOString(),
          },
        });
        // The appointed candidate this account is for, if any: their panel record links to it.
        const linked = await this.appointments.linkAccount(tx, ctx.actor.trustId, email, id);
        if (linked.length > 0) {
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'appointment.account_linked',
            entityType: 'staff',
            entityId: id,
            detail: { candidateIds: linked },
          });
        }
        await this.messages.accountCreated(
          tx,
          { email, fullName: input.fullName },
          temporaryPasswordExpiresAt,
        );
      });
    } catch (error) {
      if (isUniqueViolation(error, 'staff_users_email_key'))
        throw new ValidationError({ email: DUPLICATE_EMAIL_MESSAGE });
      throw error;
    }
    await this.messages.sendNow();
    return id;
  }

  async updateStaff(ctx: StaffContext, staffId: string, version: number, input: StaffInput): Promise<void> {
    assertCanManageStaff(ctx);
    await this.db.transaction(async (tx) => {
      const row = await manageableStaff(this.staff, tx, ctx, staffId);
      if (row.version !== version) throw new ConflictError();
      const errors = await this.staffInputProblems(ctx, tx, input, row);
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);

      const isPeerWorker = input.roles.includes('peer_worker');
      const next = {
        fullName: input.fullName,
        roles: [...input.roles],
        crisisTeamId: input.crisisTeamId,
        caseloadLimit: isPeerWorker && input.caseloadLimit !== null ? input.caseloadLimit : row.caseloadLimit,
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((field) =>
        field === 'roles' ? !sameRoles(row.roles, next.roles) : row[field] !== next[field],
      );
      if (changed.length === 0) return;
      if (!(await this.staff.update(tx, row.id, version, next))) throw new ConflictError();
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'staff.updated',
        entityType: 'staff',
        entityId: row.id,
        detail: {
          changed,
          ...(changed.includes('roles') ? { roles: { from: row.roles, to: next.roles } } : {}),
        },
      });
    });
  }

  /** Disables the account and ends every session it has, at once: the next request is refused. */
  async disableStaff(ctx: StaffContext, staffId: string): Promise<void> {
    await this.accountAction(ctx, staffId, async (tx, row) => {
      if (row.id === ctx.actor.id) throw new ValidationError({ actions: SELF_DISABLE_MESSAGE });
      if (row.disabledAt) return;
      await this.updateLocked(tx, row, { disabledAt: this.clock.now() });
      const sessionsEnded = await this.signInSessions.endAllFor(tx, 'staff', row.id);
      // Nobody is left with no one: their participants wait for a new worker, their supervisees
      // go to their team's supervisors, in this same transaction.
      const handedOver = await this.leaving.handOver(tx, row.id, this.clock.now());
      await this.recordStaffEvent(ctx, tx, 'staff.disabled', row.id, { sessionsEnded, ...handedOver });
    });
  }

  async enableStaff(ctx: StaffContext, staffId: string): Promise<void> {
    await this.accountAction(ctx, staffId, async (tx, row) => {
      if (!row.disabledAt) return;
      await this.updateLocked(tx, row, { disabledAt: null });
      await this.recordStaffEvent(ctx, tx, 'staff.enabled', row.id, {});
    });
  }

  /** Signs the person out everywhere; it takes effect on their next request. */
  async endStaffSessions(ctx: StaffContext, staffId: string): Promise<void> {
    await this.accountAction(ctx, staffId, async (tx, row) => {
      const sessionsEnded = await this.signInSessions.endAllFor(tx, 'staff', row.id);
      await this.recordStaffEvent(ctx, tx, 'staff.sessions_ended', row.id, { sessionsEnded });
    });
  }

  private async accountAction(
    ctx: StaffContext,
    staffId: string,
    work: (tx: Db, row: StaffUserRow) => Promise<void>,
  ): Promise<void> {
    assertCanManageStaff(ctx);
    await this.db.transaction(async (tx) => work(tx, await lockedStaff(this.staff, tx, ctx, staffId)));
  }

  private async updateLocked(
    tx: Db,
    row: StaffUserRow,
    changes: Parameters<StaffRepository['update']>[3],
  ): Promise<void> {
    if (!(await this.staff.update(tx, row.id, row.version, changes))) throw new ConflictError();
  }

  private async recordStaffEvent(
    ctx: StaffContext,
    tx: Db,
    action: 'staff.disabled' | 'staff.enabled' | 'staff.sessions_ended',
    staffId: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action,
      entityType: 'staff',
      entityId: staffId,
      detail,
    });
  }

  /** Rules that need the database or the actor; the form has already checked each field. */
  private async staffInputProblems(
    ctx: StaffContext,
    db: Db,
    input: StaffInput,
    current: StaffUserRow | undefined,
  ): Promise<Record<string, string>> {
    const errors: Record<string, string> = {};
    if (input.roles.length === 0) errors.roles = 'Select at least one role';
    if (
      current?.id === ctx.actor.id &&
      current.roles.includes('coordinator') &&
      !input.roles.includes('coordinator')
    ) {
      errors.roles = SELF_COORDINATOR_MESSAGE;
    }
    if (current?.roles.includes('peer_worker') && !input.roles.includes('peer_worker')) {
      const caseload = await this.staff.currentCaseloadCount(db, current.id);
      if (caseload > 0 && !('roles' in errors)) {
        errors.roles = `They still support ${caseload} ${caseload === 1 ? 'participant' : 'participants'}. Move them to another peer support worker before removing this role`;
      }
    }
    if (input.crisisTeamId !== null) {
      const team = await this.teams.findById(db, input.crisisTeamId);
      if (team?.trustId !== ctx.actor.trustId) errors.crisisTeamId = TEAM_CHOICE_MESSAGE;
    } else if (input.roles.some((role) => TEAM_ROLES.includes(role))) {
      errors.crisisTeamId = TEAM_REQUIRED_MESSAGE;
    }
    const limit = input.caseloadLimit;
    if (
      limit !== null &&
      (!Number.isInteger(limit) || limit < MIN_CASELOAD_LIMIT || limit > MAX_CASELOAD_LIMIT)
    ) {
      errors.caseloadLimit = `Caseload limit must be between ${MIN_CASELOAD_LIMIT} and ${MAX_CASELOAD_LIMIT}`;
    }
    return errors;
  }
}
