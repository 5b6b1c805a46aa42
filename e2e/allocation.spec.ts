/** Journey 4: the coordinator allocates a peer support worker, then changes them with a reason. */
import { expect, test } from '@playwright/test';
import { AllocatePage, WaitingListPage } from './pages/allocation.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { checkPage } from './support/checks.ts';
import { buildReferral, fullName, programmeWindow } from './support/data.ts';
import { COORDINATOR, demoSignIn, refer } from './support/flows.ts';

test('the coordinator allocates Pat, then moves the participant to Rob with a reason', async ({ page }) => {
  await demoSignIn(page, COORDINATOR);
  const data = buildReferral({
    familyName: `Allocate-${test.info().project.name}-${String(Date.now() % 100000)}`,
  });
  await refer(page, data);
  const name = fullName(data);

  const waiting = new WaitingListPage(page);
  await waiting.open();
  await expect(waiting.rowFor(name)).toContainText('North crisis resolution team');
  await checkPage(page, 'allocation-waiting');
  await waiting.allocate(name);

  const form = new AllocatePage(page);
  await form.expectLoaded('Allocate a peer support worker', name);
  // Workers who cannot take anyone else are listed apart, with the reason.
  // Kim's personal safety training ran out: she keeps her participants but takes no one new.
  await form.expectUnavailable(
    'Kim Kaur',
    /Training or checks not complete: Personal safety and lone working \(expired/,
  );
  await form.expectUnavailable('Nat Newstart', /Training or checks not complete: Referring and linking in/);
  await expect(form.worker('Pat Peer')).toBeEnabled();
  await expect(form.reason).toHaveCount(0);
  await checkPage(page, 'allocate');

  // Nobody chosen.
  await form.allocateButton.click();
  await form.errorSummary.expectErrors(['Select a peer support worker']);
  await checkPage(page, 'allocate-errors');
  await form.errorSummary.expectLinkFocuses(
    'Select a peer support worker',
    form.workers.getByRole('radio').first(),
  );

  await form.choose('Pat Peer');
  const summary = new ParticipantSummaryPage(page);
  await summary.expectLoaded(name);
  await expect(summary.successBanner).toContainText('Peer support worker allocated.');
  await expect(summary.value('Peer support worker')).toHaveText('Pat Peer');
  const { weeksSinceDischarge, daysLeft } = programmeWindow(data.dischargedOn);
  await expect
    .soft(summary.value('Discharged'), 'weeks since discharge, in plain English')
    .toContainText(`(${String(weeksSinceDischarge)} ${weeksSinceDischarge === 1 ? 'week' : 'weeks'} ago)`);
  await expect(summary.value('Programme window')).toContainText(`${String(daysLeft)} days left`);
  await expect(summary.workerHistory).toHaveCount(1);
  await expect(summary.workerHistory).toContainText('Pat Peer');
  await checkPage(page, 'participant-summary-allocated');

  // Changing worker needs a reason.
  await summary.changeWorkerButton.click();
  await form.expectLoaded('Change peer support worker', name);
  await expect(page.getByText('Their peer support worker now is Pat Peer.')).toBeVisible();
  await form.expectUnavailable('Pat Peer', /Already their peer support worker/);
  await checkPage(page, 'change-worker');
  await form.choose('Rob Reyes');
  await form.errorSummary.expectErrors([
    'Enter why the participant is moving to a different peer support worker',
  ]);
  await expect(form.worker('Rob Reyes')).toBeChecked();
  await checkPage(page, 'change-worker-errors');
  await form.errorSummary.expectLinkFocuses('Enter why the participant is moving', form.reason);

  await form.choose('Rob Reyes', 'Pat is on long-term leave');
  await summary.expectLoaded(name);
  await expect(summary.value('Peer support worker')).toHaveText('Rob Reyes');
  await expect(summary.workerHistory).toHaveCount(2);
  await expect(summary.workerHistory.filter({ hasText: 'Rob Reyes' })).toContainText('(current)');
  await expect(summary.workerHistory.filter({ hasText: 'Rob Reyes' })).toContainText(
    'Reason: Pat is on long-term leave',
  );
  await expect(summary.workerHistory.filter({ hasText: 'Pat Peer' })).toContainText(/from .+ to .+\./);
  await expect(summary.workerHistory.filter({ hasText: 'Pat Peer' })).not.toContainText('(current)');
  await checkPage(page, 'participant-summary-history');

  // They are no longer waiting.
  await waiting.open();
  await expect(waiting.rowFor(name)).toHaveCount(0);
});
