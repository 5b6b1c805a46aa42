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
    this.heading = page.getByRole('heading', { level: 1, name: 'Crisis teams' });
    this.addTeamButton = page.getByRole('button', { name: 'Add a crisis team' });
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
  }

  async open(): Promise<void> {
    await this.page.goto('/admin/teams');
    await expect(this.heading).toBeVisible();
  }

  row(teamName: string): Locator {
    return this.page.getByRole('row').filter({ hasText: teamName });
  }
}

export class TeamFormPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly name: Locator;
  readonly phone: Locator;
  readonly addButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Add a crisis team' });
    this.name = page.getByLabel('Team name');
    this.phone = page.getByLabel('Phone number');
    this.addButton = page.getByRole('button', { name: 'Add crisis team' });
  }

  async add(name: string, phone: string): Promise<void> {
    await this.name.fill(name);
    await this.phone.fill(phone);
    await this.addButton.click();
  }
}

export class StaffListPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly addStaffButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Staff accounts' });
    this.addStaffButton = page.getByRole('button', { name: 'Add a staff account' });
  }

  async open(): Promise<void> {
    await this.page.goto('/admin/staff');
    await expect(this.heading).toBeVisible();
  }

  row(fullName: string): Locator {
    return this.page
      .getByRole('row')
      .filter({ has: this.page.getByRole('link', { name: fullName, exact: true }) });
  }
}

export class StaffFormPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly fullName: Locator;
  readonly email: Locator;
  readonly roles: Locator;
  readonly crisisTeam: Locator;
  readonly temporaryPassword: Locator;
  readonly createButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Add a staff account' });
    this.fullName = page.getByLabel('Full name');
    this.email = page.getByLabel('Email address');
    this.roles = page.getByRole('group', { name: 'Roles' });
    this.crisisTeam = page.getByRole('group', { name: 'Crisis team' });
    this.temporaryPassword = page.getByLabel('Temporary password');
    this.createButton = page.getByRole('button', { name: 'Create account' });
  }
}

export class StaffMemberPage {
  readonly page: Page;
  readonly successBanner: Locator;
  readonly signOutEverywhere: Locator;
  readonly resetAuthenticator: Locator;
  readonly sendSetUpLink: Locator;

  constructor(page: Page) {
    this.page = page;
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
    this.signOutEverywhere = page.getByRole('button', { name: 'Sign out everywhere' });
    this.resetAuthenticator = page.getByRole('button', { name: 'Reset authenticator app' });
    this.sendSetUpLink = page.getByRole('button', { name: 'Send a set-up link' });
  }

  /** The summary list's value for a row, by its key. */
  value(key: string): Locator {
    return this.page
      .locator('.nhsuk-summary-list__row')
      .filter({ hasText: key })
      .locator('.nhsuk-summary-list__value');
  }

  async expectLoaded(fullName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/admin\/staff\/[0-9a-f-]{36}(\?|$)/);
    await expect(this.page.getByRole('heading', { level: 1, name: fullName })).toBeVisible();
  }
}
