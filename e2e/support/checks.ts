/**
 * What every page visit checks: the "Get help now" link in the header (consistent help,
 * PRODUCT.md section 5), no axe violations, and a full-page screenshot at phone width.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe.ts';

/** The header's "Get help now" link, visible and pointing at the public help page. */
export async function expectHelpLinkInHeader(page: Page): Promise<void> {
  const link = page.getByRole('banner').getByRole('link', { name: 'Get help now' });
  await expect(link, `"Get help now" in the header of ${page.url()}`).toBeVisible();
  await expect(link).toHaveAttribute('href', '/help');
}

/**
 * Checks the page as it is now. Accessibility violations fail the test but let the journey go
 * on, so one run reports every page's violations. `screen` names the full-page screenshot
 * saved to test-results/screens/<screen>.png, taken only in the phone project.
 */
export async function checkPage(page: Page, screen?: string): Promise<void> {
  await expectHelpLinkInHeader(page);
  const failure = await expectNoAxeViolations(page).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  expect.soft(failure, `accessibility violations on ${page.url()}`).toBeUndefined();
  const info = test.info();
  if (screen && info.project.name === 'phone') {
    await page.screenshot({ path: path.join(info.project.outputDir, 'screens', `${screen}.png`), fullPage: true });
  }
}
