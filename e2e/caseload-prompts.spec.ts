/**
 * Journeys: the caseload tells a worker what needs doing today; the coordinator marks a worker
 * away and sees their participants waiting for a new worker; a participant asks to change a
 * meeting and their worker deals with it.
 */
import { expect, test } from '@playwright/test';
import { AwayPage, CaseloadPage, CaseloadsPage, RearrangePage, TodoList } from './pages/caseload.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { BookSessionPage } from './pages/sessions.pages.ts';
import { checkPage } from './support/checks.ts';
import { dateParts, fullName, isoDaysAgo, londonToday } from './support/data.ts';
import { COORDINATOR, demoSignIn, newParticipantOf } from './support/flows.ts';

const URGENCY = [
  'missed_no_follow_up',
  'change_requested',
  'first_session_overdue',
  'no_contact',
  'record_session',
  'ending_not_planned',
  'window_closing',
];

test('Pat sees what needs doing today, most urgent first, and a new referral prompts a first session', async ({
  page,
}) => {
  const { data } = await newParticipantOf(page, 'Pat Peer', { dischargedOn: isoDaysAgo(9) });
  const caseload = new CaseloadPage(page);
  const todo = new TodoList(page);
  await expect(todo.heading).toHaveText('What needs doing today');
  const kinds = await todo.kinds();
  expect(kinds.length).toBeGreaterThan(0);
  expect([...kinds].sort((a, b) => URGENCY.indexOf(a) - URGENCY.indexOf(b))).toEqual(kinds);
  const card = caseload.card(fullName(data));
  await expect(card).toContainText('No first session booked, 9 days since discharge');
  await expect(card).toContainText('Not reached yet');
  await checkPage(page, 'caseload-todo');

  // Booking the first session clears the prompt.
  await card.getByRole('link', { name: fullName(data), exact: true }).click();
  const summary = new ParticipantSummaryPage(page);
  await summary.expectLoaded(fullName(data));
  await page.getByRole('button', { name: 'Book a session' }).click();
  const booking = new BookSessionPage(page);
  await booking.book(dateParts(isoDaysAgo(-2)), '11:00', 'Phone');
  await summary.expectLoaded(fullName(data));
  await caseload.openOwn();
  await expect(caseload.card(fullName(data))).not.toContainText('No first session booked');
});

test('the coordinator marks Rob away, sees his participants waiting against the target, then marks him back', async ({
  page,
}) => {
  await demoSignIn(page, COORDINATOR);
  const caseloads = new CaseloadsPage(page);
  await caseloads.open();
  await expect(
    page.getByRole('heading', { level: 2, name: 'What needs doing across the team' }),
  ).toBeVisible();
  await checkPage(page, 'caseloads-overview');
  await caseloads.openWorker('Rob Reyes');
  await page.getByRole('link', { name: 'Mark Rob Reyes as away' }).click();

  const away = new AwayPage(page);
  await away.expectLoaded('Rob Reyes');
  await checkPage(page, 'away');
  await away.markAway(null, null);
  await away.errorSummary.expectErrors(['Enter the first day they are away', 'Select why they are away']);
  await checkPage(page, 'away-errors');

  const [year = '', month = '', day = ''] = londonToday().split('-');
  await away.markAway({ day, month, year }, 'Sickness absence');
  await expect(page.getByRole('heading', { level: 1, name: 'Caseload of Rob Reyes' })).toBeVisible();
  await expect(page.getByText('Marked as away.')).toBeVisible();
  await expect(page.getByText(/Away from .* until further notice/)).toBeVisible();
  await checkPage(page, 'caseload-worker-away');

  await page.goto('/allocation');
  const waiting = page
    .locator('.app-waiting tbody tr')
    .filter({ hasText: 'A new worker (Rob Reyes: sickness absence)' });
  await expect(waiting.first()).toBeVisible();
  await expect(waiting.first()).toContainText('0 working days');
  await expect(waiting.first()).toContainText('Due by');
  await checkPage(page, 'allocation-waiting-reallocation');

  await caseloads.open();
  await caseloads.openWorker('Rob Reyes');
  await page.getByRole('link', { name: 'Change or end their time away' }).click();
  await away.markBack();
  await expect(page.getByText('Marked as back.')).toBeVisible();
  await page.goto('/allocation');
  await expect(page.getByText('A new worker (Rob Reyes')).toHaveCount(0);
});

test('a participant asks to change a meeting; Pat sees it first and marks it dealt with', async ({
  page,
}) => {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', { dischargedOn: isoDaysAgo(0) });
  const summary = new ParticipantSummaryPage(page);
  await summary.open(participantId);
  await page.getByRole('button', { name: 'Book a session' }).click();
  await new BookSessionPage(page).book(dateParts(isoDaysAgo(-3)), '14:30', 'Video call');
  await summary.expectLoaded(fullName(data));
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();

  await demoSignIn(page, fullName(data));
  await page
    .getByRole('link', { name: /^Ask to change/ })
    .first()
    .click();
  const rearrange = new RearrangePage(page);
  await rearrange.expectLoaded();
  await checkPage(page, 'rearrange');
  await rearrange.ask('Mornings are better for me');
  await expect(page.getByText('We have told your worker.')).toBeVisible();
  await expect(page.getByText(/You asked to change this/)).toBeVisible();
  await checkPage(page, 'my-programme-rearrange-asked');
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();

  await demoSignIn(page, 'Pat Peer');
  const caseload = new CaseloadPage(page);
  await expect(caseload.card(fullName(data))).toContainText('Asked to rearrange a session');
  await summary.open(participantId);
  const panel = page.locator('#change-requests');
  await expect(panel).toContainText('They said: “Mornings are better for me”');
  await checkPage(page, 'participant-change-request');
  await panel.getByRole('button', { name: /Mark as dealt with/ }).click();
  await expect(page.getByText('Marked as dealt with.')).toBeVisible();
  await expect(page.locator('#change-requests')).toHaveCount(0);
});
