/**
 * "When I'm struggling" (issue 4): one tap from every participant page, their own warning
 * signs, what helps and who to call, then the crisis contacts; and it still opens with no
 * signal once it has been seen, on any of their pages. Signing out takes the kept copy away.
 */
import { expect, test, type Page } from '@playwright/test';
import { checkPage } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

const WHO = { phone: 'Ravi Patel', desktop: 'Bethan Morgan' } as const;
const who = () => WHO[test.info().project.name === 'desktop' ? 'desktop' : 'phone'];

const heading = (page: Page) => page.getByRole('heading', { level: 1, name: "When I'm struggling" });
const strugglingLink = (page: Page) =>
  page.getByRole('banner').getByRole('link', { name: "When I'm struggling" });

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
