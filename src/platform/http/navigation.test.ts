import { describe, expect, it } from 'vitest';
import { STAFF_ROLES, type Actor, type StaffRole } from '../../policy/actor.ts';
import { homeFor, navigationFor } from './navigation.ts';

function staff(roles: StaffRole[], crisisTeamId: string | null = 'team-1'): Actor {
  return { kind: 'staff', id: 'me', trustId: 'trust-a', crisisTeamId, roles, fullName: 'Me' };
}

const menu = (actor: Actor, demo = true, trial = false) =>
  navigationFor(actor, { demo, trial }).map((item) => item.href);

describe('the header menu, read from the policy', () => {
  it('offers each role its pages, in the order the header shows them', () => {
    expect(menu(staff(['peer_worker']))).toEqual([
      '/caseload',
      '/concerns/mine',
      '/lone-working',
      '/training/mine',
      '/supervision/mine',
      '/peer-support',
      '/wellbeing',
      '/account/password',
      '/demo/outbox',
    ]);
    expect(menu(staff(['supervisor']))).toEqual([
      '/caseloads',
      '/concerns/overview',
      '/workforce',
      '/reports',
      '/wellbeing/requests',
      '/lone-working/overdue',
      '/account/password',
      '/demo/outbox',
    ]);
    expect(menu(staff(['clinician']))).toEqual([
      '/referrals',
      '/concerns/inbox',
      '/account/password',
      '/demo/outbox',
    ]);
    expect(menu(staff(['coordinator']))).toEqual([
      '/allocation',
      '/caseloads',
      '/concerns/overview',
      '/workforce',
      '/reports',
      '/wellbeing/teams',
      '/lone-working/overdue',
      '/referrals',
      '/admin/teams',
      '/admin/staff',
      '/appointments',
      '/account/password',
      '/demo/outbox',
    ]);
    expect(menu(staff(['trial_manager']))).toEqual(['/home', '/account/password']);
  });

  it('gives a supervisor who is also a peer support worker one "Lone working" link, to their own visits', () => {
    const links = navigationFor(staff(['peer_worker', 'supervisor']), { demo: true, trial: false });
    expect(links.filter((link) => link.text === 'Lone working').map((link) => link.href)).toEqual([
      '/lone-working',
    ]);
    expect(homeFor(staff(['peer_worker', 'supervisor']), { demo: true, trial: false })).toBe('/caseload');
  });

  it('gives a supervisor who is also a peer support worker the training of every worker, themselves included, not a second link', () => {
    const links = navigationFor(staff(['peer_worker', 'supervisor']), { demo: true, trial: false }).map(
      (link) => link.href,
    );
    expect(links).toContain('/workforce');
    expect(links).not.toContain('/training/mine');
    expect(links).not.toContain('/supervision/mine');
  });

  it("offers a clinician in no crisis team neither a team's referrals nor a duty inbox", () => {
    expect(menu(staff(['clinician'], null))).toEqual(['/home', '/account/password', '/demo/outbox']);
  });

  it('offers the trial manager the trial in trial mode, its home page, and nobody else', () => {
    expect(menu(staff(['trial_manager']), true, true)).toEqual(['/trial', '/account/password']);
    expect(homeFor(staff(['trial_manager']), { demo: true, trial: true })).toBe('/trial');
    for (const role of STAFF_ROLES.filter((r) => r !== 'trial_manager')) {
      expect(menu(staff([role]), true, true)).not.toContain('/trial');
    }
  });

  it("offers a trial manager the trial only at one of its sites: at a trust outside it, their home page", () => {
    const modes = (trialSiteTrustIds: string[]) => ({ demo: false, trial: true, trialSiteTrustIds });
    const links = (ids: string[]) => navigationFor(staff(['trial_manager']), modes(ids)).map((item) => item.href);
    expect(links(['trust-b', 'trust-a'])).toContain('/trial');
    expect(links(['trust-b'])).not.toContain('/trial');
    expect(homeFor(staff(['trial_manager']), modes(['trust-b']))).toBe('/home');
  });

  it('offers the outcome assessor episodes, follow-ups and data queries, the analyst queries and exports, and outcomes by arm only to the statistician, in trial mode only', () => {
    expect(menu(staff(['outcome_assessor']), true, true)).toEqual([
      '/trial/episodes',
      '/trial/follow-ups',
      '/trial/queries',
      '/account/password',
    ]);
    expect(menu(staff(['analyst']), true, true)).toEqual(['/trial/queries', '/trial/exports', '/account/password']);
    expect(menu(staff(['statistician']), true, true)).toEqual(['/trial/outcomes', '/account/password']);
    expect(homeFor(staff(['statistician']), { demo: true, trial: true })).toBe('/trial/outcomes');
    for (const role of STAFF_ROLES.filter((r) => r !== 'statistician'))
      expect(menu(staff([role]), true, true)).not.toContain('/trial/outcomes');
    for (const role of ['outcome_assessor', 'analyst', 'statistician'] as const)
      expect(menu(staff([role]), true, false)).toEqual(['/home', '/account/password']);
  });

  it('offers the demo outbox only in demo mode', () => {
    expect(menu(staff(['coordinator']), false)).not.toContain('/demo/outbox');
  });

  it('offers a participant their programme and their plan, and nobody signed in nothing', () => {
    const participant: Actor = {
      kind: 'participant',
      id: 'p-1',
      trustId: 'trust-a',
      crisisTeamId: 'team-1',
      displayName: 'Sam',
    };
    expect(menu(participant)).toEqual(['/me', '/me/plan']);
    expect(navigationFor(undefined, { demo: true, trial: true })).toEqual([]);
  });
});
