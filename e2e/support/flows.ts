/** Short set-ups that several journeys need, built from the page objects. */
import { expect, type Page } from '@playwright/test';
import { DemoAccountsPage } from '../pages/staff-sign-in.pages.ts';
import { ParticipantSummaryPage, ReferralFormPage } from '../pages/referral.pages.ts';
import { AllocatePage } from '../pages/allocation.pages.ts';
import { buildReferral, fullName, type ReferralData } from './data.ts';

export const COORDINATOR = 'Carol Coordinator';

export async function demoSignIn(page: Page, name: string): Promise<void> {
  await new DemoAccountsPage(page).signInAs(name);
}

/** As the signed-in clinician or coordinator: refers someone new and returns their id. */
export async function refer(page: Page, data: ReferralData): Promise<string> {
  return new ReferralFormPage(page).refer(data);
}

/** As a coordinator: allocates the participant to a worker from their summary page. */
export async function allocate(
  page: Page,
  participantId: string,
  data: ReferralData,
  worker: string,
): Promise<void> {
  const summary = new ParticipantSummaryPage(page);
  await summary.open(participantId);
  await summary.allocateButton.click();
  const form = new AllocatePage(page);
  await form.expectLoaded('Allocate a peer support worker', fullName(data));
  await form.choose(worker);
  await summary.expectLoaded(fullName(data));
  await expect(summary.value('Peer support worker')).toHaveText(worker);
}

/**
 * Set-up most journeys share: the coordinator refers someone new and allocates them to a
 * worker, then the worker signs in. Returns the participant's id and referral details.
 */
export async function newParticipantOf(
  page: Page,
  worker: string,
  overrides: Partial<ReferralData> = {},
): Promise<{ participantId: string; data: ReferralData }> {
  await demoSignIn(page, COORDINATOR);
  const data = buildReferral(overrides);
  const participantId = await refer(page, data);
  await allocate(page, participantId, data, worker);
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await demoSignIn(page, worker);
  return { participantId, data };
}
