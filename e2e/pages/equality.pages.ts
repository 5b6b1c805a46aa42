/** Equality monitoring: its part of the referral form, and the participant's "About you" pages. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

/** The optional questions at the end of the referral form, about "them". */
export class ReferralEqualityPart {
  readonly page: Page;
  readonly section: Locator;
  readonly ethnicity: Locator;
  readonly gender: Locator;
  readonly firstLanguage: Locator;
  readonly languageName: Locator;
  readonly interpreter: Locator;
  readonly disability: Locator;

  constructor(page: Page) {
    this.page = page;
    this.section = page.getByRole('group', { name: 'Equality monitoring (optional)' });
    this.ethnicity = page.getByRole('group', { name: 'What is their ethnic group?' });
    this.gender = page.getByRole('group', { name: 'Which of these best describes their gender?' });
    this.firstLanguage = page.getByRole('group', { name: 'What is their first language?' });
    this.languageName = page.getByLabel('Which language?');
    this.interpreter = page.getByRole('group', { name: 'Do they need an interpreter?' });
    this.disability = page.getByRole('group', {
      name: 'Do they consider themselves to have a disability or long-term health condition?',
    });
  }

  /** An ethnic group's choice, found under its heading (the group's legend). */
  ethnicGroup(heading: string, choice: string): Locator {
    return this.ethnicity
      .getByRole('group', { name: heading, exact: true })
      .getByRole('radio', { name: choice });
  }
}

/** "About you": the participant's answers, each with a link to change it. */
export class AboutYouPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly successBanner: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'About you' });
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/me\/about-you(\?|$)/);
    await expect(this.heading).toBeVisible();
  }

  /** The answer beside a question, such as "Interpreter needed". */
  value(key: string): Locator {
    return this.page
      .locator('#about-you-answers .nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .locator('dd.nhsuk-summary-list__value');
  }

  /** "Change" (or "Answer", when blank) for one question. */
  changeLink(key: string): Locator {
    return this.page
      .locator('#about-you-answers .nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .getByRole('link');
  }
}

/** One question on its own page, in the participant's words. */
export class AboutYouQuestionPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly saveButton: Locator;
  readonly removeButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.saveButton = page.getByRole('button', { name: 'Save my answer' });
    this.removeButton = page.getByRole('button', { name: 'Remove my answer' });
  }

  async expectLoaded(question: string): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: question })).toBeVisible();
  }

  choice(label: string): Locator {
    return this.page.getByRole('radio', { name: label, exact: true });
  }
}
