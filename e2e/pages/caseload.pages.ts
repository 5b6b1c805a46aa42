/** Caseloads: a worker's own, and the coordinator's or supervisor's overview of everyone's. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

export class CaseloadPage {
  readonly page: Page;
  readonly heading: Locator;
  /** How many participants against the worker's caseload limit. */
  readonly size: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.size = page.locator('#caseload-size');
  }

  async openOwn(): Promise<void> {
    await this.page.goto('/caseload');
    await expect(this.heading).toHaveText('My caseload');
  }

  /** The card for one participant: their name links to their summary. */
  card(name: string): Locator {
    return this.page
      .locator('.app-caseload-card')
      .filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  /** The participants' names on the cards (each links to their summary). */
  participantLinks(): Locator {
    return this.page.locator('.app-caseload-card .nhsuk-card__link');
  }
}

export class CaseloadsPage {
  readonly page: Page;
  readonly heading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Caseloads' });
  }

  async open(): Promise<void> {
    await this.page.goto('/caseloads');
    await expect(this.heading).toBeVisible();
  }

  /** The rows of "Waiting for a peer support worker" for people with no worker yet. */
  waitingForFirstWorker(): Locator {
    return this.page.locator('table.app-waiting tbody tr').filter({ hasText: 'A first worker' });
  }

  async openWorker(fullName: string): Promise<void> {
    await this.page.getByRole('link', { name: fullName, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: `Caseload of ${fullName}` })).toBeVisible();
  }
}

/** The "What needs doing today" list at the top of a caseload. */
export class TodoList {
  readonly page: Page;
  readonly heading: Locator;
  readonly items: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 2, name: /What needs doing/ });
    this.items = this.heading.locator('xpath=following-sibling::ul[1]').locator('li');
  }

  /** The kinds of prompt in the order shown (data-prompt carries the kind). */
  async kinds(): Promise<string[]> {
    return this.items.evaluateAll((items) => items.map((item) => item.getAttribute('data-prompt') ?? ''));
  }
}

/** Marking a peer support worker away, or back. */
export class AwayPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
  }

  async expectLoaded(workerName: string): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(/Mark as away|Time away/);
    await expect(this.page.locator('.nhsuk-caption-l')).toHaveText(workerName);
  }

  async markAway(
    from: { day: string; month: string; year: string } | null,
    reason: string | null,
  ): Promise<void> {
    const group = this.page.getByRole('group', { name: 'First day away' });
    if (from) {
      await group.getByLabel('Day').fill(from.day);
      await group.getByLabel('Month').fill(from.month);
      await group.getByLabel('Year').fill(from.year);
    }
    if (reason) await this.page.getByLabel(reason, { exact: true }).check();
    await this.page.getByRole('button', { name: 'Mark as away' }).click();
  }

  async markBack(): Promise<void> {
    await this.page.getByRole('button', { name: 'They are back' }).click();
  }
}

/** The participant's "Ask to change a session" page. */
export class RearrangePage {
  readonly page: Page;
  readonly message: Locator;

  constructor(page: Page) {
    this.page = page;
    this.message = page.getByLabel('What times or days would suit you? (optional)');
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Ask to change a session' })).toBeVisible();
  }

  async ask(message: string): Promise<void> {
    await this.message.fill(message);
    await this.page.getByRole('button', { name: 'Ask to change this session' }).click();
  }
}
