/**
 * The staff account forms: what a coordinator sees for each mistake, and that hostile bodies
 * (arrays, objects, huge strings, unknown roles) become field errors rather than exceptions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNewStaffForm, parseStaffChangesForm, postedStaffFormValues } from './staff-admin.form.ts';
import { TEAM_REQUIRED_MESSAGE } from './staff-admin.service.ts';

const TEAM_ID = '6f1c5a4e-2b1d-4c53-9a3e-0d7a1e5b9c01';

const validStaffBody = (overrides: Record<string, unknown> = {}) => ({
  fullName: '  Sam   Peer ',
  email: 'sam.peer@nhs.test',
  roles: ['peer_worker', 'supervisor'],
  crisisTeamId: TEAM_ID,
  caseloadLimit: ' 10 ',
  temporaryPassword: 'correct horse battery staple',
  _csrf: 'token',
  ...overrides,
});

describe('new staff form', () => {
  it('turns a complete answer into the typed input', () => {
    expect(parseNewStaffForm(validStaffBody())).toEqual({
      ok: true,
      value: {
        fullName: 'Sam Peer',
        email: 'sam.peer@nhs.test',
        roles: ['peer_worker', 'supervisor'],
        crisisTeamId: TEAM_ID,
        caseloadLimit: 10,
        temporaryPassword: 'correct horse battery staple',
      },
    });
  });

  it('reads one ticked role, posted as a plain string', () => {
    const result = parseNewStaffForm(validStaffBody({ roles: 'coordinator', crisisTeamId: 'none' }));
    expect(result).toMatchObject({
      ok: true,
      value: { roles: ['coordinator'], crisisTeamId: null, caseloadLimit: null },
    });
  });

  it('ignores the caseload limit for anyone who is not a peer support worker', () => {
    const result = parseNewStaffForm(validStaffBody({ roles: ['supervisor'], caseloadLimit: 'lots' }));
    expect(result).toMatchObject({ ok: true, value: { caseloadLimit: null } });
  });

  it('shows every problem at once', () => {
    const result = parseNewStaffForm({
      roles: ['clinician'],
      crisisTeamId: 'none',
      temporaryPassword: 'short',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        fullName: 'Enter their full name',
        email: 'Enter their email address',
        crisisTeamId: TEAM_REQUIRED_MESSAGE,
        temporaryPassword: 'Password must be 12 characters or more',
      },
    });
  });

  it.each([
    [
      { email: 'not an email' },
      'email',
      'Enter an email address in the correct format, like name@example.com',
    ],
    [{ roles: [] }, 'roles', 'Select at least one role'],
    [{ roles: ['superuser'] }, 'roles', 'Select at least one role'],
    [{ crisisTeamId: undefined }, 'crisisTeamId', 'Select a crisis team, or None (trust-wide)'],
    [{ crisisTeamId: '../../etc' }, 'crisisTeamId', 'Select a crisis team, or None (trust-wide)'],
    [{ caseloadLimit: '' }, 'caseloadLimit', 'Enter their caseload limit'],
    [{ caseloadLimit: '2.5' }, 'caseloadLimit', 'Caseload limit must be a whole number, like 12'],
    [{ caseloadLimit: '61' }, 'caseloadLimit', 'Caseload limit must be between 1 and 60'],
    [{ caseloadLimit: '0' }, 'caseloadLimit', 'Caseload limit must be between 1 and 60'],
    [{ caseloadLimit: '99999999999999999999' }, 'caseloadLimit', 'Caseload limit must be between 1 and 60'],
    [
      { temporaryPassword: 'password1234' },
      'temporaryPassword',
      'This password is too common and easy to guess. Choose a different password',
    ],
    [{ fullName: 'x'.repeat(101) }, 'fullName', 'Full name must be 100 characters or fewer'],
  ])('explains %o', (change, field, message) => {
    const result = parseNewStaffForm(validStaffBody(change));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[field]).toBe(message);
  });

  it('never throws, whatever is posted', () => {
    const anyValue = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 20 }),
      fc.integer(),
      fc.constant(null),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })),
    );
    const body = fc.record(
      {
        fullName: anyValue,
        email: anyValue,
        roles: anyValue,
        crisisTeamId: anyValue,
        caseloadLimit: anyValue,
        temporaryPassword: anyValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(body, anyValue), (posted) => {
        for (const result of [parseNewStaffForm(posted), parseStaffChangesForm(posted)]) {
          expect(typeof result.ok).toBe('boolean');
        }
        expect(postedStaffFormValues(posted).roles.every((role) => typeof role === 'string')).toBe(true);
      }),
    );
  });
});
