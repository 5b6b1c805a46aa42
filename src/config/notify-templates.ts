/**
 * The GOV.UK Notify template for each message and channel it is sent on. Each template in
 * Notify holds the words; Greenleaf fills in only the personalisation (never clinical words).
 */
export const NOTIFY_TEMPLATES = {
  sign_in_code: ['sms', 'email'],
  session_booked: ['sms', 'email'],
  session_reminder: ['sms', 'email'],
  rearrange_request: ['email'],
  ending_summary: ['email'],
  concern_escalation: ['email'],
  concern_999_unconfirmed: ['email'],
  concern_reply: ['email'],
  lone_working_alert: ['email'],
  message_not_delivered: ['email'],
  staff_account_created: ['email'],
  staff_password_changed: ['email'],
  staff_authenticator_set_up: ['email'],
  staff_set_up_link: ['email'],
  training_expiry: ['email'],
  wellbeing_request: ['email'],
  peer_support_request: ['email'],
  peer_support_unanswered: ['email'],
  trial_sae_clock: ['email'],
  trial_intervention_withdrawn: ['email'],
  trial_follow_up_invitation: ['sms', 'email'],
} as const;
export type NotificationTemplate = keyof typeof NOTIFY_TEMPLATES;
export type NotifyTemplateIds = Record<NotificationTemplate, Partial<Record<'sms' | 'email', string>>>;

/** NOTIFY_TEMPLATE_SIGN_IN_CODE_SMS and the like, one per template and channel. */
export function notifyVariable(template: string, channel: string): string {
  return `NOTIFY_TEMPLATE_${template.toUpperCase()}_${channel.toUpperCase()}`;
}
export const NOTIFY_TEMPLATE_VARIABLES = Object.entries(NOTIFY_TEMPLATES).flatMap(([template, channels]) =>
  channels.map((channel) => notifyVariable(template, channel)),
);
