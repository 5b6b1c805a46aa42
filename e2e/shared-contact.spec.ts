/**
 * One contact, two people: a referral with a mobile someone in Greenleaf already has is not
 * saved until the referrer says whether it is the same person, and a mobile two participants
 * share signs in neither of them.
 */
import { expect, test } from '@playwright/test';
import {
  ParticipantSummaryPage,
  ReferralFormPage,
  ReferralsPage,
  SamePersonPage,
  SharedContactStepPage,
} from './pages/referral.pages.ts';
import {
  ParticipantCodePage,
  ParticipantSignInPage,
  SharedContactRefusalPage,
} from './pages/participant.pages.ts';
import { OutboxPage } from './pages/staff-sign-in.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { buildReferral, fullName, uniqueMobile } from './support/data.ts';
import { demoSignIn, refer } from './support/flows.ts';

const CLINICIAN = 'Dr Clare Clinician';

test('a referral with someone else’s mobile asks if it is the same person; "the same person" saves nothing', async ({
  page,
}) => {
  await demoSignIn(page, CLINICIAN);
  const mobile = uniqueMobile();
  await refer(page, buildReferral({ mobile }));

  const again = buildReferral({ givenName: 'Bea', mobile });
  const form = new ReferralFormPage(page);
  await form.open();
  await form.fill(again);
  await form.send();
  const step = new SharedContactStepPage(page);
  await step.expectLoaded(again);
  await checkPage(page, 'referral-shared-contact');

  // No answer: asked again, with the error summary.
  await step.continueButton.click();
  await step.errorSummary.expectErrors(['Select whether they are the same person']);
  await checkPage(page, 'referral-shared-contact-errors');
  await step.errorSummary.expectLinkFocuses('Select whether they are the same person', step.option('same'));

  await step.answer('same');
  await new SamePersonPage(page).expectLoaded(again);
  await checkPage(page, 'referral-same-person');

  const referrals = new ReferralsPage(page);
  await referrals.open();
  await expect(referrals.rowsFor(fullName(again))).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a different person sharing a mobile is referred, and whoever signs in with it is told to contact their worker', async ({
    page,
    browser,
    baseURL,
  }) => {
    await demoSignIn(page, CLINICIAN);
    const mobile = uniqueMobile();
    const first = buildReferral({ mobile });
    await refer(page, first);

    const second = buildReferral({ givenName: 'Cal', mobile });
    const form = new ReferralFormPage(page);
    await form.open();
    await form.fill(second);
    await form.send();
    const step = new SharedContactStepPage(page);
    await step.expectLoaded(second);
    await checkPageWithoutJavaScript(page, 'nojs-referral-shared-contact');

    // Back to the form to look again: everything typed is still there.
    await step.changeButton.click();
    await form.expectLoaded();
    await expect(form.familyName).toHaveValue(second.familyName);
    await expect(form.mobile).toHaveValue(mobile);
    await form.send();

    await step.expectLoaded(second);
    await step.answer('different');
    const summary = new ParticipantSummaryPage(page);
    await summary.expectLoaded(fullName(second));
    await expect(summary.successBanner).toContainText('Referral sent');
    await expect(summary.sharedContactNote).toContainText(
      'This mobile number is also recorded for someone else in Greenleaf, so they cannot use it to sign in.',
    );
    await checkPageWithoutJavaScript(page, 'nojs-participant-summary-shared-contact');
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();

    // Whoever has the phone asks for a code, and it arrives...
    const signIn = new ParticipantSignInPage(page);
    await signIn.open();
    await signIn.requestCode(mobile);
    const codePage = new ParticipantCodePage(page);
    await codePage.expectLoaded();
    const staff = await browser.newContext({ baseURL, javaScriptEnabled: false });
    let code = '';
    try {
      const staffPage = await staff.newPage();
      await demoSignIn(staffPage, 'Sunita Supervisor');
      const outbox = new OutboxPage(staffPage);
      await outbox.open();
      code = await outbox.latestCodeFor(`+44${mobile.replace(/\s/g, '').slice(1)}`);
    } finally {
      await staff.close();
    }
    // ...but it signs in neither of them.
    await codePage.enter(code);
    await new SharedContactRefusalPage(page).expectLoaded();
    await checkPageWithoutJavaScript(page, 'nojs-participant-shared-contact');
    await page.goto('/me');
    await expect(signIn.heading).toBeVisible();
  });
});
