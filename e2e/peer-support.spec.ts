/**
 * Support from an experienced peer worker (issue 15, part 4), at phone width: Rob asks, Pat (an
 * experienced peer worker) takes it and replies, Rob reads the reply and closes it. Each page
 * passes the accessibility scan.
 */
import { expect, test } from '@playwright/test';
import { Header } from './pages/components.ts';
import { checkPage } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

test('Rob asks for peer support; Pat takes it and replies; Rob closes it', async ({ page }) => {
  const topic = `Talking about my own crisis ${test.info().project.name} ${String(Date.now() % 100000)}`;
  await demoSignIn(page, 'Rob Reyes');
  await page.goto('/peer-support');
  await expect(page.getByRole('heading', { level: 1, name: 'Peer support' })).toBeVisible();
  await page.getByRole('button', { name: 'Ask for peer support' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Select what you would like support with');
  await checkPage(page, 'peer-support-errors');
  await page.getByLabel('Something else', { exact: true }).check();
  await page.getByLabel('In your own words (optional; needed for something else)').fill(topic);
  await page.getByLabel('This week').check();
  await page.getByRole('button', { name: 'Ask for peer support' }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText(
    'Sent to the experienced peer workers',
  );
  await expect(page.getByRole('heading', { level: 1, name: topic })).toBeVisible();
  await new Header(page).signOut();

  await demoSignIn(page, 'Pat Peer');
  await page.goto('/peer-support');
  await checkPage(page, 'peer-support-experienced');
  await page.getByRole('link', { name: `Rob Reyes: ${topic}` }).click();
  await page.getByRole('button', { name: 'Take this request' }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('You have taken it');
  await page.getByLabel('Your message').fill('Happy to talk it through. Thursday at 2?');
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.locator('main')).toContainText('Happy to talk it through. Thursday at 2?');
  await checkPage(page, 'peer-support-thread');
  await new Header(page).signOut();

  await demoSignIn(page, 'Rob Reyes');
  await page.goto('/peer-support');
  await page.getByRole('link', { name: topic }).click();
  await expect(page.locator('main')).toContainText('Happy to talk it through. Thursday at 2?');
  await page.getByRole('button', { name: 'Close this request' }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Closed');
});
