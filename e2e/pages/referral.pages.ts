/** Referral at discharge: the form a crisis team clinician fills in, and the list of referrals. */
import { expect, type Locator, type Page } from '@playwright/test';
import { ErrorSummary } from './components.ts';
import { dateParts, fullName, type ReferralData } from '../support/data.ts';

export class ReferralFormPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly givenName: Locator;
  readonly familyName: Locator;
  readonly dateOfBirth: Locator;
  readonly nhsNumber: Locator;
  readonly nhsNumberHint: Locator;
  readonly gpPractice: Locator;
  readonly gpPracticeEmail: Locator;
  readonly careCoordinator: Locator;
  readonly careCoordinatorEmail: Locator;
  readonly mobile: Locator;
  readonly contactMethods: Locator;
  readonly mayLeaveMessages: Locator;
  readonly crisisTeam: Locator;
  readonly dischargedOn: Locator;
  readonly destination: Locator;
  readonly sendButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Refer someone at discharge' });
    this.givenName = page.getByLabel('First name', { exact: true });
    this.familyName = page.getByLabel('Last name', { exact: true });
    this.dateOfBirth = page.getByRole('group', { name: 'Date of birth' });
    this.nhsNumber = page.getByLabel('NHS number (optional)');
    this.nhsNumberHint = page.locator('#nhsNumber-hint');
    this.gpPractice = page.getByLabel('GP practice (optional)');
    this.gpPracticeEmail = page.getByLabel('GP practice secure email (optional)');
    this.careCoordinator = page.getByLabel('Care coordinator (optional)');
    this.careCoordinatorEmail = page.getByLabel('Care coordinator secure email (optional)');
    this.mobile = page.getByLabel('Mobile phone number (optional)');
    this.contactMethods = page.getByRole('group', { name: 'How would they like to be contacted?' });
    this.mayLeaveMessages = page.getByRole('group', { name: 'Can we leave voicemail or messages?' });
    this.crisisTeam = page.getByRole('group', { name: 'Which crisis team is discharging them?' });
    this.dischargedOn = page.getByRole('group', { name: 'Date of discharge' });
    this.destination = page.getByRole('group', { name: 'Where does their care go after discharge?' });
    this.sendButton = page.getByRole('button', { name: 'Send referral' });
  }

  async open(): Promise<void> {
    await this.page.goto('/referrals/new');
    await this.expectLoaded();
  }

  async expectLoaded(): Promise<void> {
    await expect(this.heading).toBeVisible();
  }

  team(name: 'North' | 'South'): Locator {
    return this.crisisTeam.getByRole('radio', { name: new RegExp(`^${name} crisis resolution team`) });
  }

  day(group: Locator): Locator {
    return group.getByLabel('Day');
  }

  async fillDate(group: Locator, iso: string): Promise<void> {
    const parts = dateParts(iso);
    await group.getByLabel('Day').fill(parts.day);
    await group.getByLabel('Month').fill(parts.month);
    await group.getByLabel('Year').fill(parts.year);
  }

  async fill(data: ReferralData): Promise<void> {
    await this.givenName.fill(data.givenName);
    await this.familyName.fill(data.familyName);
    await this.dateOfBirth.getByLabel('Day').fill(data.dateOfBirth.day);
    await this.dateOfBirth.getByLabel('Month').fill(data.dateOfBirth.month);
    await this.dateOfBirth.getByLabel('Year').fill(data.dateOfBirth.year);
    await this.nhsNumber.fill(data.nhsNumber ?? '');
    await this.mobile.fill(data.mobile);
    await this.contactMethods.getByLabel('Text message').check();
    await this.mayLeaveMessages.getByLabel('No').check();
    await this.team(data.crisisTeam).check();
    await this.fillDate(this.dischargedOn, data.dischargedOn);
    await this.destination.getByLabel(data.destination, { exact: true }).check();
  }

  async send(): Promise<void> {
    await this.sendButton.click();
  }
}

export class ReferralsPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly referButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Referrals' });
    this.referButton = page.getByRole('button', { name: 'Refer someone' });
  }

  async open(): Promise<void> {
    await this.page.goto('/referrals');
    await expect(this.heading).toBeVisible();
  }

  rowsFor(name: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }
}

/** A participant's summary: programme, personal details, contact, and their workers over time. */
export class ParticipantSummaryPage {
  readonly page: Page;
  readonly successBanner: Locator;
  readonly changeWorkerButton: Locator;
  readonly allocateButton: Locator;
  readonly workerHistory: Locator;
  /** Said when their mobile or email is someone else's too, so it cannot sign them in. */
  readonly sharedContactNote: Locator;

  constructor(page: Page) {
    this.page = page;
    this.sharedContactNote = page.locator('#shared-contact');
    this.successBanner = page.locator('.nhsuk-notification-banner--success');
    this.changeWorkerButton = page.getByRole('button', { name: 'Change peer support worker' });
    this.allocateButton = page.getByRole('button', { name: 'Allocate a peer support worker' });
    this.workerHistory = page
      .getByRole('heading', { name: 'Peer support workers', level: 2 })
      .locator('xpath=following-sibling::ul[1]')
      .getByRole('listitem');
  }

  async open(participantId: string): Promise<void> {
    await this.page.goto(`/participants/${participantId}`);
  }

  async expectLoaded(name: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/participants\/[0-9a-f-]{36}(\?|$)/);
    await expect(this.page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  }

  participantId(): string {
    const match = /\/participants\/([0-9a-f-]{36})/.exec(this.page.url());
    if (!match?.[1]) throw new Error(`not a participant page: ${this.page.url()}`);
    return match[1];
  }

  /** The value beside a key in the summary lists, such as "Peer support worker". */
  value(key: string): Locator {
    return this.page
      .locator('.nhsuk-summary-list__row')
      .filter({ has: this.page.locator('dt', { hasText: key }) })
      .locator('dd')
      .first();
  }
}

/** The step shown when a referral's mobile or email belongs to someone already in Greenleaf. */
export class SharedContactStepPage {
  readonly page: Page;
  readonly errorSummary: ErrorSummary;
  readonly heading: Locator;
  readonly warning: Locator;
  readonly question: Locator;
  readonly continueButton: Locator;
  readonly changeButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.errorSummary = new ErrorSummary(page);
    this.heading = page.getByRole('heading', {
      level: 1,
      name: 'Check if this person is already in Greenleaf',
    });
    this.warning = page.locator('.nhsuk-card--warning');
    this.question = page.getByRole('group', { name: /^Is .* the same person\?$/ });
    this.continueButton = page.getByRole('button', { name: 'Continue' });
    this.changeButton = page.getByRole('button', { name: 'Change their contact details' });
  }

  /** The step for this referral, naming the contact that matched (and never who has it). */
  async expectLoaded(data: ReferralData): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.warning).toContainText('This mobile number belongs to someone already in Greenleaf');
    await expect(this.warning).toContainText(
      `The mobile number ${data.mobile.replace(/^(\d{5}) ?(\d{3}) ?(\d{3})$/, '$1 $2$3')} is recorded for another participant`,
    );
    await expect(
      this.page.getByRole('group', { name: `Is ${fullName(data)} the same person?` }),
    ).toBeVisible();
  }

  option(choice: 'same' | 'different'): Locator {
    return this.question.getByRole('radio', {
      name: choice === 'same' ? 'Yes, it is the same person' : 'No, it is a different person',
    });
  }

  async answer(choice: 'same' | 'different'): Promise<void> {
    await this.option(choice).check();
    await this.continueButton.click();
  }
}

/** After "the same person": nothing saved, and who to contact. */
export class SamePersonPage {
  readonly page: Page;
  readonly heading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Do not refer them again' });
  }

  async expectLoaded(data: ReferralData): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText(`${fullName(data)} is already in Greenleaf`)).toBeVisible();
    await expect(this.page.getByText('Contact your programme coordinator')).toBeVisible();
  }
}
