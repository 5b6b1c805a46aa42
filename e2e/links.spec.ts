/**
 * No link on any page, for any role, leads to "Page not found" or "forbidden": the service
 * shows a link only where the person looking may open it. Each role signs in through the demo
 * accounts and follows every same-origin link it can reach from its own pages.
 */
import { expect, test } from '@playwright/test';
import { CaseloadsPage } from './pages/caseload.pages.ts';
import { checkPage } from './support/checks.ts';
import { crawlLinks } from './support/link-crawler.ts';
import { demoSignIn } from './support/flows.ts';

test('a supervisor sees who waits for a first worker, without links to records they may not open', async ({
  page,
}) => {
  await demoSignIn(page, 'Sunita Supervisor');
  const caseloads = new CaseloadsPage(page);
  await caseloads.open();
  const waiting = caseloads.waitingForFirstWorker();
  await expect(waiting.first()).toBeVisible();
  // The names are there to read; allocation, and the record before it, are the coordinator's.
  await expect(waiting.getByRole('link')).toHaveCount(0);
  await checkPage(page, 'caseloads-supervisor');
});

/** Pages no header links to yet, opened as a start for the roles that may see them. */
const REPORTS = ['/reports/feedback'];

const ROLES = [
  { who: 'Carol Coordinator', role: 'coordinator', starts: REPORTS },
  { who: 'Sunita Supervisor', role: 'supervisor', starts: REPORTS },
  { who: 'Steve Supervisor', role: 'supervisor and peer support worker', starts: REPORTS },
  { who: 'Pat Peer', role: 'peer support worker' },
  { who: 'Dr Clare Clinician', role: 'clinician' },
  { who: 'Tara Trial-Manager', role: 'trial manager' },
  { who: 'Oscar Outcome-Assessor', role: 'outcome assessor' },
  { who: 'Ana Analyst', role: 'analyst' },
  // Nine sessions in and past her window: the most a participant's pages link to.
  { who: 'Sia Jones', role: 'participant' },
] as const;

for (const { who, role, ...rest } of ROLES) {
  const starts: readonly string[] = 'starts' in rest ? rest.starts : [];
  test(`every link ${who} (${role}) is shown opens`, async ({ page }) => {
    test.setTimeout(90_000);
    await demoSignIn(page, who);
    const { broken, checked } = await crawlLinks(page, [new URL(page.url()).pathname, '/help', ...starts]);
    // A crawl that reached almost nothing would pass without proving anything.
    expect(checked, 'addresses checked').toBeGreaterThan(3);
    expect(
      broken.map(({ url, status, from }) => `${String(status)} ${url} (linked from ${from})`),
      `links ${who} is shown that do not open`,
    ).toEqual([]);
  });
}
