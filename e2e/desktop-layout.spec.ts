/**
 * At desktop width, every page each role can reach lays out without sideways scrolling and
 * passes the accessibility scan. The journeys themselves run at phone width (the phone project):
 * at desktop width they would repeat the same steps, so the desktop project runs this sweep.
 */
import { expect, test } from '@playwright/test';
import { checkPage } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';
import { pageOfEachShape } from './support/link-crawler.ts';

const ROLES = [
  'Carol Coordinator',
  'Sunita Supervisor',
  'Steve Supervisor',
  'Pat Peer',
  'Dr Clare Clinician',
  'Sia Jones',
] as const;

test('public pages lay out at desktop width', async ({ page }) => {
  for (const path of ['/', '/help', '/participant/sign-in', '/sign-in', '/demo']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect.soft(overflow, `sideways scrolling on ${path}`).toBeLessThanOrEqual(0);
    await checkPage(page);
  }
});

for (const who of ROLES) {
  test(`every page ${who} can reach lays out at desktop width`, async ({ page }) => {
    // Up to 60 kinds of page, each scanned: the coordinator's sweep has taken just over 3 minutes
    // on a loaded 2-core machine, so it has 6.
    test.setTimeout(360_000);
    await demoSignIn(page, who);
    const pages = await pageOfEachShape(page, [new URL(page.url()).pathname, '/help']);
    // A sweep that reached almost nothing would pass without proving anything.
    expect(pages.length, 'pages reached').toBeGreaterThan(2);
    for (const url of pages) {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect.soft(overflow, `sideways scrolling on ${url}`).toBeLessThanOrEqual(0);
      await checkPage(page);
    }
  });
}
