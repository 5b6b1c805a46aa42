/**
 * Drawings, photos and voice notes in the recovery plan, as a participant adds them on a phone:
 * a photo that carries a GPS position (gone once stored), a drawing made with the pointer, a
 * voice note recorded with the browser's (fake) microphone, a hostile SVG refused with a clear
 * error, and the photo form without JavaScript.
 */
import { writeFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import config from '../playwright.config.ts';
import { ErrorSummary } from './pages/components.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

// Seeded participants (src/demo/seed.ts), one per test and project, so runs never share a plan.
const WHO = {
  phone: { withJs: 'Tariq Iqbal', withoutJs: 'Lucy Wright' },
  desktop: { withJs: 'Chloe Bennett', withoutJs: "Niamh O'Brien" },
} as const;
const who = () => WHO[test.info().project.name === 'desktop' ? 'desktop' : 'phone'];

const SECTION = '/me/plan/recovery_means';
// A saved drawing, photo or voice note is cleaned (re-encoded, its hidden details removed) on a
// worker thread before it shows: allow for a busy machine rather than the usual 5 s.
const UPLOADED = { timeout: 30_000 };

// Chromium's stand-in microphone (a beep) and no permission prompt, so a voice note can be
// recorded headless. Everything else as the project launches the browser.
test.use({
  launchOptions: {
    ...config.use?.launchOptions,
    args: [
      ...(config.use?.launchOptions?.args ?? []),
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  },
});

/** A phone photo with the camera's make and a GPS position in its EXIF data, saved to a file. */
async function photoWithGps(name: string): Promise<string> {
  const bytes = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#5b8c3a' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Phone 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '53/1 48/1 2000/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '1/1 32/1 4500/100',
      },
    })
    .toBuffer();
  const meta = await sharp(bytes).metadata();
  expect(meta.exif?.includes(Buffer.from([0x25, 0x88])), 'the test photo carries a GPS tag').toBe(true);
  const file = test.info().outputPath(name);
  await writeFile(file, bytes);
  return file;
}

class MediaPanel {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  get images() {
    return this.page.locator('#media img');
  }
  get photoInput() {
    return this.page.locator('#media-photo-file');
  }
  get photoDescription() {
    return this.page.getByLabel('What does it show? (optional)');
  }
  async addPhoto(file: string, description: string): Promise<void> {
    await this.photoInput.setInputFiles(file);
    await this.photoDescription.fill(description);
    await this.page.getByRole('button', { name: 'Add photo' }).click();
  }
  /** The bytes and headers of an image or recording as the browser would fetch them. */
  async fetch(src: string) {
    const response = await this.page.request.get(src);
    expect(response.status()).toBe(200);
    return { headers: response.headers(), body: await response.body() };
  }
}

test('a participant adds a photo, a drawing and a voice note; location data is removed', async ({ page }) => {
  // Three uploads and a recording on a shared machine.
  test.setTimeout(60_000);
  await demoSignIn(page, who().withJs);
  await page.goto(SECTION);
  const panel = new MediaPanel(page);
  await expect(page.getByRole('heading', { name: 'Drawings, photos and voice notes' })).toBeVisible();
  await expect(page.getByText('No drawings, photos or voice notes yet.')).toBeVisible();
  await checkPage(page, 'plan-media-empty');

  // A photo taken where the person lives: stored and shown without the position.
  await panel.addPhoto(await photoWithGps('garden.jpg'), 'My garden in the morning');
  await expect(page).toHaveURL(/\/me\/plan\/recovery_means\?saved=[0-9a-f-]+#entry-/, UPLOADED);
  const photo = page.getByRole('img', { name: 'My garden in the morning' });
  await expect(photo).toBeVisible(UPLOADED);
  const served = await panel.fetch((await photo.getAttribute('src')) ?? '');
  expect(served.headers['content-type']).toBe('image/jpeg');
  expect(served.headers['x-content-type-options']).toBe('nosniff');
  expect(served.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  const meta = await sharp(served.body).metadata();
  expect(meta.exif, 'no EXIF (so no GPS) in the served photo').toBeUndefined();
  expect(served.body.includes('TestCam')).toBe(false);
  expect([meta.width, meta.height]).toEqual([640, 480]);
  await checkPage(page, 'plan-media-photo-added');

  // A hostile "photo": an SVG with a script, named .jpg. Refused, nothing added.
  const svg = test.info().outputPath('innocent.jpg');
  await writeFile(svg, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  await panel.addPhoto(svg, 'Not really a photo');
  const errors = new ErrorSummary(page);
  await errors.expectErrors(['The file must be a photo (JPG, PNG or WEBP)']);
  await expect(page.getByLabel('What does it show? (optional)')).toHaveValue('Not really a photo');
  await checkPage(page, 'plan-media-svg-refused');
  await errors.expectLinkFocuses('The file must be a photo (JPG, PNG or WEBP)', panel.photoInput);
  await page.goto(SECTION);
  await expect(panel.images).toHaveCount(1);

  // A drawing, made with the pointer.
  const canvas = page.locator('[data-plan-draw-canvas]');
  await expect(page.getByRole('heading', { name: 'Draw something' })).toBeVisible();
  await page.getByRole('button', { name: 'Save drawing' }).click();
  await expect(page.locator('[data-plan-draw-status]')).toHaveText(/Draw something first/);
  await page.getByLabel('Colour').selectOption({ label: 'Blue' });
  await page.getByLabel('Line').selectOption({ label: 'Thick' });
  // Measured once the page has stopped moving: the pointer goes where the canvas is now.
  await canvas.evaluate((element) => {
    element.scrollIntoView({ block: 'center' });
  });
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the drawing area has no size');
  expect(box.x + box.width, 'the drawing area fits the screen').toBeLessThanOrEqual(
    page.viewportSize()!.width,
  );
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
  await page.mouse.down();
  for (let step = 1; step <= 12; step += 1) {
    await page.mouse.move(box.x + box.width * (0.2 + step * 0.05), box.y + box.height * (0.5 - step * 0.02));
  }
  await page.mouse.up();
  await page.getByLabel('What does your drawing show? (optional)').fill('A path up a hill');
  await checkPage(page, 'plan-media-drawing');
  await page.getByRole('button', { name: 'Save drawing' }).click();
  const drawing = page.getByRole('img', { name: 'A path up a hill' });
  await expect(drawing).toBeVisible(UPLOADED);
  const png = await panel.fetch((await drawing.getAttribute('src')) ?? '');
  expect(png.headers['content-type']).toBe('image/png');
  // The line is there: somewhere the picture is blue, not all white.
  const stats = await sharp(png.body).stats();
  expect(stats.channels[0]!.min).toBeLessThan(50);
  expect(stats.channels[2]!.max).toBeGreaterThan(150);

  // A voice note: record, listen, save.
  await expect(page.getByRole('heading', { name: 'Record a voice note' })).toBeVisible();
  await page.getByRole('button', { name: 'Start recording' }).click();
  const status = page.locator('[data-plan-voice-status]');
  await expect(status).toHaveText(/Recording\./);
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(status).toHaveText(/Recorded 0:0\d\. Listen to it/);
  await expect(page.getByLabel('Your recording')).toBeVisible();
  await page.getByLabel('What is it about? (optional)').fill('How my week went');
  await checkPage(page, 'plan-media-voice-recorded');
  await page.getByRole('button', { name: 'Save voice note' }).click();
  const player = page.locator('#media audio[aria-label="How my week went"]');
  await expect(player).toBeVisible(UPLOADED);
  const voice = await panel.fetch((await player.getAttribute('src')) ?? '');
  expect(voice.headers['content-type']).toMatch(/^audio\/(webm|ogg|mp4)$/);
  expect(voice.body.length).toBeGreaterThan(1000);
  // Written again without its metadata, the recording still plays: the browser reads its length.
  const seconds = await player.evaluate(
    (audio: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        audio.addEventListener('loadedmetadata', () => {
          resolve(audio.duration);
        });
        audio.addEventListener('error', () => {
          reject(new Error(`the browser could not read the voice note (${String(audio.error?.code)})`));
        });
        audio.preload = 'metadata';
        audio.load();
      }),
  );
  expect(seconds).toBeGreaterThan(0);
  await expect(panel.images).toHaveCount(2);
  await checkPage(page, 'plan-media-all-added');
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true });

  test('a finger draws on the canvas without scrolling the page', async ({ page }) => {
    await demoSignIn(page, who().withJs);
    await page.goto(SECTION);
    const canvas = page.locator('[data-plan-draw-canvas]');
    await expect(canvas).toHaveCSS('touch-action', 'none');
    await canvas.evaluate((element) => {
      element.scrollIntoView({ block: 'center' });
    });
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the drawing area has no size');
    const scrolled = await page.evaluate(() => window.scrollY);
    // A finger stroke, as the phone's touch screen sends it.
    const cdp = await page.context().newCDPSession(page);
    const at = (fx: number, fy: number) => [{ x: box.x + box.width * fx, y: box.y + box.height * fy }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0.2, 0.2) });
    for (let step = 1; step <= 10; step += 1) {
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: at(0.2 + step * 0.05, 0.2 + step * 0.06),
      });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    await page.getByLabel('What does your drawing show? (optional)').fill('Drawn with a finger');
    await page.getByRole('button', { name: 'Save drawing' }).click();
    const drawing = page.getByRole('img', { name: 'Drawn with a finger' });
    await expect(drawing).toBeVisible(UPLOADED);
    const png = await new MediaPanel(page).fetch((await drawing.getAttribute('src')) ?? '');
    expect((await sharp(png.body).stats()).channels[0]!.min).toBeLessThan(50);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the photo form works and drawing and recording are not offered', async ({ page }) => {
    await demoSignIn(page, who().withoutJs);
    await page.goto(SECTION);
    const panel = new MediaPanel(page);
    await expect(page.getByRole('heading', { name: 'Add a photo' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Draw something' })).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Record a voice note' })).toBeHidden();
    await checkPageWithoutJavaScript(page, 'plan-media-no-js');

    await panel.addPhoto(await photoWithGps('kitchen.jpg'), 'Where I sit with a cup of tea');
    await expect(page).toHaveURL(/\?saved=[0-9a-f-]+#entry-/, UPLOADED);
    const photo = page.getByRole('img', { name: 'Where I sit with a cup of tea' });
    await expect(photo).toBeVisible(UPLOADED);
    const served = await panel.fetch((await photo.getAttribute('src')) ?? '');
    expect((await sharp(served.body).metadata()).exif).toBeUndefined();
    await checkPageWithoutJavaScript(page, 'plan-media-no-js-added');
  });
});

test('the coordinator sees how much space the plans use, never what they hold', async ({ page }) => {
  await demoSignIn(page, who().withoutJs);
  await page.goto(SECTION);
  await new MediaPanel(page).addPhoto(await photoWithGps('shed.jpg'), 'My shed');
  await expect(page.getByRole('img', { name: 'My shed' })).toBeVisible();
  await demoSignIn(page, 'Carol Coordinator');
  await page.goto('/admin/teams');
  await page.getByRole('link', { name: 'Storage used by recovery plans' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Storage used by recovery plans' })).toBeVisible();
  await expect(page.getByText('Storage in use')).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(who().withoutJs.replace("'", '.')) })).toBeVisible();
  // Sizes and names only: no picture, recording or description.
  await expect(page.locator('main img, main audio')).toHaveCount(0);
  await expect(page.getByText('My shed')).toHaveCount(0);
  await checkPage(page, 'plan-storage');
});
