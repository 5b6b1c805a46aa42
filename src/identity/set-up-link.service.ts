/**
 * One-time set-up links: how a staff member whose authenticator app was reset, or who forgot
 * their password, chooses a new password without anyone else ever holding a working one. The
 * coordinator's action creates the link; only its owner's email receives it. The token is 32
 * random bytes and only its SHA-256 is stored; it works once, until it expires or a newer link
 * replaces it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { HOUR, type Clock } from '../platform/clock.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { StaffRepository } from '../organisation/staff.repository.ts';
import type { AccountMessages, SetUpLinkReason } from './account-messages.ts';
import { hashPassword } from './password.ts';
import type { SignInSessionService } from './sign-in-session.service.ts';
import type { SetUpLinkRepository, SetUpLinkRow } from './set-up-link.repository.ts';

/** 32 bytes in base64url: what a link's last part must look like before anything is looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface IssuedLink {
  token: string;
  expiresAt: Date;
}

export class SetUpLinkService {
  private readonly db: Db;
  private readonly links: SetUpLinkRepository;
  private readonly staff: StaffRepository;
  private readonly signInSessions: SignInSessionService;
  private readonly messages: AccountMessages;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly hours: number;

  constructor(
    db: Db,
    links: SetUpLinkRepository,
    staff: StaffRepository,
    signInSessions: SignInSessionService,
    messages: AccountMessages,
    audit: AuditService,
    clock: Clock,
    hours: number,
  ) {
    this.db = db;
    this.links = links;
    this.staff = staff;
    this.signInSessions = signInSessions;
    this.messages = messages;
    this.audit = audit;
    this.clock = clock;
    this.hours = hours;
  }

  /**
   * In the coordinator's transaction: a new link for the account, replacing any earlier one,
   * audited. The raw token is returned only to be emailed to the owner after the commit.
   */
  async issue(
    tx: Db,
    ctx: RequestContext & { actor: StaffActor },
    staffId: string,
    reason: SetUpLinkReason,
    detail: Record<string, unknown> = {},
  ): Promise<IssuedLink> {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const link: SetUpLinkRow = {
      id: randomUUID(),
      staffId,
      tokenHash: hashToken(token),
      createdBy: ctx.actor.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.hours * HOUR),
      usedAt: null,
      revokedAt: null,
    };
    await this.links.revokeUnusedFor(tx, staffId, now);
    await this.links.insert(tx, link);
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'staff.set_up_link_sent',
      entityType: 'staff',
      entityId: staffId,
      detail: {
        reason: reason === 'authenticator_reset' ? 'authenticator reset' : 'requested',
        linkId: link.id,
        expiresAt: link.expiresAt.toISOString(),
        ...detail,
      },
    });
    return { token, expiresAt: link.expiresAt };
  }

  /** The account a link is for, while the link still works; undefined for any other link. */
  async openLink(token: string): Promise<{ email: string } | undefined> {
    const found = await this.find(token);
    return found && !found.problem ? { email: found.email } : undefined;
  }

  /**
   * Uses the link to set the owner's new password (already checked by the form). Every session
   * of the account ends, and the owner is emailed. A link that no longer works changes nothing;
   * trying one is audited, since it may be someone else's attempt.
   */
  async choosePassword(token: string, password: string, ip: string | null): Promise<'saved' | 'invalid'> {
    const found = await this.find(token);
    if (!found) return 'invalid';
    const { link, email, fullName } = found;
    const refuse = async (reason: string) => {
      await this.db.transaction((tx) =>
        this.audit.record(tx, {
          actor: { kind: 'anonymous' },
          ip,
          action: 'staff.set_up_link_refused',
          entityType: 'staff',
          entityId: link.staffId,
          detail: { reason, linkId: link.id },
        }),
      );
      return 'invalid' as const;
    };
    if (found.problem) return refuse(found.problem);

    const passwordHash = await hashPassword(password);
    const now = this.clock.now();
    const saved = await this.db.transaction(async (tx) => {
      if (!(await this.links.claim(tx, link.id, now))) return false;
      await this.staff.setPassword(tx, link.staffId, passwordHash);
      const sessionsEnded = await this.signInSessions.endAllFor(tx, 'staff', link.staffId);
      await this.audit.record(tx, {
        actor: { kind: 'staff', id: link.staffId },
        ip,
        action: 'staff.password_changed',
        entityType: 'staff',
        entityId: link.staffId,
        detail: { how: 'set-up link', linkId: link.id, sessionsEnded },
      });
      await this.messages.passwordChanged(tx, { email, fullName }, now);
      return true;
    });
    // Another request used the link, or a newer one replaced it, a moment ago.
    if (!saved) return refuse('used or replaced');
    await this.messages.sendNow();
    return 'saved';
  }

  /** The link and its account, with why it no longer works (if it does not). */
  private async find(token: string) {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const link = await this.links.findByTokenHash(this.db, hashToken(token));
    if (!link) return undefined;
    const account = await this.staff.findById(this.db, link.staffId);
    if (!account) return undefined;
    const now = this.clock.now();
    const problem = link.usedAt
      ? 'used'
      : link.revokedAt
        ? 'replaced'
        : link.expiresAt <= now
          ? 'expired'
          : account.disabledAt
            ? 'account disabled'
            : undefined;
    return { link, email: account.email, fullName: account.fullName, problem };
  }
}
