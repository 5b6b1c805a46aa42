/** The workforce's training pages: the matrix, a worker's record and its forms. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

export class TrainingMatrixPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly table: Locator;
  readonly download: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Training and checks' });
    this.table = page.getByRole('table', { name: /Training and checks of each peer support worker/ });
    this.download = page.getByRole('link', { name: 'Download as a spreadsheet (CSV)' });
  }

  row(workerName: string): Locator {
    return this.table
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: workerName }) });
  }
}

export class WorkerTrainingPage {
  readonly page: Page;
  readonly successBanner: Locator;
  readonly notYet: Locator;
  readonly recordTraining: Locator;
  readonly recordCheck: Locator;
  readonly allow: Locator;
  readonly endException: Locator;

  constructor(page: Page) {
    this.page = page;
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
    this.notYet = page.locator('.nhsuk-card--warning').filter({ hasText: 'Not yet' });
    // NHS.UK buttons that are links carry role="button".
    this.recordTraining = page.getByRole('button', { name: 'Record training' });
    this.recordCheck = page.getByRole('button', { name: 'Record a check' });
    this.allow = page.getByRole('button', { name: 'Allow them to take participants' });
    this.endException = page.getByRole('button', { name: 'End the exception now' });
  }

  /** The row of one training item or check, with where it stands. */
  item(title: string): Locator {
    return this.page.locator('.nhsuk-summary-list__row').filter({
      has: this.page.locator('.nhsuk-summary-list__key', { hasText: title }),
    });
  }
}

/** A form of dates and choices: record training, record a check, allow an exception. */
export class TrainingFormPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
  }

  async date(legend: string | RegExp, iso: string): Promise<void> {
    const [year, month, day] = iso.split('-') as [string, string, string];
    const group = this.page.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(day);
    await group.getByLabel('Month').fill(month);
    await group.getByLabel('Year').fill(year);
  }

  async submit(name: string): Promise<void> {
    await this.page.getByRole('button', { name }).click();
  }

  async expectHeading(name: string): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
  }
}
