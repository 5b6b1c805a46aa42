/**
 * Whether a write was refused by the trial's database lock: the trigger
 * `trial_refuse_when_locked()` (migrations/2026-12-05-042-trial-database-lock.sql) raises SQLSTATE
 * GL423. The services refuse such writes first; this catches one that raced the lock itself, so
 * it is answered as a conflict, never a server error. The driver's error may be wrapped as `cause`.
 */
export const TRIAL_LOCKED_SQLSTATE = 'GL423';
export const TRIAL_LOCKED_MESSAGE = 'The trial is locked: its data can no longer change';

export function isTrialLockedError(error: unknown): boolean {
  let current: unknown = error;
  while (current && typeof current === 'object') {
    if ((current as { code?: unknown }).code === TRIAL_LOCKED_SQLSTATE) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
