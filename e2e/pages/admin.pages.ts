/** The coordinator's admin pages for their trust: crisis teams and staff accounts. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

export class TeamsPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly addTeamButton: Locator;
  readonly successBanner: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.addTeamButton = page.getByRole('button', { name: 'Add a crisis team' });
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
  }

  async open(): Promise<void> {
    await this.page.goto('/admin/teams');
    await expect(this.addTeamButton).toBeVisible();
  }

  row(teamName: string): Locator {
    return this.page.getByRole('row').filter({ hasText: teamName });
  }
}

export class TeamFormPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly name: Locator;
  readonly phone: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.name = page.getByLabel('Team name');
    this.phone = page.getByLabel('Phone number');
  }

  async save(): Promise<void> {
    await this.page.locator('form[method="post"]').getByRole('button').click();
  }
}

export class StaffListPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly addStaffButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.addStaffButton = page.getByRole('button', { name: 'Add a staff account' });
  }

  async open(): Promise<void> {
    await this.page.goto('/admin/staff');
    await expect(this.addStaffButton).toBeVisible();
  }

  row(fullName: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('link', { name: fullName, exact: true }) });
  }
}

export class StaffMemberPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly signOutEverywhere: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.signOutEverywhere = page.getByRole('button', { name: 'Sign out everywhere' });
  }
}
