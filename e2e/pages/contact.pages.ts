/** Staying in touch: the panel on a participant's page and the "Record a contact attempt" form. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';
import type { DateParts } from '../support/data.ts';

/** The "Staying in touch" part of a participant's summary page. */
export class SummaryContact {
  readonly page: Page;
  readonly heading: Locator;
  readonly reContact: Locator;
  readonly reContactCount: Locator;
  readonly nextSteps: Locator;
  readonly recordButton: Locator;
  readonly allAttempts: Locator;
  readonly attempts: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 2, name: 'Staying in touch' });
    this.reContact = page.locator('#re-contact');
    this.reContactCount = page.locator('#re-contact-count');
    this.nextSteps = page.locator('#re-contact-next').getByRole('listitem');
    this.recordButton = page.getByRole('button', { name: 'Record a contact attempt' });
    this.allAttempts = page.locator('#contact-attempts');
    this.attempts = this.allAttempts.getByRole('listitem');
  }

  /** The value beside a key in the panel's summary list, such as "Last reached". */
  value(key: string): Locator {
    return this.page
      .locator('#contact-summary .nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .locator('dd')
      .first();
  }

  /** Opens "All contact attempts (N)". */
  async showAllAttempts(): Promise<void> {
    await this.allAttempts.locator('summary').click();
    await expect(this.attempts.first()).toBeVisible();
  }
}

export class RecordContactPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly methods: Locator;
  readonly outcomes: Locator;
  readonly day: Locator;
  readonly month: Locator;
  readonly year: Locator;
  readonly time: Locator;
  readonly note: Locator;
  readonly saveButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.methods = page.getByRole('group', { name: 'How did you try to contact them?' });
    this.outcomes = page.getByRole('group', { name: 'What happened?' });
    this.day = page.getByLabel('Day');
    this.month = page.getByLabel('Month');
    this.year = page.getByLabel('Year');
    this.time = page.getByLabel('Time', { exact: true });
    this.note = page.getByLabel('Note (optional)');
    this.saveButton = page.getByRole('button', { name: 'Save contact attempt' });
  }

  async expectLoaded(participantName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/participants\/[0-9a-f-]{36}\/contacts\/new$/);
    await expect(
      this.page.getByRole('heading', { level: 1, name: 'Record a contact attempt' }),
    ).toBeVisible();
    await expect(this.page.getByText(participantName, { exact: true })).toBeVisible();
  }

  method(label: string): Locator {
    return this.methods.getByRole('radio', { name: label, exact: true });
  }

  /** Chooses how and what happened, keeps the date and time the form started with unless given, and saves. */
  async record(details: { method: string; outcome: string; note?: string; on?: DateParts; time?: string }) {
    await this.method(details.method).check();
    await this.outcomes.getByRole('radio', { name: details.outcome, exact: true }).check();
    if (details.on) {
      await this.day.fill(details.on.day);
      await this.month.fill(details.on.month);
      await this.year.fill(details.on.year);
    }
    if (details.time !== undefined) await this.time.fill(details.time);
    if (details.note !== undefined) await this.note.fill(details.note);
    await this.saveButton.click();
  }
}
