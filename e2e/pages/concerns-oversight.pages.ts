/**
 * The concerns overview for supervisors and the coordinator: what waits to be acknowledged (by
 * team, and listed a page at a time), response times, monthly summary; and one team's list.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';

export class ConcernsOverviewPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly navLink: Locator;
  readonly openHeading: Locator;
  readonly byTeamTable: Locator;
  /** The links to the pages before and after of the list of what waits, shown past 50 items. */
  readonly pageLinks: Locator;
  readonly nextPage: Locator;
  readonly recentTable: Locator;
  readonly monthlyHeading: Locator;
  readonly monthlyTable: Locator;
  readonly month: Locator;
  readonly showMonthButton: Locator;
  readonly errorSummary: ErrorSummary;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Concerns across teams' });
    this.navLink = page.getByRole('banner').getByRole('link', { name: 'Concerns', exact: true });
    this.openHeading = page.getByRole('heading', { level: 2, name: 'Waiting to be acknowledged' });
    this.byTeamTable = page.getByRole('table', { name: 'Waiting to be acknowledged, by crisis team' });
    this.pageLinks = page.getByRole('navigation', { name: 'Pages of concerns waiting to be acknowledged' });
    this.nextPage = this.pageLinks.getByRole('link', { name: /^Next/ });
    this.recentTable = page.getByRole('table', { name: /Response times in the last 30 days/ });
    this.monthlyHeading = page.getByRole('heading', { level: 2, name: /^Monthly summary: / });
    this.monthlyTable = page.getByRole('table', { name: /^Items raised in .*, by team$/ });
    this.month = page.getByLabel('Month', { exact: true });
    this.showMonthButton = page.getByRole('button', { name: 'Show month' });
    this.errorSummary = new ErrorSummary(page);
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(`/concerns/overview${query}`);
    await expect(this.heading).toBeVisible();
  }

  /** Picks a month in the select (by its words, "October 2026") and shows its summary. */
  async showMonth(text: string): Promise<void> {
    await this.month.selectOption({ label: text });
    await this.showMonthButton.click();
    await expect(this.monthlyHeading).toHaveText(`Monthly summary: ${text}`);
  }

  /** A team's row in the count of what waits, by team ("All teams" for the total). */
  byTeamRow(label: string): Locator {
    return this.byTeamTable
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: label }) });
  }

  /** The summary row for a team ("All teams" for the total). */
  monthlyRow(label: string): Locator {
    return this.monthlyTable
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: label }) });
  }
}

/** One crisis team's list of what waits to be acknowledged. */
export class TeamConcernsPage {
  readonly page: Page;
  readonly items: Locator;
  readonly pageLinks: Locator;

  constructor(page: Page) {
    this.page = page;
    this.items = page.locator('#open-concerns tbody tr');
    this.pageLinks = page.getByRole('navigation', {
      name: /^Pages of concerns waiting to be acknowledged by /,
    });
  }

  async expectLoaded(team: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/concerns\/overview\/teams\/[0-9a-f-]{36}(\?page=\d+)?$/);
    await expect(this.page.getByRole('heading', { level: 1, name: team })).toBeVisible();
  }
}
