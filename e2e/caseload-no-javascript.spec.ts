/** Marking a worker away and asking to change a meeting work with JavaScript off. */
import { expect, test } from '@playwright/test';
import { AwayPage, CaseloadsPage, RearrangePage } from './pages/caseload.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { BookSessionPage } from './pages/sessions.pages.ts';
import { checkPageWithoutJavaScript as checkPage } from './support/checks.ts';
import { dateParts, fullName, isoDaysAgo, londonToday } from './support/data.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';

test.use({ javaScriptEnabled: false });

test('a supervisor marks a worker away and back without JavaScript', async ({ page }) => {
  await demoSignIn(page, 'Sunita Supervisor');
  const caseloads = new CaseloadsPage(page);
  await caseloads.open();
  await caseloads.openWorker('Jess Jones');
  await page.getByRole('link', { name: 'Mark Jess Jones as away' }).click();
  const away = new AwayPage(page);
  await away.markAway(null, 'Annual leave');
  await away.errorSummary.expectErrors(['Enter the first day they are away']);
  await expect(away.errorSummary.link('Enter the first day they are away')).toHaveAttribute(
    'href',
    '#awayFrom-day',
  );
  await checkPage(page, 'nojs-away-errors');
  const [year = '', month = '', day = ''] = londonToday().split('-');
  await away.markAway({ day, month, year }, 'Annual leave');
  await expect(page.getByText('Marked as away.')).toBeVisible();
  await page.getByRole('link', { name: 'Change or end their time away' }).click();
  await away.markBack();
  await expect(page.getByText('Marked as back.')).toBeVisible();
  await checkPage(page);
});

test('a participant asks to change a meeting without JavaScript', async ({ page }) => {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', { dischargedOn: isoDaysAgo(0) });
  await new ParticipantSummaryPage(page).open(participantId);
  await page.getByRole('button', { name: 'Book a session' }).click();
  await new BookSessionPage(page).book(dateParts(isoDaysAgo(-4)), '10:00', 'Phone');
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();

  await demoSignIn(page, fullName(data));
  await page
    .getByRole('link', { name: /^Ask to change/ })
    .first()
    .click();
  const rearrange = new RearrangePage(page);
  await rearrange.expectLoaded();
  await rearrange.ask('Afternoons');
  await expect(page.getByText('We have told your worker.')).toBeVisible();
  await checkPage(page, 'nojs-rearrange-asked');
});
