/**
 * A staff member choosing their own password: on the change-password page (with the current
 * one), and at the first sign-in in place of the temporary password a coordinator chose. Either
 * way the person's other sessions end, the change is audited, and they are emailed, so a change
 * they did not make does not go unnoticed. The new password is checked by the form
 * (`newPasswordProblem`, as at creation); here, that it differs from the one it replaces.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { StaffRepository } from '../organisation/staff.repository.ts';
import type { AccountMessages } from './account-messages.ts';
import { hashPassword, verifyPassword } from './password.ts';
import type { SignInSession, SignInSessionService } from './sign-in-session.service.ts';
import { pendingStepOf, type PendingStep, type StaffSignInService } from './staff-sign-in.service.ts';
import type { SignInThrottle, ThrottleRule } from './throttle.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export const WRONG_CURRENT_PASSWORD = 'Your current password is not correct';
export const SAME_AS_CURRENT = 'Choose a password that is different from your current password';
export const SAME_AS_TEMPORARY = 'Choose a password that is different from your temporary password';

// As at sign-in: a few tries, then a wait that grows (throttle.ts).
const changeRules = (staffId: string): ThrottleRule[] => [
  { key: `staff-password-change:${staffId}`, allowance: 5, windowMinutes: 15 },
];

export type ChangeOutcome = { kind: 'changed' } | { kind: 'throttled'; until: Date };

export class AccountPasswordService {
  private readonly db: Db;
  private readonly staff: StaffRepository;
  private readonly signInSessions: SignInSessionService;
  private readonly signIn: StaffSignInService;
  private readonly throttle: SignInThrottle;
  private readonly messages: AccountMessages;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    staff: StaffRepository,
    signInSessions: SignInSessionService,
    signIn: StaffSignInService,
    throttle: SignInThrottle,
    messages: AccountMessages,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.staff = staff;
    this.signInSessions = signInSessions;
    this.signIn = signIn;
    this.throttle = throttle;
    this.messages = messages;
    this.audit = audit;
    this.clock = clock;
  }

  checkCanChangePassword(ctx: StaffContext): void {
    const self = { type: 'staff' as const, trustId: ctx.actor.trustId, staffId: ctx.actor.id };
    if (!can(ctx.actor, 'account.change_password', self)) throw new ForbiddenError();
  }

  /**
   * Changes the signed-in person's password. A wrong current password is a field error, counted
   * like a wrong password at sign-in; the session in use stays, every other one ends.
   */
  async changeOwnPassword(
    ctx: StaffContext,
    session: SignInSession,
    input: { currentPassword: string; newPassword: string },
  ): Promise<ChangeOutcome> {
    this.checkCanChangePassword(ctx);
    const rules = changeRules(ctx.actor.id);
    const until = await this.throttle.blockedUntil(this.db, rules);
    if (until) return { kind: 'throttled', until };

    const user = await this.staff.findById(this.db, ctx.actor.id);
    const currentHash = user?.passwordHash;
    if (!user || !currentHash || !(await verifyPassword(currentHash, input.currentPassword))) {
      // Recorded (and committed) before the refusal is thrown.
      await this.db.transaction(async (tx) => {
        await this.throttle.recordFailure(tx, rules);
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'staff.password_change_failed',
          entityType: 'staff',
          entityId: ctx.actor.id,
          detail: { reason: 'wrong current password' },
        });
      });
      throw new ValidationError({ currentPassword: WRONG_CURRENT_PASSWORD });
    }
    if (await verifyPassword(currentHash, input.newPassword))
      throw new ValidationError({ newPassword: SAME_AS_CURRENT });

    const passwordHash = await hashPassword(input.newPassword);
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      // Compared with the hash just checked: a reset by a coordinator meanwhile wins.
      if (!(await this.staff.replacePassword(tx, user.id, currentHash, passwordHash)))
        throw new ConflictError();
      await this.throttle.clearFirst(tx, rules);
      const sessionsEnded = await this.signInSessions.endOthersFor(tx, session);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'staff.password_changed',
        entityType: 'staff',
        entityId: user.id,
        detail: { how: 'changed', sessionsEnded },
      });
      await this.messages.passwordChanged(tx, user, now);
    });
    await this.messages.sendNow();
    return { kind: 'changed' };
  }

  /**
   * At the first sign-in: the person's own password in place of the temporary one. Every other
   * sign-in attempt with the temporary password ends, and this one goes on, under a new session
   * id, to its next step. Undefined when the attempt is not waiting for a new password.
   */
  async replaceTemporaryPassword(
    session: SignInSession | undefined,
    newPassword: string,
    ip: string | null,
  ): Promise<{ token: string; step: PendingStep } | undefined> {
    const pending = await this.signIn.pendingSignIn(session);
    const temporaryHash = pending?.user.passwordHash;
    const expiresAt = pending?.user.temporaryPasswordExpiresAt;
    if (pending?.step !== 'new_password' || !temporaryHash || !expiresAt) return undefined;
    if (expiresAt <= this.clock.now()) return undefined;
    const { user } = pending;
    if (await verifyPassword(temporaryHash, newPassword))
      throw new ValidationError({ newPassword: SAME_AS_TEMPORARY });

    const passwordHash = await hashPassword(newPassword);
    const now = this.clock.now();
    const token = await this.db.transaction(async (tx) => {
      if (!(await this.staff.replacePassword(tx, user.id, temporaryHash, passwordHash))) return undefined;
      const sessionsEnded = await this.signInSessions.endAllFor(tx, 'staff', user.id);
      await this.audit.record(tx, {
        actor: { kind: 'staff', id: user.id },
        ip,
        action: 'staff.password_changed',
        entityType: 'staff',
        entityId: user.id,
        detail: { how: 'temporary password replaced', sessionsEnded },
      });
      await this.messages.passwordChanged(tx, user, now);
      return this.signInSessions.start(tx, { type: 'staff', id: user.id }, 'password', ip);
    });
    if (!token) return undefined;
    await this.messages.sendNow();
    return { token, step: pendingStepOf({ ...user, temporaryPasswordExpiresAt: null }) };
  }
}
