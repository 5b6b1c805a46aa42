/**
 * A worker asks their supervisor for support, privately (issue 15, part 5): from the banner
 * after recording a session, at phone width; their supervisor acknowledges it; the coordinator
 * sees only how many per team. Each page passes the accessibility scan.
 */
import { expect, test } from '@playwright/test';
import { Header } from './pages/components.ts';
import { checkPage } from './support/checks.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';

test('Rob asks Sunita for support; she acknowledges it; the coordinator sees a count, never a name', async ({
  page,
}) => {
  const note = `Hard visit ${test.info().project.name} ${String(Date.now() % 100000)}`;
  await demoSignIn(page, 'Rob Reyes');
  await page.goto('/wellbeing?after=session');
  await expect(page.getByRole('heading', { level: 1, name: 'Support for you' })).toBeVisible();
  await checkPage(page, 'wellbeing-ask');
  await page.getByLabel('Anything you would like to say (optional)').fill(note);
  await page.getByRole('button', { name: "I'd like support" }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Sent to your supervisor');
  await expect(page.getByRole('listitem').filter({ hasText: 'after a session' }).first()).toContainText(
    'not yet acknowledged',
  );
  await checkPage(page, 'wellbeing-asked');
  await new Header(page).signOut();

  await demoSignIn(page, 'Sunita Supervisor');
  await page.goto('/wellbeing/requests');
  const card = page.locator('.nhsuk-card').filter({ hasText: note });
  await expect(card).toContainText('Rob Reyes');
  await checkPage(page, 'wellbeing-requests');
  await card.getByRole('button', { name: 'Acknowledge the request from Rob Reyes' }).click();
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Acknowledged');
  await new Header(page).signOut();

  await demoSignIn(page, COORDINATOR);
  await page.goto('/wellbeing/teams');
  await expect(page.getByRole('table')).toContainText('North crisis resolution team');
  await expect(page.locator('main')).not.toContainText('Rob Reyes');
  await expect(page.locator('main')).not.toContainText(note);
  await checkPage(page, 'wellbeing-teams');
});
