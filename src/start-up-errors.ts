/**
 * What stopped the server starting, in one message naming the setting and what to do, in
 * place of a stack trace (or, for an unreachable database host, in place of waiting forever).
 */
import type { Config } from './config.ts';

function codesOf(error: unknown): { code?: string; message: string }[] {
  const found: { code?: string; message: string }[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 10; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    found.push({
      ...(typeof code === 'string' ? { code } : {}),
      message: typeof message === 'string' ? message : '',
    });
    current = cause;
  }
  return found;
}

function has(error: unknown, test: (e: { code?: string; message: string }) => boolean): boolean {
  return codesOf(error).some(test);
}

/** Where DATABASE_URL points, without its password. */
function databaseAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the address in DATABASE_URL';
  }
}

/** Opening and migrating the database. */
export function databaseStartUpMessage(error: unknown, config: Config): string | undefined {
  const head = 'Greenleaf cannot start:';
  if (config.database.kind === 'embedded') {
    const fsError = codesOf(error).find(
      (e) => e.code && ['EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'EEXIST', 'ENOSPC'].includes(e.code),
    );
    if (!fsError) return undefined;
    return `${head} DATA_DIR (${config.database.dataDir}) cannot be used for the embedded database (${fsError.code ?? ''}). Set DATA_DIR to a folder this process may create and write to.`;
  }
  const where = databaseAddress(config.database.url);
  const seconds = config.database.timeouts.connectSeconds;
  if (has(error, (e) => e.code === 'ECONNREFUSED'))
    return `${head} the database at ${where} refused the connection. Check DATABASE_URL names the right host and port, and that PostgreSQL is running there.`;
  if (has(error, (e) => e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'))
    return `${head} the database host in DATABASE_URL (${where}) was not found. Check the host name in DATABASE_URL.`;
  if (has(error, (e) => e.code === '3D000'))
    return `${head} the database named in DATABASE_URL (${where}) does not exist. Create it, or correct the name in DATABASE_URL.`;
  if (has(error, (e) => e.code === '28P01' || e.code === '28000'))
    return `${head} PostgreSQL refused the user in DATABASE_URL (${where}). Check the user name and password in DATABASE_URL.`;
  if (
    has(
      error,
      (e) =>
        ['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(e.code ?? '') ||
        /timeout|Connection terminated/i.test(e.message),
    )
  )
    return `${head} the database at ${where} did not answer within ${String(seconds)} seconds. Check DATABASE_URL's host, and the network or firewall between here and it (DATABASE_CONNECT_TIMEOUT_SECONDS sets how long to wait).`;
  return undefined;
}

/** Listening on HOST and PORT. */
export function listenStartUpMessage(error: unknown, config: Config): string | undefined {
  const head = 'Greenleaf cannot start:';
  const code = codesOf(error).find((e) => e.code)?.code;
  if (code === 'EADDRINUSE')
    return `${head} PORT ${String(config.port)} is already in use on ${config.host}. Stop the other program using it, or set PORT to a free port.`;
  if (code === 'EACCES')
    return `${head} this process may not listen on PORT ${String(config.port)}. Set PORT to 1024 or above, or run behind a proxy.`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `${head} HOST (${config.host}) is not an address of this machine. Set HOST to one of its addresses, 127.0.0.1, or 0.0.0.0 for all.`;
  return undefined;
}
