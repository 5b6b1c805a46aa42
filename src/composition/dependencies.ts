/**
 * The one place where every repository, service and client is built (STYLE.md habit 1), one
 * group per file beside this one. Tests call buildDependencies with their own database, clock,
 * notification sender or logger.
 */
import { ReadinessRepository } from '../platform/health/readiness.repository.ts';
import { ReadinessService } from '../platform/health/readiness.service.ts';
import type { Config } from '../config.ts';
import type { Database } from '../platform/database/database.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import type { AuditKey } from '../audit/audit-key.ts';
import { createJobQueue, type JobQueue } from '../platform/jobs/job-queue.ts';
import { buildServices } from './services.ts';

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

/** `auditKey`: resolveAuditKey(config) at start-up; tests pass their fixed key. */
export function buildDependencies(
  config: Config,
  database: Database,
  overrides: {
    auditKey: AuditKey;
    clock?: Clock;
    notifications?: NotificationSender;
    logger?: Logger;
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
