/** Session reminders: the panel on a participant's page, and the preferences form (worker and participant). */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

/** The "Reminders" part of a participant's summary page. */
export class ReminderPanel {
  readonly page: Page;
  readonly heading: Locator;
  readonly settings: Locator;
  readonly changeLink: Locator;
  readonly messages: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 2, name: 'Reminders', exact: true });
    this.settings = page.locator('#reminder-settings');
    this.changeLink = this.settings.getByRole('link', { name: 'Change how reminders are sent' });
    this.messages = page.locator('#reminder-messages tbody').getByRole('row');
  }

  value(key: 'Reminders by' | 'Reminder hours'): Locator {
    return this.settings
      .locator('.nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .locator('dd')
      .first();
  }
}

export class ReminderPreferencesPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly channels: Locator;
  readonly earliest: Locator;
  readonly latest: Locator;
  readonly saveButton: Locator;
  readonly successBanner: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.channels = page.getByRole('group', { name: /How should we remind (you|them)\?/ });
    this.earliest = page.getByLabel('Earliest');
    this.latest = page.getByLabel('Latest');
    this.saveButton = page.getByRole('button', { name: 'Save reminder settings' });
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
  }

  async expectLoaded(title: 'Session reminders' | 'Reminders'): Promise<void> {
    await expect(this.page).toHaveURL(/\/reminders(\?|$)/);
    await expect(this.heading).toHaveText(title);
  }

  async choose(channel: 'Text message' | 'Email' | 'No reminders', earliest: string, latest: string) {
    await this.channels.getByRole('radio', { name: channel, exact: true }).check();
    await this.earliest.selectOption({ label: earliest });
    await this.latest.selectOption({ label: latest });
    await this.saveButton.click();
  }
}
