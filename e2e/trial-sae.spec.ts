/**
 * Journey (trial mode): the trial manager records a serious adverse event about a randomised
 * participant, sees its 24-hour clock, and records its report to the sponsor; the form explains
 * what is wrong; without JavaScript the same forms work. Each page passes the accessibility scan.
 */
import { expect, test, type Page } from '@playwright/test';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { londonToday } from './support/data.ts';
import { demoSignIn } from './support/flows.ts';

const MANAGER = 'Tara Trial-Manager';

/** A randomised person's screening page, from the log (the demo's are randomised but the last two who consented). */
async function openRandomised(page: Page): Promise<void> {
  await page.goto('/trial/screenings');
  const links = page.locator('main table a');
  for (let i = 0; i < (await links.count()); i++) {
    await links.nth(i).click();
    if ((await page.getByRole('button', { name: 'Record a serious adverse event' }).count()) > 0) return;
    await page.goBack();
  }
  throw new Error('no randomised person in the demo trial');
}

async function fill(page: Page) {
  const [year = '', month = '', day = ''] = londonToday().split('-');
  await page.getByLabel('Self-harm needing hospital care').check();
  for (const legend of ['Date it happened', 'Date the research team became aware of it']) {
    const group = page.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(String(Number(day)));
    await group.getByLabel('Month').fill(String(Number(month)));
    await group.getByLabel('Year').fill(year);
  }
  await page.getByLabel('Time the team became aware').fill('00:05');
  await page
    .getByLabel('What happened')
    .fill('Taken to the emergency department after self-harm; discharged the next day.');
  await page.getByLabel('Unlikely to be related').check();
  await page.getByLabel('Expected', { exact: true }).check();
}

test('the trial manager records a serious adverse event and its report to the sponsor', async ({ page }) => {
  test.slow();
  await demoSignIn(page, MANAGER);
  await openRandomised(page);
  await page.getByRole('button', { name: 'Record a serious adverse event' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record a serious adverse event');
  await checkPage(page, 'trial-sae-form');
  await page.getByRole('button', { name: 'Record it' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Select what kind of serious adverse event it was',
  );
  await checkPage(page, 'trial-sae-form-errors');
  await fill(page);
  await page.getByRole('button', { name: 'Record it' }).click();
  await expect(page.getByText('Its report to the sponsor is due by the time below.')).toBeVisible();
  await expect(page.locator('main')).toContainText(/To report|Due soon|Overdue/);
  await checkPage(page, 'trial-sae');

  await page.getByLabel("The sponsor's reference for the report").fill('SPN-2026-0042');
  await page.getByRole('button', { name: 'Record as reported now' }).click();
  await expect(page.getByText('Report to the sponsor recorded. The clock has stopped.')).toBeVisible();
  await expect(page.locator('main')).toContainText('SPN-2026-0042');
  await page.goto('/trial/saes');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Serious adverse events');
  await checkPage(page, 'trial-saes');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the serious adverse event form works as a plain form', async ({ page }) => {
    await demoSignIn(page, MANAGER);
    await openRandomised(page);
    await page.getByRole('button', { name: 'Record a serious adverse event' }).click();
    await fill(page);
    await page.getByRole('button', { name: 'Record it' }).click();
    await expect(page.getByText('Its report to the sponsor is due by the time below.')).toBeVisible();
    await checkPageWithoutJavaScript(page, 'trial-sae-no-javascript');
  });
});
