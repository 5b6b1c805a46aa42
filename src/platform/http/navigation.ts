import { hasRole, type Actor } from '../../policy/actor.ts';
import { can } from '../../policy/policy.ts';

export interface NavItem {
  href: string;
  text: string;
  current?: boolean;
}

/** The header's links for what this actor can do; the first is their home page. */
export function navigationFor(actor: Actor | undefined, demoMode: boolean): NavItem[] {
  if (!actor) return [];
  if (actor.kind === 'participant') {
    return [
      { href: '/me', text: 'My programme' },
      { href: '/me/plan', text: 'My recovery plan' },
    ];
  }
  const items: NavItem[] = [];
  if (hasRole(actor, 'peer_worker')) items.push({ href: '/caseload', text: 'My caseload' });
  // Second, so it stays in sight on a phone, where the header folds later links under "More":
  // the crisis team's replies are read there.
  if (hasRole(actor, 'peer_worker')) items.push({ href: '/concerns/mine', text: 'My concerns' });
  if (hasRole(actor, 'peer_worker')) items.push({ href: '/lone-working', text: 'Lone working' });
  if (hasRole(actor, 'coordinator')) items.push({ href: '/allocation', text: 'Waiting for a worker' });
  if (hasRole(actor, 'coordinator') || hasRole(actor, 'supervisor'))
    items.push({ href: '/caseloads', text: 'Caseloads' });
  if (hasRole(actor, 'coordinator') || hasRole(actor, 'supervisor'))
    items.push({ href: '/concerns/overview', text: 'Concerns' });
  // Overdue lone-working check-outs, for those who are alerted (after their own home page).
  if (!hasRole(actor, 'peer_worker') && (hasRole(actor, 'supervisor') || hasRole(actor, 'coordinator')))
    items.push({ href: '/lone-working/overdue', text: 'Lone working' });
  if (hasRole(actor, 'clinician') || hasRole(actor, 'coordinator')) {
    items.push({ href: '/referrals', text: 'Referrals' });
  }
  // After Referrals, so a clinician's home page stays the referrals list.
  if (hasRole(actor, 'clinician')) items.push({ href: '/concerns/inbox', text: 'Duty inbox' });
  if (hasRole(actor, 'coordinator')) {
    items.push({ href: '/admin/teams', text: 'Teams' }, { href: '/admin/staff', text: 'Staff' });
  }
  if (items.length === 0) items.push({ href: '/home', text: 'Home' });
  // Every staff account, whatever its roles (the header folds it under "More" on a phone).
  items.push({ href: '/account/password', text: 'Change password' });
  if (demoMode && can(actor, 'outbox.view', { type: 'trust', trustId: actor.trustId })) {
    items.push({ href: '/demo/outbox', text: 'Outbox' });
  }
  return items;
}

export function homeFor(actor: Actor | undefined, demoMode: boolean): string {
  return navigationFor(actor, demoMode)[0]?.href ?? '/';
}
