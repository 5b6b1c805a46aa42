/** Staff sign-in: email and password, then the authenticator app (set up the first time). */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary, Header } from './components.ts';

export class StaffSignInPage {
  readonly page: Page;
  readonly header: Header;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly continueButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.header = new Header(page);
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Sign in' });
    this.email = page.getByLabel('Email address');
    this.password = page.getByLabel('Password', { exact: true });
    this.continueButton = page.getByRole('button', { name: 'Continue' });
  }

  async open(): Promise<void> {
    await this.page.goto('/sign-in');
    await expect(this.heading).toBeVisible();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.continueButton.click();
  }
}

export class SetUpAuthenticatorPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly details: Locator;
  readonly cannotScan: Locator;
  readonly setupKey: Locator;
  readonly code: Locator;
  readonly finishButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Set up your authenticator app' });
    // The disclosure that holds the setup key; its summary should read "I cannot scan the QR code".
    this.details = page.locator('details').filter({ has: page.locator('.app-code') });
    this.cannotScan = this.details.locator('summary');
    this.setupKey = page.locator('.app-code');
    this.code = page.getByLabel('Security code');
    this.finishButton = page.getByRole('button', { name: 'Finish setting up' });
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/sign-in\/set-up-authenticator/);
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  }

  /** Opens "I cannot scan the QR code" and reads the setup key as a person would type it. */
  async readSetupKey(): Promise<string> {
    await expect(this.cannotScan, 'the disclosure says what it holds').toHaveText(
      'I cannot scan the QR code',
    );
    await this.cannotScan.click();
    await expect(this.setupKey).toBeVisible();
    const shown = (await this.setupKey.innerText()).trim();
    expect(shown, 'setup key grouped in fours').toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    return shown.replace(/\s/g, '');
  }

  async finish(code: string): Promise<void> {
    await this.code.fill(code);
    await this.finishButton.click();
  }
}

export class SecurityCodePage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly code: Locator;
  readonly signInButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Enter your security code' });
    this.code = page.getByLabel('Security code');
    this.signInButton = page.getByRole('button', { name: 'Sign in' });
  }

  async enter(code: string): Promise<void> {
    await this.code.fill(code);
    await this.signInButton.click();
  }
}

export class SignedOutPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly staffSignInLink: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'You have signed out' });
    this.staffSignInLink = page.getByRole('link', { name: 'Staff sign in' });
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/signed-out$/);
    await expect(this.heading).toBeVisible();
  }
}

/**
 * Demo mode's one-click sign-in as any made-up person. (Journeys that only need someone signed
 * in use demoSignIn in e2e/support/flows.ts, which sends this page's form over HTTP.)
 */
export class DemoAccountsPage {
  readonly page: Page;
  readonly heading: Locator;
  /** The sign-in buttons of the participants listed: the 40 most recently discharged, or those found. */
  readonly participantButtons: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Demo accounts' });
    this.participantButtons = page.getByRole('table', { name: 'Participant accounts' }).getByRole('button');
  }

  async open(): Promise<void> {
    await this.page.goto('/demo');
    await expect(this.heading).toBeVisible();
  }

  signInButton(fullName: string): Locator {
    return this.page.getByRole('button', { name: `Sign in as ${fullName}`, exact: true });
  }

  async findParticipant(name: string): Promise<void> {
    await this.page.getByLabel('Find a participant by name').fill(name);
    await this.page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect(this.heading).toBeVisible();
  }
}

/** Demo mode's outbox: the text messages and emails the service would have sent. */
export class OutboxPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly rows: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Outbox' });
    this.rows = page.getByRole('row');
  }

  async open(): Promise<void> {
    await this.page.goto('/demo/outbox');
    await expect(this.heading).toBeVisible();
  }

  /** The path of the newest set-up link emailed to this person. */
  async latestSetUpLinkFor(email: string): Promise<string> {
    const message = this.rows
      .filter({ hasText: email })
      .locator('[data-template="staff_set_up_link"]')
      .first();
    await expect(message).toContainText('/account/set-up/');
    const path = /\/account\/set-up\/[\w-]{43}/.exec(await message.innerText())?.[0];
    expect(path, 'a set-up link in the email').toBeDefined();
    return path ?? '';
  }

  /**
   * The newest sign-in code sent to this recipient (as stored, for example +447700900006). The
   * code is sent by a job a moment after it was asked for, so the outbox is read again until it
   * is there.
   */
  async latestCodeFor(recipient: string): Promise<string> {
    // Session reminders to the same number may be newer: only rows with a code count.
    const code = this.rows
      .filter({ hasText: recipient })
      .filter({ has: this.page.locator('[data-code]') })
      .first()
      .locator('[data-code]');
    await expect(async () => {
      await this.page.reload();
      await expect(code).toHaveText(/^\d{6}$/, { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    return (await code.innerText()).trim();
  }
}
