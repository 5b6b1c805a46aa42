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

/**
 * Keys only two writes of one versioned record at the same moment can collide on: both read
 * version n and both keep revision n, or both start the one plan or the one current allocation.
 * The later write lost a race, so its answer is the conflict page, never a server error.
 */
export const CONCURRENT_WRITE_CONSTRAINTS = [
  'programme_session_revisions_session_id_version_key',
  'plan_entry_revisions_pkey',
  'recovery_plans_pkey',
  'plan_section_sharing_pkey',
  'allocations_current_key',
  // Two coordinators allowing the same worker an exception at the same moment.
  'allocation_overrides_one_open_idx',
] as const;

/** SQLSTATEs of two transactions that could not both go ahead: serialization failure, deadlock. */
const LOST_RACE = new Set(['40001', '40P01']);

/** Whether a failed write lost a race with another write of the same record. */
export function isConcurrentWriteConflict(error: unknown): boolean {
  if (CONCURRENT_WRITE_CONSTRAINTS.some((constraint) => isUniqueViolation(error, constraint))) return true;
  let current: unknown = error;
  while (current && typeof current === 'object') {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && LOST_RACE.has(code)) return true;
    current = cause;
  }
  return false;
}
