/**
 * Unique-key races are told apart by constraint name, through the error wrappers drizzle puts
 * around the driver's error.
 */
import { describe, expect, it } from 'vitest';
import { isConcurrentWriteConflict, isUniqueViolation } from './unique-violation.ts';

/** What drizzle throws: its own error, with the driver's error as `cause`. */
const wrapped = (cause: unknown) => new Error('Failed query: insert into "staff_users" …', { cause });

const driverError = (fields: { code?: string; constraint?: string; message?: string }) =>
  Object.assign(new Error(fields.message ?? 'error'), fields);

describe('isUniqueViolation', () => {
  it('finds the violation on the driver error drizzle wraps, by its constraint field', () => {
    const error = wrapped(driverError({ code: '23505', constraint: 'staff_users_email_key' }));
    expect(isUniqueViolation(error, 'staff_users_email_key')).toBe(true);
  });

  it('finds it several causes deep', () => {
    const error = wrapped(
      wrapped(wrapped(driverError({ code: '23505', constraint: 'crisis_teams_trust_id_name_key' }))),
    );
    expect(isUniqueViolation(error, 'crisis_teams_trust_id_name_key')).toBe(true);
  });

  it('matches the constraint named in the message when the driver gives no constraint field', () => {
    const error = wrapped(
      driverError({
        code: '23505',
        message: 'duplicate key value violates unique constraint "participants_nhs_number_key"',
      }),
    );
    expect(isUniqueViolation(error, 'participants_nhs_number_key')).toBe(true);
  });

  it('does not match a different constraint', () => {
    const error = wrapped(
      driverError({
        code: '23505',
        constraint: 'participants_submission_token_key',
        message: 'duplicate key value violates unique constraint "participants_submission_token_key"',
      }),
    );
    expect(isUniqueViolation(error, 'participants_nhs_number_key')).toBe(false);
  });

  it('does not match another kind of error that names the constraint', () => {
    // 23503: a foreign key violation, not a duplicate.
    const error = wrapped(driverError({ code: '23503', constraint: 'staff_users_email_key' }));
    expect(isUniqueViolation(error, 'staff_users_email_key')).toBe(false);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', '23505 staff_users_email_key'],
    ['an error with no cause', new Error('connection refused')],
  ])('answers false for %s', (_name, error) => {
    expect(isUniqueViolation(error, 'staff_users_email_key')).toBe(false);
  });
});

describe('isConcurrentWriteConflict', () => {
  it('is a lost race: a revision number kept twice, a serialization failure, a deadlock', () => {
    const revision = wrapped(
      driverError({ code: '23505', constraint: 'programme_session_revisions_session_id_version_key' }),
    );
    expect(isConcurrentWriteConflict(revision)).toBe(true);
    expect(isConcurrentWriteConflict(wrapped(driverError({ code: '40001' })))).toBe(true);
    expect(isConcurrentWriteConflict(wrapped(driverError({ code: '40P01' })))).toBe(true);
  });

  it('is not any other unique key or error', () => {
    expect(
      isConcurrentWriteConflict(wrapped(driverError({ code: '23505', constraint: 'staff_users_email_key' }))),
    ).toBe(false);
    expect(isConcurrentWriteConflict(wrapped(driverError({ code: '23514' })))).toBe(false);
    expect(isConcurrentWriteConflict(new Error('template not found'))).toBe(false);
  });
});
