/** Caseloads: a worker's own, and the coordinator's or supervisor's overview of everyone's. */
import { expect, type Locator, type Page } from '@playwright/test';

export class CaseloadPage {
  readonly page: Page;
  readonly heading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
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

  participantLinks(): Locator {
    return this.page.locator('.app-caseload-card').getByRole('link');
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

  async openWorker(fullName: string): Promise<void> {
    await this.page.getByRole('link', { name: fullName, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: `Caseload of ${fullName}` })).toBeVisible();
  }
}
