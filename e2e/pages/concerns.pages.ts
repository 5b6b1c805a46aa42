/** Safety concerns: raising one, the "Call 999 now" step, a concern's page, the duty inbox and My concerns. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary, Header } from './components.ts';

/** The "Safety concerns and advice" panel on a participant's page. */
export class ParticipantConcernsPanel {
  readonly raiseButton: Locator;
  readonly adviceButton: Locator;
  readonly items: Locator;

  constructor(page: Page) {
    this.raiseButton = page.getByRole('button', { name: 'Raise a safety concern' });
    this.adviceButton = page.getByRole('button', { name: 'Ask the crisis team for advice' });
    this.items = page.locator('#participant-concerns').getByRole('listitem');
  }
}

export class RaiseConcernPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly whatHappened: Locator;
  readonly safetyOverride: Locator;
  readonly sendButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.whatHappened = page.locator('#whatHappened');
    this.safetyOverride = page.locator('#safety-override');
    this.sendButton = page.getByRole('button', { name: /^Send (to the crisis team|my question)$/ });
  }

  async expectLoaded(
    title: 'Raise a safety concern' | 'Ask the crisis team for advice',
    name: string,
  ): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(this.page.locator('.nhsuk-caption-l')).toHaveText(name);
  }

  async raise(
    what: string,
    urgency: string,
    knows?: 'Yes' | 'No' | 'Not yet, I will tell them',
  ): Promise<void> {
    await this.whatHappened.fill(what);
    await this.page.getByRole('radio', { name: urgency }).check();
    if (knows) await this.page.getByRole('radio', { name: knows, exact: true }).check();
    await this.sendButton.click();
  }
}

export class Call999Page {
  readonly page: Page;
  readonly callLink: Locator;
  readonly calledButton: Locator;
  /** Says the concern is already with the crisis team. */
  readonly sent: Locator;

  constructor(page: Page) {
    this.page = page;
    this.sent = page.locator('#concern-sent');
    this.callLink = page.getByRole('link', { name: 'Call 999 now' });
    this.calledButton = page.getByRole('button', { name: 'I have called 999' });
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Call 999 now' })).toBeVisible();
    await expect(this.callLink).toHaveAttribute('href', 'tel:999');
  }
}

export class ConcernPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly successBanner: Locator;
  readonly status: Locator;
  readonly acknowledgeButton: Locator;
  readonly closeButton: Locator;
  readonly messages: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
    this.status = page.locator('#concern-status');
    this.acknowledgeButton = page.getByRole('button', { name: 'Acknowledge', exact: true });
    this.closeButton = page.getByRole('button', { name: 'Record and close' });
    this.messages = page.locator('#messages').getByRole('listitem');
  }

  async expectLoaded(title: 'Safety concern' | 'Advice request', name: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/concerns\/[0-9a-f-]{36}/);
    await expect(this.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(this.page.locator('.nhsuk-caption-l')).toHaveText(name);
  }

  /** The value beside a key in the concern's details, such as "999 called". */
  value(key: string): Locator {
    return this.page
      .locator('#concern-details .nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .locator('dd');
  }

  async close(action: string, note?: string): Promise<void> {
    await this.page.getByRole('radio', { name: action }).check();
    if (note) await this.page.getByLabel('Note').fill(note);
    await this.closeButton.click();
  }

  async addMessage(text: string): Promise<void> {
    await this.page.getByLabel('Add a message').fill(text);
    await this.page.getByRole('button', { name: 'Send message' }).click();
  }
}

/** The duty inbox (clinicians) and My concerns (workers): lists of concerns. */
export class ConcernListPage {
  readonly page: Page;
  readonly active: Locator;
  readonly closed: Locator;
  readonly mine: Locator;

  constructor(page: Page) {
    this.page = page;
    this.active = page.locator('#inbox-active').getByRole('listitem');
    this.closed = page.locator('#inbox-closed').getByRole('listitem');
    this.mine = page.locator('#my-concerns').getByRole('listitem');
  }

  async openFromHeader(name: 'Duty inbox' | 'My concerns'): Promise<void> {
    await new Header(this.page).follow(name);
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
  }

  item(list: Locator, participantName: string): Locator {
    return list.filter({ hasText: participantName });
  }
}
