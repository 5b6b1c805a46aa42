/** Participants' feedback: the participant's form and confirmation, and the report for staff. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

export class FeedbackFormPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly anonymous: Locator;
  readonly comment: Locator;
  readonly sendButton: Locator;
  readonly noThanksButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Tell us what you thought' });
    this.anonymous = page.locator('#anonymous');
    this.comment = page.getByLabel('Is there anything you would like to tell us?');
    this.sendButton = page.getByRole('button', { name: 'Send' });
    this.noThanksButton = page.getByRole('button', { name: 'No thanks' });
  }

  async expectLoaded(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.anonymous).toContainText('Your peer support worker will never see who said what');
  }

  question(text: string): Locator {
    return this.page.getByRole('group', { name: text });
  }

  async answer(question: string, answer: string): Promise<void> {
    await this.question(question).getByRole('radio', { name: answer, exact: true }).check();
  }
}

export class FeedbackThanksPage {
  readonly heading: Locator;

  constructor(page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Thank you for telling us' });
  }
}

export class FeedbackReportPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly team: Locator;
  readonly from: Locator;
  readonly to: Locator;
  readonly showButton: Locator;
  readonly responseRate: Locator;
  readonly comments: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Feedback from participants' });
    this.team = page.getByLabel('Crisis team');
    this.from = page.getByLabel('From the month');
    this.to = page.getByLabel('To the month');
    this.showButton = page.getByRole('button', { name: 'Show feedback' });
    this.responseRate = page.locator('#response-rate');
    this.comments = page.locator('#comment-list');
  }

  async open(): Promise<void> {
    await this.page.goto('/reports/feedback');
    await expect(this.heading).toBeVisible();
  }

  async show(team: string): Promise<void> {
    await this.team.selectOption({ label: team });
    await this.showButton.click();
    await expect(this.heading).toBeVisible();
  }
}
