/**
 * Typed view of the tables that migrations/ creates. The SQL files are the source of truth;
 * `migrate.int.test.ts` fails when this file and the migrated database disagree.
 */
import {
  bigint,
  customType,
  primaryKey,
  boolean,
  date,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const trusts = pgTable('trusts', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  odsCode: text('ods_code').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export const crisisTeams = pgTable('crisis_teams', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  name: text('name').notNull(),
  phone: text('phone').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
  dutyEmail: text('duty_email'),
});

export const staffUsers = pgTable('staff_users', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  crisisTeamId: uuid('crisis_team_id'),
  email: text('email').notNull(),
  fullName: text('full_name').notNull(),
  roles: text('roles').array().notNull(),
  passwordHash: text('password_hash'),
  totpSecret: text('totp_secret'),
  totpEnrolledAt: timestamptz('totp_enrolled_at'),
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  caseloadLimit: integer('caseload_limit').notNull().default(12),
  /** Changes with anything their caseload shows (triggers: migrations/2026-12-04-011-caseload-version.sql). */
  caseloadVersion: bigint('caseload_version', { mode: 'number' }).notNull().default(0),
  disabledAt: timestamptz('disabled_at'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
  awayFrom: date('away_from', { mode: 'string' }),
  awayUntil: date('away_until', { mode: 'string' }),
  temporaryPasswordExpiresAt: timestamptz('temporary_password_expires_at'),
  /** The peer support worker's named supervisor (issue 15); null: their team's supervisors. */
  supervisorId: uuid('supervisor_id'),
  /** Supervision targets for this worker; null: the deployment's defaults. */
  oneToOneEveryDays: integer('one_to_one_every_days'),
  groupEveryDays: integer('group_every_days'),
  /** An experienced peer worker, whom colleagues' requests for peer support go to (issue 15). */
  experiencedPeer: boolean('experienced_peer').notNull().default(false),
});

export const staffSetUpLinks = pgTable('staff_set_up_links', {
  id: uuid('id').primaryKey(),
  staffId: uuid('staff_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamptz('created_at').notNull(),
  expiresAt: timestamptz('expires_at').notNull(),
  usedAt: timestamptz('used_at'),
  revokedAt: timestamptz('revoked_at'),
});

export const participants = pgTable('participants', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  crisisTeamId: uuid('crisis_team_id').notNull(),
  givenName: text('given_name').notNull(),
  familyName: text('family_name').notNull(),
  preferredName: text('preferred_name'),
  dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
  nhsNumber: text('nhs_number'),
  email: text('email'),
  mobile: text('mobile'),
  phone: text('phone'),
  address: text('address'),
  postcode: text('postcode'),
  contactMethods: text('contact_methods').array().notNull(),
  safeContactTimes: text('safe_contact_times'),
  mayLeaveMessages: boolean('may_leave_messages').notNull(),
  dischargedOn: date('discharged_on', { mode: 'string' }).notNull(),
  dischargeDestination: text('discharge_destination').notNull(),
  accessibilityNeeds: text('accessibility_needs'),
  safetyInformation: text('safety_information'),
  gpPracticeName: text('gp_practice_name'),
  gpPracticeEmail: text('gp_practice_email'),
  careCoordinatorName: text('care_coordinator_name'),
  careCoordinatorEmail: text('care_coordinator_email'),
  planSharingChosenAt: timestamptz('plan_sharing_chosen_at'),
  referredBy: uuid('referred_by').notNull(),
  referredAt: timestamptz('referred_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
  version: integer('version').notNull().default(1),
  reminderChannel: text('reminder_channel').notNull().default('none').$type<'sms' | 'email' | 'none'>(),
  reminderEarliestHour: smallint('reminder_earliest_hour').notNull().default(9),
  reminderLatestHour: smallint('reminder_latest_hour').notNull().default(20),
  /** Trial mode: no intervention for them (the control group, or withdrawn from it), and since when. */
  interventionWithheld: text('intervention_withheld').$type<'trial_control' | 'trial_withdrawn'>(),
  interventionWithheldOn: date('intervention_withheld_on', { mode: 'string' }),
});

export const allocations = pgTable('allocations', {
  id: uuid('id').primaryKey(),
  participantId: uuid('participant_id').notNull(),
  peerWorkerId: uuid('peer_worker_id').notNull(),
  allocatedBy: uuid('allocated_by').notNull(),
  allocatedAt: timestamptz('allocated_at').notNull(),
  reason: text('reason'),
  endedAt: timestamptz('ended_at'),
  endedBy: uuid('ended_by'),
  reallocationRequestedAt: timestamptz('reallocation_requested_at'),
  reallocationReason: text('reallocation_reason'),
});

export const auditEvents = pgTable('audit_events', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  chain: smallint('chain').notNull(),
  occurredAt: timestamptz('occurred_at').notNull(),
  actorType: text('actor_type').notNull(),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id'),
  ip: text('ip'),
  detail: jsonb('detail').notNull().default({}).$type<Record<string, unknown>>(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  /** false: written before the chain was keyed (2026-12-03-301), hashed without the key. */
  keyed: boolean('keyed').notNull(),
});

export const userSessions = pgTable('user_sessions', {
  idHash: text('id_hash').primaryKey(),
  subjectType: text('subject_type').notNull(),
  subjectId: uuid('subject_id').notNull(),
  stage: text('stage').notNull(),
  createdAt: timestamptz('created_at').notNull(),
  lastSeenAt: timestamptz('last_seen_at').notNull(),
  absoluteExpiresAt: timestamptz('absolute_expires_at').notNull(),
  endedAt: timestamptz('ended_at'),
  ip: text('ip'),
  pendingTotpSecret: text('pending_totp_secret'),
});

export const signInThrottles = pgTable('sign_in_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: timestamptz('window_started_at').notNull(),
  blockedUntil: timestamptz('blocked_until'),
});

export const participantSignInCodes = pgTable('participant_sign_in_codes', {
  id: uuid('id').primaryKey(),
  participantId: uuid('participant_id'),
  codeHash: text('code_hash').notNull(),
  channel: text('channel').notNull(),
  createdAt: timestamptz('created_at').notNull(),
  expiresAt: timestamptz('expires_at').notNull(),
  usedAt: timestamptz('used_at'),
  attempts: integer('attempts').notNull().default(0),
  contactHash: text('contact_hash'),
});

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey(),
  channel: text('channel').notNull(),
  recipient: text('recipient').notNull(),
  template: text('template').notNull(),
  personalisation: jsonb('personalisation').notNull().$type<Record<string, string>>(),
  status: text('status').notNull(),
  providerReference: text('provider_reference'),
  createdAt: timestamptz('created_at').notNull(),
});

export type OutboxState = 'queued' | 'sending' | 'sent' | 'not_delivered' | 'expired';

export const messageOutbox = pgTable('message_outbox', {
  id: uuid('id').primaryKey(),
  channel: text('channel').notNull().$type<'sms' | 'email'>(),
  recipient: text('recipient').notNull(),
  template: text('template').notNull(),
  personalisation: jsonb('personalisation').notNull().$type<Record<string, string>>(),
  preview: text('preview'),
  safety: boolean('safety').notNull().default(false),
  dutyContact: text('duty_contact'),
  trustId: uuid('trust_id'),
  crisisTeamId: uuid('crisis_team_id'),
  sourceKind: text('source_kind').notNull(),
  sourceId: text('source_id').notNull(),
  state: text('state').notNull().$type<OutboxState>(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamptz('next_attempt_at').notNull(),
  leaseUntil: timestamptz('lease_until'),
  expiresAt: timestamptz('expires_at'),
  providerReference: text('provider_reference'),
  lastError: text('last_error'),
  createdAt: timestamptz('created_at').notNull(),
  finishedAt: timestamptz('finished_at'),
});

export const programmeSessions = pgTable('programme_sessions', {
  id: uuid('id').primaryKey(),
  participantId: uuid('participant_id').notNull(),
  peerWorkerId: uuid('peer_worker_id').notNull(),
  bookedBy: uuid('booked_by').notNull(),
  bookedAt: timestamptz('booked_at').notNull(),
  plannedAt: timestamptz('planned_at').notNull(),
  mode: text('mode').notNull().$type<'in_person' | 'phone' | 'video'>(),
  place: text('place').$type<'home' | 'community_venue' | 'nhs_site'>(),
  status: text('status')
    .notNull()
    .default('planned')
    .$type<
      | 'planned'
      | 'attended'
      | 'did_not_attend'
      | 'cancelled_by_participant'
      | 'cancelled_by_worker'
      | 'rescheduled'
    >(),
  statusReason: text('status_reason'),
  statusReasonOther: text('status_reason_other'),
  durationMinutes: integer('duration_minutes'),
  sections: text('sections').array().notNull().default([]),
  storySharing: boolean('story_sharing'),
  note: text('note'),
  followUps: text('follow_ups'),
  outsideWindowReason: text('outside_window_reason'),
  recordedBy: uuid('recorded_by'),
  recordedAt: timestamptz('recorded_at'),
  submissionToken: uuid('submission_token').notNull(),
  version: integer('version').notNull().default(1),
  isEnding: boolean('is_ending').notNull().default(false),
  concernToRaise: boolean('concern_to_raise').notNull().default(false),
});

export const programmeSessionRevisions = pgTable('programme_session_revisions', {
  id: uuid('id').primaryKey(),
  sessionId: uuid('session_id').notNull(),
  version: integer('version').notNull(),
  snapshot: jsonb('snapshot').notNull().$type<Record<string, unknown>>(),
  changedBy: uuid('changed_by').notNull(),
  changedAt: timestamptz('changed_at').notNull(),
  why: text('why'),
});

export const contactAttempts = pgTable('contact_attempts', {
  id: uuid('id').primaryKey(),
  participantId: uuid('participant_id').notNull(),
  madeBy: uuid('made_by').notNull(),
  madeAt: timestamptz('made_at').notNull(),
  method: text('method').notNull().$type<'phone' | 'text' | 'email' | 'letter' | 'visit' | 'via_care_team'>(),
  outcome: text('outcome')
    .notNull()
    .$type<
      | 'spoke'
      | 'reply_received'
      | 'message_left'
      | 'no_answer'
      | 'wrong_number'
      | 'moved_away'
      | 'letter_returned'
      | 'other'
    >(),
  reached: boolean('reached').notNull(),
  note: text('note'),
  recordedAt: timestamptz('recorded_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

export const sessionReminders = pgTable('session_reminders', {
  id: uuid('id').primaryKey(),
  sessionId: uuid('session_id').notNull(),
  participantId: uuid('participant_id').notNull(),
  kind: text('kind').notNull().$type<'booked' | 'upcoming'>(),
  channel: text('channel').notNull().$type<'sms' | 'email'>(),
  recipient: text('recipient').notNull(),
  sessionStartsAt: timestamptz('session_starts_at').notNull(),
  dueAt: timestamptz('due_at').notNull(),
  status: text('status')
    .notNull()
    .default('scheduled')
    .$type<'scheduled' | 'sending' | 'sent' | 'delivered' | 'failed' | 'cancelled' | 'skipped'>(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamptz('next_attempt_at').notNull(),
  lastError: text('last_error'),
  notificationId: uuid('notification_id'),
  providerReference: text('provider_reference'),
  sentAt: timestamptz('sent_at'),
  statusCheckedAt: timestamptz('status_checked_at'),
  cancelledAt: timestamptz('cancelled_at'),
  statusReason: text('status_reason'),
  calendarTokenHash: text('calendar_token_hash'),
  createdAt: timestamptz('created_at').notNull(),
});

export const programmeEndings = pgTable('programme_endings', {
  participantId: uuid('participant_id').primaryKey(),
  reason: text('reason')
    .notNull()
    .$type<'completed' | 'window_expired' | 'participant_ended' | 'lost_contact' | 'readmitted' | 'other'>(),
  reasonOther: text('reason_other'),
  endedOn: date('ended_on', { mode: 'string' }).notNull(),
  sessionsAttended: integer('sessions_attended').notNull(),
  sections: text('sections').array().notNull(),
  onwardSupport: text('onward_support'),
  message: text('message'),
  shareConsent: text('share_consent').notNull().$type<'yes' | 'no' | 'not_asked'>(),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  version: integer('version').notNull().default(1),
});

export const programmeEndingShares = pgTable('programme_ending_shares', {
  id: uuid('id').primaryKey(),
  participantId: uuid('participant_id').notNull(),
  recipientKind: text('recipient_kind').notNull().$type<'crisis_team' | 'care_coordinator' | 'gp'>(),
  recipientName: text('recipient_name').notNull(),
  recipientEmail: text('recipient_email').notNull(),
  notificationId: uuid('notification_id'),
  sharedBy: uuid('shared_by').notNull(),
  sharedAt: timestamptz('shared_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

export const sessionChangeRequests = pgTable('session_change_requests', {
  id: uuid('id').primaryKey(),
  sessionId: uuid('session_id').notNull(),
  participantId: uuid('participant_id').notNull(),
  message: text('message'),
  requestedAt: timestamptz('requested_at').notNull(),
  resolvedAt: timestamptz('resolved_at'),
  resolvedBy: uuid('resolved_by'),
  submissionToken: uuid('submission_token').notNull(),
});

export type ConcernUrgency = 'immediate' | 'urgent' | 'routine';
export type ConcernAction =
  'called_participant' | 'arranged_visit' | 'advised_worker' | 'referred_on' | 'no_action';

export const safetyConcerns = pgTable('safety_concerns', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull().$type<'concern' | 'advice'>(),
  participantId: uuid('participant_id').notNull(),
  crisisTeamId: uuid('crisis_team_id').notNull(),
  sessionId: uuid('session_id'),
  raisedBy: uuid('raised_by').notNull(),
  raisedAt: timestamptz('raised_at').notNull(),
  urgency: text('urgency').notNull().$type<ConcernUrgency>(),
  whatHappened: text('what_happened').notNull(),
  called999At: timestamptz('called_999_at'),
  call999EscalatedAt: timestamptz('call_999_escalated_at'),
  participantKnows: text('participant_knows').$type<'yes' | 'no' | 'not_yet'>(),
  safetyOverride: boolean('safety_override').notNull().default(false),
  acknowledgeBy: timestamptz('acknowledge_by').notNull(),
  status: text('status').notNull().default('open').$type<'open' | 'acknowledged' | 'closed'>(),
  acknowledgedBy: uuid('acknowledged_by'),
  acknowledgedAt: timestamptz('acknowledged_at'),
  action: text('action').$type<ConcernAction>(),
  actionNote: text('action_note'),
  closedBy: uuid('closed_by'),
  closedAt: timestamptz('closed_at'),
  version: integer('version').notNull().default(1),
  submissionToken: uuid('submission_token').notNull(),
});

export const safetyConcernMessages = pgTable('safety_concern_messages', {
  id: uuid('id').primaryKey(),
  concernId: uuid('concern_id').notNull(),
  writtenBy: uuid('written_by').notNull(),
  writtenAt: timestamptz('written_at').notNull(),
  body: text('body').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

export const safetyConcernReads = pgTable(
  'safety_concern_reads',
  {
    concernId: uuid('concern_id').notNull(),
    readerId: uuid('reader_id').notNull(),
    readAt: timestamptz('read_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.concernId, t.readerId] })],
);

export const safetyEscalations = pgTable('safety_escalations', {
  id: uuid('id').primaryKey(),
  concernId: uuid('concern_id').notNull(),
  step: integer('step').notNull(),
  stepKind: text('step_kind').notNull().$type<'duty_contact' | 'supervisor' | 'coordinator'>(),
  escalatedAt: timestamptz('escalated_at').notNull(),
  recipients: text('recipients').array().notNull(),
});

export const loneWorkingVisits = pgTable('lone_working_visits', {
  id: uuid('id').primaryKey(),
  workerId: uuid('worker_id').notNull(),
  participantId: uuid('participant_id'),
  place: text('place').notNull(),
  checkedInAt: timestamptz('checked_in_at').notNull(),
  expectedEndAt: timestamptz('expected_end_at').notNull(),
  checkedOutAt: timestamptz('checked_out_at'),
  acknowledgedBy: uuid('acknowledged_by'),
  acknowledgedAt: timestamptz('acknowledged_at'),
  acknowledgementNote: text('acknowledgement_note'),
  submissionToken: uuid('submission_token').notNull(),
});

export const loneWorkingAlerts = pgTable('lone_working_alerts', {
  id: uuid('id').primaryKey(),
  visitId: uuid('visit_id').notNull(),
  step: integer('step').notNull(),
  stepKind: text('step_kind').notNull().$type<'supervisor' | 'coordinator'>(),
  alertedAt: timestamptz('alerted_at').notNull(),
  recipients: text('recipients').array().notNull(),
});

export const sharingConsents = pgTable('sharing_consents', {
  id: uuid('id').primaryKey(),
  participantId: uuid('participant_id').notNull(),
  consent: text('consent').notNull().$type<'yes' | 'no'>(),
  scope: text('scope'),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

export const recoveryPlans = pgTable('recovery_plans', {
  participantId: uuid('participant_id').primaryKey(),
  templateVersion: integer('template_version').notNull(),
  startedAt: timestamptz('started_at').notNull(),
});

export const planSectionSharing = pgTable(
  'plan_section_sharing',
  {
    participantId: uuid('participant_id').notNull(),
    sectionKey: text('section_key').notNull(),
    visibility: text('visibility').notNull().$type<'private' | 'worker' | 'care_team'>(),
    changedAt: timestamptz('changed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.participantId, t.sectionKey] })],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const planMedia = pgTable('plan_media', {
  id: uuid('id').primaryKey(),
  participantId: uuid('participant_id').notNull(),
  kind: text('kind').notNull().$type<'drawing' | 'photo' | 'voice'>(),
  contentType: text('content_type')
    .notNull()
    .$type<'image/png' | 'image/jpeg' | 'audio/webm' | 'audio/ogg' | 'audio/mp4'>(),
  /** Null once deleted (`deleted_at`): a removed item's bytes go after the history period. */
  bytes: bytea('bytes'),
  byteSize: integer('byte_size').notNull(),
  width: integer('width'),
  height: integer('height'),
  createdByKind: text('created_by_kind').notNull().$type<'participant' | 'worker'>(),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamptz('created_at').notNull(),
  deletedAt: timestamptz('deleted_at'),
});

export const planEntries = pgTable('plan_entries', {
  id: uuid('id').primaryKey(),
  participantId: uuid('participant_id').notNull(),
  sectionKey: text('section_key').notNull(),
  fieldKey: text('field_key').notNull(),
  kind: text('kind').notNull().$type<'text' | 'list_item' | 'goal' | 'supporter' | 'service' | 'media'>(),
  content: jsonb('content').notNull().$type<Record<string, unknown>>(),
  mediaId: uuid('media_id'),
  removed: boolean('removed').notNull().default(false),
  revision: integer('revision').notNull(),
  writtenByKind: text('written_by_kind').notNull().$type<'participant' | 'worker'>(),
  writtenBy: uuid('written_by').notNull(),
  createdAt: timestamptz('created_at').notNull(),
  updatedAt: timestamptz('updated_at').notNull(),
});

export const planEntryRevisions = pgTable(
  'plan_entry_revisions',
  {
    entryId: uuid('entry_id').notNull(),
    revision: integer('revision').notNull(),
    content: jsonb('content').notNull().$type<Record<string, unknown>>(),
    removed: boolean('removed').notNull(),
    change: text('change').notNull().$type<'written' | 'removed' | 'restored'>(),
    writtenByKind: text('written_by_kind').notNull().$type<'participant' | 'worker'>(),
    writtenBy: uuid('written_by').notNull(),
    writtenAt: timestamptz('written_at').notNull(),
    saveId: uuid('save_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.revision] })],
);

/** Training completions (issue 15): the latest of an item not withdrawn is the one in force. */
export const trainingRecords = pgTable('training_records', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  staffId: uuid('staff_id').notNull(),
  itemKey: text('item_key').notNull(),
  completedOn: date('completed_on', { mode: 'string' }).notNull(),
  provider: text('provider').notNull(),
  note: text('note'),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
  withdrawnAt: timestamptz('withdrawn_at'),
  withdrawnBy: uuid('withdrawn_by'),
  withdrawnReason: text('withdrawn_reason'),
});

export const preEmploymentChecks = pgTable('pre_employment_checks', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  staffId: uuid('staff_id').notNull(),
  kind: text('kind').notNull().$type<'dbs' | 'references' | 'right_to_work' | 'occupational_health'>(),
  completedOn: date('completed_on', { mode: 'string' }).notNull(),
  renewBy: date('renew_by', { mode: 'string' }),
  note: text('note'),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

export const allocationOverrides = pgTable('allocation_overrides', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  staffId: uuid('staff_id').notNull(),
  reason: text('reason').notNull(),
  untilOn: date('until_on', { mode: 'string' }).notNull(),
  grantedBy: uuid('granted_by'),
  grantedAt: timestamptz('granted_at').notNull(),
  endedAt: timestamptz('ended_at'),
  endedBy: uuid('ended_by'),
});

export const trainingReminders = pgTable('training_reminders', {
  id: uuid('id').primaryKey(),
  staffId: uuid('staff_id').notNull(),
  itemKey: text('item_key').notNull(),
  expiresOn: date('expires_on', { mode: 'string' }).notNull(),
  kind: text('kind').notNull().$type<'due_soon' | 'expired'>(),
  sentAt: timestamptz('sent_at').notNull(),
  recipients: integer('recipients').notNull(),
});

/** A worker's private request for support from their supervisor (issue 15, part 5). */
export const wellbeingRequests = pgTable('wellbeing_requests', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  staffId: uuid('staff_id').notNull(),
  crisisTeamId: uuid('crisis_team_id'),
  afterSession: boolean('after_session').notNull(),
  note: text('note'),
  supervisorIds: uuid('supervisor_ids').array().notNull(),
  raisedAt: timestamptz('raised_at').notNull(),
  acknowledgedAt: timestamptz('acknowledged_at'),
  acknowledgedBy: uuid('acknowledged_by'),
  submissionToken: uuid('submission_token').notNull(),
});

/** 1:1 and group supervision (issue 15, part 3). */
export const supervisionSessions = pgTable('supervision_sessions', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  kind: text('kind').notNull().$type<'one_to_one' | 'group'>(),
  heldOn: date('held_on', { mode: 'string' }).notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  workerId: uuid('worker_id'),
  supervisorId: uuid('supervisor_id'),
  facilitator: text('facilitator'),
  themes: text('themes').array().notNull().default([]),
  notes: text('notes'),
  nextOn: date('next_on', { mode: 'string' }),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

export const supervisionAttendees = pgTable(
  'supervision_attendees',
  {
    sessionId: uuid('session_id').notNull(),
    workerId: uuid('worker_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.workerId] })],
);

export const supervisionActions = pgTable('supervision_actions', {
  id: uuid('id').primaryKey(),
  sessionId: uuid('session_id').notNull(),
  position: integer('position').notNull(),
  action: text('action').notNull(),
  dueOn: date('due_on', { mode: 'string' }).notNull(),
});

export const supervisionFidelity = pgTable(
  'supervision_fidelity',
  {
    sessionId: uuid('session_id').notNull(),
    itemKey: text('item_key').notNull(),
    score: integer('score').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.itemKey] })],
);

/** A worker's request for support from an experienced peer worker, and its thread (issue 15, part 4). */
export const peerSupportRequests = pgTable('peer_support_requests', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  requesterId: uuid('requester_id').notNull(),
  topic: text('topic').notNull(),
  topicText: text('topic_text'),
  neededBy: text('needed_by').notNull().$type<'today' | 'this_week'>(),
  raisedAt: timestamptz('raised_at').notNull(),
  takenBy: uuid('taken_by'),
  takenAt: timestamptz('taken_at'),
  closedAt: timestamptz('closed_at'),
  closedBy: uuid('closed_by'),
  surfacedAt: timestamptz('surfaced_at'),
  submissionToken: uuid('submission_token').notNull(),
  version: integer('version').notNull().default(1),
});

export const peerSupportMessages = pgTable('peer_support_messages', {
  id: uuid('id').primaryKey(),
  requestId: uuid('request_id').notNull(),
  authorId: uuid('author_id').notNull(),
  body: text('body').notNull(),
  sentAt: timestamptz('sent_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

/** Appointment panels (issue 15, part 1). */
export const vacancies = pgTable('vacancies', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  crisisTeamId: uuid('crisis_team_id').notNull(),
  title: text('title').notNull(),
  hoursPerWeek: numeric('hours_per_week', { precision: 4, scale: 1, mode: 'number' }).notNull(),
  closingOn: date('closing_on', { mode: 'string' }).notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamptz('created_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

export const panelMembers = pgTable(
  'panel_members',
  {
    vacancyId: uuid('vacancy_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    chair: boolean('chair').notNull(),
  },
  (t) => [primaryKey({ columns: [t.vacancyId, t.staffId] })],
);

export const candidates = pgTable('candidates', {
  id: uuid('id').primaryKey(),
  vacancyId: uuid('vacancy_id').notNull(),
  trustId: uuid('trust_id').notNull(),
  fullName: text('full_name').notNull(),
  email: text('email').notNull(),
  phone: text('phone'),
  addedBy: uuid('added_by').notNull(),
  addedAt: timestamptz('added_at').notNull(),
  outcome: text('outcome').$type<'appointed' | 'not_appointed'>(),
  decisionReasons: text('decision_reasons'),
  decidedBy: uuid('decided_by'),
  decidedAt: timestamptz('decided_at'),
  staffId: uuid('staff_id'),
  submissionToken: uuid('submission_token').notNull(),
});

export const panelScores = pgTable(
  'panel_scores',
  {
    candidateId: uuid('candidate_id').notNull(),
    memberId: uuid('member_id').notNull(),
    criterionKey: text('criterion_key').notNull(),
    score: integer('score').notNull(),
    note: text('note'),
    submittedAt: timestamptz('submitted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.candidateId, t.memberId, t.criterionKey] })],
);

/** Optional equality monitoring answers about a participant (issue 16, part A). */
export const equalityMonitoring = pgTable('equality_monitoring', {
  participantId: uuid('participant_id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  ethnicity: text('ethnicity'),
  gender: text('gender'),
  firstLanguage: text('first_language').$type<'english' | 'other' | 'prefer_not_to_say'>(),
  firstLanguageName: text('first_language_name'),
  interpreterNeeded: text('interpreter_needed').$type<'yes' | 'no' | 'prefer_not_to_say'>(),
  disability: text('disability').$type<'yes' | 'no' | 'prefer_not_to_say'>(),
  recordedBy: uuid('recorded_by'),
  recordedAt: timestamptz('recorded_at').notNull(),
  version: integer('version').notNull().default(1),
});

/**
 * What has happened to each participant so far, kept by triggers from their sessions,
 * allocations and safety concerns (migrations/2026-12-05-003-participant-progress.sql).
 */
export const participantProgress = pgTable('participant_progress', {
  participantId: uuid('participant_id').primaryKey(),
  attended: integer('attended').notNull(),
  firstAttendedAt: timestamptz('first_attended_at'),
  sections: text('sections').array().notNull(),
  firstAllocatedAt: timestamptz('first_allocated_at'),
  concerns: integer('concerns').notNull(),
});

/**
 * Participants' feedback at the end of the programme: no participant, no worker (src/feedback/).
 * `answers` maps a question's key to its answer's value.
 */
export const programmeFeedback = pgTable('programme_feedback', {
  id: uuid('id').primaryKey(),
  trustId: uuid('trust_id').notNull(),
  crisisTeamId: uuid('crisis_team_id').notNull(),
  endedMonth: date('ended_month', { mode: 'string' }).notNull(),
  answers: jsonb('answers').notNull().$type<Record<string, number | 'prefer_not'>>(),
  comment: text('comment'),
});

/** That a participant gave feedback or said no thanks: asked once, a resubmission finds it. */
export const programmeFeedbackResponses = pgTable('programme_feedback_responses', {
  participantId: uuid('participant_id').primaryKey(),
  outcome: text('outcome').notNull().$type<'given' | 'declined'>(),
  submissionToken: uuid('submission_token').notNull(),
});

/** Trial mode (src/trial/): the trial, and the trusts taking part in it. */
export const trials = pgTable('trials', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  shortCode: text('short_code').notNull(),
  openedAt: timestamptz('opened_at').notNull(),
  lockedAt: timestamptz('locked_at'),
  lockedBy: uuid('locked_by'),
});

export const trialSites = pgTable(
  'trial_sites',
  {
    trialId: uuid('trial_id').notNull(),
    trustId: uuid('trust_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.trustId] })],
);

/** The screening log: initials and year of birth only, never an identifiable record. */
export const trialScreenings = pgTable('trial_screenings', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  trustId: uuid('trust_id').notNull(),
  crisisTeamId: uuid('crisis_team_id').notNull(),
  screenedOn: date('screened_on', { mode: 'string' }).notNull(),
  screenedBy: uuid('screened_by').notNull(),
  screenedAt: timestamptz('screened_at').notNull(),
  initials: text('initials').notNull(),
  yearOfBirth: smallint('year_of_birth').notNull(),
  checklistVersion: integer('checklist_version').notNull(),
  answers: jsonb('answers').notNull().$type<Record<string, 'yes' | 'no'>>(),
  eligible: boolean('eligible').notNull(),
  ineligibleReasons: text('ineligible_reasons').array().notNull(),
  approach: text('approach').$type<'consented' | 'declined' | 'not_approached'>(),
  approachReason: text('approach_reason'),
  approachRecordedBy: uuid('approach_recorded_by'),
  approachRecordedAt: timestamptz('approach_recorded_at'),
  submissionToken: uuid('submission_token').notNull(),
});

export const trialConsents = pgTable('trial_consents', {
  id: uuid('id').primaryKey(),
  screeningId: uuid('screening_id').notNull(),
  documentVersion: text('document_version').notNull(),
  takenBy: uuid('taken_by').notNull(),
  takenOn: date('taken_on', { mode: 'string' }).notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  capacityConfirmed: boolean('capacity_confirmed').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

/** Withdrawals from a trial, never changed or deleted (a trigger refuses it). */
export const trialWithdrawals = pgTable('trial_withdrawals', {
  id: uuid('id').primaryKey(),
  consentId: uuid('consent_id').notNull(),
  scope: text('scope').notNull().$type<'intervention' | 'follow_up' | 'data'>(),
  withdrawnOn: date('withdrawn_on', { mode: 'string' }).notNull(),
  reason: text('reason'),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

/** Each stratum's allocation sequence, read only when someone is randomised (src/trial/). */
export const trialAllocationSlots = pgTable(
  'trial_allocation_slots',
  {
    trialId: uuid('trial_id').notNull(),
    crisisTeamId: uuid('crisis_team_id').notNull(),
    position: integer('position').notNull(),
    arm: text('arm').notNull().$type<'intervention' | 'control'>(),
    madeAt: timestamptz('made_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.crisisTeamId, t.position] })],
);

/** A randomisation: the consent, the study id, the stratum's slot and its arm. */
export const trialRandomisations = pgTable('trial_randomisations', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  consentId: uuid('consent_id').notNull(),
  studyNumber: integer('study_number').notNull(),
  studyId: text('study_id').notNull(),
  crisisTeamId: uuid('crisis_team_id').notNull(),
  position: integer('position').notNull(),
  arm: text('arm').notNull().$type<'intervention' | 'control'>(),
  randomisedBy: uuid('randomised_by').notNull(),
  randomisedAt: timestamptz('randomised_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
  /** Their participant record, once linked (the intervention arm's referral, the control arm's contact details). */
  participantId: uuid('participant_id'),
});

/** The control group's workbook posted to a randomised participant (src/trial/). */
export const trialWorkbookPostings = pgTable('trial_workbook_postings', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  randomisationId: uuid('randomisation_id').notNull(),
  postedOn: date('posted_on', { mode: 'string' }).notNull(),
  workbookVersion: text('workbook_version').notNull(),
  postedBy: uuid('posted_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

/** A serious adverse event of a randomised participant, with its reporting clock (src/trial/). */
export const trialSaes = pgTable('trial_saes', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  randomisationId: uuid('randomisation_id').notNull(),
  kind: text('kind').notNull(),
  onsetOn: date('onset_on', { mode: 'string' }).notNull(),
  awareAt: timestamptz('aware_at').notNull(),
  reportBy: timestamptz('report_by').notNull(),
  summary: text('summary').notNull(),
  relatedness: text('relatedness')
    .notNull()
    .$type<'not_related' | 'unlikely' | 'possibly' | 'probably' | 'definitely'>(),
  expectedness: text('expectedness').notNull().$type<'expected' | 'unexpected'>(),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  reportedAt: timestamptz('reported_at'),
  reportedBy: uuid('reported_by'),
  sponsorReference: text('sponsor_reference'),
  warnedAt: timestamptz('warned_at'),
  overdueAt: timestamptz('overdue_at'),
  submissionToken: uuid('submission_token').notNull(),
});

/** An acute-care episode of a randomised participant, for the primary outcome (src/trial/). */
export const trialAcuteEpisodes = pgTable('trial_acute_episodes', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  randomisationId: uuid('randomisation_id').notNull(),
  kind: text('kind').notNull(),
  startedOn: date('started_on', { mode: 'string' }).notNull(),
  endedOn: date('ended_on', { mode: 'string' }),
  source: text('source').notNull(),
  notes: text('notes'),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  changedBy: uuid('changed_by'),
  changedAt: timestamptz('changed_at'),
  version: integer('version').notNull().default(1),
  submissionToken: uuid('submission_token').notNull(),
});

/** A data monitoring committee report of outcomes by arm, asked for by the unblinded statistician. */
export const trialDmcReports = pgTable('trial_dmc_reports', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  meetingOn: date('meeting_on', { mode: 'string' }).notNull(),
  purpose: text('purpose').notNull(),
  requestedBy: uuid('requested_by').notNull(),
  requestedAt: timestamptz('requested_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

/** A follow-up time point's outcome for a randomised person (src/trial/follow-up.service.ts). */
export const trialFollowUps = pgTable('trial_follow_ups', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  randomisationId: uuid('randomisation_id').notNull(),
  timePoint: text('time_point').notNull(),
  outcome: text('outcome').notNull().$type<'done' | 'not_done'>(),
  notDoneReason: text('not_done_reason').$type<
    'could_not_contact' | 'declined' | 'too_unwell' | 'moved_away' | 'died' | 'other'
  >(),
  completedBy: text('completed_by').notNull().$type<'assessor' | 'participant'>(),
  recordedBy: uuid('recorded_by'),
  recordedAt: timestamptz('recorded_at').notNull(),
  armGuess: text('arm_guess').$type<'intervention' | 'control' | 'dont_know'>(),
  guessCertainty: text('guess_certainty').$type<'certain' | 'fairly_sure' | 'not_sure'>(),
  submissionToken: uuid('submission_token').notNull(),
});

/** A questionnaire answered at a follow-up, as a FHIR QuestionnaireResponse, with its score. */
export const trialQuestionnaireResponses = pgTable('trial_questionnaire_responses', {
  id: uuid('id').primaryKey(),
  followUpId: uuid('follow_up_id').notNull(),
  questionnaire: text('questionnaire').notNull(),
  response: jsonb('response').notNull().$type<Record<string, unknown>>(),
  score: numeric('score', { mode: 'number' }),
  itemsMissing: integer('items_missing').notNull(),
});

/** A one-time link to complete a follow-up online: only the token's hash is kept. */
export const trialFollowUpInvitations = pgTable('trial_follow_up_invitations', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  randomisationId: uuid('randomisation_id').notNull(),
  timePoint: text('time_point').notNull(),
  tokenHash: text('token_hash').notNull(),
  channel: text('channel').notNull().$type<'email' | 'sms'>(),
  sentBy: uuid('sent_by').notNull(),
  sentAt: timestamptz('sent_at').notNull(),
  expiresAt: timestamptz('expires_at').notNull(),
  usedAt: timestamptz('used_at'),
  submissionToken: uuid('submission_token').notNull(),
});

/** An accidental unblinding: who learned whose arm, how and when (kept for good). */
export const trialUnblindings = pgTable('trial_unblindings', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  randomisationId: uuid('randomisation_id').notNull(),
  staffId: uuid('staff_id').notNull(),
  learnedOn: date('learned_on', { mode: 'string' }).notNull(),
  how: text('how').notNull(),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

/** A data query on one value of a randomised person's trial record (src/trial/data-query.service.ts). */
export const trialDataQueries = pgTable('trial_data_queries', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  randomisationId: uuid('randomisation_id').notNull(),
  field: text('field').notNull(),
  valueAsRaised: text('value_as_raised'),
  question: text('question').notNull(),
  status: text('status').notNull().$type<'open' | 'answered' | 'closed'>(),
  raisedBy: uuid('raised_by').notNull(),
  raisedAt: timestamptz('raised_at').notNull(),
  openSince: timestamptz('open_since').notNull(),
  closedBy: uuid('closed_by'),
  closedAt: timestamptz('closed_at'),
  submissionToken: uuid('submission_token').notNull(),
});

/** A data query's answers and follow-ups, each kept. */
export const trialDataQueryReplies = pgTable('trial_data_query_replies', {
  id: uuid('id').primaryKey(),
  queryId: uuid('query_id').notNull(),
  kind: text('kind').notNull().$type<'answer' | 'follow_up'>(),
  body: text('body').notNull(),
  valueCorrected: boolean('value_corrected'),
  writtenBy: uuid('written_by').notNull(),
  writtenAt: timestamptz('written_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

/** A protocol deviation (src/trial/deviation.service.ts). */
export const trialDeviations = pgTable('trial_deviations', {
  id: uuid('id').primaryKey(),
  trialId: uuid('trial_id').notNull(),
  randomisationId: uuid('randomisation_id'),
  kind: text('kind').notNull(),
  occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
  description: text('description').notNull(),
  severity: text('severity').notNull().$type<'minor' | 'major' | 'serious_breach'>(),
  correctiveAction: text('corrective_action').notNull(),
  preventiveAction: text('preventive_action').notNull(),
  recordedBy: uuid('recorded_by').notNull(),
  recordedAt: timestamptz('recorded_at').notNull(),
  submissionToken: uuid('submission_token').notNull(),
});

/** When a sign-in session last gave a fresh authenticator code for the trial's exports. */
export const trialExportVerifications = pgTable('trial_export_verifications', {
  sessionIdHash: text('session_id_hash').primaryKey(),
  staffId: uuid('staff_id').notNull(),
  verifiedAt: timestamptz('verified_at').notNull(),
});

export const schema = {
  vacancies,
  panelMembers,
  candidates,
  panelScores,
  peerSupportRequests,
  peerSupportMessages,
  supervisionFidelity,
  supervisionSessions,
  supervisionAttendees,
  supervisionActions,
  wellbeingRequests,
  trainingRecords,
  preEmploymentChecks,
  allocationOverrides,
  trainingReminders,
  trusts,
  crisisTeams,
  staffUsers,
  staffSetUpLinks,
  participants,
  allocations,
  auditEvents,
  userSessions,
  signInThrottles,
  participantSignInCodes,
  notifications,
  messageOutbox,
  programmeSessions,
  programmeSessionRevisions,
  contactAttempts,
  sessionReminders,
  programmeEndings,
  programmeEndingShares,
  sessionChangeRequests,
  safetyConcerns,
  safetyConcernMessages,
  safetyConcernReads,
  safetyEscalations,
  loneWorkingVisits,
  loneWorkingAlerts,
  sharingConsents,
  recoveryPlans,
  planSectionSharing,
  planMedia,
  planEntries,
  planEntryRevisions,
  equalityMonitoring,
  participantProgress,
  programmeFeedback,
  programmeFeedbackResponses,
  trials,
  trialSites,
  trialScreenings,
  trialConsents,
  trialWithdrawals,
  trialAllocationSlots,
  trialRandomisations,
  trialSaes,
  trialWorkbookPostings,
  trialAcuteEpisodes,
  trialDmcReports,
  trialFollowUps,
  trialQuestionnaireResponses,
  trialFollowUpInvitations,
  trialUnblindings,
  trialDataQueries,
  trialDataQueryReplies,
  trialDeviations,
  trialExportVerifications,
};
