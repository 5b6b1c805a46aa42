/** Journey: a peer support worker checks in before a lone visit and out after; supervisors see overdue visits. */
import { expect, test, type Page } from '@playwright/test';
import { CheckInPage, LoneWorkingPage, OverdueVisitsPage } from './pages/lone-working.pages.ts';
import { Header } from './pages/components.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';
import { BookSessionPage, SummarySessions } from './pages/sessions.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { dateParts, fullName } from './support/data.ts';

/** A UK wall-clock time `minutes` from now, "14:30", as the form wants it. */
function ukTimeIn(minutes: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(Date.now() + minutes * 60_000));
}

/** A header link; at phone width the header keeps later links under "More". */
const openFromHeader = (page: Page, name: string) => new Header(page).follow(name);

test('Pat checks in before a visit and out after it', async ({ page }) => {
  await demoSignIn(page, 'Pat Peer');
  await openFromHeader(page, 'Lone working');
  const mine = new LoneWorkingPage(page);
  await mine.expectLoaded();
  await expect(mine.notCheckedIn).toBeVisible();
  await checkPage(page, 'lone-working-none');
  await mine.checkInButton.click();

  const form = new CheckInPage(page);
  await form.expectLoaded();
  await checkPage(page, 'lone-working-check-in');
  await form.checkInButton.click();
  await form.errorSummary.expectErrors([
    'Enter where you are going, such as the address or the name of the place',
    'Enter the time you expect to finish',
  ]);
  await checkPage(page, 'lone-working-check-in-errors');
  await form.errorSummary.expectLinkFocuses('Enter the time you expect to finish', form.expectedEnd);

  const place = `14 Station Road, Northtown (${test.info().project.name})`;
  // Five minutes ago is tomorrow's time: too far away.
  await form.checkIn({ place, expectedEnd: ukTimeIn(-5) });
  await form.errorSummary.expectErrors([
    'The time you expect to finish must be later than now and within 12 hours',
  ]);
  await expect(form.place).toHaveValue(place);

  await form.checkIn({ place, expectedEnd: ukTimeIn(60), participant: 'Hannah Lewis' });
  await mine.expectLoaded();
  await expect(mine.successBanner).toContainText('You are checked in.');
  await expect(mine.currentVisit).toContainText(place);
  await checkPage(page, 'lone-working-checked-in');

  await mine.checkOutButton.click();
  await mine.expectLoaded();
  await expect(mine.successBanner).toContainText('You are checked out.');
  await expect(mine.notCheckedIn).toBeVisible();
  await expect(mine.pastVisits.first()).toContainText(place);
  await checkPage(page, 'lone-working-checked-out');
});

/** The UK date and time `minutes` from now, as the booking form wants them. */
function ukDateTimeIn(minutes: number): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(Date.now() + minutes * 60_000));
  return { date: parts, time: ukTimeIn(minutes) };
}

test('the check-in starts from the booked home visit, and may end after midnight', async ({ page }) => {
  test.slow();
  const { participantId, data } = await newParticipantOf(page, 'Rob Reyes', {
    familyName: `Visit-${test.info().project.name}-${String(Date.now() % 100000)}`,
  });
  // Each run's session is the earliest Rob has booked, so the form starts from this one.
  const at = ukDateTimeIn(test.info().project.name === 'desktop' ? 45 : 90);
  await new ParticipantSummaryPage(page).open(participantId);
  await new SummarySessions(page).bookButton.click();
  await new BookSessionPage(page).book(dateParts(at.date), at.time, 'In person', 'Their home');
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Session booked.');

  await openFromHeader(page, 'Lone working');
  await new LoneWorkingPage(page).checkInButton.click();
  const form = new CheckInPage(page);
  await form.expectLoaded();
  await expect(form.place).toHaveValue('Their home');
  await expect(page.locator('#place-hint')).toContainText(
    `Filled in from your session booked for ${at.time}`,
  );
  await expect(form.participant.locator('option:checked')).toHaveText(fullName(data));
  await checkPage(page, 'lone-working-check-in-from-session');

  // Eleven hours on: after midnight whenever this runs after 13:00, which is then tomorrow's time.
  await form.place.fill('Their home, 3 Mill Lane');
  await form.expectedEnd.fill(ukTimeIn(11 * 60));
  await form.checkInButton.click();
  const mine = new LoneWorkingPage(page);
  await mine.expectLoaded();
  await expect(mine.successBanner).toContainText('You are checked in.');
  await expect(mine.currentVisit).toContainText('3 Mill Lane');
  await checkPage(page, 'lone-working-checked-in-late');
  await mine.checkOutButton.click();
  await expect(mine.successBanner).toContainText('You are checked out.');
});

test('a supervisor opens the overdue visits, with none overdue', async ({ page }) => {
  await demoSignIn(page, 'Sunita Supervisor');
  await openFromHeader(page, 'Lone working');
  const overdue = new OverdueVisitsPage(page);
  await expect(page).toHaveURL(/\/lone-working\/overdue$/);
  await expect(overdue.noneOverdue).toHaveText('No visits are overdue.');
  await checkPage(page, 'lone-working-overdue-none');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('Rob checks in and out', async ({ page }) => {
    await demoSignIn(page, 'Rob Reyes');
    const mine = new LoneWorkingPage(page);
    await mine.open();
    await mine.checkInButton.click();
    const form = new CheckInPage(page);
    await form.expectLoaded();
    await form.checkIn({ place: 'Community centre, Mill Lane', expectedEnd: '99:99' });
    await form.errorSummary.expectErrors(['Enter a real time, using the 24-hour clock, like 14:30']);
    await checkPageWithoutJavaScript(page, 'nojs-lone-working-check-in-errors');
    await form.checkIn({ place: 'Community centre, Mill Lane', expectedEnd: ukTimeIn(90) });
    await mine.expectLoaded();
    await expect(mine.currentVisit).toContainText('Community centre, Mill Lane');
    await checkPageWithoutJavaScript(page, 'nojs-lone-working-checked-in');
    await mine.checkOutButton.click();
    await expect(mine.successBanner).toContainText('You are checked out.');
  });
});
