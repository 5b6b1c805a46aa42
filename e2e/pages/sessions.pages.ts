/** A peer support worker's session pages: booking a session and recording what happened. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';
import type { DateParts } from '../support/data.ts';

/** The "Sessions" part of a participant's summary page. */
export class SummarySessions {
  readonly page: Page;
  readonly attended: Locator;
  readonly items: Locator;
  readonly bookButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.attended = page.locator('#sessions-attended');
    this.items = page.locator('#sessions').getByRole('listitem');
    this.bookButton = page.getByRole('button', { name: 'Book a session' });
  }

  recordLink(index = 0): Locator {
    return this.items.nth(index).getByRole('link', { name: /^(Record what happened|Change)/ });
  }
}

export class BookSessionPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly day: Locator;
  readonly month: Locator;
  readonly year: Locator;
  readonly time: Locator;
  readonly modes: Locator;
  readonly places: Locator;
  readonly bookButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.day = page.getByLabel('Day');
    this.month = page.getByLabel('Month');
    this.year = page.getByLabel('Year');
    this.time = page.getByLabel('Time', { exact: true });
    this.modes = page.getByRole('group', { name: 'How will you meet?' });
    this.places = page.getByRole('group', { name: 'Where will you meet?' });
    this.bookButton = page.getByRole('button', { name: 'Book session' });
  }

  async expectLoaded(participantName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/participants\/[0-9a-f-]{36}\/sessions\/new$/);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Book a session' })).toBeVisible();
    await expect(this.page.getByText(participantName, { exact: true })).toBeVisible();
  }

  async book(on: DateParts, time: string, mode: 'In person' | 'Phone' | 'Video call', place?: string) {
    await this.day.fill(on.day);
    await this.month.fill(on.month);
    await this.year.fill(on.year);
    await this.time.fill(time);
    await this.modes.getByRole('radio', { name: mode, exact: true }).check();
    if (place) await this.places.getByRole('radio', { name: place, exact: true }).check();
    await this.bookButton.click();
  }
}

export class RecordSessionPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly outcomes: Locator;
  readonly duration: Locator;
  readonly sections: Locator;
  readonly storySharing: Locator;
  readonly note: Locator;
  readonly followUps: Locator;
  readonly concern: Locator;
  readonly saveButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.outcomes = page.getByRole('group', { name: 'What happened?' });
    this.duration = page.getByLabel('How long did the session last?');
    this.sections = page.getByRole('group', { name: 'Which sections of their plan did you work on?' });
    this.storySharing = page.getByRole('group', { name: 'Did you share your own story?' });
    this.note = page.getByLabel('Short note (optional)');
    this.followUps = page.getByLabel('Follow-ups (optional)');
    this.concern = page.getByRole('checkbox', { name: 'I have a concern to raise with the crisis team' });
    this.saveButton = page.getByRole('button', { name: 'Save' });
  }

  async expectLoaded(participantName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\/record$/);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Record what happened' })).toBeVisible();
    await expect(this.page.getByText(participantName, { exact: true })).toBeVisible();
  }

  async recordAttended(details: {
    minutes: string;
    sections: string[];
    sharedStory: boolean;
    note: string;
    followUps: string;
  }): Promise<void> {
    await this.outcomes.getByRole('radio', { name: 'They attended' }).check();
    await this.duration.fill(details.minutes);
    for (const section of details.sections) {
      await this.sections.getByRole('checkbox', { name: section, exact: true }).check();
    }
    await this.storySharing.getByRole('radio', { name: details.sharedStory ? 'Yes' : 'No' }).check();
    await this.note.fill(details.note);
    await this.followUps.fill(details.followUps);
    await this.saveButton.click();
  }

  async recordNotAttended(reason: string, concern: boolean): Promise<void> {
    await this.outcomes.getByRole('radio', { name: 'They did not attend' }).check();
    await this.page
      .getByRole('group', { name: 'If it did not go ahead, why not?' })
      .getByLabel(reason)
      .check();
    if (concern) await this.concern.check();
    await this.saveButton.click();
  }
}

/** "Record a session that already happened": when and how, then what happened, on one page. */
export class PastSessionPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly booking: BookSessionPage;
  readonly record: RecordSessionPage;
  readonly modes: Locator;
  readonly places: Locator;
  readonly saveButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.booking = new BookSessionPage(page);
    this.record = new RecordSessionPage(page);
    this.modes = page.getByRole('group', { name: 'How did you meet?' });
    this.places = page.getByRole('group', { name: 'Where did you meet?' });
    this.saveButton = page.getByRole('button', { name: 'Save session' });
  }

  async expectLoaded(participantName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/participants\/[0-9a-f-]{36}\/sessions\/past$/);
    await expect(
      this.page.getByRole('heading', { level: 1, name: 'Record a session that already happened' }),
    ).toBeVisible();
    await expect(this.page.getByText(participantName, { exact: true })).toBeVisible();
  }

  /** Fills when and how; the record questions are filled through `record`'s locators. */
  async fillWhen(on: DateParts, time: string, mode: 'In person' | 'Phone' | 'Video call', place?: string) {
    await this.booking.day.fill(on.day);
    await this.booking.month.fill(on.month);
    await this.booking.year.fill(on.year);
    await this.booking.time.fill(time);
    await this.modes.getByRole('radio', { name: mode, exact: true }).check();
    if (place) await this.places.getByRole('radio', { name: place, exact: true }).check();
  }
}
