/** Journey: a peer support worker books a session with their participant and records it. */
import { expect, test } from '@playwright/test';
import { CaseloadPage } from './pages/caseload.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { BookSessionPage, RecordSessionPage, SummarySessions } from './pages/sessions.pages.ts';
import { checkPage } from './support/checks.ts';
import { dateParts, fullName, isoDaysAgo } from './support/data.ts';
import { newParticipantOf } from './support/flows.ts';

test('Pat books a session, records it as attended with two sections, and sees 1 of 10', async ({ page }) => {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Sessions-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(10),
  });
  const name = fullName(data);
  const summary = new ParticipantSummaryPage(page);
  const sessions = new SummarySessions(page);
  await summary.open(participantId);
  await summary.expectLoaded(name);
  await expect(sessions.attended).toHaveText('0 of 10 sessions attended.');
  await expect(sessions.items).toHaveCount(0);
  await checkPage(page, 'sessions-summary-none');
  await sessions.bookButton.click();

  const booking = new BookSessionPage(page);
  await booking.expectLoaded(name);
  await checkPage(page, 'session-book');
  await booking.bookButton.click();
  await booking.errorSummary.expectErrors([
    'Enter the date of the session',
    'Enter the time of the session',
    'Select how you will meet',
  ]);
  await checkPage(page, 'session-book-errors');
  await booking.errorSummary.expectLinkFocuses('Enter the date of the session', booking.day);

  // In person needs a place.
  await booking.book(dateParts(isoDaysAgo(1)), '10:00', 'In person');
  await booking.errorSummary.expectErrors(['Select where you will meet']);
  await expect(booking.places).toBeVisible();
  await checkPage(page, 'session-book-place-error');
  await booking.book(dateParts(isoDaysAgo(1)), '10:00', 'In person', 'Community venue');

  await summary.expectLoaded(name);
  await expect(summary.successBanner).toContainText('Session booked.');
  await expect(sessions.attended).toHaveText('0 of 10 sessions attended, 1 planned.');
  await expect(sessions.items).toHaveCount(1);
  await expect(sessions.items.first()).toContainText('In person, community venue');
  await expect(sessions.items.first().locator('.nhsuk-tag')).toHaveText('Planned');
  await checkPage(page, 'sessions-summary-planned');
  await sessions.recordLink().click();

  const recording = new RecordSessionPage(page);
  await recording.expectLoaded(name);
  await checkPage(page, 'session-record');
  await recording.saveButton.click();
  await recording.errorSummary.expectErrors(['Select what happened']);
  await checkPage(page, 'session-record-errors');
  await recording.recordAttended({
    minutes: '50',
    sections: ['Moving on after a crisis', 'Keeping well'],
    sharedStory: true,
    note: 'Talked through what helped in the first week home',
    followUps: 'Find the walking group times',
  });

  await summary.expectLoaded(name);
  await expect(summary.successBanner).toContainText('Session recorded.');
  await expect(sessions.attended).toHaveText('1 of 10 sessions attended.');
  await expect(sessions.items.first().locator('.nhsuk-tag')).toHaveText('Attended');
  await expect(sessions.items.first()).toContainText('Worked on: Moving on after a crisis, Keeping well');
  await expect(sessions.recordLink()).toContainText('Change');
  await checkPage(page, 'sessions-summary-attended');

  const caseload = new CaseloadPage(page);
  await caseload.openOwn();
  const card = caseload.card(name);
  await expect(card).toContainText('Sessions1 of 10');
  await expect(card).toContainText('Next sessionNone booked');
  await checkPage(page, 'caseload-sessions');
});

test('Pat records a missed session with a concern to raise, and the participant page says who to call', async ({
  page,
}) => {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', { dischargedOn: isoDaysAgo(6) });
  const summary = new ParticipantSummaryPage(page);
  const sessions = new SummarySessions(page);
  await summary.open(participantId);
  await sessions.bookButton.click();
  await new BookSessionPage(page).book(dateParts(isoDaysAgo(1)), '11:00', 'Phone');
  await sessions.recordLink().click();
  const recording = new RecordSessionPage(page);
  await expect(page.getByText(/tell the North crisis resolution team now on 0113 496 0000/)).toBeVisible();
  await recording.recordNotAttended('Unwell', true);

  await summary.expectLoaded(fullName(data));
  const callout = page.locator('#concern-to-raise');
  await expect(callout).toContainText('Make sure the North crisis resolution team knows');
  await expect(callout.getByRole('link', { name: '0113 496 0000' })).toHaveAttribute(
    'href',
    'tel:01134960000',
  );
  await expect(sessions.items.first()).toContainText('Concern to raise');
  await checkPage(page, 'sessions-summary-concern');
});
