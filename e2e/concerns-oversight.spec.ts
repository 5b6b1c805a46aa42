/**
 * A supervisor looks at concerns across teams: what is waiting, by team and a page at a time,
 * one team's list, response times, a month's summary.
 */
import { expect, test } from '@playwright/test';
import { ConcernsOverviewPage, TeamConcernsPage } from './pages/concerns-oversight.pages.ts';
import { checkPage } from './support/checks.ts';
import { isoDaysAgo } from './support/data.ts';
import { askForAdvice, demoSignIn, newParticipantOf, signOutOverHttp } from './support/flows.ts';

/** One more than a page of the list holds, so it always runs to a second page. */
const WAITING = 51;

test('a supervisor opens the concerns overview, a team’s list and a monthly summary, without JavaScript needed', async ({
  page,
}) => {
  // 51 requests for advice made first, then three long pages scanned: three times the usual time.
  test.slow();
  // Set-up over HTTP: enough requests for advice waiting in the South team for its list, and
  // the overview's, to run to a second page. Steve Supervisor also works with participants;
  // no other journey reads his concerns or the South team's inbox.
  const { participantId } = await newParticipantOf(page, 'Steve Supervisor', {
    crisisTeam: 'South',
    dischargedOn: isoDaysAgo(40),
  });
  for (let n = 1; n <= WAITING; n++) {
    await askForAdvice(page, participantId, `Question ${String(n)}: how best to support them this week?`);
  }
  await signOutOverHttp(page);

  await demoSignIn(page, 'Sunita Supervisor');
  const overview = new ConcernsOverviewPage(page);
  await expect(overview.navLink).toHaveAttribute('href', '/concerns/overview');
  await overview.open();
  await expect(overview.openHeading).toBeVisible();
  await expect(overview.byTeamRow('South crisis resolution team')).toBeVisible();
  await expect(overview.byTeamRow('All teams')).toBeVisible();
  await expect(overview.recentTable).toBeVisible();
  await expect(overview.monthlyRow('All teams')).toBeVisible();
  await expect(overview.monthlyRow('North crisis resolution team')).toBeVisible();
  await expect(overview.pageLinks).toBeVisible();
  await checkPage(page, 'concerns-overview');

  // The next page of everything waiting, by the page links.
  await overview.nextPage.click();
  await expect(page).toHaveURL(/\/concerns\/overview\?page=2$/);
  await expect(overview.openHeading).toBeVisible();
  await checkPage(page, 'concerns-overview-page-2');

  // One team's list, from its name in the count by team.
  await overview.open();
  await overview.byTeamRow('South crisis resolution team').getByRole('link').click();
  const team = new TeamConcernsPage(page);
  await team.expectLoaded('South crisis resolution team');
  await expect(team.items).toHaveCount(50);
  await expect(team.pageLinks).toBeVisible();
  await checkPage(page, 'concerns-team');

  // Last month's summary, by the plain GET form.
  await overview.open();
  const thisMonth = await overview.month.locator('option:checked').textContent();
  const lastMonth = await overview.month.locator('option').nth(1).textContent();
  expect(thisMonth).toMatch(/^[A-Z][a-z]+ \d{4}$/);
  await overview.showMonth(lastMonth ?? '');
  await expect(page).toHaveURL(/\/concerns\/overview\?month=\d{4}-\d{2}/);
  await expect(overview.monthlyRow('All teams')).toBeVisible();
  // The page links keep the month.
  await expect(overview.nextPage).toHaveAttribute('href', /^\/concerns\/overview\?month=\d{4}-\d{2}&page=2$/);
  await checkPage(page, 'concerns-overview-month');

  // A month it does not offer: the problem is said, and this month is shown.
  await overview.open('?month=1999-99');
  await overview.errorSummary.expectErrors(['Choose a month from the list']);
  await overview.errorSummary.expectLinkFocuses('Choose a month from the list', overview.month);
  await checkPage(page, 'concerns-overview-month-error');
});
