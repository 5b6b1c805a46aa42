/** Parts every page shares: the header, and the NHS.UK error summary. */
import { expect, type Locator, type Page } from '@playwright/test';

export class Header {
  readonly root: Locator;
  readonly helpLink: Locator;
  readonly signOutButton: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('banner');
    this.helpLink = this.root.getByRole('link', { name: 'Get help now' });
    this.signOutButton = this.root.getByRole('button', { name: 'Sign out' });
  }

  async getHelpNow(): Promise<void> {
    await this.helpLink.click();
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }

  /**
   * Follows a menu link, opening "More" when it is folded there. At phone width the header's
   * script folds later links under "More" once it runs, which on a loaded machine can be after a
   * first look: look again until the click lands.
   */
  async follow(name: string): Promise<void> {
    const link = this.root.getByRole('link', { name });
    await expect(async () => {
      if (!(await link.isVisible())) await this.root.getByRole('button', { name: 'More' }).click();
      await link.click({ timeout: 2_000 });
    }).toPass();
  }
}

export class ErrorSummary {
  readonly page: Page;
  readonly root: Locator;
  readonly heading: Locator;
  readonly links: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.locator('.nhsuk-error-summary');
    this.heading = this.root.getByRole('heading', { name: 'There is a problem' });
    this.links = this.root.getByRole('link');
  }

  /** The summary lists exactly these messages, in this order. */
  async expectErrors(messages: string[]): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.links).toHaveText(messages);
  }

  link(message: string): Locator {
    return this.links.filter({ hasText: message });
  }

  /** Follows the link for a message and checks it lands on the field it names. */
  async expectLinkFocuses(message: string, field: Locator): Promise<void> {
    await this.link(message).click();
    await expect(field).toBeFocused();
  }
}
