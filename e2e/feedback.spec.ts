/**
 * Journey: once their programme has ended, a participant tells us what they thought (every
 * question optional, anonymous to their worker); the coordinator sees it in the report, in
 * aggregate, with small numbers withheld; the same without JavaScript. Each page passes the
 * accessibility scan at phone width.
 */
import { expect, test, type Page } from '@playwright/test';
import { Header } from './pages/components.ts';
import { MyProgrammePage } from './pages/participant.pages.ts';
import { FeedbackFormPage, FeedbackReportPage, FeedbackThanksPage } from './pages/feedback.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { buildReferral, fullName, isoDaysAgo } from './support/data.ts';
import { allocate, COORDINATOR, demoSignIn, endProgramme, refer, signOutOverHttp } from './support/flows.ts';
import { demoSignInOverHttp } from './support/http-forms.ts';

/** Over HTTP, as the coordinator: someone referred, allocated to Pat and their programme ended today. */
async function endedParticipant(page: Page, label: string): Promise<string> {
  const data = buildReferral({
    familyName: `Feedback-${label}-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(40),
  });
  await demoSignInOverHttp(page, COORDINATOR, { open: false });
  const participantId = await refer(page, data);
  await allocate(page, participantId, 'Pat Peer');
  await endProgramme(page, participantId);
  await signOutOverHttp(page);
  return fullName(data);
}

test('a participant whose programme ended tells us what they thought; the coordinator sees it in the report', async ({
  page,
}) => {
  test.slow();
  const words = `The walks with Pat helped ${String(Date.now() % 100000)}`;
  const name = await endedParticipant(page, 'js');
  await demoSignIn(page, name);
  await new MyProgrammePage(page).expectLoaded(name.split(' ')[0] ?? name);
  const offer = page.getByRole('link', { name: 'Tell us what you thought (optional)' });
  await expect(offer).toBeVisible();
  await offer.click();

  const form = new FeedbackFormPage(page);
  await form.expectLoaded();
  await checkPage(page, 'feedback-form');
  await form.sendButton.click();
  await form.errorSummary.expectErrors([
    'Answer at least one question or write something in the box, or choose No thanks',
  ]);
  await checkPage(page, 'feedback-form-errors');
  await form.errorSummary.expectLinkFocuses(
    'Answer at least one question or write something in the box, or choose No thanks',
    form.question('The sessions helped me after my crisis').getByRole('radio').first(),
  );
  await form.answer('The sessions helped me after my crisis', 'Strongly agree');
  await form.answer('My peer support worker understood what I was going through', 'Agree');
  await form.answer('Working on my recovery plan was useful', 'Prefer not to answer');
  await form.comment.fill(words);
  await form.sendButton.click();
  await expect(new FeedbackThanksPage(page).heading).toBeVisible();
  await checkPage(page, 'feedback-thanks');

  // Asked once: their page no longer offers it.
  await page.goto('/me');
  await expect(offer).toHaveCount(0);
  await new Header(page).signOut();

  await demoSignIn(page, COORDINATOR);
  const report = new FeedbackReportPage(page);
  await report.open();
  await expect(report.responseRate).toContainText('whose programme ended gave feedback');
  await checkPage(page, 'feedback-report');
  await report.show('North crisis resolution team');
  await expect(page.getByRole('table', { name: /people who answered/ }).first()).toBeVisible();
  await expect(report.comments).toContainText(words);
  await expect(
    page.getByText('Fewer than 5 people answered, so results are not shown.').first(),
  ).toBeVisible();
  await checkPage(page, 'feedback-report-north');

  // The South team has too few answers for any figure, or any words.
  await report.show('South crisis resolution team');
  await expect(page.getByRole('table', { name: /people who answered/ })).toHaveCount(0);
  await expect(
    page.getByText('Fewer than 5 people wrote something, so their words are not shown.'),
  ).toBeVisible();
  await checkPage(page, 'feedback-report-south');

  // A period that ends before it starts.
  const months = await report.from.locator('option').allTextContents();
  await report.from.selectOption({ label: months[0] ?? '' });
  await report.to.selectOption({ label: months[1] ?? '' });
  await report.showButton.click();
  await report.errorSummary.expectErrors(['The first month must be the same as or before the last month']);
  await checkPage(page, 'feedback-report-errors');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a participant sends feedback and a supervisor reads the report', async ({ page }) => {
    const name = await endedParticipant(page, 'nojs');
    await demoSignIn(page, name);
    await page.getByRole('link', { name: 'Tell us what you thought (optional)' }).click();
    const form = new FeedbackFormPage(page);
    await form.expectLoaded();
    await form.comment.fill('x'.repeat(1001));
    await form.sendButton.click();
    await form.errorSummary.expectErrors(['What you would like to tell us must be 1000 characters or fewer']);
    await checkPageWithoutJavaScript(page, 'nojs-feedback-form-errors');
    await form.comment.fill('Evening sessions would have helped me');
    await form.answer('I would recommend this to someone leaving crisis care', 'Agree');
    await form.sendButton.click();
    await expect(new FeedbackThanksPage(page).heading).toBeVisible();
    await checkPageWithoutJavaScript(page, 'nojs-feedback-thanks');
    await new Header(page).signOut();

    await demoSignIn(page, 'Sunita Supervisor');
    const report = new FeedbackReportPage(page);
    await report.open();
    await report.show('North crisis resolution team');
    await expect(page.getByRole('table', { name: /people who answered/ }).first()).toBeVisible();
    // Supervisors see the figures, never the words.
    await expect(page.locator('main')).not.toContainText('Evening sessions would have helped me');
    await checkPageWithoutJavaScript(page, 'nojs-feedback-report');
  });
});
