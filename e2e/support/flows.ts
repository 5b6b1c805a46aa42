/**
 * Short set-ups that several journeys need. They go over HTTP (./http-forms.ts): the journeys
 * whose subject is signing in, referring or allocating fill those forms in the browser, through
 * the page objects.
 */
import { expect, type Page } from '@playwright/test';
import { buildReferral, dateParts, isoDaysAgo, type ReferralData } from './data.ts';
import { demoSignInOverHttp, findForm, pageHtml, radioValue, submit } from './http-forms.ts';

export const COORDINATOR = 'Carol Coordinator';

/** Signs in as this demo person, and opens the page the demo sign-in button leads to. */
export async function demoSignIn(page: Page, name: string): Promise<void> {
  await demoSignInOverHttp(page, name);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();
}

const DESTINATIONS: Record<ReferralData['destination'], string> = {
  'Community mental health team': 'cmht',
  GP: 'gp',
};

/** As the signed-in clinician or coordinator: refers someone new and returns their id. */
export async function refer(page: Page, data: ReferralData): Promise<string> {
  const html = await pageHtml(page.request, '/referrals/new');
  const born = data.dateOfBirth;
  const discharged = dateParts(data.dischargedOn);
  const location = await submit(page.request, findForm(html, 'action="/referrals"', '/referrals/new'), {
    givenName: data.givenName,
    familyName: data.familyName,
    'dateOfBirth[day]': born.day,
    'dateOfBirth[month]': born.month,
    'dateOfBirth[year]': born.year,
    nhsNumber: data.nhsNumber ?? '',
    mobile: data.mobile,
    contactMethods: 'sms',
    mayLeaveMessages: 'no',
    crisisTeamId: radioValue(html, 'crisisTeamId', `${data.crisisTeam} crisis resolution team`),
    'dischargedOn[day]': discharged.day,
    'dischargedOn[month]': discharged.month,
    'dischargedOn[year]': discharged.year,
    dischargeDestination: DESTINATIONS[data.destination],
  });
  const participantId = /^\/participants\/([0-9a-f-]{36})/.exec(location)?.[1];
  if (!participantId) throw new Error(`the referral led to ${location}, not a participant's page`);
  return participantId;
}

/** As a coordinator: allocates the participant to a worker, as the allocation form does. */
export async function allocate(page: Page, participantId: string, worker: string): Promise<void> {
  const url = `/participants/${participantId}/allocate`;
  const html = await pageHtml(page.request, url);
  const location = await submit(page.request, findForm(html, `action="${url}"`, url), {
    peerWorkerId: radioValue(html, 'peerWorkerId', worker),
  });
  expect(location).toBe(`/participants/${participantId}?done=allocated`);
}

/** Signs out over HTTP, as the header's button does. */
export async function signOutOverHttp(page: Page): Promise<void> {
  const html = await pageHtml(page.request, '/help');
  await submit(page.request, findForm(html, 'action="/sign-out"', '/help'));
}

/**
 * Set-up most journeys share: the coordinator refers someone new and allocates them to a
 * worker, then the worker signs in (on their first page). Returns the participant's id and
 * referral details.
 */
export async function newParticipantOf(
  page: Page,
  worker: string,
  overrides: Partial<ReferralData> = {},
): Promise<{ participantId: string; data: ReferralData }> {
  const data = buildReferral(overrides);
  await demoSignInOverHttp(page, COORDINATOR, { open: false });
  const participantId = await refer(page, data);
  await allocate(page, participantId, worker);
  await signOutOverHttp(page);
  await demoSignIn(page, worker);
  return { participantId, data };
}

/** As the participant's current worker: asks their crisis team for advice (routine), as the form does. */
export async function askForAdvice(page: Page, participantId: string, question: string): Promise<void> {
  const url = `/participants/${participantId}/concerns/new?kind=advice`;
  const html = await pageHtml(page.request, url);
  const location = await submit(page.request, findForm(html, `action="${url}"`, url), {
    whatHappened: question,
    urgency: 'routine',
  });
  expect(location).toMatch(/^\/concerns\/[0-9a-f-]{36}\?done=asked$/);
}

/** As the coordinator: ends a programme today (the participant ended it, no onward support), as the form does. */
export async function endProgramme(page: Page, participantId: string): Promise<void> {
  const url = `/participants/${participantId}/ending`;
  const html = await pageHtml(page.request, url);
  const today = dateParts(isoDaysAgo(0));
  const location = await submit(page.request, findForm(html, `action="${url}"`, url), {
    reason: 'participant_ended',
    onwardSupport: 'None',
    shareConsent: 'not_asked',
    'endedOn[day]': today.day,
    'endedOn[month]': today.month,
    'endedOn[year]': today.year,
  });
  expect(location).toBe(`/participants/${participantId}/ending/summary?done=ended`);
}
