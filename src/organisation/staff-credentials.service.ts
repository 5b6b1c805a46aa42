/**
 * The coordinator's two actions on someone else's sign-in: resetting their authenticator app
 * (a lost phone) and sending them a set-up link (a forgotten password, or a link that expired).
 * Both stop the account's password and end its sessions in the same transaction, and the new
 * link goes only to the owner's email: whoever presses the button never holds a working
 * credential for the account (the take-over in the security review started from one).
 */
import type { Db } from '../platform/database/database.ts';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AccountMessages, SetUpLinkReason } from '../identity/account-messages.ts';
import type { SignInSessionService } from '../identity/sign-in-session.service.ts';
import type { SetUpLinkService } from '../identity/set-up-link.service.ts';
import type { StaffRepository, StaffUserRow } from './staff.repository.ts';
import { assertCanManageStaff, lockedStaff, type StaffContext } from './staff-access.ts';

export const DISABLED_ACCOUNT_MESSAGE =
  'This account is disabled. Enable it before resetting its sign-in, so the email they get works';

export class StaffCredentialsService {
  private readonly db: Db;
  private readonly staff: StaffRepository;
  private readonly signInSessions: SignInSessionService;
  private readonly setUpLinks: SetUpLinkService;
  private readonly messages: AccountMessages;
  private readonly audit: AuditService;

  constructor(
    db: Db,
    staff: StaffRepository,
    signInSessions: SignInSessionService,
    setUpLinks: SetUpLinkService,
    messages: AccountMessages,
    audit: AuditService,
  ) {
    this.db = db;
    this.staff = staff;
    this.signInSessions = signInSessions;
    this.setUpLinks = setUpLinks;
    this.messages = messages;
    this.audit = audit;
  }

  /**
   * Forgets their authenticator app and their password, signs them out and emails them a
   * set-up link: they choose a new password, then set up an app again at their next sign-in.
   * Returns whether the email was handed over.
   */
  async resetAuthenticator(ctx: StaffContext, staffId: string): Promise<boolean> {
    return this.stopPasswordAndSendLink(ctx, staffId, 'authenticator_reset', async (tx, row) => {
      await this.update(tx, row, {
        totpSecret: null,
        totpEnrolledAt: null,
        passwordHash: null,
        temporaryPasswordExpiresAt: null,
      });
      const sessionsEnded = await this.signInSessions.endAllFor(tx, 'staff', row.id);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'staff.mfa_reset',
        entityType: 'staff',
        entityId: row.id,
        detail: { sessionsEnded, passwordCleared: true },
      });
      return {};
    });
  }

  /**
   * A new set-up link for a forgotten password (or one whose temporary password or last link
   * ran out): the current password stops, earlier links stop, their authenticator app stays.
   */
  async sendSetUpLink(ctx: StaffContext, staffId: string): Promise<boolean> {
    return this.stopPasswordAndSendLink(ctx, staffId, 'requested', async (tx, row) => {
      await this.update(tx, row, { passwordHash: null, temporaryPasswordExpiresAt: null });
      const sessionsEnded = await this.signInSessions.endAllFor(tx, 'staff', row.id);
      return { sessionsEnded, passwordCleared: true };
    });
  }

  private async stopPasswordAndSendLink(
    ctx: StaffContext,
    staffId: string,
    reason: SetUpLinkReason,
    /** Stops the password; returns anything more the link's audit event should say. */
    stop: (tx: Db, row: StaffUserRow) => Promise<Record<string, unknown>>,
  ): Promise<boolean> {
    assertCanManageStaff(ctx);
    // The link and its email commit together: a link is never made without its email queued.
    const messageId = await this.db.transaction(async (tx) => {
      const locked = await lockedStaff(this.staff, tx, ctx, staffId);
      if (locked.disabledAt) throw new ValidationError({ actions: DISABLED_ACCOUNT_MESSAGE });
      const detail = await stop(tx, locked);
      const link = await this.setUpLinks.issue(tx, ctx, locked.id, reason, detail);
      return this.messages.setUpLink(tx, locked, link.token, link.expiresAt, reason);
    });
    return this.messages.sendNow(messageId);
  }

  private async update(
    tx: Db,
    row: StaffUserRow,
    changes: Parameters<StaffRepository['update']>[3],
  ): Promise<void> {
    if (!(await this.staff.update(tx, row.id, row.version, changes))) throw new ConflictError();
  }
}
