/** Journey 8: at 320 CSS pixels wide nothing needs scrolling sideways (WCAG 1.4.10 Reflow). */
import { expect, test, type Page } from '@playwright/test';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { StaffSignInPage } from './pages/staff-sign-in.pages.ts';
import { checkPage } from './support/checks.ts';
import { buildReferral } from './support/data.ts';
import { COORDINATOR, demoSignIn, referByPost } from './support/flows.ts';

test.use({ viewport: { width: 320, height: 640 } });

/** Opens a page and checks it fits in 320 px; a page that does not is reported and the walk goes on. */
async function expectReflows(page: Page, path: string, heading?: string): Promise<void> {
  if (path) await page.goto(path);
  if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect.soft(width, `page width at 320 px on ${page.url()}`).toBeLessThanOrEqual(320);
  await checkPage(page);
}

test('public pages and sign-in fit a 320 px screen', async ({ page }) => {
  await expectReflows(page, '/', 'Greenleaf');
  await expectReflows(page, '/help', 'Get help now');
  await expectReflows(page, '/participant/sign-in', 'Sign in to Greenleaf');
  await expectReflows(page, '/demo', 'Demo accounts');
  const signIn = new StaffSignInPage(page);
  await signIn.open();
  await signIn.signIn('coordinator@demo.greenleaf.nhs.uk', 'wrong-password-for-reflow');
  await expect(signIn.errorSummary.heading).toBeVisible();
  await expectReflows(page, '');
});

test('staff pages fit a 320 px screen', async ({ page }) => {
  await demoSignIn(page, COORDINATOR);
  const participantId = await referByPost(page, buildReferral({ familyName: `Reflow-${test.info().project.name}` }));
  await expectReflows(page, '/allocation', 'Waiting for a peer support worker');
  await expectReflows(page, `/participants/${participantId}`);
  await expect(new ParticipantSummaryPage(page).allocateButton).toBeVisible();
  await expectReflows(page, `/participants/${participantId}/allocate`, 'Allocate a peer support worker');
  await expectReflows(page, '/referrals', 'Referrals');
  await expectReflows(page, '/referrals/new', 'Refer someone at discharge');
  await page.getByRole('button', { name: 'Send referral' }).click();
  await expectReflows(page, '');
  await expectReflows(page, '/caseloads', 'Caseloads');
  await expectReflows(page, '/demo/outbox', 'Outbox');
  await expectReflows(page, '/admin/teams', 'Crisis teams');
  await expectReflows(page, '/admin/staff', 'Staff accounts');

  await demoSignIn(page, 'Pat Peer');
  await expectReflows(page, '/caseload', 'My caseload');
  await demoSignIn(page, 'Kwame Mensah');
  await expectReflows(page, '/me', 'Hello, Kwame');
});
