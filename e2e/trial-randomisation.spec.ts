/**
 * Journey (trial mode): the trial manager screens someone eligible, records their consent and
 * randomises them, seeing their study ID and arm; the balance of the arms by team; an outcome
 * assessor reaches none of it. Without JavaScript the same button works. Each page passes the
 * accessibility scan at phone width.
 */
import { expect, test, type Page } from '@playwright/test';
import { ConsentPage, ScreeningPage, ScreenSomeonePage } from './pages/trial.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { londonToday } from './support/data.ts';
import { demoSignIn } from './support/flows.ts';

const MANAGER = 'Tara Trial-Manager';

/** Screens someone eligible in the North team and records their consent; answers the page's address. */
async function consentedPerson(page: Page, initials: string): Promise<string> {
  await page.goto('/trial/screenings/new');
  const form = new ScreenSomeonePage(page);
  await form.team.selectOption({ label: 'North crisis resolution team' });
  await form.initials.fill(initials);
  await form.yearOfBirth.fill(String(1950 + (Date.now() % 50)));
  await form.answerAll({});
  await form.save.click();
  await new ScreeningPage(page).recordConsent.click();
  const consent = new ConsentPage(page);
  await consent.chooseVersion('2.0');
  await consent.takenOn(londonToday());
  await consent.capacity.check();
  await consent.save.click();
  await expect(page.getByText('Consent recorded.')).toBeVisible();
  return new URL(page.url()).pathname;
}

const ARM = /Peer support \(the programme\)|Usual care with the workbook/;

test('the trial manager randomises someone who consented, and an assessor never sees the arm', async ({
  page,
}) => {
  test.slow();
  await demoSignIn(page, MANAGER);
  const path = await consentedPerson(page, 'RZ');
  const randomisation = page.getByRole('heading', { level: 2, name: 'Randomisation' });
  await expect(randomisation).toBeVisible();
  await expect(page.getByText('It cannot be undone')).toBeVisible();
  await checkPage(page, 'trial-randomise');
  await page.getByRole('button', { name: 'Randomise' }).click();
  await expect(page.getByText('Randomised. Their study ID is below.')).toBeVisible();
  const details = page.locator('dl[aria-labelledby="randomisation"]');
  await expect(details).toContainText(/Study ID\s*PEERS-DEMO-\d{4}/);
  await expect(details).toContainText(ARM);
  await expect(page.getByRole('button', { name: 'Randomise' })).toHaveCount(0);
  await checkPage(page, 'trial-randomised');

  await page.goto('/trial');
  await page.getByRole('link', { name: 'Balance of the arms by crisis team' }).click();
  await expect(page.getByRole('table', { name: 'Randomised, by crisis team and arm' })).toContainText(
    'North crisis resolution team',
  );
  await checkPage(page, 'trial-balance');

  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await demoSignIn(page, 'Oscar Outcome-Assessor');
  for (const where of [path, '/trial/balance']) {
    const answer = await page.goto(where);
    expect(answer?.status(), where).toBe(404);
    await expect(page.locator('main')).not.toContainText(ARM);
  }
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the Randomise button works as a plain form', async ({ page }) => {
    await demoSignIn(page, MANAGER);
    await consentedPerson(page, 'RN');
    await page.getByRole('button', { name: 'Randomise' }).click();
    await expect(page.getByText('Randomised. Their study ID is below.')).toBeVisible();
    await checkPageWithoutJavaScript(page, 'trial-randomised-no-javascript');
  });
});
