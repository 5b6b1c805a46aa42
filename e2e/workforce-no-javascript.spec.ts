/**
 * The workforce's forms without JavaScript: a worker asks their supervisor for support and asks
 * for peer support; a supervisor records training with an error first. Each page passes the
 * accessibility scan as the browser shows it without scripts.
 */
import { expect, test } from '@playwright/test';
import { checkPageWithoutJavaScript } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

test.use({ javaScriptEnabled: false });

test('without JavaScript, a worker asks for support and a supervisor records training', async ({ page }) => {
  await demoSignIn(page, 'Rob Reyes');
  await page.goto('/wellbeing');
  await page.getByLabel('Anything you would like to say (optional)').fill('x'.repeat(501));
  await page.getByRole('button', { name: "I'd like support" }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('must be 500 characters or fewer');
  await checkPageWithoutJavaScript(page, 'nojs-wellbeing-errors');
  await page.getByLabel('Anything you would like to say (optional)').fill('A hard week');
  await page.getByRole('button', { name: "I'd like support" }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Sent to your supervisor');

  await page.goto('/peer-support');
  await page.getByLabel('Endings', { exact: true }).check();
  await page.getByLabel('Today', { exact: true }).check();
  await page.getByRole('button', { name: 'Ask for peer support' }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText(
    'Sent to the experienced peer workers',
  );
  await checkPageWithoutJavaScript(page, 'nojs-peer-support-asked');

  await demoSignIn(page, 'Sunita Supervisor');
  await page.goto('/training');
  await page.getByRole('link', { name: 'Nat Newstart' }).click();
  await page.getByRole('button', { name: 'Record training' }).click();
  await page.getByRole('button', { name: 'Record training' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Select the training they completed');
  await checkPageWithoutJavaScript(page, 'nojs-training-errors');
  // An optional item: Nat's missing mandatory training, which other journeys read, stays as it is.
  await page.getByLabel('First top-up day').check();
  const today = new Date().toISOString().slice(0, 10).split('-');
  const group = page.getByRole('group', { name: 'Date completed' });
  await group.getByLabel('Day').fill(today[2]!);
  await group.getByLabel('Month').fill(today[1]!);
  await group.getByLabel('Year').fill(today[0]!);
  await page.getByLabel('Who ran it').fill('Recovery College');
  await page.getByRole('button', { name: 'Record training' }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Training recorded');
});
