/** Every service, each group built from the one foundation: repositories, clock, audit, logger. */
import type { Config } from '../config.ts';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import type { JobSender } from '../platform/jobs/job-queue.ts';
import { AuditService } from '../audit/audit.service.ts';
import { ReadEventBatches } from '../audit/read-events.ts';
import type { AuditKey } from '../audit/audit-key.ts';
import { AuditCheckpointService } from '../audit/audit-checkpoint.service.ts';
import { FileCheckpointSink, LogCheckpointSink } from '../audit/checkpoint-sink.ts';
import { RetentionService } from '../retention/retention.service.ts';
import { buildRepositories } from './repositories.ts';
import type { Foundation } from './foundation.ts';
import { buildMessaging } from './messaging.ts';
import { buildIdentityServices } from './identity.ts';
import { buildPlanServices } from './plan.ts';
import { buildProgrammeServices } from './programme.ts';
import { buildSessionServices } from './sessions.ts';
import { buildEndingServices } from './endings.ts';
import { buildFeedbackServices } from './feedback.ts';
import { buildTrialServices } from './trial.ts';
import { buildSafetyServices } from './safety.ts';
import { buildOrganisationServices } from './organisation.ts';
import { buildWorkforceServices } from './workforce.ts';
import { buildReportServices } from './reports.ts';
import { ParticipantPageService } from '../participants/participant-page.service.ts';

export function buildServices(
  config: Config,
  db: Db,
  clock: Clock,
  sender: NotificationSender | undefined,
  auditKey: AuditKey,
  jobs: JobSender,
  log: Logger,
) {
  const repositories = buildRepositories();
  const audit = new AuditService(
    repositories.audit,
    clock,
    auditKey,
    new ReadEventBatches(db, repositories.audit),
  );
  const foundation: Foundation = { config, db, clock, log, audit, repositories };
  const messaging = buildMessaging(foundation, sender);
  const identity = buildIdentityServices(foundation, messaging, jobs);
  const plan = buildPlanServices(foundation);
  const workforce = buildWorkforceServices(foundation, messaging);
  const services = {
    audit,
    auditCheckpoints: new AuditCheckpointService(
      db,
      repositories.audit,
      auditKey,
      clock,
      config.audit.checkpointFile
        ? new FileCheckpointSink(config.audit.checkpointFile)
        : new LogCheckpointSink(),
    ),
    retention: new RetentionService(
      db,
      {
        notifications: repositories.notifications,
        outboxMessages: repositories.outboxMessages,
        signInSessions: repositories.signInSessions,
        signInCodes: repositories.signInCodes,
        throttles: repositories.throttles,
      },
      audit,
      clock,
      config.retention,
    ),
    ...messaging,
    ...identity,
    ...plan,
    ...workforce,
    ...buildProgrammeServices(foundation, workforce),
    ...buildSessionServices(foundation, messaging),
    ...buildEndingServices(foundation, messaging, plan),
    ...buildFeedbackServices(foundation),
    ...buildTrialServices(foundation, messaging),
    ...buildSafetyServices(foundation, messaging, workforce),
    ...buildOrganisationServices(foundation, messaging, identity),
    ...buildReportServices(foundation, workforce, plan),
  };
  return {
    ...services,
    // The participant page reads each feature's panel in its one transaction.
    participantPage: new ParticipantPageService(
      db,
      repositories.participants,
      audit,
      clock,
      config.programme,
      services,
    ),
  };
}
