/**
 * Before the journeys, at phone width: the waiting list a page at a time. The coordinator refers
 * one more person than a page holds (over HTTP), sees the list run to a second page, and the
 * page links pass the accessibility scan; then ends those people's programmes (over HTTP). It
 * runs here, before any journey, because the journeys look for the people they refer on the
 * first page of the list, which the list keeps short again once these have gone.
 */
import { expect, test as setup } from '@playwright/test';
import { WaitingListPage } from './pages/allocation.pages.ts';
import { checkPage } from './support/checks.ts';
import { buildReferral, isoDaysAgo } from './support/data.ts';
import { COORDINATOR, demoSignIn, endProgramme, refer } from './support/flows.ts';

/** One more than a page of the waiting list holds. */
const REFERRALS = 51;

setup(
  'the waiting list runs to a second page, and its page links pass the accessibility scan',
  async ({ page }) => {
    setup.slow();
    await page.setViewportSize({ width: 390, height: 844 });
    await demoSignIn(page, COORDINATOR);
    const referred: string[] = [];
    for (let n = 0; n < REFERRALS; n++) {
      referred.push(await refer(page, buildReferral({ dischargedOn: isoDaysAgo(40) })));
    }

    const waiting = new WaitingListPage(page);
    await waiting.open();
    await expect(waiting.pageLinks).toBeVisible();
    await checkPage(page, 'allocation-page-links');
    await waiting.nextPage.click();
    await expect(page).toHaveURL(/\/allocation\?page=2$/);
    await expect(waiting.heading).toBeVisible();
    await checkPage(page, 'allocation-page-2');

    for (const participantId of referred) await endProgramme(page, participantId);
    await waiting.open();
    await expect(waiting.pageLinks).toHaveCount(0);
  },
);
