/**
 * "Print and keep" (issue 4): a participant prints their recovery plan from a phone and keeps
 * it as a PDF; anyone can get the blank workbook to fill in by hand, without signing in.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';
import { PlanSectionPage } from './pages/plan-writing.pages.ts';

// Seeded participants (src/demo/seed.ts) nobody else's journey writes in, one per project.
const WHO = { phone: 'Josh Hall', desktop: 'Marek Nowak' } as const;
const WORDS = 'Walking by the river with Zoë helped – and a café con leche for £2.';

const pdfText = (file: string) =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
const pdfInfo = (file: string) => execFileSync('pdfinfo', [file], { encoding: 'utf8' });

test('a participant prints their plan and downloads it as a PDF to keep', async ({ page }) => {
  await demoSignIn(page, WHO[test.info().project.name === 'desktop' ? 'desktop' : 'phone']);
  const section = new PlanSectionPage(page);
  await section.open('moving_on', 'Moving on after a crisis');
  await section.type('What helped', WORDS);
  await expect(section.status('What helped')).toHaveText(/Saved/, { timeout: 15_000 });

  await page.goto('/me/plan');
  await page.getByRole('link', { name: 'Print my plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My recovery plan' })).toBeVisible();
  await expect(page.getByText(WORDS)).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'If you need help now' }).first()).toBeVisible();
  const printButton = page.getByRole('button', { name: 'Print this page' });
  await expect(printButton).toBeVisible();
  await checkPage(page, 'plan-print');
  await checkPageWithoutJavaScript(page);

  // On paper: no header, footer or buttons; the words and the crisis contacts stay.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(printButton).toBeHidden();
  await expect(page.getByRole('link', { name: 'Download as PDF' })).toBeHidden();
  await expect(page.getByText(WORDS)).toBeVisible();
  await expect(page.locator('.app-print-line').first()).toBeVisible();
  const fontSize = await page
    .getByText(WORDS)
    .evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
  expect(fontSize, 'body text on paper is at least 14pt (18.67px)').toBeGreaterThanOrEqual(18.6);
  if (test.info().project.name === 'phone') {
    await page.screenshot({
      path: path.join(test.info().project.outputDir, 'screens', 'plan-print-paper.png'),
      fullPage: true,
    });
  }
  // What the browser's own Print makes of it, on A4.
  const printed = path.join(test.info().outputDir, 'browser-print.pdf');
  mkdirSync(test.info().outputDir, { recursive: true });
  await page.pdf({ path: printed, format: 'A4' });
  const onPaper = pdfText(printed);
  expect(onPaper).toContain(WORDS);
  expect(onPaper).toContain('Samaritans, free, any time: 116 123');
  expect(onPaper).not.toContain('Sign out');
  expect(onPaper).not.toContain('Download as PDF');
  await page.emulateMedia({ media: 'screen' });

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download as PDF' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('my-recovery-plan.pdf');
  const file = await download.path();
  expect(pdfInfo(file)).toMatch(/Tagged:\s+yes/);
  const text = pdfText(file);
  expect(text).toContain('My recovery plan');
  expect(text).toContain(WORDS);
  expect(text).toContain('116 123');
});

test('without JavaScript the page says how to print, and the PDF still downloads', async ({ browser }) => {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: test.info().project.use.viewport ?? null,
  });
  try {
    const page = await context.newPage();
    await demoSignIn(page, WHO[test.info().project.name === 'desktop' ? 'desktop' : 'phone']);
    await page.goto('/me/plan/print');
    await expect(page.getByRole('button', { name: 'Print this page' })).toBeHidden();
    await expect(page.getByText('To print, use your browser’s Print option.')).toBeVisible();
    if (test.info().project.name === 'phone') {
      await page.screenshot({
        path: path.join(test.info().project.outputDir, 'screens', 'plan-print-no-js.png'),
        fullPage: false,
      });
    }
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download as PDF' }).click();
    expect((await downloading).suggestedFilename()).toBe('my-recovery-plan.pdf');
  } finally {
    await context.close();
  }
});

test('anyone can download the blank workbook without signing in', async ({ page }) => {
  await page.goto('/help');
  const response = await page.request.get('/plan/workbook.pdf');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  const file = path.join(test.info().outputDir, 'workbook.pdf');
  mkdirSync(test.info().outputDir, { recursive: true });
  writeFileSync(file, await response.body());
  expect(pdfInfo(file)).toMatch(/Tagged:\s+yes/);
  const text = pdfText(file);
  expect(text).toContain('Moving on after a crisis');
  expect(text).toContain('Their phone number:');
  expect(text).toContain('Shout, free, any time: text SHOUT to 85258');
});
