/** The recovery plan from the outside in: its overview, a section, who can see it, and who has looked. */
import { expect, type Locator, type Page } from '@playwright/test';

/** The list of sections: the participant's own at /me/plan, or staff's at /participants/:id/plan. */
export class PlanOverviewPage {
  readonly page: Page;
  readonly sections: Locator;
  readonly hiddenSections: Locator;

  constructor(page: Page) {
    this.page = page;
    this.sections = page.getByRole('list', { name: 'Sections' }).getByRole('heading', { level: 2 });
    this.hiddenSections = page.locator('#hidden-sections');
  }

  async open(base: string): Promise<void> {
    await this.page.goto(base);
    await this.expectLoaded();
  }

  async expectLoaded(): Promise<void> {
    await expect(
      this.page.getByRole('heading', { level: 1, name: /^(My recovery plan|Recovery plan)$/ }),
    ).toBeVisible();
  }

  async openSection(title: string): Promise<void> {
    await this.page.getByRole('list', { name: 'Sections' }).getByRole('link', { name: title }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  }
}

/** One section, as whoever may see it: free-text answers, with who wrote them. */
export class PlanSectionAsAnyone {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  field(label: string): Locator {
    return this.page.getByRole('textbox', { name: label, exact: true });
  }

  form(label: string): Locator {
    return this.page.locator('form[data-plan-entry]').filter({ has: this.field(label) });
  }

  /** Writes the answer and presses its Save button (the page may save it itself first). */
  async write(label: string, words: string): Promise<void> {
    await this.field(label).fill(words);
    await this.form(label)
      .getByRole('button', { name: `Save ${label}` })
      .click();
    await expect(this.form(label).getByRole('status')).toHaveText('Saved');
  }

  /** The "written by" line under an answer. */
  writtenBy(label: string): Locator {
    return this.form(label).locator('.app-plan-meta');
  }

  saveButtons(): Locator {
    return this.page.getByRole('button', { name: /^Save/ });
  }
}

/** "Who can see my plan": a choice per section. */
export class PlanSharingPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/me/plan/sharing');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Who can see my plan' })).toBeVisible();
  }

  async choose(
    section: string,
    who: 'Only me' | 'Me and my peer support worker' | 'Me, my peer support worker and my care team',
  ): Promise<void> {
    await this.page
      .getByRole('group', { name: section })
      .getByRole('radio', { name: who, exact: true })
      .check();
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save my choices' }).click();
    await expect(this.page.getByText('Your choices have been saved')).toBeVisible();
  }
}

/** "Who has looked at my plan". */
export class PlanViewsPage {
  readonly page: Page;
  readonly rows: Locator;

  constructor(page: Page) {
    this.page = page;
    this.rows = page.locator('#plan-views tbody tr');
  }

  async open(): Promise<void> {
    await this.page.goto('/me/plan/views');
    await expect(
      this.page.getByRole('heading', { level: 1, name: 'Who has looked at my plan' }),
    ).toBeVisible();
  }
}
