/**
 * WCAG 2.2.1 Timing adjustable: before the 30-minute idle sign-out, a dialog warns and lets
 * the person stay signed in; if they do nothing, they are signed out and told why.
 */
import { expect, test } from '@playwright/test';
import { demoSignIn, COORDINATOR } from './support/flows.ts';
import { checkPage } from './support/checks.ts';

test('warns before signing out for inactivity and lets the person stay signed in', async ({ page }) => {
  await page.clock.install();
  await demoSignIn(page, COORDINATOR);
  await page.goto('/caseloads');
  const dialog = page.getByRole('dialog', { name: "You're about to be signed out" });
  await expect(dialog).toBeHidden();

  await page.clock.fastForward('25:01');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('we will sign you out in 5 minutes');
  await checkPage(page, 'session-timeout-warning');

  await dialog.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/\/caseloads$/);

  // The timer starts again from the extension.
  await page.clock.fastForward('24:00');
  await expect(dialog).toBeHidden();
  await page.clock.fastForward('01:30');
  await expect(dialog).toBeVisible();
});

test('signs out after the idle limit and says why', async ({ page }) => {
  await page.clock.install();
  await demoSignIn(page, COORDINATOR);
  await page.goto('/caseloads');
  await page.clock.fastForward('30:01');
  await expect(page).toHaveURL(/\/signed-out\?reason=timeout$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You have been signed out');
  await checkPage(page, 'signed-out-timeout');
});
