/** Trial mode: the trial's home, the screening log, screening someone, consent and withdrawal. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

/** Fills an NHS.UK date input (three boxes) under its legend. */
async function fillDate(page: Page, legend: string, iso: string): Promise<void> {
  const [year = '', month = '', day = ''] = iso.split('-');
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(Number(day)));
  await group.getByLabel('Month').fill(String(Number(month)));
  await group.getByLabel('Year').fill(year);
}

export class TrialHomePage {
  readonly page: Page;
  readonly enrolment: Locator;
  readonly screenSomeone: Locator;
  readonly screeningLog: Locator;

  constructor(page: Page) {
    this.page = page;
    this.enrolment = page.getByRole('table', { name: 'Enrolment so far' });
    this.screenSomeone = page.getByRole('button', { name: 'Screen someone' });
    this.screeningLog = page.getByRole('link', { name: 'Screening log' });
  }

  async open(): Promise<void> {
    await this.page.goto('/trial');
    await expect(this.enrolment).toBeVisible();
  }

  figure(label: string): Locator {
    return this.enrolment.getByRole('row', { name: label, exact: false }).first();
  }
}

export class ScreeningLogPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly table: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Screening log' });
    this.table = page.getByRole('table', { name: /People screened for the trial/ });
  }

  person(initialsAndYear: string): Locator {
    return this.table.getByRole('link', { name: initialsAndYear });
  }
}

export class ScreenSomeonePage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly team: Locator;
  readonly initials: Locator;
  readonly yearOfBirth: Locator;
  readonly save: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Screen someone' });
    this.team = page.getByLabel('Crisis team they were under');
    this.initials = page.getByLabel('Their initials');
    this.yearOfBirth = page.getByLabel('Their year of birth');
    this.save = page.getByRole('button', { name: 'Add to the screening log' });
  }

  async answer(question: string, answer: 'Yes' | 'No'): Promise<void> {
    await this.page
      .getByRole('group', { name: question })
      .getByRole('radio', { name: answer, exact: true })
      .check();
  }

  /** Answers every question as an eligible person would, then `differs`. */
  async answerAll(differs: Record<string, 'Yes' | 'No'> = {}): Promise<void> {
    const eligible: Record<string, 'Yes' | 'No'> = {
      'Are they aged 18 or over?': 'Yes',
      'Have they been discharged from a crisis resolution team?': 'Yes',
      'Do they have capacity to consent to take part?': 'Yes',
      'Are they already in the peer support programme?': 'No',
      'Are they currently a mental health inpatient?': 'No',
      'Have they asked not to be contacted by the service?': 'No',
    };
    for (const [question, answer] of Object.entries({ ...eligible, ...differs }))
      await this.answer(question, answer);
  }
}

export class ScreeningPage {
  readonly page: Page;
  readonly outcome: Locator;
  readonly recordConsent: Locator;
  readonly declinedOrNotApproached: Locator;
  readonly recordWithdrawal: Locator;
  readonly withdrawals: Locator;

  constructor(page: Page) {
    this.page = page;
    this.outcome = page.locator('main .nhsuk-tag').first();
    this.recordConsent = page.getByRole('button', { name: 'Record consent' });
    this.declinedOrNotApproached = page.getByRole('button', { name: 'Declined or not approached' });
    this.recordWithdrawal = page.getByRole('button', { name: 'Record a withdrawal' });
    this.withdrawals = page.locator('main .nhsuk-card');
  }

  eligibility(): Locator {
    return this.page.locator('.nhsuk-summary-list__row', { hasText: 'Eligible' }).first();
  }
}

export class ConsentPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly capacity: Locator;
  readonly save: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.capacity = page.getByRole('checkbox', { name: /I confirm they had capacity/ });
    this.save = page.getByRole('button', { name: 'Record consent' });
  }

  async chooseVersion(version: string): Promise<void> {
    await this.page.getByRole('radio', { name: `Version ${version}` }).check();
  }

  async takenOn(iso: string): Promise<void> {
    await fillDate(this.page, 'Date consent was taken', iso);
  }
}

export class WithdrawalPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly reason: Locator;
  readonly save: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.reason = page.getByLabel('Reason (optional)');
    this.save = page.getByRole('button', { name: 'Record withdrawal' });
  }

  scope(title: string): Locator {
    return this.page.getByRole('radio', { name: title });
  }

  async withdrawnOn(iso: string): Promise<void> {
    await fillDate(this.page, 'Date they withdrew', iso);
  }
}
