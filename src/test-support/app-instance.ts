/**
 * One app instance on a shared test database, built as `npm start` builds it, with its own
 * hand-moved clock: several of them on one database stand for several servers, or for the
 * service before and after a restart (the job tests use this).
 */
import type { FastifyInstance } from 'fastify';
import { createApp } from '../app.ts';
import { buildDependencies, type Dependencies } from '../composition-root.ts';
import { loadConfig } from '../config.ts';
import { ManualClock } from '../platform/clock.ts';
import type { Database } from '../platform/database/database.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import { TEST_AUDIT_KEY } from './audit-key.ts';
import { SILENT_LOG } from './silent-log.ts';

export interface AppInstance {
  app: FastifyInstance;
  deps: Dependencies;
  clock: ManualClock;
}

export async function startAppInstance(
  database: Database,
  now: string,
  options: { env?: Record<string, string>; notifications?: NotificationSender } = {},
): Promise<AppInstance> {
  const clock = new ManualClock(now);
  const config = loadConfig({
    NODE_ENV: 'test',
    DEMO_MODE: 'on',
    COOKIE_SECURE: 'off',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const deps = buildDependencies(config, database, {
    auditKey: TEST_AUDIT_KEY,
    clock,
    logger: SILENT_LOG,
    ...(options.notifications ? { notifications: options.notifications } : {}),
  });
  const app = await createApp(deps);
  await app.ready();
  return { app, deps, clock };
}
