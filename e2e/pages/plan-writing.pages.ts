/** A recovery plan section as the participant writes in it: fields, their save status, the choice on a conflict. */
import { expect, type Locator, type Page } from '@playwright/test';

export class PlanSectionPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  async open(sectionKey: string, title: string): Promise<void> {
    await this.page.goto(`/me/plan/${sectionKey}`);
    await expect(this.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  }

  /** The free-text field labelled so (its label is the field's name). */
  field(label: string): Locator {
    return this.page.getByRole('textbox', { name: label, exact: true });
  }

  /** The form that holds the field. */
  form(label: string): Locator {
    return this.page.locator('form[data-plan-entry]').filter({ has: this.field(label) });
  }

  /** What the form says about saving ("Saving…", "Saved", "Offline, …"), announced as a status. */
  status(label: string): Locator {
    return this.form(label).getByRole('status');
  }

  /** Types as a person does, key by key, after what is there. */
  async type(label: string, words: string): Promise<void> {
    const field = this.field(label);
    await field.click();
    await field.press('End');
    await field.pressSequentially(words, { delay: 10 });
  }

  conflict(label: string): Locator {
    return this.form(label).locator('[data-conflict]');
  }

  /** The field's entry id, which names its history page. */
  async entryId(label: string): Promise<string> {
    return (await this.form(label).locator('input[name="entryId"]').inputValue()).trim();
  }
}

/** "Earlier versions" of one entry: every save, newest first. */
export class EntryHistoryPage {
  readonly page: Page;
  readonly versions: Locator;

  constructor(page: Page) {
    this.page = page;
    this.versions = page.locator('.app-plan-history-list > li');
  }

  async open(sectionKey: string, entryId: string): Promise<void> {
    await this.page.goto(`/me/plan/${sectionKey}/entries/${entryId}/history`);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Earlier versions' })).toBeVisible();
  }
}
