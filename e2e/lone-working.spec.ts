/** Journey: a peer support worker checks in before a lone visit and out after; supervisors see overdue visits. */
import { expect, test, type Page } from '@playwright/test';
import { CheckInPage, LoneWorkingPage, OverdueVisitsPage } from './pages/lone-working.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

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
async function openFromHeader(page: Page, name: string): Promise<void> {
  const banner = page.getByRole('banner');
  const link = banner.getByRole('link', { name });
  if (!(await link.isVisible())) await banner.getByRole('button', { name: 'More' }).click();
  await link.click();
}

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
  await form.checkIn({ place, expectedEnd: ukTimeIn(-5) });
  await form.errorSummary.expectErrors(['The time you expect to finish must be later than now, today']);
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
