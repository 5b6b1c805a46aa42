import type { Config } from '../config.ts';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Repositories } from './repositories.ts';

/** What every group of services is built from. */
export interface Foundation {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  audit: AuditService;
  repositories: Repositories;
}
