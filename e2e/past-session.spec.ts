/**
 * Journey: a peer support worker records a session that already happened on one form, from the
 * participant page, at the narrowest phone width; and the same form with JavaScript off.
 */
import { expect, test, type Page } from '@playwright/test';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { PastSessionPage, SummarySessions } from './pages/sessions.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { dateParts, fullName, isoDaysAgo } from './support/data.ts';
import { newParticipantOf } from './support/flows.ts';

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    content: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(widths.content).toBeLessThanOrEqual(widths.viewport);
}

test('Pat records a session that already happened, in one form, at 320 pixels', async ({ page }) => {
  test.slow();
  await page.setViewportSize({ width: 320, height: 800 });
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Past-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(10),
  });
  const name = fullName(data);
  const summary = new ParticipantSummaryPage(page);
  const sessions = new SummarySessions(page);
  await summary.open(participantId);
  await summary.expectLoaded(name);
  await page.getByRole('link', { name: 'Record a session that already happened' }).click();

  const form = new PastSessionPage(page);
  await form.expectLoaded(name);
  await checkPage(page, 'session-past');
  await expectNoSidewaysScroll(page);

  // Nothing filled in: one summary for both halves of the form.
  await form.saveButton.click();
  await form.errorSummary.expectErrors([
    'Enter the date of the session',
    'Enter the time of the session',
    'Select how you will meet',
    'Select what happened',
  ]);
  await form.errorSummary.expectLinkFocuses('Enter the date of the session', form.booking.day);

  // A time still to come is not "already happened".
  await form.fillWhen(dateParts(isoDaysAgo(-2)), '10:00', 'In person', 'Community venue');
  await form.record.outcomes.getByRole('radio', { name: 'They attended' }).check();
  await form.record.duration.fill('45');
  await form.record.storySharing.getByRole('radio', { name: 'No' }).check();
  await form.saveButton.click();
  await form.errorSummary.expectErrors([
    'Date and time of the session must be in the past. To plan a session, book it instead',
  ]);
  await checkPage(page, 'session-past-errors');
  await expectNoSidewaysScroll(page);

  await form.fillWhen(dateParts(isoDaysAgo(2)), '10:00', 'In person', 'Community venue');
  await form.record.sections.getByRole('checkbox', { name: 'Keeping well', exact: true }).check();
  await form.record.note.fill('Walked to the park and talked about sleep');
  await form.saveButton.click();

  await summary.expectLoaded(name);
  await expect(summary.successBanner).toContainText('Session recorded.');
  await expect(sessions.attended).toHaveText('1 of 10 sessions attended.');
  await expect(sessions.items).toHaveCount(1);
  await expect(sessions.items.first()).toContainText('In person, community venue');
  await expect(sessions.items.first().locator('.nhsuk-tag')).toHaveText('Attended');
  await expect(sessions.items.first()).toContainText('Worked on: Keeping well');
  await checkPage(page, 'session-past-saved');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the booking page leads to the one form, which saves a session that did not go ahead', async ({
    page,
  }) => {
    test.slow();
    const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
      familyName: `Pastnojs-${test.info().project.name}-${String(Date.now() % 100000)}`,
      dischargedOn: isoDaysAgo(10),
    });
    const name = fullName(data);
    await page.goto(`/participants/${participantId}/sessions/new`);
    await page.getByRole('link', { name: 'record a session that already happened' }).click();
    const form = new PastSessionPage(page);
    await form.expectLoaded(name);
    await form.fillWhen(dateParts(isoDaysAgo(1)), '09:30', 'Phone');
    await form.record.outcomes.getByRole('radio', { name: 'They did not attend' }).check();
    await form.saveButton.click();
    await form.errorSummary.expectErrors(['Select why the session did not go ahead']);
    await checkPageWithoutJavaScript(page, 'nojs-session-past-errors');
    await page.getByRole('group', { name: 'If it did not go ahead, why not?' }).getByLabel('Unwell').check();
    await form.saveButton.click();

    const summary = new ParticipantSummaryPage(page);
    await summary.expectLoaded(name);
    const sessions = new SummarySessions(page);
    await expect(sessions.items.first().locator('.nhsuk-tag')).toHaveText('Did not attend');
  });
});
