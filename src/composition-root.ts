/**
 * The one place where every repository, service and client is built (STYLE.md habit 1).
 * Tests call buildDependencies with their own database, clock or notification sender.
 */
import { ReadinessRepository } from './platform/health/readiness.repository.ts';
import { ReadinessService } from './platform/health/readiness.service.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './platform/database/database.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { NotificationSender } from './platform/notifications/notification-sender.ts';
import { NotificationsRepository } from './platform/notifications/notifications.repository.ts';
import { OutboxSender } from './platform/notifications/outbox-sender.ts';
import { createNotifyClient, NotifySender } from './platform/notifications/notify-sender.ts';
import { MessageOutbox } from './platform/notifications/message-outbox.ts';
import { MessageOutboxRepository } from './platform/notifications/message-outbox.repository.ts';
import { UndeliveredMessagesService } from './messages/undelivered-messages.service.ts';
import { outboxJobs } from './platform/notifications/outbox-jobs.ts';
import { AuditRepository } from './audit/audit.repository.ts';
import { AuditService } from './audit/audit.service.ts';
import type { AuditKey } from './audit/audit-key.ts';
import { AuditCheckpointService } from './audit/audit-checkpoint.service.ts';
import { auditJobs, type CheckpointLog } from './audit/audit-jobs.ts';
import { FileCheckpointSink, LogCheckpointSink } from './audit/checkpoint-sink.ts';
import { SignInSessionRepository } from './identity/sign-in-session.repository.ts';
import { SignInSessionService } from './identity/sign-in-session.service.ts';
import { SignInCodeRepository } from './identity/sign-in-code.repository.ts';
import { SignInThrottle, ThrottleRepository } from './identity/throttle.ts';
import { StaffSignInService } from './identity/staff-sign-in.service.ts';
import { AccountMessages } from './identity/account-messages.ts';
import { AccountPasswordService } from './identity/account-password.service.ts';
import { SetUpLinkRepository } from './identity/set-up-link.repository.ts';
import { SetUpLinkService } from './identity/set-up-link.service.ts';
import { ParticipantSignInService } from './identity/participant-sign-in.service.ts';
import { SignInCodeDeliveryService } from './identity/sign-in-code-delivery.service.ts';
import { signInCodeJobs } from './identity/sign-in-code-jobs.ts';
import { createJobQueue, type Job, type JobQueue, type JobSender } from './platform/jobs/job-queue.ts';
import { reminderJobs } from './reminders/reminder-jobs.ts';
import { escalationJobs } from './concerns/escalation-jobs.ts';
import { loneWorkingJobs } from './lone-working/lone-working-jobs.ts';
import { planMediaJobs } from './plan/media-jobs.ts';
import { RetentionService } from './retention/retention.service.ts';
import { retentionJobs } from './retention/retention-jobs.ts';
import { IdentityService } from './identity/identity.service.ts';
import { StaffRepository } from './organisation/staff.repository.ts';
import { TeamRepository } from './organisation/team.repository.ts';
import { StaffAdminService } from './organisation/staff-admin.service.ts';
import { StaffCredentialsService } from './organisation/staff-credentials.service.ts';
import { TeamAdminService } from './organisation/team-admin.service.ts';
import { ParticipantRepository } from './participants/participant.repository.ts';
import { ParticipantService } from './participants/participant.service.ts';
import { ReferralService } from './referral/referral.service.ts';
import { AllocationService } from './allocation/allocation.service.ts';
import { CaseloadService } from './caseload/caseload.service.ts';
import { CaseloadRepository } from './caseload/caseload.repository.ts';
import { DemoService } from './demo/demo.service.ts';
import { ProgrammeSessionRepository } from './sessions/session.repository.ts';
import { ProgrammeSessionsService } from './sessions/sessions.service.ts';
import { ChangeRequestRepository } from './sessions/change-request.repository.ts';
import { ChangeRequestsService } from './sessions/change-requests.service.ts';
import { ReminderRepository } from './reminders/reminder.repository.ts';
import { ReminderSchedulingService } from './reminders/reminder-scheduling.service.ts';
import { ReminderPreferencesService } from './reminders/reminder-preferences.service.ts';
import { ReminderCalendarService } from './reminders/reminder-calendar.service.ts';
import { ReminderDeliveryService } from './reminders/reminder-delivery.service.ts';
import { EndingRepository } from './endings/ending.repository.ts';
import { EndingsService } from './endings/endings.service.ts';
import { EndingSummaryService } from './endings/ending-summary.service.ts';
import { EndingShareService } from './endings/ending-share.service.ts';
import { ContactAttemptRepository } from './contact/contact-attempt.repository.ts';
import { ContactService } from './contact/contact.service.ts';
import { EscalationRepository } from './concerns/escalation.repository.ts';
import { EscalationService } from './concerns/escalation.service.ts';
import { OversightRepository } from './concerns/oversight.repository.ts';
import { OversightService } from './concerns/oversight.service.ts';
import { SharingConsentRepository } from './consent/consent.repository.ts';
import { ConsentService } from './consent/consent.service.ts';
import { PlanRepository } from './plan/plan.repository.ts';
import { PlanAccess } from './plan/plan-access.ts';
import { PlanReadingService } from './plan/plan-reading.service.ts';
import { PlanWritingService } from './plan/plan-writing.service.ts';
import { PlanSharingService } from './plan/plan-sharing.service.ts';
import { PlanDocumentsService } from './plan/plan-documents.service.ts';
import { loadPlanTemplates } from './plan/plan-template.ts';
import { PLAN_TASKS_SCRIPT, PlanTasks, type PlanTaskMap } from './plan/plan-tasks.ts';
import { DEFAULT_PDF_SETTINGS, PlanPdfService } from './plan/plan-pdf.service.ts';
import { MediaStorageRepository } from './plan/media-storage.repository.ts';
import { MediaStorageService } from './plan/media-storage.service.ts';
import { WorkerPool } from './platform/workers/worker-pool.ts';
import { LoneWorkingRepository } from './lone-working/lone-working.repository.ts';
import { LoneWorkingService } from './lone-working/lone-working.service.ts';
import { LoneWorkingAlertService } from './lone-working/lone-working-alert.service.ts';
import { ConcernRepository } from './concerns/concern.repository.ts';
import { ConcernRaisingService } from './concerns/concern-raising.service.ts';
import { ConcernThreadService } from './concerns/concern-thread.service.ts';
import { DutyInboxService } from './concerns/duty-inbox.service.ts';
import { WorkerConcernsService } from './concerns/worker-concerns.service.ts';

export interface Dependencies {
  config: Config;
  /** The one logger: Fastify's (`loggerInstance`) and every service's that logs. */
  logger: Logger;
  clock: Clock;
  database: Database;
  /** Started by the server with `backgroundJobs`; services hand it work through `JobSender`. */
  jobQueue: JobQueue;
  services: ReturnType<typeof buildServices> & { readiness: ReadinessService };
}

/**
 * How long a sender holds a message it is sending before another may look it up by reference
 * and take it over: well beyond GOV.UK Notify's answer time, short enough for a safety alert.
 */
const OUTBOX_LEASE_MS = 2 * 60_000;

function buildServices(
  config: Config,
  db: Db,
  clock: Clock,
  sender: NotificationSender | undefined,
  auditKey: AuditKey,
  jobs: JobSender,
  log: Logger,
) {
  const auditRepository = new AuditRepository();
  const audit = new AuditService(auditRepository, clock, auditKey);
  const staffRepository = new StaffRepository();
  const teamRepository = new TeamRepository();
  const participantRepository = new ParticipantRepository();
  const programmeSessionRepository = new ProgrammeSessionRepository();
  const endingRepository = new EndingRepository();
  const notificationsRepository = new NotificationsRepository();
  const changeRequestRepository = new ChangeRequestRepository();
  const signInSessionRepository = new SignInSessionRepository();
  const signInSessions = new SignInSessionService(db, signInSessionRepository, clock, config.signInSession);
  const throttleRepository = new ThrottleRepository();
  const throttle = new SignInThrottle(throttleRepository, clock);
  const notifications =
    sender ??
    (config.notify
      ? new NotifySender(
          createNotifyClient(config.notify.apiKey),
          config.notify.templates,
          db,
          notificationsRepository,
          clock,
        )
      : new OutboxSender(db, notificationsRepository, clock));
  const messageOutboxRepository = new MessageOutboxRepository();
  const messageOutbox = new MessageOutbox(
    db,
    messageOutboxRepository,
    notifications,
    audit,
    clock,
    {
      maxAttempts: config.reminders.maxAttempts,
      leaseMs: OUTBOX_LEASE_MS,
    },
    log,
  );
  const undeliveredMessages = new UndeliveredMessagesService(db, messageOutboxRepository, audit);
  const accountMessages = new AccountMessages(messageOutbox, config.publicUrl, log);
  const setUpLinkRepository = new SetUpLinkRepository();
  const setUpLinks = new SetUpLinkService(
    db,
    setUpLinkRepository,
    staffRepository,
    signInSessions,
    accountMessages,
    audit,
    clock,
    config.accounts.temporaryPasswordHours,
  );
  const staffSignIn = new StaffSignInService(
    db,
    staffRepository,
    signInSessions,
    throttle,
    accountMessages,
    audit,
    clock,
  );
  const signInCodes = new SignInCodeRepository();
  const participantSignIn = new ParticipantSignInService(
    db,
    participantRepository,
    signInCodes,
    signInSessions,
    throttle,
    jobs,
    audit,
    clock,
    config.signInCodesPerDay,
  );
  // The recovery plan's template, read and checked once at start-up.
  const planTemplates = loadPlanTemplates(config.plan);
  const planRepository = new PlanRepository();
  const planAccess = new PlanAccess(participantRepository, planRepository, audit, clock, planTemplates);
  const planDocuments = new PlanDocumentsService(db, planAccess, planRepository, clock);
  const endingSummaries = new EndingSummaryService(
    db,
    participantRepository,
    endingRepository,
    audit,
    config.programme.sessionCap,
    planDocuments,
  );
  // PDFs and uploads run on worker threads, started when first needed. sharp (libvips) must be
  // loaded by the main thread before any worker loads it (its shared libraries, on glibc).
  const planTasks = new PlanTasks(
    new WorkerPool<PlanTaskMap>(PLAN_TASKS_SCRIPT, {
      size: config.workers.threads,
      queueLimit: config.workers.queueLimit,
      beforeFirstStart: () => import('sharp'),
    }),
  );
  const reminderRepository = new ReminderRepository();
  const concernRepository = new ConcernRepository();
  const sharingConsentRepository = new SharingConsentRepository();
  const loneWorkingRepository = new LoneWorkingRepository();
  const reminderSettings = { ...config.reminders, publicUrl: config.publicUrl };
  const reminderScheduling = new ReminderSchedulingService(reminderRepository, clock, reminderSettings);
  return {
    audit,
    auditCheckpoints: new AuditCheckpointService(
      db,
      auditRepository,
      auditKey,
      clock,
      config.audit.checkpointFile
        ? new FileCheckpointSink(config.audit.checkpointFile)
        : new LogCheckpointSink(),
    ),
    signInSessions,
    notifications,
    messageOutbox,
    reminderScheduling,
    reminderPreferences: new ReminderPreferencesService(
      db,
      reminderRepository,
      participantRepository,
      reminderScheduling,
      audit,
      clock,
    ),
    reminderCalendar: new ReminderCalendarService(
      db,
      reminderRepository,
      participantRepository,
      audit,
      clock,
      reminderSettings,
    ),
    reminderDelivery: new ReminderDeliveryService(
      db,
      reminderRepository,
      messageOutbox,
      notifications,
      audit,
      clock,
      reminderSettings,
    ),
    identity: new IdentityService(db, signInSessions, audit),
    accountMessages,
    staffSignIn,
    accountPassword: new AccountPasswordService(
      db,
      staffRepository,
      signInSessions,
      staffSignIn,
      throttle,
      accountMessages,
      audit,
      clock,
    ),
    setUpLinks,
    participantSignIn,
    signInCodeDelivery: new SignInCodeDeliveryService(
      db,
      participantRepository,
      signInCodes,
      throttle,
      messageOutbox,
      audit,
      clock,
      config.signInCodesPerDay,
      log,
    ),
    retention: new RetentionService(
      db,
      {
        notifications: notificationsRepository,
        outboxMessages: messageOutboxRepository,
        signInSessions: signInSessionRepository,
        signInCodes,
        throttles: throttleRepository,
      },
      audit,
      clock,
      config.retention,
    ),
    participants: new ParticipantService(
      db,
      participantRepository,
      teamRepository,
      programmeSessionRepository,
      audit,
      clock,
      config.programme.sessionCap,
      config.sessionStatusReasons,
      {
        windowMonths: config.programme.windowMonths,
        windowClosingDays: config.prompts.windowClosingDays,
      },
    ),
    referrals: new ReferralService(db, participantRepository, teamRepository, audit, clock),
    allocation: new AllocationService(
      db,
      participantRepository,
      staffRepository,
      audit,
      clock,
      config.allocationTargetWorkingDays,
    ),
    caseload: new CaseloadService(
      db,
      new CaseloadRepository(),
      participantRepository,
      staffRepository,
      audit,
      clock,
      {
        ...config.programme,
        ...config.prompts,
        allocationTargetWorkingDays: config.allocationTargetWorkingDays,
      },
    ),
    programmeSessions: new ProgrammeSessionsService(
      db,
      participantRepository,
      programmeSessionRepository,
      audit,
      clock,
      config.programme,
      endingRepository,
      reminderScheduling,
      changeRequestRepository,
    ),
    changeRequests: new ChangeRequestsService(
      db,
      changeRequestRepository,
      programmeSessionRepository,
      participantRepository,
      staffRepository,
      messageOutbox,
      audit,
      clock,
      config.publicUrl,
      log,
    ),
    endings: new EndingsService(
      db,
      participantRepository,
      programmeSessionRepository,
      endingRepository,
      new ContactAttemptRepository(),
      audit,
      clock,
      { sessionCap: config.programme.sessionCap, attemptsBeforeLost: config.contact.attemptsBeforeLost },
      planDocuments,
    ),
    endingSummaries,
    endingShares: new EndingShareService(
      db,
      participantRepository,
      endingRepository,
      endingSummaries,
      messageOutbox,
      audit,
      clock,
      log,
    ),
    contact: new ContactService(
      db,
      participantRepository,
      new ContactAttemptRepository(),
      audit,
      clock,
      config.contact,
    ),
    concernRaising: new ConcernRaisingService(
      db,
      concernRepository,
      participantRepository,
      programmeSessionRepository,
      sharingConsentRepository,
      audit,
      clock,
      config.concerns,
    ),
    concernThread: new ConcernThreadService(
      db,
      concernRepository,
      participantRepository,
      audit,
      clock,
      messageOutbox,
      config.publicUrl,
      log,
    ),
    dutyInbox: new DutyInboxService(db, concernRepository, audit, clock, undeliveredMessages),
    workerConcerns: new WorkerConcernsService(db, concernRepository, participantRepository, audit, clock),
    consent: new ConsentService(db, participantRepository, sharingConsentRepository, audit, clock),
    planTemplates,
    planReading: new PlanReadingService(db, planAccess, planRepository, config.plan.media),
    planWriting: new PlanWritingService(
      db,
      planAccess,
      planRepository,
      audit,
      clock,
      config.plan.media,
      planTasks,
    ),
    planSharing: new PlanSharingService(db, planAccess, planRepository, audit, clock),
    planDocuments,
    planTasks,
    undeliveredMessages,
    mediaStorage: new MediaStorageService(
      db,
      new MediaStorageRepository(),
      planRepository,
      audit,
      clock,
      config.plan.media,
    ),
    planPdf: new PlanPdfService(planDocuments, planTasks, clock, {
      ...DEFAULT_PDF_SETTINGS,
      maxPages: config.plan.pdfMaxPages,
      waitMs: config.plan.pdfWaitMs,
    }),
    loneWorking: new LoneWorkingService(db, loneWorkingRepository, audit, clock, config.loneWorking),
    loneWorkingAlerts: new LoneWorkingAlertService(db, loneWorkingRepository, messageOutbox, audit, clock, {
      ...config.loneWorking,
      publicUrl: config.publicUrl,
    }),
    escalation: new EscalationService(db, new EscalationRepository(), messageOutbox, audit, clock, {
      ...config.concerns,
      publicUrl: config.publicUrl,
    }),
    oversight: new OversightService(db, new OversightRepository(), audit, clock),
    teamAdmin: new TeamAdminService(db, teamRepository, audit, clock),
    staffAdmin: new StaffAdminService(
      db,
      teamRepository,
      staffRepository,
      signInSessions,
      setUpLinkRepository,
      accountMessages,
      audit,
      clock,
      config.accounts.temporaryPasswordHours,
    ),
    staffCredentials: new StaffCredentialsService(
      db,
      staffRepository,
      signInSessions,
      setUpLinks,
      accountMessages,
      audit,
    ),
    demo: new DemoService(db, staffRepository, participantRepository, notificationsRepository, audit),
  };
}

/** `auditKey`: resolveAuditKey(config) at start-up; tests pass their fixed key. */
export function buildDependencies(
  config: Config,
  database: Database,
  overrides: {
    auditKey: AuditKey;
    clock?: Clock;
    notifications?: NotificationSender;
    logger?: Dependencies['logger'];
    jobQueue?: JobQueue;
  },
): Dependencies {
  const clock = overrides.clock ?? systemClock;
  const jobQueue = overrides.jobQueue ?? createJobQueue(database, config.retention);
  const logger = overrides.logger ?? createLogger(config.logLevel);
  return {
    config,
    logger,
    clock,
    database,
    jobQueue,
    services: {
      ...buildServices(
        config,
        database.db,
        clock,
        overrides.notifications,
        overrides.auditKey,
        jobQueue,
        logger,
      ),
      readiness: new ReadinessService(database.db, new ReadinessRepository(), jobQueue),
    },
  };
}

/** Every job this service runs in the background, for the server's queue (and tests' own). */
export function backgroundJobs(
  services: Dependencies['services'],
  config: Pick<Config, 'audit'>,
  log: CheckpointLog,
): Job[] {
  return [
    ...retentionJobs(services.retention),
    ...outboxJobs(services.messageOutbox),
    ...signInCodeJobs(services.signInCodeDelivery),
    ...reminderJobs(services.reminderDelivery),
    ...escalationJobs(services.escalation),
    ...loneWorkingJobs(services.loneWorkingAlerts),
    ...auditJobs(services.auditCheckpoints, config.audit.checkpointMinutes, log),
    ...planMediaJobs(services.mediaStorage),
  ];
}
