/** The coordinator's allocation pages: who is waiting, and choosing (or changing) a worker. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

export class WaitingListPage {
  readonly page: Page;
  readonly heading: Locator;
  /** The links to the pages before and after, shown when more than 50 people wait. */
  readonly pageLinks: Locator;
  readonly nextPage: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Waiting for a peer support worker' });
    this.pageLinks = page.getByRole('navigation', { name: 'Pages of people waiting' });
    this.nextPage = this.pageLinks.getByRole('link', { name: /^Next/ });
  }

  async open(): Promise<void> {
    await this.page.goto('/allocation');
    await this.expectLoaded();
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/allocation$/);
    await expect(this.heading).toBeVisible();
  }

  rowFor(name: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  async allocate(name: string): Promise<void> {
    await this.rowFor(name)
      .getByRole('link', { name: `Allocate a worker to ${name}` })
      .click();
  }
}

export class AllocatePage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly workers: Locator;
  readonly unavailable: Locator;
  readonly reason: Locator;
  readonly allocateButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.workers = page.getByRole('group', { name: 'Choose a peer support worker' });
    this.unavailable = page.locator('#unavailable-workers');
    this.reason = page.getByLabel('Why are they changing worker?');
    this.allocateButton = page.getByRole('button', { name: 'Allocate' });
  }

  async expectLoaded(
    title: 'Allocate a peer support worker' | 'Change peer support worker',
    participantName: string,
  ): Promise<void> {
    await expect(this.page).toHaveURL(/\/participants\/[0-9a-f-]{36}\/allocate$/);
    await expect(this.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(this.page.getByText(participantName, { exact: true }).first()).toBeVisible();
  }

  worker(fullName: string): Locator {
    return this.workers.getByRole('radio', { name: fullName, exact: true });
  }

  /** A worker who cannot be chosen: not offered, but listed under "Not available now" with the reason. */
  async expectUnavailable(fullName: string, reason: string | RegExp): Promise<void> {
    await expect(this.worker(fullName)).toHaveCount(0);
    const item = this.unavailable.getByRole('listitem').filter({ hasText: fullName });
    await expect(item).toHaveCount(1);
    await expect(item).toContainText(reason);
  }

  async choose(fullName: string, reason?: string): Promise<void> {
    await this.worker(fullName).check();
    if (reason !== undefined) await this.reason.fill(reason);
    await this.allocateButton.click();
  }
}
