/** A participant's own pages: signing in with a code, and "My programme". */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

export class ParticipantSignInPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly contact: Locator;
  readonly sendButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Sign in to Greenleaf' });
    this.contact = page.getByLabel('Mobile phone number or email address');
    this.sendButton = page.getByRole('button', { name: 'Send me a code' });
  }

  async open(): Promise<void> {
    await this.page.goto('/participant/sign-in');
    await expect(this.heading).toBeVisible();
  }

  async requestCode(contact: string): Promise<void> {
    await this.contact.fill(contact);
    await this.sendButton.click();
  }
}

export class ParticipantCodePage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly code: Locator;
  readonly signInButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Enter the code we sent you' });
    this.code = page.getByLabel('Code', { exact: true });
    this.signInButton = page.getByRole('button', { name: 'Sign in' });
  }

  async expectLoaded(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText('sent a 6-digit code by text message')).toBeVisible();
  }

  async enter(code: string): Promise<void> {
    await this.code.fill(code);
    await this.signInButton.click();
  }
}

/** A right code for a mobile or email more than one participant has: nobody is signed in. */
export class SharedContactRefusalPage {
  readonly page: Page;
  readonly heading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', {
      level: 1,
      name: 'We cannot sign you in with this mobile number',
    });
  }

  async expectLoaded(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText('Contact your peer support worker.', { exact: true })).toBeVisible();
  }
}

export class MyProgrammePage {
  readonly page: Page;
  readonly workerCard: Locator;
  readonly crisisTeam: Locator;
  readonly upcomingSessions: Locator;
  /** "What happens next" (past the planned end) or "Coming to the end". */
  readonly whatHappensNext: Locator;

  constructor(page: Page) {
    this.page = page;
    this.whatHappensNext = page.locator('#what-happens-next');
    this.upcomingSessions = page
      .getByRole('heading', { name: 'Your next sessions' })
      .locator('xpath=following-sibling::dl[1]');
    this.workerCard = page
      .locator('.nhsuk-card')
      .filter({ has: page.getByRole('heading', { name: 'Your peer support worker' }) });
    this.crisisTeam = page
      .getByRole('heading', { name: 'Your crisis team' })
      .locator('xpath=following-sibling::p[1]');
  }

  async expectLoaded(displayName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/me$/);
    await expect(this.page.getByRole('heading', { level: 1, name: `Hello, ${displayName}` })).toBeVisible();
  }

  async expectWorker(firstName: string): Promise<void> {
    await expect(this.workerCard).toContainText(`${firstName} is your peer support worker`);
  }

  /** One row of "Where you are in the programme": sessions so far, left, next, planned end. */
  progress(key: string): Locator {
    return this.page
      .locator('#programme-progress .nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .locator('dd');
  }

  /** At least one upcoming session, each with a UK date and time and how they will meet. */
  async expectUpcomingSessions(firstName: string): Promise<void> {
    const rows = this.upcomingSessions.locator('.nhsuk-summary-list__row');
    await expect(rows.first()).toBeVisible();
    await expect(rows.first().locator('dt')).toHaveText(/^\s*\d{1,2} \w+ \d{4}, \d{1,2}:\d{2}\s?[ap]m\s*$/);
    // The value, not the row's actions ("Add to calendar").
    await expect(rows.first().locator('dd.nhsuk-summary-list__value')).toHaveText(
      new RegExp(
        `^\\s*(In person at (home|a community venue|an NHS site)|Phone call|Video call) with ${firstName}\\s*$`,
      ),
    );
  }

  async expectCrisisTeam(name: string, phone: string): Promise<void> {
    await expect(this.crisisTeam).toContainText(`${name}: ${phone}`);
    await expect(this.crisisTeam.getByRole('link', { name: phone })).toHaveAttribute(
      'href',
      `tel:${phone.replace(/ /g, '')}`,
    );
  }
}
