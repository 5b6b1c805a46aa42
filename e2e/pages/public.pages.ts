/** Pages anyone can see without signing in: the start page, "Get help now", not found. */
import { expect, type Locator, type Page } from '@playwright/test';
import { Header } from './components.ts';

export class StartPage {
  readonly page: Page;
  readonly header: Header;
  readonly heading: Locator;
  readonly staffSignInLink: Locator;
  readonly participantSignInLink: Locator;

  constructor(page: Page) {
    this.page = page;
    this.header = new Header(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Greenleaf' });
    this.staffSignInLink = page.getByRole('link', { name: 'Staff sign in' });
    this.participantSignInLink = page.getByRole('link', {
      name: 'Sign in with a code sent to your phone or email',
    });
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.heading).toBeVisible();
  }
}

export class HelpPage {
  readonly page: Page;
  readonly header: Header;
  readonly heading: Locator;
  readonly main: Locator;
  readonly crisisTeamHeading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.header = new Header(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Get help now' });
    this.main = page.getByRole('main');
    this.crisisTeamHeading = page.getByRole('heading', { name: 'Your crisis team' });
  }

  async open(): Promise<void> {
    await this.page.goto('/help');
    await this.expectLoaded();
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/help$/);
    await expect(this.heading).toBeVisible();
  }

  /** 999, NHS 111 option 2, Samaritans 116 123 and SHOUT to 85258, each a link you can tap to call or text. */
  async expectNationalContacts(): Promise<void> {
    await expect(this.main.getByRole('link', { name: '999' })).toHaveAttribute('href', 'tel:999');
    const nhs111 = this.main.getByRole('listitem').filter({ hasText: 'NHS 111' });
    await expect(nhs111).toContainText('option 2 for mental health');
    await expect(nhs111.getByRole('link', { name: '111' })).toHaveAttribute('href', 'tel:111');
    const samaritans = this.main.getByRole('listitem').filter({ hasText: 'Samaritans' });
    await expect(samaritans.getByRole('link', { name: '116 123' })).toHaveAttribute('href', 'tel:116123');
    const shout = this.main.getByRole('listitem').filter({ hasText: 'SHOUT' });
    await expect(shout.getByRole('link', { name: '85258' })).toHaveAttribute('href', /^sms:85258/);
  }

  /** The person's own crisis team, with a number to call. */
  async expectCrisisTeam(name: string, phone: string): Promise<void> {
    await expect(this.crisisTeamHeading).toBeVisible();
    const paragraph = this.main.getByText(`${name}:`);
    await expect(paragraph).toBeVisible();
    await expect(paragraph.getByRole('link', { name: phone })).toHaveAttribute(
      'href',
      `tel:${phone.replace(/ /g, '')}`,
    );
  }
}

export class NotFoundPage {
  readonly page: Page;
  readonly heading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Page not found' });
  }

  async expectShown(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.page).toHaveTitle(/^Page not found/);
  }
}
