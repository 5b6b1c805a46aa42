/** The staff pages' view models: what the coordinator sees and may do for one account. */
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../platform/calendar/uk-format.ts';
import type { StaffDetails } from './staff-admin.service.ts';
import { staffMemberView } from './staff-views.ts';

describe('staff page', () => {
  const details = (overrides: Partial<StaffDetails> = {}): StaffDetails => ({
    id: '6f1c5a4e-2b1d-4c53-9a3e-0d7a1e5b9c02',
    email: 'sam@nhs.test',
    fullName: 'Sam Peer',
    roles: ['coordinator'],
    crisisTeamId: null,
    crisisTeamName: null,
    caseloadLimit: 12,
    disabledAt: null,
    mfaEnrolled: true,
    createdAt: new Date('2026-11-26T10:00:00Z'),
    version: 1,
    currentCaseload: 0,
    isSelf: false,
    password: { kind: 'own' },
    ...overrides,
  });

  it('offers no disable button on the coordinator’s own account', () => {
    expect(staffMemberView(details({ isSelf: true }))).toMatchObject({ canDisable: false, isSelf: true });
    expect(staffMemberView(details())).toMatchObject({ canDisable: true, canEnable: false });
  });

  it('warns when a disabled worker still has participants', () => {
    expect(
      staffMemberView(details({ roles: ['peer_worker'], disabledAt: new Date(), currentCaseload: 3 })),
    ).toMatchObject({
      stranded: 3,
      canEnable: true,
      canDisable: false,
    });
  });

  const passwordRow = (view: Record<string, unknown>) =>
    (view.rows as { key: string; value: string }[]).find((row) => row.key === 'Password')?.value;

  it('says where the password stands, never what it is', () => {
    const at = new Date('2026-11-29T10:00:00Z');
    // As every date and time on the admin pages is written.
    const shown = formatDateTime(at);
    expect(shown).toMatch(/^29 November 2026, 10:00\s?am$/);
    expect(passwordRow(staffMemberView(details({ password: { kind: 'temporary', expiresAt: at } })))).toBe(
      `Temporary password, works until ${shown}. They choose their own when they first sign in`,
    );
    expect(
      passwordRow(staffMemberView(details({ password: { kind: 'temporary_expired', expiredAt: at } }))),
    ).toBe(`Temporary password expired unused on ${shown}. Send them a set-up link`);
    expect(
      passwordRow(staffMemberView(details({ password: { kind: 'set_up_link_sent', expiresAt: at } }))),
    ).toBe(`Set-up link sent, works until ${shown}`);
    expect(passwordRow(staffMemberView(details({ password: { kind: 'none' } })))).toBe(
      'None. Send them a set-up link to choose one',
    );
    expect(passwordRow(staffMemberView(details()))).toBe('Set by them');
  });

  it('offers the authenticator reset and the set-up link only while the account is active', () => {
    expect(staffMemberView(details())).toMatchObject({ canResetMfa: true, canSendSetUpLink: true });
    expect(staffMemberView(details({ mfaEnrolled: false }))).toMatchObject({
      canResetMfa: false,
      canSendSetUpLink: true,
    });
    expect(staffMemberView(details({ disabledAt: new Date() }))).toMatchObject({
      canResetMfa: false,
      canSendSetUpLink: false,
    });
  });
});
