/** Journey 5: a peer support worker sees their own caseload, and nobody else's participants. */
import { expect, test } from '@playwright/test';
import { CaseloadPage, CaseloadsPage } from './pages/caseload.pages.ts';
import { NotFoundPage } from './pages/public.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { checkPage } from './support/checks.ts';
import { buildReferral, fullName, isoDaysAgo, programmeWindow } from './support/data.ts';
import { allocate, COORDINATOR, demoSignIn, refer } from './support/flows.ts';

test('Pat sees the participant just allocated to them, and cannot open Rob’s participants', async ({
  page,
}) => {
  // Set-up as the coordinator: someone new for Pat, and the address of one of Rob's participants.
  await demoSignIn(page, COORDINATOR);
  const data = buildReferral({
    familyName: `Caseload-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(17),
  });
  const participantId = await refer(page, data);
  await allocate(page, participantId, 'Pat Peer');

  const caseloads = new CaseloadsPage(page);
  await caseloads.open();
  await checkPage(page, 'caseloads');
  await caseloads.openWorker('Rob Reyes');
  await checkPage(page, 'caseload-of-worker');
  const robsParticipant = new CaseloadPage(page).participantLinks().first();
  const robsParticipantHref = await robsParticipant.getAttribute('href');
  expect(robsParticipantHref).toMatch(/^\/participants\/[0-9a-f-]{36}$/);
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();

  // Pat's own caseload.
  await demoSignIn(page, 'Pat Peer');
  const caseload = new CaseloadPage(page);
  await expect(page).toHaveURL(/\/caseload$/);
  await expect(caseload.heading).toHaveText('My caseload');
  const card = caseload.card(fullName(data));
  const { weeksSinceDischarge, daysLeft } = programmeWindow(data.dischargedOn);
  await expect(card).toContainText(`(${String(weeksSinceDischarge)} weeks ago)`);
  await expect(card).toContainText(`${String(daysLeft)} days left`);
  await checkPage(page, 'caseload');

  await card.getByRole('link', { name: fullName(data), exact: true }).click();
  const summary = new ParticipantSummaryPage(page);
  await summary.expectLoaded(fullName(data));
  await expect(summary.value('Peer support worker')).toHaveText('Pat Peer');
  // Only the coordinator allocates.
  await expect(summary.changeWorkerButton).toHaveCount(0);
  await checkPage(page, 'participant-summary-worker');

  // Another worker's participant: the same page as an address that does not exist.
  const response = await page.goto(robsParticipantHref ?? '/');
  expect(response?.status()).toBe(404);
  await new NotFoundPage(page).expectShown();
  await checkPage(page, 'not-found');
  // Nor can a worker see the coordinator's pages.
  await page.goto('/allocation');
  await new NotFoundPage(page).expectShown();
});

test('the caseload says how many Pat supports against the limit, and someone discharged today as "today"', async ({
  page,
}) => {
  await demoSignIn(page, COORDINATOR);
  const data = buildReferral({
    familyName: `Today-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(0),
  });
  const participantId = await refer(page, data);
  await allocate(page, participantId, 'Pat Peer');
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();

  await demoSignIn(page, 'Pat Peer');
  const caseload = new CaseloadPage(page);
  await expect(caseload.size).toHaveText(/^You support \d+ participants\. Caseload limit: \d+\.$/);
  const card = caseload.card(fullName(data));
  await expect(card).toContainText('(today)');
  await expect(page.getByRole('main')).not.toContainText('0 weeks ago');
  await checkPage(page, 'caseload-discharged-today');
});
