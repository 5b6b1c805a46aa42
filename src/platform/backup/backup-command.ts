/**
 * `npm run backup [-- --output <file>]`: a consistent copy of the database, taken while the
 * service runs. PostgreSQL: pg_dump in its custom format. Embedded: the running service makes
 * the copy through its control socket (control-socket.ts); with no service running, this
 * process opens the folder itself. The file is readable by its owner only: it holds everything.
 * Exit code 0: written; 1: not.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../../config.ts';
import { DatabaseLockedError, holdsEmbeddedDatabase, openEmbeddedDatabase } from '../database/database.ts';
import { controlSocketPath, ControlSocketError, requestCopy } from './control-socket.ts';
import { PgToolError, runPgTool } from './pg-tools.ts';

export interface CommandOutput {
  log(text: string): void;
  error(text: string): void;
}

export interface BackupOptions {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  output: CommandOutput;
  now?: Date;
}

const USAGE = 'Usage: npm run backup [-- --output <file>]';

function outputFile(argv: readonly string[], config: Config, now: Date): string | { error: string } {
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--output' && argv[i + 1] !== undefined) file = argv[++i];
    else if (arg?.startsWith('--output=')) file = arg.slice('--output='.length);
    else return { error: `Unknown argument ${arg ?? ''}.\n${USAGE}` };
  }
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const extension = config.database.kind === 'postgres' ? 'pgdump' : 'tar.gz';
  return file ?? path.join('backups', `greenleaf-${config.database.kind}-${stamp}.${extension}`);
}

async function embeddedCopy(dataDir: string): Promise<{ bytes: Buffer; from: string }> {
  const fromService = await requestCopy(controlSocketPath(dataDir));
  if (fromService) return { bytes: fromService, from: 'taken by the running service' };
  if (!holdsEmbeddedDatabase(dataDir)) {
    throw new ControlSocketError(`There is no embedded database in ${dataDir} (DATA_DIR) to back up.`);
  }
  const database = await openEmbeddedDatabase(dataDir);
  try {
    if (!database.onlineCopy) throw new Error('the embedded database cannot copy itself');
    return { bytes: await database.onlineCopy(), from: 'the service was not running' };
  } finally {
    await database.close();
  }
}

export async function runBackup(options: BackupOptions): Promise<number> {
  const { output } = options;
  let config: Config;
  try {
    config = loadConfig(options.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      output.error(error.message);
      return 1;
    }
    throw error;
  }
  const file = outputFile(options.argv, config, options.now ?? new Date());
  if (typeof file !== 'string') {
    output.error(file.error);
    return 1;
  }
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Written beside its final name and renamed when whole: a file with that name is a whole copy.
  const partial = `${file}.partial`;
  try {
    let from: string;
    if (config.database.kind === 'postgres') {
      writeFileSync(partial, '', { mode: 0o600 });
      await runPgTool('pg_dump', config.database.url, ['--format=custom', `--file=${partial}`]);
      from = 'pg_dump, a consistent snapshot';
    } else {
      const copy = await embeddedCopy(config.database.dataDir);
      writeFileSync(partial, copy.bytes, { mode: 0o600 });
      from = copy.from;
    }
    renameSync(partial, file);
    output.log(`Backed up the ${config.database.kind} database to ${file} (${from}).`);
    output.log(
      'Keep it with the audit key stored SEPARATELY (AUDIT_KEY, or the audit-key file in DATA_DIR) and the ' +
        'audit checkpoint file: see "Backups and restore" in the README.',
    );
    return 0;
  } catch (error) {
    rmSync(partial, { force: true });
    if (
      error instanceof PgToolError ||
      error instanceof ControlSocketError ||
      error instanceof DatabaseLockedError
    ) {
      output.error(error.message);
      return 1;
    }
    throw error;
  }
}
