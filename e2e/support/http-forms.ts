/**
 * Set-ups sent as the browser would send them, without drawing the pages on the way: the same
 * forms (CSRF token, hidden fields and all) posted through the page's own request context, so
 * the browser shares the cookies. A fresh page and its navigations cost the browser about half a
 * second of CPU each here, against a hundredth for a request; the journeys whose subject is
 * signing in, referring or allocating fill those forms in the browser.
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as the templates write it into HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** A page the signed-in person may open, as HTML. */
export async function pageHtml(request: APIRequestContext, url: string): Promise<string> {
  const response = await request.get(url);
  expect(response.status(), `GET ${url}`).toBe(200);
  return response.text();
}

/** A form on the page: its action and hidden fields (the CSRF token, a submission token). */
export interface FoundForm {
  readonly action: string;
  readonly hidden: Record<string, string>;
}

/** The first post form on the page whose HTML contains `marker` (HTML: a button's markup, an action). */
export function findForm(html: string, marker: string, where: string): FoundForm {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [whole, tag = '', body = ''] = match;
    if (attribute(tag, 'method') !== 'post' || !whole.includes(marker)) continue;
    const hidden: Record<string, string> = {};
    for (const input of body.matchAll(/<input\b[^>]*>/g)) {
      const name = attribute(input[0], 'name');
      if (attribute(input[0], 'type') === 'hidden' && name) hidden[name] = attribute(input[0], 'value') ?? '';
    }
    return { action: attribute(tag, 'action') ?? '', hidden };
  }
  throw new Error(`no form with "${marker}" on ${where}`);
}

/** The value of the radio named `name` whose label starts with `label`. */
export function radioValue(html: string, name: string, label: string): string {
  const escaped = escapeHtml(label);
  for (const match of html.matchAll(/<input\b([^>]*)>\s*<label\b[^>]*>\s*([\s\S]*?)<\/label>/g)) {
    const [, tag = '', text = ''] = match;
    if (attribute(tag, 'type') === 'radio' && attribute(tag, 'name') === name && text.startsWith(escaped)) {
      return attribute(tag, 'value') ?? '';
    }
  }
  throw new Error(`no "${label}" option for ${name}`);
}

/**
 * Posts a form with its hidden fields and these, and expects what a good submission answers:
 * 303 See Other. Returns where it sends the browser.
 */
export async function submit(
  request: APIRequestContext,
  form: FoundForm,
  fields: Record<string, string> = {},
): Promise<string> {
  const response = await request.post(form.action, { form: { ...form.hidden, ...fields }, maxRedirects: 0 });
  if (response.status() !== 303) {
    const problems = /<div class="nhsuk-error-summary"[\s\S]*?<\/div>/.exec(await response.text())?.[0];
    throw new Error(
      `POST ${form.action} answered ${String(response.status())}${problems ? `: ${problems.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')}` : ''}`,
    );
  }
  return response.headers().location ?? '';
}

/**
 * Signs in from the demo accounts page over HTTP, then (unless `open` is false) opens where the
 * button would have led.
 */
export async function demoSignInOverHttp(
  page: Page,
  fullName: string,
  { open = true }: { open?: boolean } = {},
): Promise<void> {
  const url = `/demo?participant=${encodeURIComponent(fullName)}`;
  const button = `Sign in<span class="nhsuk-u-visually-hidden"> as ${escapeHtml(fullName)}</span>`;
  const form = findForm(await pageHtml(page.request, url), button, url);
  const location = await submit(page.request, form);
  if (open) await page.goto(location);
}
