/** Sharing consent: the panel on a participant's page and the "Record their choice" form. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

/** The "Sharing with the care team" part of a participant's summary page. */
export class SummaryConsent {
  readonly heading: Locator;
  readonly status: Locator;
  readonly recordButton: Locator;
  readonly history: Locator;
  readonly earlierChoices: Locator;

  constructor(page: Page) {
    this.heading = page.getByRole('heading', { level: 2, name: 'Sharing with the care team' });
    this.status = page.locator('#consent-status');
    this.recordButton = page.getByRole('button', { name: 'Record their choice' });
    this.history = page.locator('#consent-history');
    this.earlierChoices = this.history.getByRole('listitem');
  }

  async showHistory(): Promise<void> {
    await this.history.locator('summary').click();
    await expect(this.earlierChoices.first()).toBeVisible();
  }
}

export class RecordConsentPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly choices: Locator;
  readonly scope: Locator;
  readonly saveButton: Locator;
  readonly safetyOverride: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.choices = page.getByRole('group', {
      name: 'Do they agree to you sharing information with their care team?',
    });
    this.scope = page.getByLabel('What they agree can be shared (optional)');
    this.saveButton = page.getByRole('button', { name: 'Save their choice' });
    this.safetyOverride = page.locator('#safety-override');
  }

  async expectLoaded(name: string): Promise<void> {
    await expect(
      this.page.getByRole('heading', { level: 1, name: 'Sharing with their care team' }),
    ).toBeVisible();
    await expect(this.page.locator('.nhsuk-caption-l')).toHaveText(name);
  }

  choice(label: string): Locator {
    return this.choices.getByLabel(label, { exact: true });
  }

  async record(choice: { agrees: boolean; scope?: string }): Promise<void> {
    await this.choice(choice.agrees ? 'Yes, they agree' : 'No, they do not agree').check();
    if (choice.scope !== undefined) await this.scope.fill(choice.scope);
    await this.saveButton.click();
  }
}
