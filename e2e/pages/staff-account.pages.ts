/** A staff member's own password: at the first sign-in, on the change page, and from a set-up link. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary, Header } from './components.ts';

/** The new password typed twice, as on every page where staff choose their own. */
class NewPasswordFields {
  readonly newPassword: Locator;
  readonly confirmPassword: Locator;

  constructor(page: Page) {
    this.newPassword = page.getByLabel('New password', { exact: true });
    this.confirmPassword = page.getByLabel('Type the new password again', { exact: true });
  }

  async fill(password: string, again = password): Promise<void> {
    await this.newPassword.fill(password);
    await this.confirmPassword.fill(again);
  }
}

/** After signing in with a temporary password: choose your own before anything else. */
export class FirstSignInPasswordPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly fields: NewPasswordFields;
  readonly continueButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Choose a new password' });
    this.fields = new NewPasswordFields(page);
    this.continueButton = page.getByRole('button', { name: 'Continue' });
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/sign-in\/new-password/);
    await expect(this.heading).toBeVisible();
  }

  async choose(password: string, again = password): Promise<void> {
    await this.fields.fill(password, again);
    await this.continueButton.click();
  }
}

export class ChangePasswordPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly currentPassword: Locator;
  readonly fields: NewPasswordFields;
  readonly changeButton: Locator;
  readonly successBanner: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Change your password' });
    this.currentPassword = page.getByLabel('Current password', { exact: true });
    this.fields = new NewPasswordFields(page);
    this.changeButton = page.getByRole('button', { name: 'Change password' });
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
  }

  /** From the header's "Change password" link (under "More" when the screen is narrow). */
  async openFromHeader(): Promise<void> {
    await new Header(this.page).follow('Change password');
    await expect(this.heading).toBeVisible();
  }

  async change(current: string, password: string, again = password): Promise<void> {
    await this.currentPassword.fill(current);
    await this.fields.fill(password, again);
    await this.changeButton.click();
  }
}

/** The page a set-up link opens, for whoever holds the link (no sign-in). */
export class SetUpLinkPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly fields: NewPasswordFields;
  readonly saveButton: Locator;
  readonly savedHeading: Locator;
  readonly signInButton: Locator;
  readonly expiredHeading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Choose a new password' });
    this.fields = new NewPasswordFields(page);
    this.saveButton = page.getByRole('button', { name: 'Save password' });
    this.savedHeading = page.getByRole('heading', { level: 1, name: 'Your new password is saved' });
    this.signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
    this.expiredHeading = page.getByRole('heading', {
      level: 1,
      name: 'This link has expired or has already been used',
    });
  }

  async open(path: string, forEmail: string): Promise<void> {
    await this.page.goto(path);
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText(forEmail)).toBeVisible();
  }

  async save(password: string, again = password): Promise<void> {
    await this.fields.fill(password, again);
    await this.saveButton.click();
  }
}
