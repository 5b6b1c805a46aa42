/**
 * The first time a participant opens their recovery plan they are asked who may see each
 * section, with the suggested sharing chosen already and explained; their answer is theirs.
 * Their worker opening (or writing in) the plan first never answers it for them.
 */
import { expect, test } from '@playwright/test';
import { checkPage } from './support/checks.ts';
import { fullName } from './support/data.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';

const SECTIONS = [
  'Moving on after a crisis',
  'What recovery means to me',
  'Keeping well',
  'Managing ups and downs',
  'Hopes, dreams and goals',
  'Tackling problems',
  'People and places that help',
];

test('a new participant chooses who sees their plan the first time they open it', async ({ page }) => {
  test.slow();
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Sharing-${test.info().project.name}-${String(Date.now() % 100000)}`,
  });
  // Their worker opens the plan first: the question is the participant's, never shown to the worker.
  await page.goto(`/participants/${participantId}/plan`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Recovery plan');
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();

  await demoSignIn(page, fullName(data));
  await page.getByRole('banner').getByRole('link', { name: 'My recovery plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Who can see your plan?');
  await expect(page.locator('#suggested')).toContainText(
    'We have chosen an answer for each section to start with: Me and my peer support worker',
  );
  await expect(page.locator('#who-is-who')).toContainText('Pat Peer');
  for (const title of SECTIONS) {
    await expect(
      page.getByRole('group', { name: title }).getByRole('radio', { name: 'Me and my peer support worker' }),
      title,
    ).toBeChecked();
  }
  await checkPage(page, 'plan-first-sharing');

  await page
    .getByRole('group', { name: 'Hopes, dreams and goals' })
    .getByRole('radio', { name: 'Only me' })
    .check();
  await page.getByRole('button', { name: 'Save and go to my plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My recovery plan');
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Your choices have been saved');
  const goals = page.locator('.app-plan-section-link', { hasText: 'Hopes, dreams and goals' });
  await expect(goals).toContainText('Seen only by you');
  const movingOn = page.locator('.app-plan-section-link', { hasText: 'Moving on after a crisis' });
  await expect(movingOn).toContainText('Seen by you and your peer support worker');
  await checkPage(page, 'plan-first-sharing-saved');

  // Asked once: the plan opens straight away from now on.
  await page.getByRole('banner').getByRole('link', { name: 'My recovery plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My recovery plan');
});
