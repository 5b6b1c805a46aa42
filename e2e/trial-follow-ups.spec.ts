/**
 * Journey (trial mode): the outcome assessor's follow-ups. The list (overdue and due first), a
 * follow-up's page with its questionnaire and guess of the group (the form explains what is
 * missing), an online invitation sent, and the participant answering from the link without
 * signing in; without JavaScript the assessor's form works as a plain form. Each page passes the
 * accessibility scan.
 */
import { expect, test, type Page } from '@playwright/test';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';

const ASSESSOR = 'Oscar Outcome-Assessor';

/** The follow-up page of the first or last "Due" row that links to one (the first is the one the demo linked to a record). */
async function openDue(page: Page, which: 'first' | 'last'): Promise<void> {
  await page.goto('/trial/follow-ups');
  const due = page
    .locator('main tbody tr')
    .filter({ hasText: /\bDue\b/ })
    .getByRole('link');
  await due[which]().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('4-month follow-up');
}

async function answer(page: Page, question: string, choice: string): Promise<void> {
  await page.getByRole('group', { name: question }).getByLabel(choice, { exact: true }).check();
}

test('the assessor sees follow-ups due and overdue, invites someone, who answers online once', async ({
  page,
  browser,
}) => {
  test.slow();
  await demoSignIn(page, ASSESSOR);
  await page.goto('/trial/follow-ups');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Follow-ups');
  await expect(page.locator('main tbody tr').first()).toContainText('Overdue');
  await checkPage(page, 'trial-follow-ups');

  await openDue(page, 'first');
  await checkPage(page, 'trial-follow-up');
  await page.getByRole('button', { name: 'Save follow-up' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Select which group you think they are in',
  );
  await checkPage(page, 'trial-follow-up-errors');
  await page.getByRole('button', { name: 'Send an invitation' }).click();
  await expect(page.getByText('Invitation sent.')).toBeVisible();
  await expect(page.locator('main')).toContainText('An invitation was sent on');

  await page.goto('/trial/unblindings/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record that you learned someone’s group');
  await checkPage(page, 'trial-unblinding-form');

  // The coordinator's demo outbox stands in for the participant's inbox.
  await demoSignIn(page, COORDINATOR);
  await page.goto('/demo/outbox');
  const link = /\/follow-up\/[A-Za-z0-9_-]{43}/.exec(await page.locator('main').innerText())?.[0];
  expect(link).toBeTruthy();

  const participant = await (await browser.newContext()).newPage();
  await participant.goto(link ?? '');
  await expect(participant.getByRole('heading', { level: 1 })).toHaveText(
    'Your research study questionnaire',
  );
  await checkPage(participant, 'trial-follow-up-online');
  await answer(
    participant,
    'In the last 2 weeks, I have felt able to cope with day-to-day life (optional)',
    'Most of the time',
  );
  await answer(
    participant,
    'In the last 2 weeks, I have felt hopeful about the future (optional)',
    'Some of the time',
  );
  await answer(
    participant,
    'In the last 2 weeks, I have slept well enough to get through the day (optional)',
    'Most of the time',
  );
  await answer(
    participant,
    'In the last 2 weeks, I have had someone to talk to when things were hard (optional)',
    'All of the time',
  );
  await participant.getByRole('button', { name: 'Send my answers' }).click();
  await expect(participant.getByRole('heading', { level: 1 })).toHaveText('Thank you');
  await checkPage(participant, 'trial-follow-up-online-done');
  await participant.goto(link ?? '');
  await expect(participant.getByRole('heading', { level: 1 })).toHaveText('This link has been used');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the assessor enters a questionnaire with their guess as a plain form', async ({ page }) => {
    await demoSignIn(page, ASSESSOR);
    await openDue(page, 'last');
    await answer(
      page,
      'In the last 2 weeks, I have felt able to cope with day-to-day life (optional)',
      'Some of the time',
    );
    await answer(
      page,
      'In the last 2 weeks, I have known what I would do if a crisis started again (optional)',
      'Most of the time',
    );
    await page
      .getByLabel('In the last 2 weeks, on how many days did you go out of your home? (optional)')
      .fill('5');
    await page.getByLabel('I do not know').check();
    await page.getByRole('button', { name: 'Save follow-up' }).click();
    await expect(page.getByText('Follow-up recorded.')).toBeVisible();
    await checkPageWithoutJavaScript(page, 'trial-follow-ups-no-javascript');
  });
});
