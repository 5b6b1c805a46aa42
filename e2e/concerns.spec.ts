/**
 * Journey: a peer support worker raises a safety concern on a phone; a clinician of the crisis
 * team, in another browser, sees it in the duty inbox, acknowledges it and closes it; the
 * worker sees it closed. Immediate danger is sent first, then "Call 999 now"; the form works without
 * JavaScript.
 */
import { expect, test, type Page } from '@playwright/test';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import {
  Call999Page,
  ConcernListPage,
  ConcernPage,
  ParticipantConcernsPanel,
  RaiseConcernPage,
} from './pages/concerns.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { fullName, isoDaysAgo } from './support/data.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';

test.use({ viewport: { width: 390, height: 844 } });

async function patsNewParticipant(
  page: Page,
  label: string,
): Promise<{ participantId: string; name: string }> {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `${label}-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(10),
  });
  return { participantId, name: fullName(data) };
}

test('Pat raises an urgent concern; a North clinician acknowledges and closes it; Pat sees it closed', async ({
  page,
  browser,
}) => {
  // Two people in two browsers, each page a few commits: more than the default 30 s.
  test.slow();
  const { participantId, name } = await patsNewParticipant(page, 'Concern');
  const summary = new ParticipantSummaryPage(page);
  await summary.open(participantId);
  await summary.expectLoaded(name);
  const panel = new ParticipantConcernsPanel(page);
  await panel.raiseButton.click();

  const form = new RaiseConcernPage(page);
  await form.expectLoaded('Raise a safety concern', name);
  await expect(form.safetyOverride).toContainText(
    `Safety comes first: this will be shared with the crisis team even though ${name} has not agreed to share information. This is recorded.`,
  );
  await checkPage(page, 'concern-raise');
  await form.sendButton.click();
  await form.errorSummary.expectErrors([
    'Enter what you saw or heard',
    'Select how urgent it is',
    'Select whether they know it is being shared',
  ]);
  await checkPage(page, 'concern-raise-errors');
  await form.errorSummary.expectLinkFocuses('Enter what you saw or heard', form.whatHappened);
  await form.raise(
    'Said they feel hopeless and have stopped eating',
    'Urgent: needs a response today',
    'Yes',
  );

  const concern = new ConcernPage(page);
  await concern.expectLoaded('Safety concern', name);
  await expect(concern.successBanner).toContainText('Concern sent to the crisis team’s duty inbox.');
  await expect(concern.status).toHaveText('Waiting for the crisis team');
  await expect(page.getByText(/^Acknowledge by /)).toBeVisible();
  await checkPage(page, 'concern-raised');
  await summary.open(participantId);
  await expect(panel.items).toHaveCount(1);
  await expect(panel.items.first()).toContainText('Waiting for the crisis team');
  await checkPage(page, 'concern-participant-panel');

  // The clinician, in another browser.
  const clinicianContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const clinician = await clinicianContext.newPage();
    await demoSignIn(clinician, 'Dr Clare Clinician');
    const inbox = new ConcernListPage(clinician);
    await inbox.openFromHeader('Duty inbox');
    const item = inbox.item(inbox.active, name);
    await expect(item).toContainText('Urgent');
    await expect(item).toContainText('Waiting for the crisis team');
    // The seeded overdue concern is flagged.
    await expect(inbox.active.filter({ hasText: 'Overdue' }).first()).toBeVisible();
    await checkPage(clinician, 'concern-inbox');
    await item.getByRole('link').click();

    const seen = new ConcernPage(clinician);
    await seen.expectLoaded('Safety concern', name);
    await expect(clinician.getByText('Said they feel hopeless and have stopped eating')).toBeVisible();
    await checkPage(clinician, 'concern-clinician');
    await seen.acknowledgeButton.click();
    await expect(seen.successBanner).toContainText('Acknowledged.');
    await expect(seen.status).toHaveText('Acknowledged');
    await seen.close('No action');
    await seen.errorSummary.expectErrors(['Enter why no action was needed']);
    await checkPage(clinician, 'concern-close-errors');
    await seen.close('Called the participant', 'Spoke to them; visit tomorrow morning');
    await expect(seen.successBanner).toContainText('closed');
    await expect(seen.status).toHaveText('Closed');
    await checkPage(clinician, 'concern-closed');
  } finally {
    await clinicianContext.close();
  }

  const mine = new ConcernListPage(page);
  await mine.openFromHeader('My concerns');
  await expect(mine.item(mine.mine, name)).toContainText('Closed');
  await checkPage(page, 'concern-mine');
  await mine.item(mine.mine, name).getByRole('link').click();
  await expect(concern.value('What was done')).toHaveText(
    'Called the participant: Spoke to them; visit tomorrow morning',
  );
});

test('immediate danger reaches the duty inbox the moment it is sent, before the worker confirms the 999 call', async ({
  page,
  browser,
}) => {
  // Two browsers, each page checked.
  test.slow();
  const { participantId, name } = await patsNewParticipant(page, 'Danger');
  await page.goto(`/participants/${participantId}`);
  await new ParticipantConcernsPanel(page).raiseButton.click();
  const form = new RaiseConcernPage(page);
  await form.raise('Threatening to jump from the bridge', 'Immediate danger', 'No');

  const call = new Call999Page(page);
  await call.expectLoaded();
  await expect(call.sent).toContainText('Your concern has been sent to the crisis team’s duty inbox');
  await checkPage(page, 'concern-call-999');

  // While the worker is on the phone, the crisis team already has it.
  const clinicianContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const clinician = await clinicianContext.newPage();
    await demoSignIn(clinician, 'Dr Clare Clinician');
    const inbox = new ConcernListPage(clinician);
    await inbox.openFromHeader('Duty inbox');
    const item = inbox.item(inbox.active, name);
    await expect(item).toContainText('Immediate danger');
    await item.getByRole('link').click();
    const seen = new ConcernPage(clinician);
    await seen.expectLoaded('Safety concern', name);
    await expect(seen.value('999 called')).toHaveText('Not confirmed yet');
    await checkPage(clinician, 'concern-999-unconfirmed-clinician');

    await call.calledButton.click();
    const concern = new ConcernPage(page);
    await concern.expectLoaded('Safety concern', name);
    await expect(concern.successBanner).toContainText('Recorded that you called 999.');
    await expect(concern.value('999 called')).toContainText('Confirmed at');
    await expect(page.locator('.nhsuk-tag', { hasText: 'Immediate danger' })).toBeVisible();
    await checkPage(page, 'concern-999-confirmed');

    await clinician.reload();
    await expect(seen.value('999 called')).toContainText('Confirmed at');
  } finally {
    await clinicianContext.close();
  }
});

test('Pat asks the crisis team for advice and writes in the thread', async ({ page }) => {
  const { participantId, name } = await patsNewParticipant(page, 'Advice');
  await page.goto(`/participants/${participantId}`);
  await new ParticipantConcernsPanel(page).adviceButton.click();
  const form = new RaiseConcernPage(page);
  await form.expectLoaded('Ask the crisis team for advice', name);
  await checkPage(page, 'concern-advice');
  await form.raise('How should I talk about their return to work?', 'By the next supervision');
  const concern = new ConcernPage(page);
  await concern.expectLoaded('Advice request', name);
  await concern.addMessage('They would like an answer before Friday');
  await expect(concern.messages).toHaveCount(1);
  await checkPage(page, 'concern-advice-thread');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('Pat raises a concern, including the 999 step', async ({ page }) => {
    test.slow();
    const { participantId, name } = await patsNewParticipant(page, 'Nojs');
    await page.goto(`/participants/${participantId}/concerns/new?kind=concern`);
    const form = new RaiseConcernPage(page);
    await form.sendButton.click();
    await expect(form.errorSummary.heading).toBeVisible();
    await checkPageWithoutJavaScript(page, 'nojs-concern-raise-errors');
    await form.raise(
      'Seemed very withdrawn',
      'Routine: by the next supervision',
      'Not yet, I will tell them',
    );
    const concern = new ConcernPage(page);
    await concern.expectLoaded('Safety concern', name);
    await checkPageWithoutJavaScript(page, 'nojs-concern-raised');

    await page.goto(`/participants/${participantId}/concerns/new?kind=concern`);
    await form.raise('Has a ligature', 'Immediate danger', 'No');
    const call = new Call999Page(page);
    await call.expectLoaded();
    await expect(call.sent).toContainText('Your concern has been sent to the crisis team’s duty inbox');
    await checkPageWithoutJavaScript(page, 'nojs-concern-call-999');
    await call.calledButton.click();
    await concern.expectLoaded('Safety concern', name);
    await expect(concern.value('999 called')).toContainText('Confirmed at');
  });
});
