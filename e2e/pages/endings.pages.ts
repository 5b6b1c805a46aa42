/** Ending the programme: the ending form, the summary, sharing it, and the participant's own summary. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';
import { BookSessionPage } from './sessions.pages.ts';
import type { DateParts } from '../support/data.ts';

/** The booking form, used to book the planned ending session. */
export class BookEndingSessionPage extends BookSessionPage {
  readonly endingBox: Locator;

  constructor(page: Page) {
    super(page);
    this.endingBox = page.getByRole('checkbox', { name: 'This is the planned ending session' });
  }

  async bookEnding(on: DateParts, time: string): Promise<void> {
    await this.endingBox.check();
    await this.book(on, time, 'Phone');
  }
}

/** The ending part of a participant's record page. */
export class ParticipantEnding {
  readonly page: Page;
  readonly endButton: Locator;
  readonly ended: Locator;
  readonly summaryLink: Locator;
  readonly bookButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.endButton = page.getByRole('button', { name: 'End the programme' });
    this.ended = page.locator('#programme-ending');
    this.summaryLink = this.ended.getByRole('link', { name: 'Read the end-of-programme summary' });
    this.bookButton = page.getByRole('button', { name: 'Book a session' });
  }

  endingTag(item: Locator): Locator {
    return item.locator('.nhsuk-tag', { hasText: 'Ending session' });
  }
}

export class EndingFormPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly preview: Locator;
  readonly reasons: Locator;
  readonly date: Locator;
  readonly day: Locator;
  readonly onwardSupport: Locator;
  readonly message: Locator;
  readonly consent: Locator;
  readonly endButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.preview = page.locator('#summary-preview-list');
    this.reasons = page.getByRole('group', { name: 'Why is the programme ending?' });
    this.date = page.getByRole('group', { name: 'Date the programme ended' });
    this.day = this.date.getByLabel('Day');
    this.onwardSupport = page.getByLabel('What support are they going on to?');
    this.message = page.getByLabel(/A message to .+ \(optional\)/);
    this.consent = page.getByRole('group', {
      name: 'Have they agreed to share this summary with their care team?',
    });
    this.endButton = page.getByRole('button', { name: 'End the programme' });
  }

  async expectLoaded(participantName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/participants\/[0-9a-f-]{36}\/ending$/);
    await expect(this.page.getByRole('heading', { level: 1, name: 'End the programme' })).toBeVisible();
    await expect(this.page.getByText(participantName, { exact: true })).toBeVisible();
  }

  /** The value beside a key in "What the summary will say". */
  previewValue(key: string): Locator {
    return this.preview
      .locator('.nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .locator('dd');
  }

  async end(details: { reason: string; onwardSupport: string; message: string; consent: string }) {
    await this.reasons.getByRole('radio', { name: details.reason, exact: true }).check();
    await this.onwardSupport.fill(details.onwardSupport);
    await this.message.fill(details.message);
    await this.consent.getByRole('radio', { name: details.consent }).check();
    await this.endButton.click();
  }
}

export class EndingSummaryPage {
  readonly page: Page;
  readonly successBanner: Locator;
  readonly sessionsAttended: Locator;
  readonly sections: Locator;
  readonly onwardSupport: Locator;
  readonly shares: Locator;
  readonly shareButton: Locator;
  readonly changeButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
    this.sessionsAttended = page.locator('#sessions-attended');
    this.sections = page.locator('#sections-worked-on').getByRole('listitem');
    this.onwardSupport = page.locator('#onward-support');
    this.shares = page.locator('#shares');
    this.shareButton = page.getByRole('button', { name: 'Share the summary' });
    this.changeButton = page.getByRole('button', { name: 'Change the ending' });
  }

  async expectLoaded(participantName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/participants\/[0-9a-f-]{36}\/ending\/summary(\?|$)/);
    await expect(
      this.page.getByRole('heading', { level: 1, name: participantName, exact: true }),
    ).toBeVisible();
    await expect(this.page.getByText('End-of-programme summary', { exact: true })).toBeVisible();
  }
}

export class ShareSummaryPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly recipients: Locator;
  readonly gpName: Locator;
  readonly gpEmail: Locator;
  readonly sendButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.recipients = page.getByRole('group', { name: 'Who should get the summary?' });
    const gp = page.getByRole('group', { name: 'GP', exact: true });
    this.gpName = gp.getByLabel('Name');
    this.gpEmail = gp.getByLabel('Secure NHS email address');
    this.sendButton = page.getByRole('button', { name: 'Send the summary' });
  }

  async expectLoaded(): Promise<void> {
    await expect(this.page).toHaveURL(/\/participants\/[0-9a-f-]{36}\/ending\/share$/);
    await expect(
      this.page.getByRole('heading', { level: 1, name: 'Share the end-of-programme summary' }),
    ).toBeVisible();
  }

  async sendToGp(name: string, email: string): Promise<void> {
    await this.recipients.getByRole('checkbox', { name: 'Their GP' }).check();
    await this.gpName.fill(name);
    await this.gpEmail.fill(email);
    await this.sendButton.click();
  }
}

/** What a participant sees: the ending on "My programme", and their own summary. */
export class MySummaryPage {
  readonly page: Page;
  readonly endedCard: Locator;
  readonly timesMet: Locator;
  readonly sections: Locator;
  readonly onwardSupport: Locator;
  readonly message: Locator;
  readonly planStaysYours: Locator;

  constructor(page: Page) {
    this.page = page;
    this.endedCard = page.locator('#programme-ended');
    this.timesMet = page.locator('#times-met');
    this.sections = page.locator('#sections-worked-on').getByRole('listitem');
    this.onwardSupport = page.locator('#onward-support');
    this.message = page.locator('#message');
    this.planStaysYours = page.locator('#plan-stays-yours');
  }

  async openFromMyProgramme(): Promise<void> {
    await expect(
      this.endedCard.getByRole('heading', { name: 'Your time in the programme has ended' }),
    ).toBeVisible();
    await this.endedCard.getByRole('link', { name: 'Read your summary' }).click();
    await expect(this.page).toHaveURL(/\/me\/summary$/);
    await expect(
      this.page.getByRole('heading', { level: 1, name: 'Your time in the programme' }),
    ).toBeVisible();
  }
}
