/**
 * Journey (trial mode): the outcome assessor finds a study id and records an acute-care episode
 * (the form explains what is wrong first), never seeing an arm; without JavaScript the same form
 * works. The unblinded statistician sees the locked pilot's outcomes by arm and asks for a data
 * monitoring committee report of the open trial. Each page passes the accessibility scan.
 */
import { expect, test, type Page } from '@playwright/test';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { isoDaysAgo } from './support/data.ts';
import { demoSignIn } from './support/flows.ts';

const ASSESSOR = 'Oscar Outcome-Assessor';
const STATISTICIAN = 'Stan Statistician';

async function fillDate(page: Page, legend: string, iso: string) {
  const [year = '', month = '', day = ''] = iso.split('-');
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(Number(day)));
  await group.getByLabel('Month').fill(String(Number(month)));
  await group.getByLabel('Year').fill(year);
}

async function recordEpisode(page: Page, studyId: string, screens: boolean) {
  await page.goto('/trial/episodes');
  await page.getByLabel('Study id').fill(studyId);
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(studyId);
  if (screens) await checkPage(page, 'trial-episodes');
  await page.getByRole('button', { name: 'Record an episode' }).click();
  if (screens) {
    await page.getByRole('button', { name: 'Record it' }).click();
    await expect(page.locator('.nhsuk-error-summary')).toContainText('Select what kind of acute care it was');
    await checkPage(page, 'trial-episode-form-errors');
  }
  await page.getByLabel('Stay in a crisis house').check();
  await fillDate(page, 'Date it started', isoDaysAgo(6));
  await fillDate(page, 'Date it ended (optional)', isoDaysAgo(2));
  await page.getByLabel('Crisis team records').check();
  await page.getByRole('button', { name: 'Record it' }).click();
  await expect(page.getByText('Acute-care episode recorded.')).toBeVisible();
  await expect(page.locator('main')).toContainText('Stay in a crisis house');
  await expect(page.locator('main')).not.toContainText(/usual care|intervention|peer support \(/i);
}

test('the outcome assessor records an acute-care episode by study id, blind to the arm', async ({ page }) => {
  test.slow();
  await demoSignIn(page, ASSESSOR);
  await recordEpisode(page, 'PEERS-DEMO-0005', true);
  await checkPage(page, 'trial-episodes-recorded');
});

test('the statistician sees the locked pilot’s outcomes by arm and asks for a DMC report of the open trial', async ({
  page,
}) => {
  test.slow();
  await demoSignIn(page, STATISTICIAN);
  await page.goto('/trial/outcomes');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Outcomes by arm');
  await checkPage(page, 'trial-outcomes');
  await page.getByRole('link', { name: /See the outcomes by arm/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Outcomes by arm: PEERS-PILOT');
  await expect(page.locator('main')).toContainText('Risk difference (95% interval)');
  await checkPage(page, 'trial-outcomes-pilot');
  await page.goto('/trial/outcomes');
  await page.getByRole('button', { name: 'Ask for a data monitoring committee report' }).click();
  await fillDate(page, "Date of the committee's meeting", isoDaysAgo(-14));
  await page.getByLabel('What the committee meets for').fill('Planned interim review of safety and recruitment');
  await checkPage(page, 'trial-dmc-form');
  await page.getByRole('button', { name: 'Make the report' }).click();
  await expect(page.getByText('Data monitoring committee report made.')).toBeVisible();
  await expect(page.locator('main')).toContainText('Confidential to the data monitoring committee');
  await checkPage(page, 'trial-dmc-report');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the acute-care episode form works as a plain form', async ({ page }) => {
    await demoSignIn(page, ASSESSOR);
    await recordEpisode(page, 'PEERS-DEMO-0006', false);
    await checkPageWithoutJavaScript(page, 'trial-episode-no-javascript');
  });
});
