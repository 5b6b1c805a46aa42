/** A supervisor looks at concerns across teams: what is waiting, response times, a month's summary. */
import { expect, test } from '@playwright/test';
import { ConcernsOverviewPage } from './pages/concerns-oversight.pages.ts';
import { checkPage } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

test('a supervisor opens the concerns overview and a monthly summary, without JavaScript needed', async ({
  page,
}) => {
  await demoSignIn(page, 'Sunita Supervisor');
  const overview = new ConcernsOverviewPage(page);
  await expect(overview.navLink).toHaveAttribute('href', '/concerns/overview');
  await overview.open();
  await expect(overview.openHeading).toBeVisible();
  await expect(overview.recentTable).toBeVisible();
  await expect(overview.monthlyRow('All teams')).toBeVisible();
  await expect(overview.monthlyRow('North crisis resolution team')).toBeVisible();
  await checkPage(page, 'concerns-overview');

  // Last month's summary, by the plain GET form.
  const thisMonth = await overview.month.locator('option:checked').textContent();
  const lastMonth = await overview.month.locator('option').nth(1).textContent();
  expect(thisMonth).toMatch(/^[A-Z][a-z]+ \d{4}$/);
  await overview.showMonth(lastMonth ?? '');
  await expect(page).toHaveURL(/\/concerns\/overview\?month=\d{4}-\d{2}/);
  await expect(overview.monthlyRow('All teams')).toBeVisible();
  await checkPage(page, 'concerns-overview-month');

  // A month it does not offer: the problem is said, and this month is shown.
  await overview.open('?month=1999-99');
  await overview.errorSummary.expectErrors(['Choose a month from the list']);
  await overview.errorSummary.expectLinkFocuses('Choose a month from the list', overview.month);
  await checkPage(page, 'concerns-overview-month-error');
});
