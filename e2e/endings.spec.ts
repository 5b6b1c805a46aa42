/**
 * Journey: a peer support worker plans the ending session, ends the programme, and shares the
 * summary with the participant's GP; the participant then reads their own summary.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  BookEndingSessionPage,
  EndingFormPage,
  EndingSummaryPage,
  MySummaryPage,
  ParticipantEnding,
  ShareSummaryPage,
} from './pages/endings.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { RecordSessionPage, SummarySessions } from './pages/sessions.pages.ts';
import { MyProgrammePage } from './pages/participant.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { buildReferral, dateParts, fullName, isoDaysAgo, londonToday } from './support/data.ts';
import { allocate, COORDINATOR, demoSignIn, refer } from './support/flows.ts';

const signOut = (page: Page) => page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();

test('Pat plans the ending session, ends the programme, shares it with the GP, and the participant reads it', async ({
  page,
}) => {
  // A long journey through four people's pages: more than the default 30 s on a shared machine.
  test.slow();
  await demoSignIn(page, COORDINATOR);
  const data = buildReferral({
    familyName: `Ending-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(30),
    destination: 'GP',
  });
  const participantId = await refer(page, data);
  await allocate(page, participantId, 'Pat Peer');
  await signOut(page);

  // Pat books the ending session, yesterday, and records it.
  await demoSignIn(page, 'Pat Peer');
  const name = fullName(data);
  const summary = new ParticipantSummaryPage(page);
  const sessions = new SummarySessions(page);
  const ending = new ParticipantEnding(page);
  await summary.open(participantId);
  await summary.expectLoaded(name);
  await sessions.bookButton.click();
  const booking = new BookEndingSessionPage(page);
  await booking.expectLoaded(name);
  await expect(booking.endingBox).toBeVisible();
  await checkPage(page, 'ending-session-book');
  await booking.bookEnding(dateParts(isoDaysAgo(1)), '11:00');
  await summary.expectLoaded(name);
  await expect(ending.endingTag(sessions.items.first())).toBeVisible();
  await checkPage(page, 'ending-session-planned');
  await sessions.recordLink().click();
  const recording = new RecordSessionPage(page);
  await recording.expectLoaded(name);
  await expect(page.getByText('This is the planned ending session.')).toBeVisible();
  await checkPage(page, 'ending-session-record');
  await recording.recordAttended({
    minutes: '60',
    sections: ['Keeping well', 'People and places that help'],
    sharedStory: false,
    note: 'Looked back over the programme together',
    followUps: 'Join the walking group',
  });
  await summary.expectLoaded(name);

  // The ending form, with what the summary will say.
  await ending.endButton.click();
  const form = new EndingFormPage(page);
  await form.expectLoaded(name);
  await expect(form.previewValue('Sessions attended')).toHaveText('1 of 10');
  await expect(form.previewValue('Sections worked on')).toContainText('People and places that help');
  await expect(form.day).toHaveValue(String(Number(londonToday().slice(8))));
  await checkPage(page, 'ending-form');
  await form.endButton.click();
  await form.errorSummary.expectErrors([
    'Select why the programme is ending',
    'Enter the support they are going on to, or "None"',
    'Select whether they agreed to share the summary with their care team',
  ]);
  await checkPage(page, 'ending-form-errors');
  await form.errorSummary.expectLinkFocuses(
    'Select why the programme is ending',
    form.reasons.getByRole('radio').first(),
  );
  await form.end({
    reason: 'Completed the programme',
    onwardSupport: 'Their GP, and the Tuesday walking group',
    message: 'It has been good to meet with you. Keep going with the walks.',
    consent: 'Yes, they agreed',
  });

  const ended = new EndingSummaryPage(page);
  await ended.expectLoaded(name);
  await expect(ended.successBanner).toContainText('Programme ended.');
  await expect(ended.sessionsAttended).toHaveText('1 of 10 sessions attended.');
  await expect(ended.sections).toHaveText(['Keeping well', 'People and places that help']);
  await expect(ended.onwardSupport).toHaveText('Their GP, and the Tuesday walking group');
  await expect(ended.shares).toHaveText('Not shared with anyone yet.');
  await checkPage(page, 'ending-summary');

  // Sharing with the GP: a secure NHS address only.
  await ended.shareButton.click();
  const share = new ShareSummaryPage(page);
  await share.expectLoaded();
  await checkPage(page, 'ending-share');
  await share.sendToGp('Dr Amina Rahman', 'amina.rahman@gmail.com');
  await share.errorSummary.expectErrors(['Enter a secure NHS email address, ending in @nhs.net or .nhs.uk']);
  await checkPage(page, 'ending-share-errors');
  await share.gpEmail.fill('park.lane.surgery@nhs.net');
  await share.sendButton.click();
  await ended.expectLoaded(name);
  await expect(ended.successBanner).toContainText('Summary shared.');
  await expect(ended.shares).toContainText('GP: Dr Amina Rahman (park.lane.surgery@nhs.net)');
  await checkPage(page, 'ending-summary-shared');

  // The record page now says the programme ended, and booking has gone.
  await summary.open(participantId);
  await expect(ending.ended).toContainText('(completed the programme)');
  await expect(ending.bookButton).toHaveCount(0);
  await checkPage(page, 'ending-participant-record');
  await signOut(page);

  // The participant signs in and reads their summary.
  await demoSignIn(page, name);
  const mySummary = new MySummaryPage(page);
  await new MyProgrammePage(page).expectLoaded(data.givenName);
  await expect(page.getByRole('heading', { name: 'Your next sessions' })).toHaveCount(0);
  await checkPage(page, 'ending-my-programme');
  await mySummary.openFromMyProgramme();
  await expect(mySummary.timesMet).toHaveText('You had one session with Pat.');
  await expect(mySummary.sections).toHaveText(['Keeping well', 'People and places that help']);
  await expect(mySummary.onwardSupport).toHaveText('Their GP, and the Tuesday walking group');
  await expect(mySummary.message).toHaveText('It has been good to meet with you. Keep going with the walks.');
  await expect(mySummary.planStaysYours.getByRole('link', { name: 'Go to your page' })).toHaveAttribute(
    'href',
    '/me',
  );
  await checkPage(page, 'ending-my-summary');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('Pat ends a programme and shares it with the crisis team', async ({ page }) => {
    await demoSignIn(page, COORDINATOR);
    const data = buildReferral({
      familyName: `Ending-nojs-${test.info().project.name}-${String(Date.now() % 100000)}`,
      dischargedOn: isoDaysAgo(20),
    });
    const participantId = await refer(page, data);
    await allocate(page, participantId, 'Pat Peer');
    await signOut(page);

    await demoSignIn(page, 'Pat Peer');
    const name = fullName(data);
    const summary = new ParticipantSummaryPage(page);
    await summary.open(participantId);
    await new ParticipantEnding(page).endButton.click();
    const form = new EndingFormPage(page);
    await form.expectLoaded(name);
    await form.reasons.getByRole('radio', { name: 'Another reason' }).check();
    await form.endButton.click();
    await form.errorSummary.expectErrors([
      'Enter why the programme is ending',
      'Enter the support they are going on to, or "None"',
      'Select whether they agreed to share the summary with their care team',
    ]);
    await checkPageWithoutJavaScript(page, 'nojs-ending-form-errors');
    await page.getByLabel('If another reason, what was it?').fill('Moved to another area');
    await form.end({
      reason: 'Another reason',
      onwardSupport: 'A community team in their new area',
      message: '',
      consent: 'Yes, they agreed',
    });
    const ended = new EndingSummaryPage(page);
    await ended.expectLoaded(name);
    await expect(ended.sessionsAttended).toHaveText('0 of 10 sessions attended.');
    await checkPageWithoutJavaScript(page, 'nojs-ending-summary');

    await ended.shareButton.click();
    const share = new ShareSummaryPage(page);
    await share.expectLoaded();
    await share.recipients.getByRole('checkbox', { name: /^Their crisis team/ }).check();
    await share.sendButton.click();
    await ended.expectLoaded(name);
    await expect(ended.shares).toContainText('Crisis team: North crisis resolution team');
    await checkPageWithoutJavaScript(page, 'nojs-ending-summary-shared');
  });
});
