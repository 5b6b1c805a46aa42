/**
 * PostgreSQL's own pg_dump and pg_restore, run with DATABASE_URL. The password goes to them in
 * PGPASSWORD, never on the command line, where any user of the machine could read it.
 */
import { spawn } from 'node:child_process';

export class PgToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PgToolError';
  }
}

function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    dbname: parsed.toString(),
    env: password ? { ...process.env, PGPASSWORD: password } : process.env,
  };
}

export function runPgTool(
  tool: 'pg_dump' | 'pg_restore',
  url: string,
  args: readonly string[],
): Promise<void> {
  const { dbname, env } = connection(url);
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [`--dbname=${dbname}`, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new PgToolError(
          error.code === 'ENOENT'
            ? `${tool} is not installed here. Install PostgreSQL's client tools (on Debian: apt-get install postgresql-client), the same major version as the server or newer.`
            : `${tool} could not start: ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new PgToolError(`${tool} failed (exit code ${String(code)}):\n${stderr.trim()}`));
    });
  });
}
