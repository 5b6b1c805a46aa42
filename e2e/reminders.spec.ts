/** Journey: session reminders, chosen by the participant's worker and by the participant. */
import { expect, test } from '@playwright/test';
import { CaseloadPage } from './pages/caseload.pages.ts';
import { MyProgrammePage } from './pages/participant.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { ReminderPanel, ReminderPreferencesPage } from './pages/reminders.pages.ts';
import { BookSessionPage, SummarySessions } from './pages/sessions.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { dateParts, fullName, isoDaysAgo } from './support/data.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';

test('Pat sees how a participant is reminded and changes it, with an error first', async ({ page }) => {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Reminders-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(10),
  });
  const name = fullName(data);
  const summary = new ParticipantSummaryPage(page);
  const panel = new ReminderPanel(page);
  await summary.open(participantId);
  await summary.expectLoaded(name);
  // Referred with "text message" as a way to contact them: reminded by text from the start.
  await expect(panel.value('Reminders by')).toHaveText(/^\s*Text message to 07700 900\d{3}\s*$/);
  await expect(panel.value('Reminder hours')).toHaveText('9am to 8pm, UK time');

  // A session in a week: the confirmation and the reminder appear with their status.
  await new SummarySessions(page).bookButton.click();
  await new BookSessionPage(page).book(dateParts(isoDaysAgo(-7)), '14:30', 'Phone');
  await summary.expectLoaded(name);
  await expect(panel.messages).toHaveCount(2);
  await expect(panel.messages.nth(1)).toContainText('Reminder by text');
  await expect(panel.messages.nth(1)).toContainText('Scheduled');
  await checkPage(page, 'reminders-panel');

  await panel.changeLink.click();
  const form = new ReminderPreferencesPage(page);
  await form.expectLoaded('Session reminders');
  await expect(form.channels.getByRole('radio', { name: 'Text message' })).toBeChecked();
  // No email address was given, so email is not offered.
  await expect(form.channels.getByRole('radio', { name: 'Email' })).toHaveCount(0);
  await checkPage(page, 'reminders-worker');

  await form.choose('Text message', '6pm', '9am');
  await form.errorSummary.expectErrors(['The latest time must be after the earliest time']);
  await checkPage(page, 'reminders-worker-errors');
  await form.errorSummary.expectLinkFocuses('The latest time must be after the earliest time', form.latest);

  await form.choose('Text message', '10am', '7pm');
  await summary.expectLoaded(name);
  await expect(summary.successBanner).toContainText('Reminder settings saved.');
  await expect(panel.value('Reminder hours')).toHaveText('10am to 7pm, UK time');

  await panel.changeLink.click();
  await form.choose('No reminders', '10am', '7pm');
  await expect(panel.value('Reminders by')).toHaveText('No reminders');
  // The reminder not yet sent is cancelled, and says why.
  await expect(panel.messages.nth(1)).toContainText('Cancelled');
  await expect(panel.messages.nth(1)).toContainText('Reminder settings changed');

  // The demo outbox shows what participants were sent, word for word.
  await page.goto('/demo/outbox');
  // Other journeys' messages may be newer: any reminder will do.
  await expect(
    page.locator('.app-message-text').filter({ hasText: 'your Greenleaf meeting with' }).first(),
  ).toBeVisible();
  await checkPage(page, 'reminders-outbox');
});

test('a participant chooses how and when they are reminded', async ({ page }) => {
  // Seeded people with a worker and a session booked, one per project.
  const who =
    test.info().project.name === 'phone'
      ? { name: 'Zara Hussain', display: 'Zara' }
      : { name: 'Ifeoma Nwosu', display: 'Ifeoma' };
  await demoSignIn(page, who.name);
  const me = new MyProgrammePage(page);
  await page.goto('/me');
  await me.expectLoaded(who.display);
  await checkPage(page, 'reminders-my-programme');
  const calendar = me.upcomingSessions.getByRole('link', { name: /^Add to calendar/ }).first();
  await expect(calendar).toHaveAttribute('href', /^\/me\/sessions\/[0-9a-f-]{36}\/calendar\.ics$/);
  const file = await page.request.get((await calendar.getAttribute('href')) ?? '');
  expect(file.headers()['content-type']).toContain('text/calendar');
  expect(await file.text()).toContain('BEGIN:VEVENT\r\n');

  await page.getByRole('link', { name: 'Choose how and when we remind you about sessions' }).click();
  const form = new ReminderPreferencesPage(page);
  await form.expectLoaded('Reminders');
  await expect(form.channels).toBeVisible();
  await checkPage(page, 'reminders-participant');

  await form.choose('Text message', '8am', '8am');
  await form.errorSummary.expectErrors(['The latest time must be after the earliest time']);
  await checkPage(page, 'reminders-participant-errors');

  await form.choose('Text message', '8am', '6pm');
  await expect(form.successBanner).toContainText('Reminder settings saved.');
  await expect(form.earliest).toHaveValue('8');
  await expect(form.latest).toHaveValue('18');
  await checkPage(page, 'reminders-participant-saved');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('Pat changes a participant’s reminders with a plain form post', async ({ page }) => {
    await demoSignIn(page, 'Pat Peer');
    const caseload = new CaseloadPage(page);
    await caseload.openOwn();
    await caseload.participantLinks().first().click();
    const panel = new ReminderPanel(page);
    await panel.changeLink.click();
    const form = new ReminderPreferencesPage(page);
    await form.expectLoaded('Session reminders');
    await form.choose('No reminders', '9am', '5pm');
    await expect(new ParticipantSummaryPage(page).successBanner).toContainText('Reminder settings saved.');
    await expect(panel.value('Reminders by')).toHaveText('No reminders');
    await expect(panel.value('Reminder hours')).toHaveText('9am to 5pm, UK time');
    await checkPageWithoutJavaScript(page, 'nojs-reminders-saved');
  });
});

test('a session booked after it happened says it gets no reminder because its time has passed', async ({
  page,
}) => {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Past-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(10),
  });
  const summary = new ParticipantSummaryPage(page);
  const panel = new ReminderPanel(page);
  await summary.open(participantId);
  await new SummarySessions(page).bookButton.click();
  // Yesterday at 2:30pm, well inside the safe hours: the only reason is that it has happened.
  await new BookSessionPage(page).book(dateParts(isoDaysAgo(1)), '14:30', 'Phone');
  await summary.expectLoaded(fullName(data));
  await expect(panel.messages).toHaveCount(2);
  for (const row of [panel.messages.nth(0), panel.messages.nth(1)]) {
    await expect(row).toContainText('Not sent');
    await expect(row).toContainText("No reminder: the session's time has passed");
    await expect(row).not.toContainText('safe times');
  }
  await checkPage(page, 'reminders-session-passed');
});
