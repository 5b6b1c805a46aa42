/** Journey 7: every core form works with JavaScript off (PRODUCT.md section 8). */
import { expect, test } from '@playwright/test';
import { AllocatePage, WaitingListPage } from './pages/allocation.pages.ts';
import { MyProgrammePage, ParticipantCodePage, ParticipantSignInPage } from './pages/participant.pages.ts';
import { ParticipantSummaryPage, ReferralFormPage, ReferralsPage } from './pages/referral.pages.ts';
import { OutboxPage } from './pages/staff-sign-in.pages.ts';
import { checkPageWithoutJavaScript as checkPage } from './support/checks.ts';
import { buildReferral, fullName } from './support/data.ts';
import { COORDINATOR, demoSignIn, refer } from './support/flows.ts';

test.use({ javaScriptEnabled: false });

test('a clinician sends a referral without JavaScript', async ({ page }) => {
  await demoSignIn(page, 'Nurse Chidi Obi');
  const form = new ReferralFormPage(page);
  await form.open();
  await form.send();
  await expect(form.errorSummary.heading).toBeVisible();
  await expect(form.errorSummary.links.first()).toHaveText('Enter their first name');
  await checkPage(page, 'nojs-referral-form-errors');
  // The summary's links are plain links to the fields' ids.
  await expect(form.errorSummary.link('Enter their first name')).toHaveAttribute('href', '#givenName');
  await expect(form.errorSummary.link('Enter their date of birth')).toHaveAttribute(
    'href',
    '#dateOfBirth-day',
  );

  const data = buildReferral({
    familyName: `Nojs-${test.info().project.name}-${String(Date.now() % 100000)}`,
    destination: 'GP',
  });
  await form.fill(data);
  await form.send();
  const summary = new ParticipantSummaryPage(page);
  await summary.expectLoaded(fullName(data));
  await expect(summary.successBanner).toContainText('Referral sent');
  await expect(summary.value('Care after discharge')).toHaveText('GP');
  await checkPage(page);

  const referrals = new ReferralsPage(page);
  await referrals.open();
  await expect(referrals.rowsFor(fullName(data))).toHaveCount(1);
});

test('the coordinator allocates a worker without JavaScript', async ({ page }) => {
  await demoSignIn(page, COORDINATOR);
  const data = buildReferral({
    familyName: `Nojs-alloc-${test.info().project.name}-${String(Date.now() % 100000)}`,
  });
  await refer(page, data);
  const waiting = new WaitingListPage(page);
  await waiting.open();
  await waiting.allocate(fullName(data));

  const form = new AllocatePage(page);
  await form.expectLoaded('Allocate a peer support worker', fullName(data));
  await form.allocateButton.click();
  await form.errorSummary.expectErrors(['Select a peer support worker']);
  await checkPage(page, 'nojs-allocate-errors');
  await form.choose('Steve Supervisor');
  const summary = new ParticipantSummaryPage(page);
  await summary.expectLoaded(fullName(data));
  await expect(summary.value('Peer support worker')).toHaveText('Steve Supervisor');
  await checkPage(page);
});

// Seeded participants with a worker in the South team, one per project: Rosie Clarke (Rob) and Mohammed Ali (Kim).
const PARTICIPANTS = {
  phone: { mobile: '07700900011', stored: '+447700900011', displayName: 'Rosie', worker: 'Rob' },
  desktop: { mobile: '+44 7700 900008', stored: '+447700900008', displayName: 'Mohammed', worker: 'Kim' },
} as const;

test('a participant signs in with a code without JavaScript', async ({ page, browser, baseURL }) => {
  const who = test.info().project.name === 'phone' ? PARTICIPANTS.phone : PARTICIPANTS.desktop;
  const signIn = new ParticipantSignInPage(page);
  await signIn.open();
  await signIn.requestCode('not a number');
  await signIn.errorSummary.expectErrors([
    'Enter a UK mobile number, like 07700 900 982, or an email address, like name@example.com',
  ]);
  await expect(signIn.contact).toHaveValue('not a number');
  await checkPage(page, 'nojs-participant-sign-in-errors');

  await signIn.requestCode(who.mobile);
  const codePage = new ParticipantCodePage(page);
  await codePage.expectLoaded();
  await checkPage(page);

  const staff = await browser.newContext({ baseURL, javaScriptEnabled: false });
  let code = '';
  try {
    const staffPage = await staff.newPage();
    await demoSignIn(staffPage, 'Steve Supervisor');
    const outbox = new OutboxPage(staffPage);
    await outbox.open();
    code = await outbox.latestCodeFor(who.stored);
  } finally {
    await staff.close();
  }
  await codePage.enter(code);

  const me = new MyProgrammePage(page);
  await me.expectLoaded(who.displayName);
  await me.expectWorker(who.worker);
  await me.expectCrisisTeam('South crisis resolution team', '0113 496 0999');
  await checkPage(page);
});
