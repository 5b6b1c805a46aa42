/** The demo's lived-in plan shows what a plan can hold besides words: a drawing, a photo and a voice note. */
import { expect, test } from '@playwright/test';
import { checkPage } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

test('Sia’s demo plan has a drawing, a photo and a voice note, each one loads', async ({ page }) => {
  test.slow();
  await demoSignIn(page, 'Sia Jones');

  await page.goto('/me/plan/recovery_means');
  const drawing = page.getByRole('img', { name: /Me walking on the hills/ });
  await drawing.scrollIntoViewIfNeeded();
  await expect(drawing).toBeVisible();
  // Loaded, at its real size (polled: the page may still be fetching it).
  await expect.poll(() => drawing.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(480);
  await checkPage(page, 'demo-plan-drawing');

  await page.goto('/me/plan/people_and_places');
  const photo = page.getByRole('img', { name: /The sunset at Filey/ });
  await photo.scrollIntoViewIfNeeded();
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(640);

  await page.goto('/me/plan/keeping_well');
  const voice = page.locator('audio[aria-label^="A note to myself"]');
  await expect(voice).toHaveCount(1);
  const response = await page.request.get((await voice.getAttribute('src')) ?? '');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('audio/ogg');
  // The browser reads it as sound: its length is known once its metadata loads.
  const seconds = await voice.evaluate(
    (audio: HTMLAudioElement) =>
      new Promise<number>((resolve) => {
        audio.preload = 'metadata';
        audio.addEventListener('loadedmetadata', () => { resolve(audio.duration); }, { once: true });
        audio.addEventListener('error', () => { resolve(-1); }, { once: true });
        audio.load();
      }),
  );
  expect(seconds).toBeGreaterThan(0.5);
  await checkPage(page, 'demo-plan-voice');
});
