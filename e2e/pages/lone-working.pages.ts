/** Lone working: the worker's page, the check-in form, and the supervisors' overdue list. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

export class LoneWorkingPage {
  readonly page: Page;
  readonly successBanner: Locator;
  readonly notCheckedIn: Locator;
  readonly currentVisit: Locator;
  readonly checkInButton: Locator;
  readonly checkOutButton: Locator;
  readonly pastVisits: Locator;

  constructor(page: Page) {
    this.page = page;
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
    this.notCheckedIn = page.locator('#not-checked-in');
    this.currentVisit = page.locator('#current-visit-details');
    this.checkInButton = page.getByRole('button', { name: 'Check in before a visit' });
    this.checkOutButton = page.getByRole('button', { name: 'Check out' });
    this.pastVisits = page.locator('#past-visits').getByRole('listitem');
  }

  async open(): Promise<void> {
    await this.page.goto('/lone-working');
    await this.expectLoaded();
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Lone working' })).toBeVisible();
  }
}

export class CheckInPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly place: Locator;
  readonly participant: Locator;
  readonly expectedEnd: Locator;
  readonly checkInButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.place = page.getByLabel('Where are you going?');
    this.participant = page.getByLabel('Who are you visiting? (optional)');
    this.expectedEnd = page.getByLabel('What time do you expect to finish?');
    this.checkInButton = page.getByRole('button', { name: 'Check in', exact: true });
  }

  async expectLoaded(): Promise<void> {
    await expect(
      this.page.getByRole('heading', { level: 1, name: 'Check in before a lone visit' }),
    ).toBeVisible();
  }

  async checkIn(visit: { place: string; expectedEnd: string; participant?: string }): Promise<void> {
    await this.place.fill(visit.place);
    if (visit.participant) await this.participant.selectOption({ label: visit.participant });
    await this.expectedEnd.fill(visit.expectedEnd);
    await this.checkInButton.click();
  }
}

export class OverdueVisitsPage {
  readonly page: Page;
  readonly noneOverdue: Locator;

  constructor(page: Page) {
    this.page = page;
    this.noneOverdue = page.locator('#no-overdue');
  }

  async open(): Promise<void> {
    await this.page.goto('/lone-working/overdue');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Overdue lone visits' })).toBeVisible();
  }
}
