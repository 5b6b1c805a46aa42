/**
 * What every page visit checks: the "Get help now" link in the header (consistent help,
 * PRODUCT.md section 5), no axe violations, and (with E2E_SCREENSHOTS=on: `npm run test:screens`)
 * a full-page screenshot at phone width to look at.
 *
 * axe runs once per page template and state in each run (E2E_AXE=every scans every visit): a
 * scan costs one to three seconds of CPU here, a third of the browser suite's, and the journeys
 * visit the participant page alone over a hundred times. A template's state is the set of
 * component classes on the page, so a page showing an error summary, a success banner or a new
 * panel is a new state and is scanned again. "Once" is per run, not per worker process: the
 * first worker to claim a template and state scans it (a file created beside the run's database).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe.ts';
import { shapeOf } from './link-crawler.ts';

/** Keys this process has already tried to claim: asked again, the answer is no without the disk. */
const scanned = new Set<string>();
/** The run's folder of claims, once made. */
let claimsFolder: string | undefined;

/**
 * True for the first claim of a key in this run, across every worker process: creating a file
 * with the `wx` flag succeeds once (the folder sits beside the run's database, and is tidied
 * with it by playwright.config.ts).
 */
function claim(key: string): boolean {
  if (scanned.has(key)) return false;
  scanned.add(key);
  const dataDir = process.env.GREENLEAF_E2E_DATA_DIR;
  // Outside playwright.config.ts there is no shared folder: this process's set decides.
  if (!dataDir) return true;
  if (!claimsFolder) {
    claimsFolder = `${dataDir}-axe-scanned`;
    mkdirSync(claimsFolder, { recursive: true });
  }
  try {
    writeFileSync(path.join(claimsFolder, createHash('sha256').update(key).digest('hex').slice(0, 32)), key, {
      flag: 'wx',
    });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The page's template (its path with ids taken out) and state (which classes and open parts it shows). */
async function templateAndState(page: Page, url: string): Promise<string> {
  const signature = await page.evaluate(() => {
    const classes = new Set<string>();
    for (const element of Array.from(document.body.querySelectorAll('[class]'))) {
      for (const name of Array.from(element.classList)) classes.add(name);
    }
    const open = document.querySelectorAll('details[open], [aria-expanded="true"]').length > 0;
    const invalid = document.querySelectorAll('[aria-invalid="true"]').length > 0;
    return `${[...classes].sort().join(' ')}|open:${String(open)}|invalid:${String(invalid)}`;
  });
  return `${shapeOf(new URL(url))} ${createHash('sha256').update(signature).digest('hex').slice(0, 16)}`;
}

/** True the first time this run sees a template in this state (always, with E2E_AXE=every). */
async function firstOfItsKind(page: Page, url: string, variant: string): Promise<boolean> {
  if (process.env.E2E_AXE === 'every') return true;
  const width = String(page.viewportSize()?.width ?? 0);
  return claim(`${variant} ${width}px ${await templateAndState(page, url)}`);
}

/** The header's "Get help now" link, visible and pointing at the public help page. */
export async function expectHelpLinkInHeader(page: Page): Promise<void> {
  const link = page.getByRole('banner').getByRole('link', { name: 'Get help now' });
  await expect(link, `"Get help now" in the header of ${page.url()}`).toBeVisible();
  await expect(link).toHaveAttribute('href', '/help');
}

async function screenshot(page: Page, screen: string | undefined): Promise<void> {
  const info = test.info();
  // Off by default: a full-page screenshot of every page costs the suite minutes, and a failure
  // takes its own. `npm run test:screens` takes them for a person to look at.
  if (screen && info.project.name === 'phone' && process.env.E2E_SCREENSHOTS === 'on') {
    await page.screenshot({
      path: path.join(info.project.outputDir, 'screens', `${screen}.png`),
      fullPage: true,
    });
  }
}

/** Accessibility violations fail the test but let the journey go on, so one run reports every page's. */
async function softAxe(page: Page, url: string): Promise<void> {
  const failure = await expectNoAxeViolations(page).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  expect.soft(failure, `accessibility violations on ${url}`).toBeUndefined();
}

/**
 * Checks the page as it is now. `screen` names the full-page screenshot saved to
 * test-results/screens/<screen>.png, taken only in the phone project and with E2E_SCREENSHOTS=on.
 */
export async function checkPage(page: Page, screen?: string): Promise<void> {
  await expectHelpLinkInHeader(page);
  if (await firstOfItsKind(page, page.url(), 'scripts on')) await softAxe(page, page.url());
  await screenshot(page, screen);
}

/** The page a worker's browser shows copies in, and the copy it serves now. */
interface CopyViewer {
  readonly page: Page;
  serving: { url: string; html: string } | undefined;
}

/**
 * One JavaScript-on page per browser (so per worker) to show copies of pages in: a new context
 * for every copy started a renderer process each time, half a second of CPU more than the scan's
 * own page load. It keeps no cookies or storage of the journeys: only the copied HTML is served
 * from the journey's address; styles, fonts and images come from the server, scripts never run.
 */
const copyViewers = new WeakMap<Browser, Promise<CopyViewer>>();

function copyViewerFor(browser: Browser): Promise<CopyViewer> {
  let viewer = copyViewers.get(browser);
  if (!viewer) {
    viewer = (async () => {
      const context: BrowserContext = await browser.newContext({ javaScriptEnabled: true });
      const made: CopyViewer = { page: await context.newPage(), serving: undefined };
      await made.page.route('**/*', async (route) => {
        const request = route.request();
        const serving = made.serving;
        if (serving?.url === request.url()) {
          await route.fulfill({ contentType: 'text/html; charset=utf-8', body: serving.html });
        } else if (request.resourceType() === 'script') await route.abort();
        else await route.continue();
      });
      return made;
    })();
    copyViewers.set(browser, viewer);
  }
  return viewer;
}

/**
 * The same checks for a page in a browser with JavaScript off, where axe cannot run: the page's
 * HTML as it stands is checked in a second page that has JavaScript on for axe, at the same
 * address and size, with the page's own scripts (inline ones too, which would mark the page as
 * JavaScript-enhanced and change its layout) taken out.
 */
export async function checkPageWithoutJavaScript(page: Page, screen?: string): Promise<void> {
  await expectHelpLinkInHeader(page);
  const url = page.url();
  if (!(await firstOfItsKind(page, url, 'scripts off'))) {
    await screenshot(page, screen);
    return;
  }
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  const viewer = await copyViewerFor(browser);
  const size = page.viewportSize();
  if (size) await viewer.page.setViewportSize(size);
  viewer.serving = { url, html };
  try {
    await viewer.page.goto(url);
    await softAxe(viewer.page, `${url} (JavaScript off)`);
  } finally {
    viewer.serving = undefined;
  }
  await screenshot(page, screen);
}
