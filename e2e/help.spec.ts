/** Journey 1: anyone, signed in or not, can reach "Get help now" from the header. */
import { expect, test } from '@playwright/test';
import { HelpPage, StartPage } from './pages/public.pages.ts';
import { Header } from './pages/components.ts';
import { DemoAccountsPage } from './pages/staff-sign-in.pages.ts';
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
  const demo = new DemoAccountsPage(page);
  await expect(demo.heading).toBeVisible();
  await expect(demo.signInButton('Carol Coordinator')).toBeVisible();
  await checkPage(page, 'demo');

  // The button signs in (the other journeys sign in over HTTP: e2e/support/http-forms.ts).
  await demo.signInButton('Carol Coordinator').click();
  const header = new Header(page);
  await expect(header.signOutButton).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Demo accounts');
  await header.signOut();

  // The list shows the 40 most recently discharged participants; anyone is found by name.
  await demo.open();
  await demo.findParticipant('Sia Jones');
  await expect(demo.participantButtons).toHaveText(['Sign in as Sia Jones']);
  await demo.signInButton('Sia Jones').click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(header.signOutButton).toBeVisible();
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
