/**
 * Journey (trial mode): the trial manager screens someone eligible, records their consent and
 * then their withdrawal from the intervention only; someone not eligible shows why; someone
 * eligible is recorded as not approached; the same journey without JavaScript. Each page passes
 * the accessibility scan at phone width.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  ConsentPage,
  ScreeningLogPage,
  ScreeningPage,
  ScreenSomeonePage,
  TrialHomePage,
  WithdrawalPage,
} from './pages/trial.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { londonToday } from './support/data.ts';
import { demoSignIn } from './support/flows.ts';

const MANAGER = 'Tara Trial-Manager';

/** Two letters and a year no other journey uses, so the log finds this run's person. */
function person(label: string): { initials: string; year: string } {
  const n = Date.now() % 676;
  const letters = String.fromCharCode(65 + Math.floor(n / 26), 65 + (n % 26));
  return { initials: `${label}${letters}`.slice(0, 3), year: String(1950 + (Date.now() % 50)) };
}

async function screen(
  page: Page,
  who: { initials: string; year: string },
  differs: Record<string, 'Yes' | 'No'> = {},
): Promise<void> {
  await page.goto('/trial/screenings/new');
  const form = new ScreenSomeonePage(page);
  await expect(form.heading).toBeVisible();
  await form.team.selectOption({ label: 'North crisis resolution team' });
  await form.initials.fill(who.initials);
  await form.yearOfBirth.fill(who.year);
  await form.answerAll(differs);
  await form.save.click();
  await expect(
    page.getByRole('heading', { level: 1, name: `${who.initials}, born ${who.year}` }),
  ).toBeVisible();
}

test('the trial manager screens someone eligible, records consent, then a withdrawal from the intervention only', async ({
  page,
}) => {
  test.slow();
  const who = person('J');
  await demoSignIn(page, MANAGER);
  // Their home page is the trial's.
  const home = new TrialHomePage(page);
  await expect(home.enrolment).toBeVisible();
  await expect(home.figure('Assessed for eligibility')).toBeVisible();
  await checkPage(page, 'trial-home');

  await home.screenSomeone.first().click();
  const form = new ScreenSomeonePage(page);
  await expect(form.heading).toBeVisible();
  await checkPage(page, 'trial-screen');
  await form.initials.fill('J5');
  await form.save.click();
  await form.errorSummary.expectErrors([
    'Select the crisis team they were under',
    'Initials must be 1 to 3 letters, such as JS or JAS',
    'Enter their year of birth',
    'Select yes or no for “Are they aged 18 or over?”',
    'Select yes or no for “Have they been discharged from a crisis resolution team?”',
    'Select yes or no for “Do they have capacity to consent to take part?”',
    'Select yes or no for “Are they already in the peer support programme?”',
    'Select yes or no for “Are they currently a mental health inpatient?”',
    'Select yes or no for “Have they asked not to be contacted by the service?”',
  ]);
  await checkPage(page, 'trial-screen-errors');
  await form.errorSummary.expectLinkFocuses('Enter their year of birth', form.yearOfBirth);

  await screen(page, who);
  const screening = new ScreeningPage(page);
  await expect(screening.outcome).toHaveText('Eligible: to approach');
  await checkPage(page, 'trial-screening-eligible');

  await screening.recordConsent.click();
  const consent = new ConsentPage(page);
  await consent.chooseVersion('2.0');
  await consent.takenOn(londonToday());
  await consent.save.click();
  await consent.errorSummary.expectErrors(['Confirm they had capacity to consent, or do not record consent']);
  await checkPage(page, 'trial-consent-errors');
  await consent.capacity.check();
  await consent.save.click();
  await expect(page.getByText('Consent recorded.')).toBeVisible();
  await expect(screening.outcome).toHaveText('Consented');
  await checkPage(page, 'trial-screening-consented');

  await screening.recordWithdrawal.click();
  const withdrawal = new WithdrawalPage(page);
  await checkPage(page, 'trial-withdrawal');
  await withdrawal.scope('From the intervention only').check();
  await withdrawal.withdrawnOn(londonToday());
  await withdrawal.reason.fill('Would rather not have the sessions for now');
  await withdrawal.save.click();
  await expect(screening.outcome).toHaveText('Withdrawn');
  await expect(screening.withdrawals).toContainText('From the intervention only');
  await expect(screening.withdrawals).toContainText('we still ask them to complete follow-up questionnaires');
  await checkPage(page, 'trial-screening-withdrawn');

  // Only a wider withdrawal is offered now.
  await screening.recordWithdrawal.click();
  await expect(withdrawal.scope('From the intervention only')).toHaveCount(0);
  await expect(withdrawal.scope('From further follow-up')).toBeVisible();

  await page.goto('/trial/screenings');
  const log = new ScreeningLogPage(page);
  await expect(log.person(`${who.initials}, born ${who.year}`)).toBeVisible();
  await checkPage(page, 'trial-log');
});

test('someone not eligible shows why; someone eligible is recorded as not approached', async ({ page }) => {
  await demoSignIn(page, MANAGER);
  await screen(page, person('N'), { 'Are they currently a mental health inpatient?': 'Yes' });
  const screening = new ScreeningPage(page);
  await expect(screening.outcome).toHaveText('Not eligible');
  await expect(screening.eligibility()).toContainText('No: Currently an inpatient');
  await expect(screening.recordConsent).toHaveCount(0);
  await checkPage(page, 'trial-screening-not-eligible');

  await screen(page, person('A'));
  await screening.declinedOrNotApproached.click();
  await page.getByRole('radio', { name: 'They were not approached' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter why they were not approached');
  await checkPage(page, 'trial-approach-errors');
  await page.getByLabel('Reason').fill('Discharged out of area before they could be seen');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(screening.outcome).toHaveText('Not approached');
  await checkPage(page, 'trial-screening-not-approached');
});

test.describe('at 320 CSS pixels wide', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('nothing on the trial’s pages needs scrolling sideways (WCAG 1.4.10 Reflow)', async ({ page }) => {
    await demoSignIn(page, MANAGER);
    await page.goto('/trial/screenings');
    const first = await new ScreeningLogPage(page).table.getByRole('link').first().getAttribute('href');
    for (const path of ['/trial', '/trial/screenings', '/trial/screenings/new', first ?? '/trial']) {
      await page.goto(path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect([path, width]).toEqual([path, 320]);
    }
    await checkPage(page, 'trial-screening-320');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the trial manager screens, records consent and a withdrawal', async ({ page }) => {
    const who = person('W');
    await demoSignIn(page, MANAGER);
    await checkPageWithoutJavaScript(page, 'nojs-trial-home');
    await screen(page, who);
    const screening = new ScreeningPage(page);
    await checkPageWithoutJavaScript(page, 'nojs-trial-screening');
    await screening.recordConsent.click();
    const consent = new ConsentPage(page);
    await consent.chooseVersion('2.0');
    await consent.takenOn(londonToday());
    await consent.capacity.check();
    await consent.save.click();
    await expect(screening.outcome).toHaveText('Consented');
    await screening.recordWithdrawal.click();
    const withdrawal = new WithdrawalPage(page);
    await withdrawal.save.click();
    await withdrawal.errorSummary.expectErrors([
      'Select what they are withdrawing from',
      'Enter the date they withdrew',
    ]);
    await checkPageWithoutJavaScript(page, 'nojs-trial-withdrawal-errors');
    await withdrawal.scope('From further follow-up').check();
    await withdrawal.withdrawnOn(londonToday());
    await withdrawal.save.click();
    await expect(screening.withdrawals).toContainText('From further follow-up');
    await checkPageWithoutJavaScript(page, 'nojs-trial-screening-withdrawn');
  });
});
