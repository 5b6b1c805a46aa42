/**
 * Whether a failed query broke the named unique constraint (SQLSTATE 23505). Drizzle wraps the
 * driver's error (node-postgres or PGlite) as its `cause`, so the whole chain is searched; the
 * constraint is matched by the driver's `constraint` field or, failing that, by name in the message.
 */
const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  let current: unknown = error;
  while (current && typeof current === 'object') {
    const e = current as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown };
    if (
      e.code === UNIQUE_VIOLATION &&
      (e.constraint === constraint || (typeof e.message === 'string' && e.message.includes(constraint)))
    ) {
      return true;
    }
    current = e.cause;
  }
  return false;
}
