/**
 * Appointment against the essential criteria (issue 15, part 1), at phone width: Pat, on the
 * panel, scores Alex (the last to), and only then sees the panel's scores; Carol, the chair,
 * records the decision and is offered the staff account. Each page passes the accessibility scan.
 */
import { expect, test } from '@playwright/test';
import { Header } from './pages/components.ts';
import { checkPage } from './support/checks.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';

test('Pat scores Alex and sees the panel’s scores; Carol records the decision', async ({ page }) => {
  test.slow();
  await demoSignIn(page, 'Pat Peer');
  await page.goto('/appointments');
  await checkPage(page, 'appointments');
  await page.getByRole('link', { name: /Peer support worker, North crisis resolution team/ }).click();
  await checkPage(page, 'vacancy');
  await page.getByRole('link', { name: 'Alex Applicant' }).click();
  await expect(page.locator('main')).not.toContainText("The panel's scores");
  await page.getByRole('button', { name: 'Submit my scores' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Score: Lived experience of mental-health problems',
  );
  await checkPage(page, 'candidate-score-errors');
  for (const group of await page.getByRole('group').all()) {
    const strong = group.getByLabel('Good evidence', { exact: true });
    if ((await strong.count()) === 1) await strong.check();
  }
  await page.getByRole('button', { name: 'Submit my scores' }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Your scores are in');
  await expect(page.getByRole('heading', { name: "The panel's scores" })).toBeVisible();
  await checkPage(page, 'candidate-scored');
  await new Header(page).signOut();

  await demoSignIn(page, COORDINATOR);
  await page.goto('/appointments');
  await page.getByRole('link', { name: /Peer support worker, North crisis resolution team/ }).click();
  await page.getByRole('link', { name: 'Alex Applicant' }).click();
  // Carol, the chair, scored already; with Pat's scores in, she may decide.
  await page.getByLabel('Appoint', { exact: true }).check();
  await page
    .getByLabel('Reasons')
    .fill('Strong on every requirement, especially lived experience and recovery focus.');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Decision recorded');
  await expect(page.getByRole('link', { name: 'Create their staff account' })).toBeVisible();
  await checkPage(page, 'candidate-decided');
});
