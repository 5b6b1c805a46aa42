/**
 * View models of the coordinator's staff pages: the list and one account, with what the
 * coordinator may do to it. Where the account's password stands is said in words; the password
 * itself, and any set-up link, are never shown.
 */
import type { FieldErrors } from '../platform/errors.ts';
import { errorList } from '../platform/http/forms.ts';
import { formatDate, formatDateTime } from '../platform/calendar/uk-format.ts';
import { ROLE_LABELS, type StaffRole } from '../policy/actor.ts';
import type { PasswordStatus, StaffDetails, StaffSummary } from './staff-admin.service.ts';

const roleLabels = (roles: readonly StaffRole[]) => roles.map((role) => ROLE_LABELS[role]).join(', ');

/** Where their password stands, in words: never the password, never a link. */
function passwordText(status: PasswordStatus): string {
  switch (status.kind) {
    case 'temporary':
      return `Temporary password, works until ${formatDateTime(status.expiresAt)}. They choose their own when they first sign in`;
    case 'temporary_expired':
      return `Temporary password expired unused on ${formatDateTime(status.expiredAt)}. Send them a set-up link`;
    case 'set_up_link_sent':
      return `Set-up link sent, works until ${formatDateTime(status.expiresAt)}`;
    case 'none':
      return 'None. Send them a set-up link to choose one';
    case 'own':
      return 'Set by them';
  }
}

const teamLabel = (staff: StaffSummary) => staff.crisisTeamName ?? 'None (trust-wide)';

export function staffListView(staff: StaffSummary[], notice: string | undefined): Record<string, unknown> {
  return {
    pageTitle: 'Staff accounts',
    contentWidth: 'full',
    notice,
    staff: staff.map((person) => ({
      href: `/admin/staff/${person.id}`,
      fullName: person.fullName,
      email: person.email,
      roles: roleLabels(person.roles),
      team: teamLabel(person),
      active: person.disabledAt === null,
      mfaEnrolled: person.mfaEnrolled,
    })),
  };
}

export function staffMemberView(
  staff: StaffDetails,
  options: { notice?: string | undefined; errors?: FieldErrors } = {},
): Record<string, unknown> {
  const errors = options.errors ?? {};
  const edit = `/admin/staff/${staff.id}/edit`;
  const change = (anchor: string, label: string) => ({
    href: `${edit}#${anchor}`,
    visuallyHiddenText: label,
  });
  const isPeerWorker = staff.roles.includes('peer_worker');
  const active = staff.disabledAt === null;
  const rows = [
    { key: 'Full name', value: staff.fullName, change: change('fullName', 'full name') },
    { key: 'Email address', value: staff.email },
    { key: 'Roles', value: roleLabels(staff.roles), change: change('roles', 'roles') },
    { key: 'Crisis team', value: teamLabel(staff), change: change('crisisTeamId', 'crisis team') },
    ...(isPeerWorker
      ? [
          {
            key: 'Caseload limit',
            value: String(staff.caseloadLimit),
            change: change('caseloadLimit', 'caseload limit'),
          },
          { key: 'Participants now', value: String(staff.currentCaseload) },
        ]
      : []),
    { key: 'Status', value: active ? 'Active' : `Disabled on ${formatDate(staff.disabledAt)}` },
    { key: 'Password', value: passwordText(staff.password) },
    {
      key: 'Authenticator app set up',
      value: staff.mfaEnrolled ? 'Yes' : 'No, they will set one up when they next sign in',
    },
    { key: 'Account created', value: formatDate(staff.createdAt) },
  ];
  return {
    pageTitle: staff.fullName,
    backLinkHref: '/admin/staff',
    notice: options.notice,
    staffId: staff.id,
    // Training and checks decide whether a worker may take participants: on their own page.
    trainingHref: isPeerWorker && !staff.disabledAt ? `/training/workers/${staff.id}` : undefined,
    rows,
    active,
    isSelf: staff.isSelf,
    canDisable: active && !staff.isSelf,
    canEnable: !active,
    // Both stop the password and email the owner a link, which a disabled account cannot use.
    canResetMfa: active && staff.mfaEnrolled,
    canSendSetUpLink: active,
    // A disabled peer support worker's participants are waiting for someone to be reallocated.
    stranded: !active && staff.currentCaseload > 0 ? staff.currentCaseload : 0,
    errors,
    errorList: errorList(errors, ['actions']),
  };
}
