/**
 * Follows the links a signed-in person can reach, breadth-first, and reports every one that
 * answers "not found" (404) or "forbidden" (403): a link the service shows must open.
 *
 * Each link is fetched with the page's own request context (its cookies, so as that person),
 * never by navigating, which keeps a crawl of a few hundred addresses to seconds. Every link
 * found is checked; only a few pages of each shape (the same path with its ids taken out) are
 * read for further links, so thirty participants' summaries cost three reads, not thirty.
 * GET never changes state in this service, so following any link is safe.
 */
import type { Page } from '@playwright/test';

export interface BrokenLink {
  url: string;
  status: number;
  /** The page that showed the link. */
  from: string;
}

export interface CrawlResult {
  broken: BrokenLink[];
  /** Addresses fetched (for the test's own sanity: a crawl that found nothing proves nothing). */
  checked: number;
}

export interface CrawlOptions {
  /** Pages read for links, at most (every link found on them is still checked). */
  maxPagesRead?: number;
  /** Pages of one shape read for links, at most. */
  perShape?: number;
  /** Addresses fetched, at most. */
  maxChecked?: number;
}

/** Links that end the session, or lead out of what this person is looking at. */
const SKIPPED = [/^\/sign-out/, /^\/sign-in/, /^\/demo(\/|$|\?)/, /^\/assets\//];

/** The path with ids and numbers taken out: `/participants/:id/sessions/:id`. */
export function shapeOf(url: URL): string {
  const path = url.pathname
    .split('/')
    .map((segment) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment) || /^\d+$/.test(segment)
        ? ':id'
        : segment,
    )
    .join('/');
  const queryKeys = [...url.searchParams.keys()].sort().join('&');
  return queryKeys ? `${path}?${queryKeys}` : path;
}

/** Every `<a href>` in the HTML, as absolute same-origin addresses without their fragment. */
export function linksIn(html: string, pageUrl: string, origin: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/<a\b[^>]*?\shref="([^"]*)"/gi)) {
    const raw = (match[1] ?? '').replaceAll('&amp;', '&').trim();
    if (!raw || raw.startsWith('#') || /^(mailto|tel|sms|javascript|data):/i.test(raw)) continue;
    let url: URL;
    try {
      url = new URL(raw, pageUrl);
    } catch {
      continue;
    }
    if (url.origin !== origin) continue;
    url.hash = '';
    if (SKIPPED.some((pattern) => pattern.test(url.pathname))) continue;
    found.add(url.href);
  }
  return [...found];
}

export async function crawlLinks(page: Page, start: string[], options: CrawlOptions = {}): Promise<CrawlResult> {
  const { maxPagesRead = 80, perShape = 3, maxChecked = 400 } = options;
  const origin = new URL(page.url()).origin;
  const queue: { url: string; from: string }[] = start.map((path) => ({
    url: new URL(path, origin).href,
    from: '(start)',
  }));
  const seen = new Set(queue.map((item) => item.url));
  const readPerShape = new Map<string, number>();
  const broken: BrokenLink[] = [];
  let read = 0;
  let checked = 0;

  for (let item = queue.shift(); item && checked < maxChecked; item = queue.shift()) {
    const response = await page.request.get(item.url, { failOnStatusCode: false });
    checked += 1;
    const status = response.status();
    if (status === 404 || status === 403) {
      broken.push({ url: new URL(item.url).pathname + new URL(item.url).search, status, from: item.from });
      continue;
    }
    const isHtml = (response.headers()['content-type'] ?? '').startsWith('text/html');
    const finalUrl = new URL(response.url());
    const shape = shapeOf(finalUrl);
    const readOfShape = readPerShape.get(shape) ?? 0;
    if (status !== 200 || !isHtml || read >= maxPagesRead || readOfShape >= perShape) continue;
    readPerShape.set(shape, readOfShape + 1);
    read += 1;
    const from = finalUrl.pathname + finalUrl.search;
    for (const link of linksIn(await response.text(), finalUrl.href, origin)) {
      if (seen.has(link)) continue;
      seen.add(link);
      queue.push({ url: link, from });
    }
  }
  return { broken, checked };
}

/**
 * One address for each page shape this person can reach (HTML pages that open), breadth-first
 * from `start`: what a sweep of every page template looks at.
 */
export async function pageOfEachShape(page: Page, start: string[], maxShapes = 60): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  const queue = start.map((path) => new URL(path, origin).href);
  const seen = new Set(queue);
  const shapes = new Map<string, string>();
  for (let url = queue.shift(); url && shapes.size < maxShapes; url = queue.shift()) {
    const response = await page.request.get(url, { failOnStatusCode: false });
    const isHtml = (response.headers()['content-type'] ?? '').startsWith('text/html');
    if (response.status() !== 200 || !isHtml) continue;
    const finalUrl = new URL(response.url());
    const shape = shapeOf(finalUrl);
    if (shapes.has(shape)) continue;
    shapes.set(shape, finalUrl.href);
    for (const link of linksIn(await response.text(), finalUrl.href, origin)) {
      if (seen.has(link)) continue;
      seen.add(link);
      queue.push(link);
    }
  }
  return [...shapes.values()];
}
