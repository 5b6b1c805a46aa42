import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm';
import { loggableError } from './loggable-error.ts';

/** A driver's error as node-postgres raises it, values in its detail. */
function driverError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('an error as the log keeps it', () => {
  it("keeps a failed query's statement and the driver's code and constraint, never its values", () => {
    const cause = driverError('duplicate key value violates unique constraint "staff_users_email_key"', {
      code: '23505',
      constraint: 'staff_users_email_key',
      table: 'staff_users',
      detail: 'Key (email)=(sam@example.nhs.uk) already exists.',
    });
    const error = new DrizzleQueryError(
      'insert into staff_users (email) values ($1)',
      ['sam@example.nhs.uk'],
      cause,
    );
    const logged = JSON.stringify(loggableError(error));
    expect(logged).not.toContain('sam@example');
    expect(logged).toContain('Failed query: insert into staff_users (email) values ($1)');
    expect(logged).toContain('staff_users_email_key');
    expect(logged).toContain('23505');
    expect(logged).toContain('at ');
  });

  it('takes the value out of a data exception that names it', () => {
    const error = driverError('invalid input syntax for type uuid: "my secret words"', { code: '22P02' });
    const logged = JSON.stringify(loggableError(error));
    expect(logged).toContain('invalid input syntax for type uuid');
    expect(logged).not.toContain('secret');
  });

  it('leaves an error that is not a query alone', () => {
    expect(loggableError(new Error('template not found'))).toMatchObject({
      type: 'Error',
      message: 'template not found',
    });
  });
});
