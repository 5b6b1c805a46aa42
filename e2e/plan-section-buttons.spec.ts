/**
 * A section page on a phone is not a wall of buttons: with autosave on, a field's Save shows
 * once something is written there, and "Listen" only where there are words to hear.
 */
import { expect, test } from '@playwright/test';
import { checkPage } from './support/checks.ts';
import { fullName } from './support/data.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';

// "Moving on after a crisis" at 390 px, every field empty, was about 4,900 px tall with a
// full-width Save and Listen under each field; without them it is about 4,500 (the rest is the
// writing boxes and the drawing, photo and voice note panel).
const MOST_PX = 4_600;

test('an empty section is short, its buttons appearing where something is written', async ({ page }) => {
  test.slow();
  await page.addInitScript(() => {
    // A speech engine that says nothing, so "Listen" is offered as it would be on a phone.
    window.speechSynthesis.speak = () => undefined;
  });
  const { data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Buttons-${test.info().project.name}-${String(Date.now() % 100000)}`,
  });
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await demoSignIn(page, fullName(data));
  await page.goto('/me/plan');
  await page.getByRole('button', { name: 'Save and go to my plan' }).click();
  await page.goto('/me/plan/moving_on');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moving on after a crisis');

  // The written fields (drawings, photos and voice notes keep their own buttons).
  const fields = page.locator('.app-plan-field');
  await expect(fields.getByRole('button', { name: /^Save/ })).toHaveCount(0);
  await expect(fields.getByRole('button', { name: 'Listen' })).toHaveCount(0);
  // The section's own introduction has words to hear.
  await expect(page.locator('#section-intro + p').getByRole('button', { name: 'Listen' })).toBeVisible();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  test.info().annotations.push({ type: 'height', description: `${String(height)} px` });
  if (page.viewportSize()?.width === 390) expect(height).toBeLessThan(MOST_PX);
  await checkPage(page, 'plan-section-empty');

  const form = page.locator('form', { has: page.getByLabel('What helped', { exact: true }) });
  await form.getByLabel('What helped', { exact: true }).fill('My sister came round every day.');
  await expect(form.getByRole('button', { name: 'Save What helped' })).toBeVisible();
  await expect(form.getByRole('button', { name: 'Listen' })).toBeVisible();
  await expect(form.getByRole('status')).toHaveText('Saved', { timeout: 15_000 });
  // Only the field written in has its buttons.
  await expect(fields.getByRole('button', { name: /^Save/ })).toHaveCount(1);
  await expect(fields.getByRole('button', { name: 'Listen' })).toHaveCount(1);
  await checkPage(page, 'plan-section-written');
});

test.describe('on a slow phone', () => {
  // The page's script is held back below; a service worker would answer for it unseen.
  test.use({ serviceWorkers: 'block' });

  test('words typed before the page has finished loading are still saved', async ({ page }) => {
    test.slow();
    const { data } = await newParticipantOf(page, 'Pat Peer', {
      familyName: `Early-${test.info().project.name}-${String(Date.now() % 100000)}`,
    });
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await demoSignIn(page, fullName(data));
    await page.goto('/me/plan');
    await page.getByRole('button', { name: 'Save and go to my plan' }).click();

    // The plan's script arrives late, as on a slow connection, after they have started typing.
    const { promise: held, resolve: release } = Promise.withResolvers<undefined>();
    await page.route(/\/assets\/plan-[0-9a-f]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/me/plan/moving_on', { waitUntil: 'commit' });
    const form = page.locator('form', { has: page.getByLabel('What helped', { exact: true }) });
    await form.getByLabel('What helped', { exact: true }).fill('Walking the dog.');
    release(undefined);

    // Their words are a change to save, not the saved words: Save is there and saves them.
    await form.getByRole('button', { name: 'Save What helped' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved');
    await page.unrouteAll();
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'What helped', exact: true })).toHaveValue(
      'Walking the dog.',
    );
  });
});
