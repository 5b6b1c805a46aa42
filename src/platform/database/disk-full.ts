/**
 * A full disk, however it shows: Node's ENOSPC, PostgreSQL's `53100 disk_full` (PGlite and
 * PostgreSQL alike, often wrapped by drizzle as the `cause` of a "Failed query" error), or
 * PostgreSQL's words for ENOSPC when it has no code to give.
 */
export function isDiskFull(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (code === 'ENOSPC' || code === '53100') return true;
    if (typeof message === 'string' && /no space left on device/i.test(message)) return true;
    current = cause;
  }
  return false;
}

export class DiskFullError extends Error {
  constructor(dataDir: string, cause: unknown) {
    super(
      `Greenleaf cannot start: the disk holding ${dataDir} is full.\n` +
        'No database was made or changed. Free some space on that disk (or set DATA_DIR to a ' +
        'folder on a disk with room), then start Greenleaf again.',
      { cause },
    );
    this.name = 'DiskFullError';
  }
}
