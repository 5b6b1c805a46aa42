/**
 * Service reports (issue 16, part A): the coordinator chooses a team, a period and a breakdown
 * on a phone; the charts are drawn by the server with their numbers in tables beside them; small
 * groups are withheld; a period that ends before it starts is explained; and without JavaScript
 * the same form works. Each page passes the accessibility scan.
 */
import { expect, test } from '@playwright/test';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';

test('the coordinator reads the service report for a team, broken down by ethnic group', async ({ page }) => {
  await demoSignIn(page, COORDINATOR);
  // Offered in the header (on a phone, among the links folded under "More").
  await expect(page.getByRole('banner').locator('a[href="/reports"]')).not.toHaveCount(0);
  await page.goto('/reports');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Service report');
  // Every figure says what it is out of.
  await expect(page.locator('main')).toContainText(/Allocated a peer support worker\s*\d+ of \d+/);
  // The charts, with their numbers in a table a screen reader reads.
  await expect(page.locator('svg.app-chart')).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Engagement, out of everyone referred' })).toContainText(
    'At least 3 sessions',
  );
  await checkPage(page, 'reports');

  await page.getByLabel('Team', { exact: true }).selectOption({ label: 'North crisis resolution team' });
  await page.getByLabel('Break down by').selectOption({ label: 'Ethnic group' });
  await page.getByRole('button', { name: 'Show the report' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^North crisis resolution team:/ })).toBeVisible();
  const breakdown = page.getByRole('table', { name: 'What happened, by ethnic group' });
  await expect(breakdown).toContainText('Not answered');
  // Groups of fewer than 5 people are never shown as numbers.
  await expect(breakdown).toContainText('not shown');
  await checkPage(page, 'reports-breakdown');

  // A period that ends before it starts: the error summary, linking to the box.
  const months = page.getByLabel('Referred up to and including').locator('option');
  await page.getByLabel('Referred up to and including').selectOption({ index: (await months.count()) - 1 });
  await page.getByRole('button', { name: 'Show the report' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'The last month must be the same as or after the first month',
  );
  await checkPage(page, 'reports-error');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a supervisor chooses a breakdown and downloads the figures', async ({ page }) => {
    await demoSignIn(page, 'Sunita Supervisor');
    await page.goto('/reports');
    await page.getByLabel('Break down by').selectOption({ label: 'Age band' });
    await page.getByRole('button', { name: 'Show the report' }).click();
    await expect(page.getByRole('table', { name: 'What happened, by age band' })).toBeVisible();
    await checkPageWithoutJavaScript(page, 'reports-no-javascript');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download these figures as a spreadsheet (CSV)' }).click();
    expect((await download).suggestedFilename()).toMatch(
      /^greenleaf-service-report-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv$/,
    );
  });
});
