/** Short set-ups that several journeys need, built from the page objects. */
import { expect, type Page } from '@playwright/test';
import { DemoAccountsPage } from '../pages/staff-sign-in.pages.ts';
import { ParticipantSummaryPage, ReferralFormPage } from '../pages/referral.pages.ts';
import { AllocatePage } from '../pages/allocation.pages.ts';
import { dateParts, fullName, type ReferralData } from './data.ts';

export const COORDINATOR = 'Carol Coordinator';

export async function demoSignIn(page: Page, name: string): Promise<void> {
  await new DemoAccountsPage(page).signInAs(name);
}

/**
 * Set-up only (the referral journey itself types into the page): as the signed-in clinician or
 * coordinator, posts the referral form with the token and team the page gives, and returns the
 * new participant's id. Each date is sent under both names a date box can have (`dischargedOn-day`,
 * which the server reads, and `dischargedOn[day]`, which the NHS.UK date input posts): see the
 * report on the referral form, whose dates never reach the server.
 */
export async function referByPost(page: Page, data: ReferralData): Promise<string> {
  const form = new ReferralFormPage(page);
  await form.open();
  const posted = page.locator('form[action="/referrals"]');
  const field = (name: string) => posted.locator(`input[name="${name}"]`).inputValue();
  const teamId = await form.team(data.crisisTeam).getAttribute('value');
  const dates: Record<string, string> = {};
  for (const [name, parts] of [
    ['dateOfBirth', data.dateOfBirth],
    ['dischargedOn', dateParts(data.dischargedOn)],
  ] as const) {
    for (const part of ['day', 'month', 'year'] as const) {
      dates[`${name}-${part}`] = parts[part];
      dates[`${name}[${part}]`] = parts[part];
    }
  }
  const response = await page.request.post('/referrals', {
    form: {
      _csrf: await field('_csrf'),
      submissionToken: await field('submissionToken'),
      givenName: data.givenName,
      familyName: data.familyName,
      nhsNumber: data.nhsNumber ?? '',
      mobile: data.mobile,
      contactMethods: 'sms',
      mayLeaveMessages: 'no',
      crisisTeamId: teamId ?? '',
      dischargeDestination: data.destination === 'GP' ? 'gp' : 'cmht',
      ...dates,
    },
  });
  const match = /\/participants\/([0-9a-f-]{36})\?done=referred$/.exec(response.url());
  expect(match, `referral of ${fullName(data)} saved (ended at ${response.url()}, status ${String(response.status())})`).not.toBeNull();
  return match?.[1] ?? '';
}

/** As a coordinator: allocates the participant to a worker from their summary page. */
export async function allocate(page: Page, participantId: string, data: ReferralData, worker: string): Promise<void> {
  const summary = new ParticipantSummaryPage(page);
  await summary.open(participantId);
  await summary.allocateButton.click();
  const form = new AllocatePage(page);
  await form.expectLoaded('Allocate a peer support worker', fullName(data));
  await form.choose(worker);
  await summary.expectLoaded(fullName(data));
  await expect(summary.value('Peer support worker')).toHaveText(worker);
}
