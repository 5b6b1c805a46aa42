/**
 * Plain words for the messages not delivered: what kind of message it was and why it did not
 * go, for the coordinator who follows it up. Never the message's text.
 */
import type { NotificationTemplate } from '../config.ts';

const KINDS: Record<NotificationTemplate, string> = {
  sign_in_code: 'Sign-in code',
  session_booked: 'Session booked',
  session_reminder: 'Session reminder',
  rearrange_request: 'Request to move a session',
  ending_summary: 'End-of-programme summary',
  concern_escalation: 'Safety concern escalation',
  concern_999_unconfirmed: '999 call not confirmed',
  concern_reply: 'Reply to a concern',
  lone_working_alert: 'Lone working alert',
  message_not_delivered: 'Notice of a message not delivered',
  staff_account_created: 'Staff account created',
  staff_password_changed: 'Password changed',
  staff_authenticator_set_up: 'Authenticator set up',
  staff_set_up_link: 'Account set-up link',
  training_expiry: 'Training running out',
  wellbeing_request: 'Request for support',
  peer_support_request: 'Request for peer support',
  peer_support_unanswered: 'Peer support request not taken',
  trial_sae_clock: 'Serious adverse event report due',
  trial_intervention_withdrawn: 'Withdrawal from peer support in the trial',
  trial_follow_up_invitation: 'Follow-up questionnaire invitation',
};

/** "Session reminder (text)", "Safety concern escalation (email)". */
export function messageKindWords(template: string, channel: 'sms' | 'email'): string {
  const kind = (KINDS as Record<string, string | undefined>)[template] ?? 'Message';
  return `${kind} (${channel === 'sms' ? 'text' : 'email'})`;
}

/** Why the last try failed, in words a coordinator can act on. */
export function failureWords(lastError: string | null, channel: 'sms' | 'email'): string {
  const error = lastError ?? '';
  const address = channel === 'sms' ? 'mobile number' : 'email address';
  if (/\b400\b|invalid|not a valid|bad request|badrequest|validation/i.test(error))
    return `The ${address} was not accepted. Check it is right.`;
  if (/\b40[13]\b|auth|forbidden|api key|team[- ]only|trial mode/i.test(error))
    return 'The message service refused Greenleaf’s sending key. Tell your system administrator.';
  if (/\b429\b|rate limit|too many/i.test(error))
    return 'Too many messages were sent at once. The message service asked us to wait.';
  if (
    /\b5\d\d\b|timeout|timed out|ETIMEDOUT|ECONNRESET|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|network|socket/i.test(
      error,
    )
  )
    return 'The message service could not be reached or had a fault.';
  return 'The message service did not accept it.';
}
