/**
 * Messages not delivered (issue 11): the coordinator, on a phone, goes from the admin pages to
 * the messages Greenleaf gave up on, and reads what each was, who it was for and why, with the
 * safety message marked. The demo seeds two (src/messages/demo-undelivered.ts).
 */
import { expect, test } from '@playwright/test';
import { checkPage } from './support/checks.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';

test('the coordinator finds the messages that could not be sent, at the narrowest phone width', async ({
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 720 });
  await demoSignIn(page, COORDINATOR);
  await page.goto('/admin/teams');
  await page.getByRole('link', { name: 'Messages not delivered' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Messages not delivered' })).toBeVisible();

  const reminder = page.getByRole('row').filter({ hasText: '07700 900982' });
  await expect(reminder).toContainText('Session reminder (text)');
  await expect(reminder).toContainText('The mobile number was not accepted');
  await expect(reminder.getByText('Safety', { exact: true })).toHaveCount(0);

  const escalation = page.getByRole('row').filter({ hasText: 'clinician.north@demo.greenleaf.nhs.uk' });
  await expect(escalation).toContainText('Safety concern escalation (email)');
  await expect(escalation.getByText('Safety', { exact: true })).toBeVisible();
  await expect(escalation).toContainText('could not be reached');

  // Nothing runs off the side of a 320 px screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await checkPage(page, 'messages-not-delivered');
});

test('the North team’s clinician sees their undelivered safety message at the top of the duty inbox', async ({
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 720 });
  await demoSignIn(page, 'Dr Clare Clinician');
  await page.goto('/concerns/inbox');
  const notice = page.locator('#safety-not-delivered');
  await expect(notice).toContainText('1 safety message could not be delivered');
  await expect(notice).toContainText(
    'Safety concern escalation (email) to clinician.north@demo.greenleaf.nhs.uk',
  );
  await checkPage(page, 'duty-inbox-not-delivered');
});
