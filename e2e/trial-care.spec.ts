/**
 * Journey (trial mode): the trial manager links a randomised person of the intervention group to
 * the participant record their crisis team made (the form explains a wrong number), and records
 * the workbook posted to someone in the control group, without JavaScript too; the coordinator
 * sees on a control participant's page that nothing of the programme is offered to them. Each
 * page passes the accessibility scan.
 */
import { expect, test, type Page } from '@playwright/test';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { londonToday } from './support/data.ts';
import { demoSignIn } from './support/flows.ts';
import { demoTrialNhsNumber } from '../src/trial/demo-trial-participants.ts';

const MANAGER = 'Tara Trial-Manager';

/** The first screening page of the log with this button on it. */
async function openWith(page: Page, button: string): Promise<void> {
  await page.goto('/trial/screenings');
  const links = page.locator('main table a');
  const screenings = await links.count();
  for (let i = 0; i < screenings; i++) {
    await links.nth(i).click();
    await page.waitForURL(/\/trial\/screenings\/[0-9a-f-]{36}$/);
    if ((await page.getByRole('button', { name: button }).count()) > 0) return;
    await page.goBack();
  }
  throw new Error(`no screening in the demo trial offers "${button}"`);
}

test('the trial manager links an intervention participant’s record; the control group is withheld from the programme', async ({
  page,
}) => {
  test.slow();
  await demoSignIn(page, MANAGER);
  // The demo links every record but the newest intervention member's (someone randomised in
  // another journey has no record to link, so is passed by).
  await page.goto('/trial/screenings');
  const log = page.locator('main table a');
  let linked = false;
  const screenings = await log.count();
  for (let i = 0; i < screenings && !linked; i++) {
    await page.goto('/trial/screenings');
    await log.nth(i).click();
    await page.waitForURL(/\/trial\/screenings\/[0-9a-f-]{36}$/);
    if ((await page.getByRole('button', { name: 'Link their participant record' }).count()) === 0) continue;
    await page.getByRole('button', { name: 'Link their participant record' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Link their participant record');
    const caption = await page.locator('.nhsuk-caption-l').innerText();
    const studyNumber = Number(/-(\d{4})/.exec(caption)?.[1]);
    await page.getByLabel('Their NHS number').fill('943 476 5919');
    await page.getByRole('button', { name: 'Link their record' }).click();
    await expect(page.locator('.nhsuk-error-summary')).toContainText('No participant record');
    await checkPage(page, 'trial-link-errors');
    await page.getByLabel('Their NHS number').fill(demoTrialNhsNumber(studyNumber));
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/participant')),
      page.getByRole('button', { name: 'Link their record' }).click(),
    ]);
    await page.waitForLoadState();
    linked = answer.status() === 303;
  }
  expect(linked).toBe(true);
  await expect(page.getByText('Their participant record is linked.')).toBeVisible();
  await expect(page.locator('#care + dl')).toContainText('NHS number');
  await checkPage(page, 'trial-care-linked');

  // A control group member's record, as the coordinator sees it.
  await openWith(page, 'Record the workbook posted');
  const record = page.locator('#care + dl');
  await expect(record).toContainText('NHS number');
  const name = (await record.locator('dd').first().innerText()).split('\n')[0]!.trim();
  await demoSignIn(page, 'Carol Coordinator');
  await page.goto('/allocation');
  await expect(page.locator('main')).not.toContainText(name);
  await page.goto('/referrals');
  await page.getByRole('link', { name }).first().click();
  await expect(page.locator('#trial-status')).toContainText('control group');
  await expect(page.getByRole('button', { name: /Allocate a peer support worker/ })).toHaveCount(0);
  await checkPage(page, 'trial-control-participant');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the workbook posted to a control participant is recorded with a plain form', async ({ page }) => {
    await demoSignIn(page, MANAGER);
    await openWith(page, 'Record the workbook posted');
    await page.getByRole('button', { name: 'Record the workbook posted' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record the workbook posted');
    const [year = '', month = '', day = ''] = londonToday().split('-');
    const group = page.getByRole('group', { name: 'Date posted' });
    await group.getByLabel('Day').fill(String(Number(day)));
    await group.getByLabel('Month').fill(String(Number(month)));
    await group.getByLabel('Year').fill(year);
    await checkPageWithoutJavaScript(page, 'trial-workbook-form-no-javascript');
    await page.getByRole('button', { name: 'Record it' }).click();
    await expect(page.getByText('Workbook posting recorded.')).toBeVisible();
    await expect(page.locator('#care + dl')).toContainText('Version 1.2, posted');
  });
});
