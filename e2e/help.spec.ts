/** Journey 1: anyone, signed in or not, can reach "Get help now" from the header. */
import { expect, test } from '@playwright/test';
import { HelpPage, StartPage } from './pages/public.pages.ts';
import { checkPage } from './support/checks.ts';

test('someone not signed in goes from the start page to Get help now', async ({ page }) => {
  const start = new StartPage(page);
  await start.open();
  await expect(start.staffSignInLink).toBeVisible();
  await expect(start.participantSignInLink).toBeVisible();
  await checkPage(page, 'start');

  await start.header.getHelpNow();
  const help = new HelpPage(page);
  await help.expectLoaded();
  await help.expectNationalContacts();
  await expect(help.main).toContainText('You do not need to sign in to see this page.');
  // Nobody is signed in, so there is no crisis team of theirs to show.
  await expect(help.crisisTeamHeading).toHaveCount(0);
  await checkPage(page, 'help');
});

test('the demo offers one-click sign-in as any made-up person, from the start page', async ({ page }) => {
  const start = new StartPage(page);
  await start.open();
  await page.getByRole('link', { name: 'sign in as any of the made-up people' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demo accounts' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in as Carol Coordinator', exact: true })).toBeVisible();
  await checkPage(page, 'demo');
});

test('Get help now is also in the footer and on the accessibility and privacy pages', async ({ page }) => {
  for (const [path, heading, screen] of [
    ['/accessibility', 'Accessibility statement', 'accessibility'],
    ['/privacy', 'Privacy', 'privacy'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Get help now' })).toHaveAttribute(
      'href',
      '/help',
    );
    await checkPage(page, screen);
  }
});
