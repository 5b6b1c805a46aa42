/**
 * Emails to a staff member about their own account: that it was made, that its password was
 * changed or an authenticator app set up, and the one-time set-up link. The one place these are
 * made. Each is put in the message outbox with the transaction that makes the change, so both
 * commit or neither does; `sendNow()` after the commit sends it at once, and the outbox retries
 * a send that fails (one never delivered is listed for the coordinator). A set-up link's text
 * is not kept once it is sent, too late, or given up on.
 */
import type { ErrorLog } from '../platform/logger.ts';
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import { formatTime, formatWeekdayDate } from '../platform/calendar/uk-format.ts';
import {
  accountMessagePreview,
  SET_UP_LINK_REASONS,
  type AccountMessageTemplate,
} from './account-message-text.ts';

export interface AccountOwner {
  email: string;
  fullName: string;
}

export type SetUpLinkReason = keyof typeof SET_UP_LINK_REASONS;

/** "Thursday 26 November at 10am", in UK time. */
const when = (instant: Date) => `${formatWeekdayDate(instant)} at ${formatTime(instant)}`;

export const STAFF_ACCOUNT_SOURCE = 'staff-account';
export const STAFF_SET_UP_LINK_SOURCE = 'staff-set-up-link';

export class AccountMessages {
  private readonly outbox: MessageOutbox;
  private readonly publicUrl: string;
  /** Where a send that must wait for the outbox's retry is reported. */
  private readonly log: ErrorLog;

  constructor(outbox: MessageOutbox, publicUrl: string | undefined, log: ErrorLog) {
    this.outbox = outbox;
    this.log = log;
    // Without a public address (local use) links are paths, still usable from the outbox.
    this.publicUrl = publicUrl ?? '';
    // A set-up link that could not be delivered is replaced by a new one, never resent.
    outbox.onOutcome(STAFF_SET_UP_LINK_SOURCE, async (tx, message, outcome) => {
      if (outcome === 'not_delivered') await this.outbox.forgetText(tx, message);
    });
  }

  accountCreated(tx: Db, owner: AccountOwner, temporaryPasswordExpiresAt: Date): Promise<string | undefined> {
    return this.enqueue(tx, owner, 'staff_account_created', {
      expires: when(temporaryPasswordExpiresAt),
      sign_in_link: `${this.publicUrl}/sign-in`,
    });
  }

  passwordChanged(tx: Db, owner: AccountOwner, at: Date): Promise<string | undefined> {
    return this.enqueue(tx, owner, 'staff_password_changed', { when: when(at) });
  }

  authenticatorSetUp(tx: Db, owner: AccountOwner, at: Date): Promise<string | undefined> {
    return this.enqueue(tx, owner, 'staff_authenticator_set_up', { when: when(at) });
  }

  setUpLink(
    tx: Db,
    owner: AccountOwner,
    token: string,
    expiresAt: Date,
    reason: SetUpLinkReason,
  ): Promise<string | undefined> {
    return this.enqueue(
      tx,
      owner,
      'staff_set_up_link',
      {
        ...SET_UP_LINK_REASONS[reason],
        set_up_link: `${this.publicUrl}/account/set-up/${token}`,
        expires: when(expiresAt),
      },
      { kind: STAFF_SET_UP_LINK_SOURCE, expiresAt },
    );
  }

  /**
   * Sends what is waiting in the outbox now, after the commit (errors are logged: the outbox
   * tries again). True when `messageId` (if given) has gone.
   */
  async sendNow(messageId?: string): Promise<boolean> {
    await this.outbox.dispatchDue(5).catch((error: unknown) => {
      this.log.error({ err: error }, 'could not email a staff member about their account yet');
    });
    return messageId === undefined || (await this.outbox.stateOf(messageId)) === 'sent';
  }

  private enqueue(
    tx: Db,
    owner: AccountOwner,
    template: AccountMessageTemplate,
    values: Record<string, string>,
    options: { kind?: string; expiresAt?: Date } = {},
  ): Promise<string | undefined> {
    const personalisation = { first_name: owner.fullName.split(' ')[0] ?? owner.fullName, ...values };
    return this.outbox.enqueue(tx, {
      channel: 'email',
      to: owner.email,
      template,
      personalisation,
      preview: accountMessagePreview(template, personalisation),
      source: { kind: options.kind ?? STAFF_ACCOUNT_SOURCE, id: randomUUID() },
      ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
    });
  }
}
