/**
 * The worker's side of the recovery plan (issue 4): the peer support worker opens the plan from
 * the participant's page and writes in a shared section on their behalf, marked as such; the
 * participant sees who wrote it and changes it, makes a section private (the worker can no
 * longer open it) and sees the worker's reading in "Who has looked at my plan"; a clinician of
 * the crisis team sees only the sections shared with the care team, and cannot write in them.
 */
import { expect, test, type Page } from '@playwright/test';
import { checkPage } from './support/checks.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';
import { fullName } from './support/data.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { PlanOverviewPage, PlanSectionAsAnyone, PlanSharingPage, PlanViewsPage } from './pages/plan.pages.ts';

const MOVING_ON = 'Moving on after a crisis';
const UPS_AND_DOWNS = 'Managing ups and downs';
const NORTH_CLINICIAN = 'Dr Clare Clinician';

async function signOut(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
}

test('a worker writes on the participant’s behalf; the participant decides who sees what', async ({
  page,
}) => {
  // Two people across several plan pages, each scanned: longer than the default allowance.
  test.slow();
  // A new participant of Pat's in the North team, so no other journey writes in this plan.
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer');
  const name = fullName(data);

  // Pat opens the plan from the participant's page.
  const summary = new ParticipantSummaryPage(page);
  await summary.open(participantId);
  await summary.expectLoaded(name);
  const panel = page.getByRole('heading', { level: 2, name: 'Recovery plan' });
  await expect(panel).toBeVisible();
  await expect(page.getByText('They have not started their recovery plan yet.')).toBeVisible();
  await checkPage(page, 'plan-worker-participant-page');
  await page.getByRole('link', { name: 'Open their recovery plan' }).click();

  const overview = new PlanOverviewPage(page);
  await overview.expectLoaded();
  await expect(overview.sections).toHaveCount(7);
  await checkPage(page, 'plan-worker-overview');

  // Pat writes in a shared section on their behalf.
  await overview.openSection(MOVING_ON);
  const section = new PlanSectionAsAnyone(page);
  await expect(page.getByText('You can write here on their behalf.')).toBeVisible();
  await section.write('What helped', 'Their brother coming round every evening.');
  await page.reload();
  await expect(section.field('What helped')).toHaveValue('Their brother coming round every evening.');
  await expect(section.writtenBy('What helped')).toContainText('Written on their behalf');
  await expect(section.writtenBy('What helped')).toContainText('by You');
  await checkPage(page, 'plan-worker-written-on-behalf');
  await signOut(page);

  // The participant sees it marked as written for them by Pat, and changes it.
  await demoSignIn(page, name);
  await page.goto('/me/plan/moving_on');
  const mine = new PlanSectionAsAnyone(page);
  await expect(mine.writtenBy('What helped')).toContainText('Written for you');
  await expect(mine.writtenBy('What helped')).toContainText('by Pat Peer');
  await checkPage(page, 'plan-worker-written-for-you');
  await mine.write('What helped', 'My brother coming round every evening, and the dog.');
  await page.reload();
  await expect(mine.field('What helped')).toHaveValue('My brother coming round every evening, and the dog.');
  await expect(mine.form('What helped').getByText('Written for you')).toHaveCount(0);

  // They keep "Moving on" to themselves and share "Managing ups and downs" with their care team.
  const sharing = new PlanSharingPage(page);
  await sharing.open();
  await sharing.choose(MOVING_ON, 'Only me');
  await sharing.choose(UPS_AND_DOWNS, 'Me, my peer support worker and my care team');
  await sharing.save();
  await checkPage(page, 'plan-worker-sharing-saved');

  // Pat's reading of the plan is listed.
  const views = new PlanViewsPage(page);
  await views.open();
  await expect(views.rows.filter({ hasText: 'Pat Peer' }).filter({ hasText: MOVING_ON })).not.toHaveCount(0);
  await checkPage(page, 'plan-worker-views');
  await signOut(page);

  // Pat no longer sees the private section, and cannot open it by its address.
  await demoSignIn(page, 'Pat Peer');
  await overview.open(`/participants/${participantId}/plan`);
  await expect(overview.sections).not.toContainText([MOVING_ON]);
  await expect(overview.sections).toHaveCount(6);
  await expect(overview.hiddenSections).toContainText('1 section is not shared with you.');
  const refused = await page.goto(`/participants/${participantId}/plan/moving_on`);
  expect(refused?.status()).toBe(404);
  await signOut(page);

  // The North team's clinician sees only what is shared with the care team, read-only.
  await demoSignIn(page, NORTH_CLINICIAN);
  await summary.open(participantId);
  await expect(page.getByText('They share 1 section of their plan with you.')).toBeVisible();
  await page.getByRole('link', { name: 'Open their recovery plan' }).click();
  await overview.expectLoaded();
  await expect(overview.sections).toHaveText([UPS_AND_DOWNS]);
  await checkPage(page, 'plan-worker-clinician-overview');
  await overview.openSection(UPS_AND_DOWNS);
  await expect(section.saveButtons()).toHaveCount(0);
  await expect(page.getByText('You can write here on their behalf.')).toHaveCount(0);
  await checkPage(page, 'plan-worker-clinician-section');
});
