/**
 * `npm start`: validates config, opens the database (embedded unless DATABASE_URL is set),
 * migrates, seeds demo data the first time, serves, and runs the job queue.
 */
import { createApp } from './app.ts';
import { backgroundJobs, buildDependencies } from './composition-root.ts';
import { ConfigError, configWarnings, loadConfig, type Config } from './config.ts';
import { databaseStartUpMessage, listenStartUpMessage } from './start-up-errors.ts';
import { DatabaseLockedError } from './platform/database/database.ts';
import { openDatabase } from './platform/database/open.ts';
import { DatabaseDamagedError } from './platform/database/embedded-folder.ts';
import { DiskFullError } from './platform/database/disk-full.ts';
import { migrate } from './platform/database/migrate.ts';
import { DEMO_PASSWORD, type SeededStaff } from './demo/seed.ts';
import { demoDataAtStartUp, DemoDataInProductionError } from './demo/demo-data-at-start-up.ts';
import { ROLE_LABELS } from './policy/actor.ts';
import { AuditKeyError, resolveAuditKey, type AuditKey } from './audit/audit-key.ts';
import { takeAuditCheckpoint } from './audit/audit-jobs.ts';
import { controlSocketPath, serveControlSocket } from './platform/backup/control-socket.ts';

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
      '                                the first sign-in asks you to set up an authenticator app;',
      '                                in trial mode the analyst has one: see the README)',
      `  Participants:                 ${url}/participant/sign-in with a mobile from ${url}/demo;`,
      `                                the code appears in the outbox: ${url}/demo/outbox`,
      '                                (signed in as the coordinator or a supervisor)',
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
  lines.push(
    '',
    `Audit checkpoints: ${config.audit.checkpointFile ?? 'the log, lines with the message "audit checkpoint"'}`,
  );
  if (!config.audit.key && config.database.kind === 'embedded') {
    lines.push(
      `Audit key: made for this folder in ${config.database.dataDir}/audit-key (set AUDIT_KEY for real use)`,
    );
  }
  lines.push('', 'Get help now page (no sign-in): ' + `${url}/help`, 'Stop with Ctrl+C.', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  let config: Config;
  let auditKey: AuditKey;
  for (const warning of configWarnings(process.env)) process.stderr.write(`Warning: ${warning}\n`);
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const settings = config;
  try {
    auditKey = resolveAuditKey(settings, { create: true });
  } catch (error) {
    if (error instanceof AuditKeyError) fail(error.message);
    fail(databaseStartUpMessage(error, settings) ?? String(error));
  }

  // On a first start the database is made, migrated and seeded in a temporary folder, and only
  // then put in place: a failure leaves no half-made database behind.
  let seeded: SeededStaff[] | undefined;
  const database = await openDatabase(settings, {
    prepare: async (opened) => {
      await migrate(opened);
      seeded = await demoDataAtStartUp(settings, opened.db, new Date());
    },
  }).catch((error: unknown) => {
    if (
      error instanceof DatabaseLockedError ||
      error instanceof DatabaseDamagedError ||
      error instanceof DiskFullError ||
      error instanceof DemoDataInProductionError
    )
      fail(error.message);
    const message = databaseStartUpMessage(error, settings);
    if (message) fail(message);
    throw error;
  });

  const deps = buildDependencies(config, database, { auditKey });
  const app = await createApp(deps);
  // Before listening: pages hand work to the queue (a participant's sign-in code) from the first request.
  const jobs = deps.jobQueue;
  await jobs.start(backgroundJobs(deps.services, config, app.log), (error) => {
    app.log.error({ err: error }, 'job queue error');
  });
  // The embedded database is held by this process alone: backups and audit checks from the
  // command line ask it for a consistent copy here (owner-only unix socket in DATA_DIR).
  const onlineCopy = database.onlineCopy?.bind(database);
  const control =
    config.database.kind === 'embedded' && onlineCopy
      ? await serveControlSocket(controlSocketPath(config.database.dataDir), onlineCopy, (error) => {
          app.log.error({ err: error }, 'control socket error');
        })
      : undefined;
  const address = await app.listen({ host: config.host, port: config.port }).catch((error: unknown) => {
    const message = listenStartUpMessage(error, settings);
    if (message) fail(message);
    throw error;
  });
  const port = new URL(address).port;
  const url = config.publicUrl ?? `http://localhost:${port}`;
  process.stdout.write(banner(config, url, seeded, database.engine));
  // A checkpoint at once: the first start with a key pins the events written before it.
  await takeAuditCheckpoint(deps.services.auditCheckpoints, app.log).catch((error: unknown) => {
    fail(
      `Greenleaf cannot keep audit checkpoints in ${deps.services.auditCheckpoints.sink.description}: ${(error as Error).message}
` + 'Check AUDIT_CHECKPOINT_FILE (or DATA_DIR) names a place this process may write to.',
    );
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await control?.close();
    await jobs.stop();
    // The last events, up to the moment nothing more can be written.
    await takeAuditCheckpoint(deps.services.auditCheckpoints, app.log).catch((error: unknown) => {
      app.log.error({ err: error }, 'audit checkpoint on stopping failed');
    });
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
