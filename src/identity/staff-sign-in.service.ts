/**
 * Staff sign-in: email and password, then a TOTP code (enrolling an authenticator app the
 * first time). Every failure looks the same to the caller; every outcome is audited.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { StaffRepository, StaffUserRow } from '../organisation/staff.repository.ts';
import { decoyPasswordHash, verifyPassword } from './password.ts';
import type { ActiveSession, SessionService } from './session.service.ts';
import type { SignInThrottle, ThrottleRule } from './throttle.ts';
import { passwordRules } from './staff-password-throttle.ts';
import { matchTotpStep, newTotpSecret, totpUri } from './totp.ts';

export type PasswordOutcome =
  | { kind: 'second_factor'; token: string }
  | { kind: 'enrol'; token: string }
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
  private readonly sessions: SessionService;
  private readonly throttle: SignInThrottle;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    staff: StaffRepository,
    sessions: SessionService,
    throttle: SignInThrottle,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.staff = staff;
    this.sessions = sessions;
    this.throttle = throttle;
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
      await this.throttle.clearFirst(tx, rules);
      const token = await this.sessions.start(tx, { type: 'staff', id: user.id }, 'password', ip);
      return { kind: user.totpEnrolledAt ? ('second_factor' as const) : ('enrol' as const), token };
    });
  }

  /** The pending sign-in's staff account, if the session is at the password stage and still valid. */
  async pendingUser(session: ActiveSession | undefined): Promise<StaffUserRow | undefined> {
    if (session?.stage !== 'password' || session.subjectType !== 'staff') return undefined;
    const user = await this.staff.findById(this.db, session.subjectId);
    return user && !user.disabledAt ? user : undefined;
  }

  /** The secret to show while enrolling, made the first time it is asked for. */
  async enrolmentSecret(user: StaffUserRow): Promise<{ secret: string; uri: string }> {
    if (user.totpEnrolledAt) throw new Error('already enrolled');
    let secret = user.totpSecret;
    if (!secret) {
      secret = newTotpSecret();
      await this.staff.setTotp(this.db, user.id, { totpSecret: secret });
    }
    return { secret, uri: totpUri(secret, user.email) };
  }

  async verifyCode(session: ActiveSession, code: string, ip: string | null): Promise<CodeOutcome> {
    const user = await this.pendingUser(session);
    if (!user?.totpSecret) return { kind: 'failed' };
    const rules = codeRules(user.id);
    const until = await this.throttle.blockedUntil(this.db, rules);
    if (until) return { kind: 'throttled', until };

    const enrolling = !user.totpEnrolledAt;
    const step = matchTotpStep(user.totpSecret, code, this.clock.now());
    return this.db.transaction(async (tx) => {
      if (step === undefined || !(await this.staff.claimTotpStep(tx, user.id, step))) {
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
        await this.staff.setTotp(tx, user.id, { totpEnrolledAt: this.clock.now() });
        await this.audit.record(tx, {
          actor,
          ip,
          action: 'staff.mfa_enrolled',
          entityType: 'staff',
          entityId: actor.id,
        });
      }
      // A new session id at sign-in; the half-finished one can never be used again.
      await this.sessions.end(tx, session.idHash);
      return {
        kind: 'signed_in' as const,
        token: await this.startSignedIn(tx, user.id, ip, 'password and code'),
      };
    });
  }

  /** Demo mode only: signs in as a seeded account without password or code. */
  async signInForDemo(staffId: string, ip: string | null): Promise<string | undefined> {
    const user = await this.staff.findById(this.db, staffId);
    if (!user || user.disabledAt) return undefined;
    return this.db.transaction((tx) => this.startSignedIn(tx, user.id, ip, 'demo'));
  }

  /** A new, fully signed-in session, audited with how the person signed in. */
  private async startSignedIn(tx: Db, staffId: string, ip: string | null, method: string): Promise<string> {
    const token = await this.sessions.start(tx, { type: 'staff', id: staffId }, 'full', ip);
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
