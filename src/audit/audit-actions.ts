/** Every kind of audit event. A change or a read of an identifiable record names one of these. */
export const AUDIT_ACTIONS = [
  'participant.referred',
  'participant.viewed',
  'participant.allocated',
  'participant.reallocated',
  'caseload.viewed',
  'caseload.overview_viewed',
  'referrals.listed',
  'team.created',
  'team.updated',
  'staff.created',
  'staff.updated',
  'staff.disabled',
  'staff.enabled',
  'staff.sessions_ended',
  'staff.mfa_reset',
  'staff.signed_in',
  'staff.sign_in_failed',
  'staff.mfa_enrolled',
  'staff.signed_out',
  'participant.sign_in_code_sent',
  'participant.signed_in',
  'participant.sign_in_failed',
  'participant.signed_out',
  'outbox.viewed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
