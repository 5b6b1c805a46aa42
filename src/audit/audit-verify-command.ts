/**
 * `npm run audit:verify [-- --checkpoints <file> …]`: walks every audit chain with the key and
 * compares it with the checkpoints, then says in plain words what it found. Exit code 0: intact;
 * 2: damage found (or nothing to compare with); 1: it could not run (no key, bad settings).
 * Damage is always reported, never thrown.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DatabaseLockedError, openEmbeddedCopy, type Database } from '../platform/database/database.ts';
import { controlSocketPath, ControlSocketError, requestCopy } from '../platform/backup/control-socket.ts';
import { openDatabase } from '../platform/database/open.ts';
import { DatabaseDamagedError, DatabaseMissingError } from '../platform/database/embedded-folder.ts';
import { systemClock } from '../platform/clock.ts';
import { CheckpointReader, type CheckpointRef } from './audit-checkpoint.ts';
import { AuditKeyError, resolveAuditKey, type AuditKey } from './audit-key.ts';
import type { AuditProblem, AuditVerdict } from './audit-verifier.ts';
import { when } from './audit-verifier.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';

export interface VerifyOutput {
  log(text: string): void;
  error(text: string): void;
}

export interface VerifyOptions {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  output: VerifyOutput;
  /** The database to check; by default the configured one, opened and closed here. */
  database?: Database;
}

const USAGE = 'Usage: npm run audit:verify [-- --checkpoints <file> [--checkpoints <file> …]]';

function checkpointFiles(argv: readonly string[]): string[] | string {
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--checkpoints' && argv[i + 1] !== undefined) files.push(argv[++i] ?? '');
    else if (arg?.startsWith('--checkpoints=')) files.push(arg.slice('--checkpoints='.length));
    else return `Unknown argument ${arg ?? ''}.\n${USAGE}`;
  }
  return files;
}

async function readSources(key: AuditKey, files: readonly string[]) {
  const checkpoints: CheckpointRef[] = [];
  const problems: AuditProblem[] = [];
  for (const file of files) {
    const reader = new CheckpointReader(key, file);
    try {
      // Line by line: a checkpoint file grows for as long as the audit log is kept.
      const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      for await (const line of lines) reader.read(line);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      problems.push({
        kind: 'checkpoint',
        message: missing
          ? `The checkpoint file ${file} does not exist: it was deleted, or this is not where the service keeps it.`
          : `The checkpoint file ${file} could not be read: ${(error as Error).message}`,
      });
      continue;
    }
    const read = reader.finish();
    checkpoints.push(...read.checkpoints);
    problems.push(...read.problems);
  }
  return { checkpoints, problems };
}

const count = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

function summary(verdict: AuditVerdict, files: readonly string[], key: AuditKey): string[] {
  const lines = [`Checking the audit log with the key whose id is ${key.id}.`];
  lines.push(
    verdict.checkpoints > 0
      ? `Compared with ${count(verdict.checkpoints, 'checkpoint', 'checkpoints')} from ${files.join(', ')}, the latest taken ${when(verdict.latestCheckpoint ?? '')}.`
      : `No checkpoints to compare with${files.length > 0 ? ` in ${files.join(', ')}` : ''}.`,
  );
  lines.push(
    `${count(verdict.checked, 'event', 'events')} in ${count(verdict.chains, 'chain', 'chains')}` +
      (verdict.unkeyed > 0
        ? `, of which ${count(verdict.unkeyed, 'was', 'were')} written before the log was signed with a key.`
        : '.'),
  );
  return lines;
}

/**
 * The configured database; or, when the embedded one is held by the running service, a
 * consistent copy of it that the service makes on request (its control socket), opened in a
 * private temporary folder and deleted afterwards.
 */
async function openToVerify(
  config: Config,
  output: VerifyOutput,
): Promise<{ database: Database; close: () => Promise<void> }> {
  try {
    // Never made: a folder without a database is reported, not filled with a new empty one.
    const database = await openDatabase(config, { create: false });
    return { database, close: () => database.close() };
  } catch (error) {
    if (!(error instanceof DatabaseLockedError) || config.database.kind !== 'embedded') throw error;
    const copy = await requestCopy(controlSocketPath(config.database.dataDir));
    if (!copy) throw error;
    output.log('The service is running: checking a consistent copy of its database taken just now.');
    const folder = mkdtempSync(path.join(tmpdir(), 'greenleaf-verify-'));
    try {
      const database = await openEmbeddedCopy(folder, copy);
      return {
        database,
        close: async () => {
          await database.close();
          rmSync(folder, { recursive: true, force: true });
        },
      };
    } catch (openError) {
      rmSync(folder, { recursive: true, force: true });
      throw openError;
    }
  }
}

export async function runAuditVerify(options: VerifyOptions): Promise<number> {
  const { output } = options;
  const files = checkpointFiles(options.argv);
  if (typeof files === 'string') {
    output.error(files);
    return 1;
  }
  let key: AuditKey;
  let config: Config;
  try {
    config = loadConfig(options.env);
    key = resolveAuditKey(config, { create: false });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AuditKeyError) {
      output.error(error.message);
      return 1;
    }
    throw error;
  }
  const sources = files.length > 0 ? files : config.audit.checkpointFile ? [config.audit.checkpointFile] : [];
  const read = await readSources(key, sources);

  let opened: { database: Database; close: () => Promise<void> };
  try {
    opened = options.database
      ? { database: options.database, close: () => Promise.resolve() }
      : await openToVerify(config, output);
  } catch (error) {
    if (
      error instanceof DatabaseLockedError ||
      error instanceof DatabaseMissingError ||
      error instanceof ControlSocketError
    ) {
      output.error(error.message);
      return 1;
    }
    if (error instanceof DatabaseDamagedError) {
      output.error('THE DATABASE IS DAMAGED: the audit log in it cannot be read.');
      output.error('');
      output.error(error.message.replace(/^Greenleaf cannot start: the/, 'The'));
      return 2;
    }
    throw error;
  }
  let verdict: AuditVerdict;
  try {
    verdict = await new AuditService(new AuditRepository(), systemClock, key).verify(
      opened.database.db,
      read.checkpoints,
    );
  } finally {
    await opened.close();
  }

  const problems = [...read.problems, ...verdict.problems];
  if (verdict.checkpoints === 0 && verdict.checked > 0) {
    problems.push({
      kind: 'no-checkpoints',
      chain: null,
      seq: null,
      message:
        sources.length > 0
          ? 'There is no good checkpoint to compare with, so deleted events at the end of a chain, or a whole deleted chain, cannot be seen.'
          : 'There are no checkpoints to compare with (this service writes them to its log), so deleted events at the end of a chain, or a whole deleted chain, cannot be seen. ' +
            'Save the log lines with the message "audit checkpoint" to a file and pass it: npm run audit:verify -- --checkpoints <file>',
    });
  }
  for (const line of summary(verdict, sources, key)) output.log(line);
  output.log('');
  if (problems.length === 0) {
    output.log(
      'The audit log is intact: every event is signed and linked, and every checkpointed event is there.',
    );
    return 0;
  }
  output.error(`THE AUDIT LOG IS NOT INTACT: ${count(problems.length, 'problem', 'problems')} found.`);
  output.error('');
  for (const problem of problems) output.error(`- ${problem.message}`);
  if (
    read.problems.length > 0 &&
    read.checkpoints.length === 0 &&
    read.problems.every((p) => p.message.includes('another audit key'))
  ) {
    output.error('');
    output.error(
      `Every checkpoint was signed with another key: check that AUDIT_KEY is this deployment's key.`,
    );
  }
  output.error('');
  output.error(
    'Keep the database, its backups and the checkpoint files as they are: they are the evidence. ' +
      'Follow your incident process.',
  );
  return 2;
}
