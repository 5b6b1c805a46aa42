/**
 * Journey (trial mode): the analyst raises a data query on a randomised person's value and the
 * trial manager answers it; the trial manager records a protocol deviation and opens the lock
 * page (never confirming it: the demo trial stays open for the other trial journeys; the lock
 * itself is tested over HTTP); the analyst gives a code from their authenticator app and
 * downloads the data dictionary. Without JavaScript a query is raised as a plain form. Each page
 * passes the accessibility scan at phone width.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { londonToday } from './support/data.ts';
import { demoSignIn } from './support/flows.ts';
import { freshCode } from './support/totp.ts';

const MANAGER = 'Tara Trial-Manager';
const ANALYST = 'Ana Analyst';
const ANALYST_EMAIL = 'analyst@demo.greenleaf.nhs.uk';
/** The demo analyst's authenticator key (src/trial/demo-data-quality.ts). */
const ANALYST_KEY = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** A study ID from the demo's data queries. */
async function aStudyId(page: Page): Promise<string> {
  await page.goto('/trial/queries');
  const heading = await page.locator('main .nhsuk-card__heading a').first().innerText();
  return heading.split(':')[0]!.trim();
}

async function raiseQuery(page: Page, question: string): Promise<void> {
  const studyId = await aStudyId(page);
  await page.goto('/trial/queries/new');
  await page.getByLabel('Study ID').fill(studyId);
  await page.getByLabel('Randomisation: Date randomised').check();
  await page.getByLabel('Your question').fill(question);
  await page.getByRole('button', { name: 'Raise the query' }).click();
  await expect(page.getByText('Query raised. The trial manager will answer it.')).toBeVisible();
}

test('the analyst raises a data query and the trial manager answers it', async ({ page, browser }) => {
  test.slow();
  await demoSignIn(page, ANALYST);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data queries');
  await checkPage(page, 'trial-queries');
  await page.getByRole('button', { name: 'Raise a data query' }).click();
  await checkPage(page, 'trial-query-form');
  await page.getByRole('button', { name: 'Raise the query' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter the study ID');
  await checkPage(page, 'trial-query-form-errors');
  await raiseQuery(page, 'The randomisation date is a Sunday: is it right?');
  await checkPage(page, 'trial-query');
  const address = page.url().replace(/\?.*$/, '');

  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await demoSignIn(manager, MANAGER);
  await manager.goto(address);
  await manager
    .getByLabel('Your answer')
    .fill('Checked the log: it was randomised that Sunday at a weekend clinic.');
  await manager.getByLabel('No, the value stands').check();
  await manager.getByRole('button', { name: 'Record the answer' }).click();
  await expect(manager.getByText('Answer recorded.')).toBeVisible();
  await checkPage(manager, 'trial-query-answered');
  await managerContext.close();

  await page.goto(address);
  await expect(page.getByRole('button', { name: 'Close the query' })).toBeVisible();
});

test('the trial manager records a deviation and sees the lock page; the analyst downloads an export with a fresh code', async ({
  page,
  browser,
}) => {
  test.slow();
  await demoSignIn(page, MANAGER);
  await page.goto('/trial/deviations');
  await page.getByRole('button', { name: 'Record a protocol deviation' }).click();
  await checkPage(page, 'trial-deviation-form');
  const [year = '', month = '', day = ''] = londonToday().split('-');
  await page.getByLabel('Follow-up done outside its window').check();
  const when = page.getByRole('group', { name: 'Date it happened' });
  await when.getByLabel('Day').fill(String(Number(day)));
  await when.getByLabel('Month').fill(String(Number(month)));
  await when.getByLabel('Year').fill(year);
  await page.getByLabel('What happened').fill('The questionnaire was done a day after its window closed.');
  await page.getByLabel('Minor').check();
  await page.getByLabel('Corrective action taken').fill('Kept and flagged for the analysis.');
  await page.getByLabel('Preventive action').fill('A reminder the day before each window closes.');
  await page.getByRole('button', { name: 'Record the deviation' }).click();
  await expect(page.getByText('Protocol deviation recorded.')).toBeVisible();
  await checkPage(page, 'trial-deviation');
  await page.goto('/trial/deviations');
  await checkPage(page, 'trial-deviations');
  await page.goto('/trial/lock');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lock the trial’s database');
  await checkPage(page, 'trial-lock');

  const analystContext = await browser.newContext({ acceptDownloads: true });
  const analyst = await analystContext.newPage();
  await demoSignIn(analyst, ANALYST);
  await analyst.goto('/trial/exports');
  await checkPage(analyst, 'trial-exports-code');
  await analyst
    .getByLabel('Security code from your authenticator app')
    .fill(await freshCode(ANALYST_EMAIL, ANALYST_KEY));
  await analyst.getByRole('button', { name: 'Continue' }).click();
  await expect(analyst.getByText('Code accepted.')).toBeVisible();
  await checkPage(analyst, 'trial-exports');
  const [download] = await Promise.all([
    analyst.waitForEvent('download'),
    analyst.getByRole('link', { name: /Data dictionary/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('peers-demo-data-dictionary-v2.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('"dictionary_version","table","file","column","type","meaning","allowed_values"');
  expect(csv).not.toMatch(/"arm"/);
  await analystContext.close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a data query is raised as a plain form', async ({ page }) => {
    await demoSignIn(page, ANALYST);
    await raiseQuery(page, 'Is the randomisation date right? It is before the consent date.');
    await checkPageWithoutJavaScript(page, 'trial-query-no-javascript');
  });
});
