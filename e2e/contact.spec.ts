/** Journey: a peer support worker records attempts to reach their participant and follows the re-contact steps. */
import { expect, test } from '@playwright/test';
import { RecordContactPage, SummaryContact } from './pages/contact.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { dateParts, fullName, isoDaysAgo } from './support/data.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';

test('Pat records an unanswered call, sees the re-contact steps, then reaches them', async ({ page }) => {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Contact-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(10),
  });
  const name = fullName(data);
  const summary = new ParticipantSummaryPage(page);
  const contact = new SummaryContact(page);
  await summary.open(participantId);
  await summary.expectLoaded(name);
  await expect(contact.heading).toBeVisible();
  await expect(contact.value('Last reached')).toHaveText('Not reached yet');
  await expect(contact.reContact).toHaveCount(0);
  await expect(page.getByText('No contact attempts recorded.')).toBeVisible();
  await checkPage(page, 'contact-summary-none');
  await contact.recordButton.click();

  const form = new RecordContactPage(page);
  await form.expectLoaded(name);
  // The date starts at today.
  const today = dateParts(isoDaysAgo(0));
  await expect(form.day).toHaveValue(today.day);
  await expect(form.year).toHaveValue(today.year);
  await checkPage(page, 'contact-record');
  await form.saveButton.click();
  await form.errorSummary.expectErrors(['Select how you tried to contact them', 'Select what happened']);
  await checkPage(page, 'contact-record-errors');
  await form.errorSummary.expectLinkFocuses(
    'Select how you tried to contact them',
    form.method('Phone call'),
  );

  // Not in the future.
  await form.record({ method: 'Phone call', outcome: 'No answer', on: dateParts(isoDaysAgo(-1)) });
  await form.errorSummary.expectErrors(['Date must be today or in the past']);
  await checkPage(page, 'contact-record-future');

  await form.record({
    method: 'Phone call',
    outcome: 'No answer',
    on: dateParts(isoDaysAgo(1)),
    time: '17:30',
    note: 'Rang their mobile, no voicemail',
  });
  await summary.expectLoaded(name);
  await expect(summary.successBanner).toContainText('Contact attempt recorded.');
  await expect(contact.reContact).toContainText('Trying to reach them');
  await expect(contact.reContactCount).toHaveText('1 of 3 unsuccessful attempt so far.');
  await expect(contact.nextSteps).toHaveText([
    'Send a text message',
    'Send a letter',
    'Visit their home',
    'Ask their care team or GP for new contact details',
  ]);
  await expect(contact.value('Last attempt')).toContainText('Phone call: no answer');
  await contact.showAllAttempts();
  await expect(contact.attempts).toHaveCount(1);
  await expect(contact.attempts.first()).toContainText('By Pat Peer');
  await expect(contact.attempts.first()).toContainText('Note: Rang their mobile, no voicemail');
  await checkPage(page, 'contact-summary-trying');

  await contact.recordButton.click();
  await form.expectLoaded(name);
  await form.record({ method: 'Text message', outcome: 'They replied' });
  await summary.expectLoaded(name);
  await expect(contact.reContact).toHaveCount(0);
  await expect(contact.value('Last reached')).toContainText('(today)');
  await expect(contact.value('How')).toHaveText('Text message');
  await contact.showAllAttempts();
  await expect(contact.attempts).toHaveCount(2);
  await expect(contact.attempts.first()).toContainText('Text message: they replied');
  await checkPage(page, 'contact-summary-in-touch');
});

test('Pat sees that lost contact may now be recorded for Hannah Lewis', async ({ page }) => {
  await demoSignIn(page, 'Pat Peer');
  await page.goto('/caseload');
  // The caseload may link to them more than once (its prompts too).
  await page.getByRole('link', { name: 'Hannah Lewis', exact: true }).first().click();
  const summary = new ParticipantSummaryPage(page);
  await summary.expectLoaded('Hannah Lewis');
  const contact = new SummaryContact(page);
  await expect(contact.reContactCount).toHaveText(/^\d+ of 3 unsuccessful attempts/);
  await expect(contact.reContact).toContainText('You can now record that contact is lost');
  await expect(contact.value('How')).toHaveText('At a session');
  await checkPage(page, 'contact-summary-lost');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('Pat records a contact attempt', async ({ page }) => {
    await demoSignIn(page, 'Pat Peer');
    await page.goto('/caseload');
    // Shown with their preferred name: "Sia (Sian) Jones".
    await page
      .getByRole('link', { name: /Sian\) Jones$/ })
      .first()
      .click();
    const summary = new ParticipantSummaryPage(page);
    await summary.expectLoaded('Sia (Sian) Jones');
    const contact = new SummaryContact(page);
    await contact.recordButton.click();

    const form = new RecordContactPage(page);
    await form.expectLoaded('Sia (Sian) Jones');
    await form.time.fill('');
    await form.saveButton.click();
    await form.errorSummary.expectErrors([
      'Select how you tried to contact them',
      'Select what happened',
      'Enter the time you tried to contact them',
    ]);
    await expect(form.errorSummary.link('Select how you tried to contact them')).toHaveAttribute(
      'href',
      '#method',
    );
    await checkPageWithoutJavaScript(page, 'nojs-contact-record-errors');

    const note = `Letter to the address on file (${test.info().project.name})`;
    await form.record({
      method: 'Letter',
      outcome: 'Left a message or sent one, no reply yet',
      on: dateParts(isoDaysAgo(1)),
      time: '08:00',
      note,
    });
    await summary.expectLoaded('Sia (Sian) Jones');
    await expect(summary.successBanner).toContainText('Contact attempt recorded.');
    await expect(contact.allAttempts).toContainText(note);
    await checkPageWithoutJavaScript(page, 'nojs-contact-summary');
  });
});
