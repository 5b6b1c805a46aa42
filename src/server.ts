/**
 * `npm start`: validates config, opens the database (embedded unless DATABASE_URL is set),
 * migrates, seeds demo data the first time, serves, and runs the job queue.
 */
import { createApp } from './app.ts';
import { buildDependencies } from './composition-root.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DatabaseLockedError } from './platform/database/database.ts';
import { openDatabase } from './platform/database/open.ts';
import { migrate } from './platform/database/migrate.ts';
import { createJobQueue } from './platform/jobs/job-queue.ts';
import { reminderJobs } from './reminders/reminder-jobs.ts';
import { escalationJobs } from './concerns/escalation-jobs.ts';
import { loneWorkingJobs } from './lone-working/lone-working-jobs.ts';
import { planMediaJobs } from './plan/media-jobs.ts';
import { DEMO_PASSWORD, demoDataPresent, seedDemoData, type SeededStaff } from './demo/seed.ts';
import { ROLE_LABELS } from './policy/actor.ts';

function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

function banner(config: Config, url: string, seeded: SeededStaff[] | undefined, engine: string): string {
  const lines = [
    '',
    `Greenleaf is running at ${url}`,
    `Database: ${engine === 'embedded' ? `embedded PostgreSQL (PGlite) in ${config.database.kind === 'embedded' ? config.database.dataDir : ''}` : 'PostgreSQL'}`,
  ];
  if (config.demoMode) {
    lines.push(
      '',
      'DEMO MODE: made-up people only.',
      `  One-click sign-in as anyone:  ${url}/demo`,
      `  Staff sign-in:                ${url}/sign-in  (password for every demo account: ${DEMO_PASSWORD};`,
      '                                the first sign-in asks you to set up an authenticator app)',
      `  Participants:                 ${url}/participant/sign-in with a mobile from ${url}/demo;`,
      `                                the code appears in the outbox: ${url}/demo/outbox`,
      `  A lived-in recovery plan:     sign in as Sia Jones from ${url}/demo, then "My recovery plan"`,
    );
    if (seeded) {
      lines.push('', '  Demo staff accounts:');
      for (const s of seeded)
        lines.push(
          `    ${s.roles
            .map((r) => ROLE_LABELS[r])
            .join(' + ')
            .padEnd(40)} ${s.email}`,
        );
    }
  }
  lines.push('', 'Get help now page (no sign-in): ' + `${url}/help`, 'Stop with Ctrl+C.', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  const database = await openDatabase(config).catch((error: unknown) => {
    if (error instanceof DatabaseLockedError) fail(error.message);
    throw error;
  });
  await migrate(database);

  let seeded: SeededStaff[] | undefined;
  if (config.seedDemoData && !(await demoDataPresent(database.db))) {
    seeded = await seedDemoData(database.db, new Date());
  }

  const deps = buildDependencies(config, database);
  const app = await createApp(deps);
  const address = await app.listen({ host: config.host, port: config.port });
  const port = new URL(address).port;
  const url = config.publicUrl ?? `http://localhost:${port}`;

  const jobs = createJobQueue(
    database,
    [
      {
        name: 'purge-expired-sign-in-data',
        cron: '17 3 * * *',
        run: () => deps.services.signInHousekeeping.purgeExpired(),
      },
      ...reminderJobs(deps.services.reminderDelivery),
      ...escalationJobs(deps.services.escalation),
      ...loneWorkingJobs(deps.services.loneWorkingAlerts),
      ...planMediaJobs(deps.services.mediaStorage),
    ],
    (error) => {
      app.log.error({ err: error }, 'job queue error');
    },
  );
  process.stdout.write(banner(config, url, seeded, database.engine));
  await jobs.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await jobs.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
