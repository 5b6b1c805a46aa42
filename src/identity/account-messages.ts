/**
 * Emails to a staff member about their own account: that it was made, that its password was
 * changed or an authenticator app set up, and the one-time set-up link. The one place these are
 * sent from, always after the change has committed; a failed send is logged and reported back,
 * never undoing the change.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import { messageDate, messageTime } from '../reminders/message-text.ts';
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
const when = (instant: Date) => `${messageDate(instant)} at ${messageTime(instant)}`;

export class AccountMessages {
  private readonly sender: NotificationSender;
  private readonly publicUrl: string;
  /** Where a failed email is reported. */
  logger: Pick<FastifyBaseLogger, 'error'> | undefined;

  constructor(sender: NotificationSender, publicUrl: string | undefined) {
    this.sender = sender;
    // Without a public address (local use) links are paths, still usable from the outbox.
    this.publicUrl = publicUrl ?? '';
  }

  accountCreated(owner: AccountOwner, temporaryPasswordExpiresAt: Date): Promise<boolean> {
    return this.send(owner, 'staff_account_created', {
      expires: when(temporaryPasswordExpiresAt),
      sign_in_link: `${this.publicUrl}/sign-in`,
    });
  }

  passwordChanged(owner: AccountOwner, at: Date): Promise<boolean> {
    return this.send(owner, 'staff_password_changed', { when: when(at) });
  }

  authenticatorSetUp(owner: AccountOwner, at: Date): Promise<boolean> {
    return this.send(owner, 'staff_authenticator_set_up', { when: when(at) });
  }

  setUpLink(owner: AccountOwner, token: string, expiresAt: Date, reason: SetUpLinkReason): Promise<boolean> {
    return this.send(owner, 'staff_set_up_link', {
      ...SET_UP_LINK_REASONS[reason],
      set_up_link: `${this.publicUrl}/account/set-up/${token}`,
      expires: when(expiresAt),
    });
  }

  private async send(
    owner: AccountOwner,
    template: AccountMessageTemplate,
    values: Record<string, string>,
  ): Promise<boolean> {
    const personalisation = { first_name: owner.fullName.split(' ')[0] ?? owner.fullName, ...values };
    try {
      await this.sender.send({
        channel: 'email',
        to: owner.email,
        template,
        personalisation,
        preview: accountMessagePreview(template, personalisation),
      });
      return true;
    } catch (error) {
      this.logger?.error({ err: error, template }, 'could not email a staff member about their account');
      return false;
    }
  }
}
