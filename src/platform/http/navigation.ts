import type { Actor, ParticipantActor, StaffActor } from '../../policy/actor.ts';
import { can, caseloadOf, type Action, type Resource } from '../../policy/policy.ts';

export interface NavItem {
  href: string;
  text: string;
  current?: boolean;
}

/**
 * A header link, offered when the policy allows the action its page asks before it shows
 * anything: the menu is read from the one policy, so nobody is offered a page they would be
 * refused. In the order the header shows them; the first a person is offered is their home page.
 */
interface MenuLink<A extends Actor> {
  href: string;
  text: string;
  action: Action;
  resource: (actor: A, modes: Modes) => Resource;
  /** Not offered beside this link: the page behind it already leads there. */
  unlessOffered?: string;
  demoOnly?: boolean;
  /** Offered only when the programme runs as a trial (TRIAL_MODE). */
  trialOnly?: boolean;
}

/** Which of the deployment's modes are on: some pages exist only in them. */
export interface Modes {
  demo: boolean;
  trial: boolean;
  /**
   * The trusts taking part in the deployment's trial, as last read (trial-sites.ts); absent or
   * null when there is no trial yet, and the research role's own trust stands for one (a trial
   * manager then sets it up).
   */
  trialSiteTrustIds?: readonly string[] | null;
}

const self = (actor: StaffActor): Resource => ({ type: 'staff', trustId: actor.trustId, staffId: actor.id });
const trust = (actor: Actor): Resource => ({ type: 'trust', trustId: actor.trustId });
const ownTeam = (actor: StaffActor): Resource => ({
  type: 'crisisTeam',
  trustId: actor.trustId,
  // A member of staff in no crisis team has no team's pages.
  crisisTeamId: actor.crisisTeamId ?? '',
});
// The trial's pages at the actor's own trust, among the trial's sites: research staff of a trust
// outside the trial are offered none (they would answer "not found").
const ownTrialSite = (actor: StaffActor, modes: Modes): Resource => ({
  type: 'trialSite',
  trustId: actor.trustId,
  siteTrustIds: modes.trialSiteTrustIds ?? [actor.trustId],
});
const ownRecord = (actor: ParticipantActor): Resource => ({
  type: 'participant',
  participantId: actor.id,
  trustId: actor.trustId,
  crisisTeamId: actor.crisisTeamId,
  allocatedWorkerId: null,
});

const PARTICIPANT_MENU: readonly MenuLink<ParticipantActor>[] = [
  { href: '/me', text: 'My programme', action: 'participant.view', resource: ownRecord },
  { href: '/me/plan', text: 'My recovery plan', action: 'plan.open', resource: ownRecord },
];

const STAFF_MENU: readonly MenuLink<StaffActor>[] = [
  { href: '/caseload', text: 'My caseload', action: 'caseload.view', resource: caseloadOf },
  // Second, so it stays in sight on a phone, where the header folds later links under "More":
  // the crisis team's replies are read there.
  { href: '/concerns/mine', text: 'My concerns', action: 'concern.list_own', resource: self },
  { href: '/lone-working', text: 'Lone working', action: 'loneworking.check_in', resource: self },
  { href: '/allocation', text: 'Waiting for a worker', action: 'allocation.list_waiting', resource: trust },
  { href: '/caseloads', text: 'Caseloads', action: 'caseload.overview', resource: trust },
  { href: '/concerns/overview', text: 'Concerns', action: 'concern.oversee', resource: trust },
  // The workforce (training, supervision, support) for supervisors and the coordinator, who
  // reach each worker's pages from it; a worker's own training and supervision for them.
  { href: '/workforce', text: 'Workforce', action: 'workforce.overview', resource: trust },
  // Who the programme reached and what happened, in counts (supervisors and the coordinator).
  { href: '/reports', text: 'Reports', action: 'reports.view', resource: trust },
  {
    href: '/training/mine',
    text: 'My training',
    action: 'training.view',
    resource: self,
    unlessOffered: '/workforce',
  },
  {
    href: '/supervision/mine',
    text: 'My supervision',
    action: 'supervision.view_own',
    resource: self,
    unlessOffered: '/workforce',
  },
  // Asking an experienced peer worker; a supervisor sees their supervisees' open requests there.
  { href: '/peer-support', text: 'Peer support', action: 'peersupport.ask', resource: self },
  // Asking for support, privately; and the requests a supervisor has been sent.
  { href: '/wellbeing', text: 'Support for you', action: 'wellbeing.ask', resource: self },
  { href: '/wellbeing/requests', text: 'Support requests', action: 'wellbeing.inbox', resource: self },
  { href: '/wellbeing/teams', text: 'Support requests', action: 'wellbeing.counts', resource: trust },
  // Overdue lone-working check-outs, for those who are alerted (after their own home page); a
  // worker who is also alerted finds them on their own lone-working page.
  {
    href: '/lone-working/overdue',
    text: 'Lone working',
    action: 'loneworking.oversee',
    resource: trust,
    unlessOffered: '/lone-working',
  },
  // The whole trust's referrals for the coordinator, or their own crisis team's for a clinician.
  { href: '/referrals', text: 'Referrals', action: 'referral.list', resource: trust },
  { href: '/referrals', text: 'Referrals', action: 'referral.list', resource: ownTeam },
  // After Referrals, so a clinician's home page stays the referrals list.
  { href: '/concerns/inbox', text: 'Duty inbox', action: 'concern.inbox', resource: ownTeam },
  { href: '/admin/teams', text: 'Teams', action: 'team.manage', resource: trust },
  { href: '/admin/staff', text: 'Staff', action: 'staff.manage', resource: trust },
  { href: '/appointments', text: 'Appointments', action: 'appointment.manage', resource: trust },
  // The trial's screening log and consent, for the trial manager.
  { href: '/trial', text: 'Trial', action: 'trial.view', resource: ownTrialSite, trialOnly: true },
  // Acute-care episodes: the outcome assessor's page (the trial manager reaches it from the trial's home).
  {
    href: '/trial/episodes',
    text: 'Acute-care episodes',
    action: 'trial.episodes',
    resource: ownTrialSite,
    trialOnly: true,
    unlessOffered: '/trial',
  },
  // Outcomes by arm: the unblinded statistician's only.
  { href: '/trial/outcomes', text: 'Outcomes', action: 'trial.outcomes', resource: ownTrialSite, trialOnly: true },
  // The outcome assessor's due and overdue follow-ups.
  {
    href: '/trial/follow-ups',
    text: 'Follow-ups',
    action: 'trial.follow_up',
    resource: ownTrialSite,
    trialOnly: true,
  },
  // Data queries and the exports, for the blinded research roles (the trial manager reaches
  // the queries from the trial's page).
  {
    href: '/trial/queries',
    text: 'Data queries',
    action: 'trial.query_raise',
    resource: ownTrialSite,
    trialOnly: true,
    unlessOffered: '/trial',
  },
  {
    href: '/trial/exports',
    text: 'Exports',
    action: 'trial.export',
    resource: ownTrialSite,
    trialOnly: true,
  },
];

/** After the pages of a person's roles; the header folds them under "More" on a phone. */
const STAFF_MENU_END: readonly MenuLink<StaffActor>[] = [
  { href: '/account/password', text: 'Change password', action: 'account.change_password', resource: self },
  { href: '/demo/outbox', text: 'Outbox', action: 'outbox.view', resource: trust, demoOnly: true },
];

function offered<A extends Actor>(actor: A, links: readonly MenuLink<A>[], modes: Modes): NavItem[] {
  const items: NavItem[] = [];
  for (const link of links) {
    if (link.demoOnly && !modes.demo) continue;
    if (link.trialOnly && !modes.trial) continue;
    if (items.some((item) => item.href === link.href || item.href === link.unlessOffered)) continue;
    if (can(actor, link.action, link.resource(actor, modes))) items.push({ href: link.href, text: link.text });
  }
  return items;
}

/** The header's links for what this actor can do; the first is their home page. */
export function navigationFor(actor: Actor | undefined, modes: Modes): NavItem[] {
  if (!actor) return [];
  if (actor.kind === 'participant') return offered(actor, PARTICIPANT_MENU, modes);
  const items = offered(actor, STAFF_MENU, modes);
  // Staff whose roles have no pages yet (the research roles) still have a home page.
  if (items.length === 0) items.push({ href: '/home', text: 'Home' });
  return [...items, ...offered(actor, STAFF_MENU_END, modes)];
}

export function homeFor(actor: Actor | undefined, modes: Modes): string {
  return navigationFor(actor, modes)[0]?.href ?? '/';
}
