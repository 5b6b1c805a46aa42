/**
 * "When I'm struggling" (issue 4): one tap from every participant page, their own warning
 * signs, what helps and who to call, then the crisis contacts; and it still opens with no
 * signal once it has been seen, on any of their pages. The kept copy belongs to one person: it
 * goes when they sign out, as soon as the server says they are signed out (even if their
 * session ended with no page open), and whenever the phone shows a page for anyone else.
 */
import { expect, test, type Page } from '@playwright/test';
import { checkPage } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

const WHO = { phone: 'Ravi Patel', desktop: 'Bethan Morgan' } as const;
const who = () => WHO[test.info().project.name === 'desktop' ? 'desktop' : 'phone'];

// Someone else on the same phone, with a plan of their own.
const OTHER = { phone: 'Sia Jones', desktop: 'Chloe Bennett' } as const;
const other = () => OTHER[test.info().project.name === 'desktop' ? 'desktop' : 'phone'];

const heading = (page: Page) => page.getByRole('heading', { level: 1, name: "When I'm struggling" });
const strugglingLink = (page: Page) =>
  page.getByRole('banner').getByRole('link', { name: "When I'm struggling" });

const copyKept = (page: Page) => page.evaluate(async () => Boolean(await caches.match('/me/struggling')));

/** Opens "When I'm struggling" and waits until the service worker has kept it. */
async function keepStrugglingPage(page: Page): Promise<void> {
  await page.goto('/me/struggling');
  await expect(heading(page)).toBeVisible();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => copyKept(page)).toBe(true);
}

/** What a participant page shows with no signal: "shown" if anything at all opens. */
async function offline(page: Page, path: string): Promise<'shown' | 'nothing'> {
  await page.context().setOffline(true);
  try {
    return await page.goto(path).then(
      () => 'shown' as const,
      () => 'nothing' as const,
    );
  } finally {
    await page.context().setOffline(false);
  }
}

async function expectCrisisContacts(page: Page): Promise<void> {
  await expect(page.locator('a[href="tel:111"]')).toBeVisible();
  await expect(page.getByRole('link', { name: '116 123' })).toHaveAttribute('href', 'tel:116123');
  await expect(page.locator('a[href="tel:999"]').first()).toBeVisible();
  await expect(page.getByText('choose option 2 for mental health')).toBeVisible();
}

test('their own warning signs and people to call, one tap away, and still there offline', async ({
  page,
  context,
}) => {
  await demoSignIn(page, who());
  await expect(page).toHaveURL(/\/me$/);

  // One tap from every participant page.
  for (const path of ['/me', '/me/plan', '/me/plan/moving_on']) {
    await page.goto(path);
    await expect(strugglingLink(page), `the header of ${path}`).toHaveAttribute('href', '/me/struggling');
  }

  await strugglingLink(page).click();
  await expect(heading(page)).toBeVisible();
  await expect(page.getByText('You have not written any early warning signs yet')).toBeVisible();
  await expect(page.getByText('You have not added anyone yet')).toBeVisible();
  await expectCrisisContacts(page);
  await checkPage(page, 'struggling-empty');

  // They write a warning sign and add someone to call.
  await page.getByRole('link', { name: 'add them in "Managing ups and downs"' }).click();
  await page.getByRole('textbox', { name: 'Add to “My early warning signs”' }).fill('Not wanting to get up');
  await page.getByRole('button', { name: 'Add to My early warning signs' }).click();
  await expect(page.getByRole('textbox', { name: 'My early warning signs: item 1' })).toHaveValue(
    'Not wanting to get up',
  );
  await page.goto('/me/plan/people_and_places');
  const add = page.locator('form[data-plan-entry]').filter({ hasText: 'Add someone who supports you' });
  await add.getByRole('textbox', { name: 'Their name' }).fill('Auntie Bea');
  await add.getByRole('textbox', { name: 'Who they are to you (optional)' }).fill('my aunt');
  await add.getByRole('textbox', { name: 'How to reach them (optional)' }).fill('07700 900123, any time');
  await add.getByRole('button', { name: /^Add/ }).click();
  await expect(page.getByRole('group', { name: 'Person 1' })).toBeVisible();

  await strugglingLink(page).click();
  await expect(heading(page)).toBeVisible();
  await expect(page.getByText('Not wanting to get up')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Call Auntie Bea' })).toHaveAttribute(
    'href',
    'tel:07700900123',
  );
  await checkPage(page, 'struggling');

  // The page is kept once the phone's service worker looks after their pages.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect
    .poll(() => page.evaluate(async () => Boolean(await caches.match('/me/struggling'))))
    .toBe(true);

  await context.setOffline(true);
  try {
    // The browser says it is offline before the page is asked for again (on a loaded machine the
    // switch can lag, and the live page would come back, its offline notice hidden).
    await expect.poll(() => page.evaluate(() => navigator.onLine)).toBe(false);
    await page.goto('/me/struggling');
    await expect(heading(page)).toBeVisible();
    await expect(page.getByText('You are offline.')).toBeVisible();
    await expect(page.getByText('Not wanting to get up')).toBeVisible();
    await expectCrisisContacts(page);
    await checkPage(page, 'struggling-offline');

    // Any of their pages, with no signal, shows who to call.
    for (const path of ['/me', '/me/plan/ups_and_downs']) {
      await page.goto(path);
      await expect(heading(page), path).toBeVisible();
      await expectCrisisContacts(page);
    }
  } finally {
    await context.setOffline(false);
  }

  // Signing out takes the kept copy off the phone.
  await page.goto('/me');
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signed-out$/);
  await expect
    .poll(() => page.evaluate(async () => Boolean(await caches.match('/me/struggling'))))
    .toBe(false);
});

test('is only for the signed-in participant', async ({ page }) => {
  await page.goto('/me/struggling');
  await expect(page).toHaveURL(/\/participant\/sign-in\?returnTo=%2Fme%2Fstruggling$/);
});

test('a copy left on a shared phone goes as soon as the server says its owner is signed out', async ({
  page,
  context,
}) => {
  await demoSignIn(page, other());
  await keepStrugglingPage(page);
  const session = (await context.cookies()).find((cookie) => cookie.name.endsWith('greenleaf-session'));
  expect(session).toBeDefined();

  // Their tab is closed, then their session ends on the server (it timed out, or they ended it
  // on another device) while the phone keeps the cookie: no page of ours was open to see it.
  await page.close();
  const help = await context.request.get('/help');
  const token = /name="_csrf" value="([^"]+)"/.exec(await help.text())?.[1] ?? '';
  expect((await context.request.post('/sign-out', { form: { _csrf: token } })).ok()).toBe(true);
  await context.addCookies([session!]);

  // The next person opens Greenleaf: the server sends them to sign in, and the copy is gone.
  const next = await context.newPage();
  await next.goto('/me/plan');
  await expect(next).toHaveURL(/\/participant\/sign-in/);
  await expect.poll(() => copyKept(next)).toBe(false);
  expect(await offline(next, '/me')).toBe('nothing');
  await expect(heading(next)).toHaveCount(0);
});

test('the copy is only ever shown to the participant it belongs to', async ({ page }) => {
  await demoSignIn(page, other());
  const owner = (await page.getByRole('banner').innerText()).trim();
  await keepStrugglingPage(page);

  // Someone else signs in on the same phone without the first person signing out.
  await demoSignIn(page, who());
  await expect.poll(() => copyKept(page)).toBe(false);
  expect(await offline(page, '/me/plan')).toBe('nothing');

  // Their own copy, once they have seen it, is theirs alone.
  await page.goto('/me');
  const theirs = (await page.getByRole('banner').innerText()).trim();
  expect(theirs).not.toBe(owner);
  await keepStrugglingPage(page);
  expect(await offline(page, '/me')).toBe('shown');
  await expect(heading(page)).toBeVisible();
  expect((await page.getByRole('banner').innerText()).trim()).toBe(theirs);
});
