/**
 * Staff sign-in: email and password, then a TOTP code (enrolling an authenticator app the
 * first time). A temporary password (a new account's) must first be replaced by the person's
 * own. Every failure looks the same to the caller; every outcome is audited.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { StaffRepository, StaffUserRow } from '../organisation/staff.repository.ts';
import type { AccountMessages } from './account-messages.ts';
import { decoyPasswordHash, verifyPassword } from './password.ts';
import type { SignInSession, SignInSessionService } from './sign-in-session.service.ts';
import type { SignInThrottle, ThrottleRule } from './throttle.ts';
import { passwordRules } from './staff-password-throttle.ts';
import { matchTotpStep, newTotpSecret, totpUri } from './totp.ts';

/** What a half-finished sign-in (password given) must do next. */
export type PendingStep = 'new_password' | 'enrol' | 'security_code';

/** A sign-in with the password done: whose, and the step still to do. */
export interface PendingSignIn {
  user: StaffUserRow;
  step: PendingStep;
}

export function pendingStepOf(user: StaffUserRow): PendingStep {
  if (user.temporaryPasswordExpiresAt) return 'new_password';
  return user.totpEnrolledAt ? 'security_code' : 'enrol';
}

export type PasswordOutcome =
  | { kind: 'continue'; step: PendingStep; token: string }
  | { kind: 'temporary_password_expired' }
  | { kind: 'failed' }
  | { kind: 'throttled'; until: Date };

export type CodeOutcome =
  { kind: 'signed_in'; token: string } | { kind: 'failed' } | { kind: 'throttled'; until: Date };

const codeRules = (staffId: string): ThrottleRule[] => [
  { key: `staff-totp:${staffId}`, allowance: 5, windowMinutes: 15 },
];

export class StaffSignInService {
  private readonly db: Db;
  private readonly staff: StaffRepository;
  private readonly signInSessions: SignInSessionService;
  private readonly throttle: SignInThrottle;
  private readonly messages: AccountMessages;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    staff: StaffRepository,
    signInSessions: SignInSessionService,
    throttle: SignInThrottle,
    messages: AccountMessages,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.staff = staff;
    this.signInSessions = signInSessions;
    this.throttle = throttle;
    this.messages = messages;
    this.audit = audit;
    this.clock = clock;
  }

  async signInWithPassword(
    emailInput: string,
    password: string,
    ip: string | null,
  ): Promise<PasswordOutcome> {
    const email = emailInput.trim().toLowerCase();
    const rules = passwordRules(email, ip);
    const until = await this.throttle.blockedUntil(this.db, rules);
    if (until) return { kind: 'throttled', until };
    await this.throttle.slowDown(this.db, rules);

    const user = await this.staff.findByEmail(this.db, email);
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
    return this.db.transaction(async (tx) => {
      if (!user || !passwordOk || user.disabledAt || !user.passwordHash) {
        await this.throttle.recordFailure(tx, rules);
        await this.audit.record(tx, {
          actor: { kind: 'anonymous' },
          ip,
          action: 'staff.sign_in_failed',
          entityType: 'staff',
          entityId: user?.id ?? null,
          detail: {
            reason: !user ? 'unknown account' : user.disabledAt ? 'account disabled' : 'wrong password',
          },
        });
        return { kind: 'failed' as const };
      }
      // The right temporary password, but nobody used it in time: the coordinator sends a set-up
      // link instead. Saying so reveals nothing to someone who does not know the password.
      if (user.temporaryPasswordExpiresAt && user.temporaryPasswordExpiresAt <= this.clock.now()) {
        await this.audit.record(tx, {
          actor: { kind: 'anonymous' },
          ip,
          action: 'staff.sign_in_failed',
          entityType: 'staff',
          entityId: user.id,
          detail: { reason: 'temporary password expired' },
        });
        return { kind: 'temporary_password_expired' as const };
      }
      await this.throttle.clearFirst(tx, rules);
      const token = await this.signInSessions.start(tx, { type: 'staff', id: user.id }, 'password', ip);
      return { kind: 'continue' as const, step: pendingStepOf(user), token };
    });
  }

  /** The pending sign-in's account and its next step, if the session is at the password stage and still valid. */
  async pendingSignIn(session: SignInSession | undefined): Promise<PendingSignIn | undefined> {
    if (session?.stage !== 'password' || session.subjectType !== 'staff') return undefined;
    const user = await this.staff.findById(this.db, session.subjectId);
    return user && !user.disabledAt ? { user, step: pendingStepOf(user) } : undefined;
  }

  /**
   * The secret this sign-in attempt is offered while it sets up an app: its own, made the first
   * time it is asked for and kept with the attempt (never on the account), so no other attempt
   * is ever shown it. Undefined once the attempt has ended.
   */
  async enrolmentSecret(
    session: SignInSession,
    user: StaffUserRow,
  ): Promise<{ secret: string; uri: string } | undefined> {
    if (pendingStepOf(user) !== 'enrol') return undefined;
    const secret = await this.signInSessions.offerTotpSecret(session, newTotpSecret());
    return secret ? { secret, uri: totpUri(secret, user.email) } : undefined;
  }

  /**
   * Checks a code: from the account's app, or, while setting one up, from the secret this
   * attempt was offered, which only now is stored on the account.
   */
  async verifyCode(session: SignInSession, code: string, ip: string | null): Promise<CodeOutcome> {
    const pending = await this.pendingSignIn(session);
    if (!pending || pending.step === 'new_password') return { kind: 'failed' };
    const { user } = pending;
    const enrolling = pending.step === 'enrol';
    const secret = enrolling ? session.pendingTotpSecret : user.totpSecret;
    if (!secret) return { kind: 'failed' };
    const rules = codeRules(user.id);
    const until = await this.throttle.blockedUntil(this.db, rules);
    if (until) return { kind: 'throttled', until };

    const now = this.clock.now();
    const step = matchTotpStep(secret, code, now);
    const outcome = await this.db.transaction(async (tx) => {
      const accepted =
        step !== undefined &&
        (enrolling
          ? await this.staff.enrolTotp(tx, user.id, secret, step, now)
          : await this.staff.claimTotpStep(tx, user.id, step));
      if (!accepted) {
        await this.throttle.recordFailure(tx, rules);
        await this.audit.record(tx, {
          actor: { kind: 'anonymous' },
          ip,
          action: 'staff.sign_in_failed',
          entityType: 'staff',
          entityId: user.id,
          detail: { reason: enrolling ? 'wrong enrolment code' : 'wrong security code' },
        });
        return { kind: 'failed' as const };
      }
      await this.throttle.clearFirst(tx, rules);
      const actor = { kind: 'staff' as const, id: user.id };
      if (enrolling) {
        await this.audit.record(tx, {
          actor,
          ip,
          action: 'staff.mfa_enrolled',
          entityType: 'staff',
          entityId: actor.id,
        });
        await this.messages.authenticatorSetUp(tx, user, now);
      }
      // A new session id at sign-in; the half-finished one can never be used again.
      await this.signInSessions.end(tx, session.idHash);
      return {
        kind: 'signed_in' as const,
        token: await this.startSignedIn(tx, user.id, ip, 'password and code'),
      };
    });
    if (enrolling && outcome.kind === 'signed_in') await this.messages.sendNow();
    return outcome;
  }

  /** Demo mode only: signs in as a seeded account without password or code. */
  async signInForDemo(staffId: string, ip: string | null): Promise<string | undefined> {
    const user = await this.staff.findById(this.db, staffId);
    if (!user || user.disabledAt) return undefined;
    return this.db.transaction((tx) => this.startSignedIn(tx, user.id, ip, 'demo'));
  }

  /** A new, fully signed-in session, audited with how the person signed in. */
  private async startSignedIn(tx: Db, staffId: string, ip: string | null, method: string): Promise<string> {
    const token = await this.signInSessions.start(tx, { type: 'staff', id: staffId }, 'full', ip);
    await this.audit.record(tx, {
      actor: { kind: 'staff', id: staffId },
      ip,
      action: 'staff.signed_in',
      entityType: 'staff',
      entityId: staffId,
      detail: { method },
    });
    return token;
  }
}
