/** Journey 3: a crisis team clinician refers someone at discharge. */
import { expect, test } from '@playwright/test';
import { ParticipantSummaryPage, ReferralFormPage, ReferralsPage } from './pages/referral.pages.ts';
import { checkPage } from './support/checks.ts';
import { buildReferral, fullName, uniqueNhsNumber, withWrongCheckDigit } from './support/data.ts';
import { demoSignIn } from './support/flows.ts';

const CLINICIAN = 'Dr Clare Clinician';

test('a clinician sends a referral once, however often the form is submitted', async ({ page }) => {
  await demoSignIn(page, CLINICIAN);
  const referrals = new ReferralsPage(page);
  await expect(referrals.heading).toBeVisible();
  await checkPage(page, 'referrals');

  await referrals.referButton.click();
  const form = new ReferralFormPage(page);
  await form.expectLoaded();
  // A clinician refers into their own crisis team only, so it is chosen already.
  await expect(form.crisisTeam.getByRole('radio')).toHaveCount(1);
  await expect(form.team('North')).toBeChecked();
  await checkPage(page, 'referral-form');

  // Nothing filled in: every missing answer is listed, and each link lands on its field.
  await form.send();
  await expect(page).toHaveTitle(/^Error: Refer someone at discharge/);
  const errors: [string, ReturnType<typeof form.day>][] = [
    ['Enter their first name', form.givenName],
    ['Enter their last name', form.familyName],
    ['Enter their date of birth', form.day(form.dateOfBirth)],
    ['Select how they would like to be contacted', form.contactMethods.getByLabel('Text message')],
    ['Select yes if we may leave messages', form.mayLeaveMessages.getByLabel('Yes')],
    ['Enter the discharge date', form.day(form.dischargedOn)],
    [
      'Select where their care goes after discharge',
      form.destination.getByLabel('Community mental health team'),
    ],
  ];
  await form.errorSummary.expectErrors(errors.map(([message]) => message));
  await checkPage(page, 'referral-form-errors');
  for (const [message, field] of errors) await form.errorSummary.expectLinkFocuses(message, field);

  // A wrong NHS number is caught by its check digit.
  const nhsNumber = uniqueNhsNumber();
  const data = buildReferral({ nhsNumber: withWrongCheckDigit(nhsNumber) });
  await form.fill(data);
  await form.send();
  await form.errorSummary.expectErrors([
    'Enter a valid NHS number: check the digits, the last one is a check digit',
  ]);
  await expect(form.givenName).toHaveValue(data.givenName);
  await checkPage(page);
  await form.errorSummary.expectLinkFocuses('Enter a valid NHS number', form.nhsNumber);

  // Valid, sent with a double click.
  await form.nhsNumber.fill(nhsNumber);
  await form.sendButton.dblclick();
  const summary = new ParticipantSummaryPage(page);
  await summary.expectLoaded(fullName(data));
  await expect(summary.successBanner).toContainText('Referral sent');
  await expect(summary.value('Peer support worker')).toHaveText('Waiting for a worker');
  await expect(summary.value('NHS number')).toHaveText(nhsNumber);
  await expect(summary.value('Crisis team')).toHaveText('North crisis resolution team');
  await checkPage(page, 'participant-summary-referred');
  const participantId = summary.participantId();

  // Back: the last entry is the form sent with the wrong number, so the browser offers to send
  // it again; the person does, corrects the number again and sends it. Still the same referral.
  await page.goBack().catch((error: unknown) => {
    expect(String(error)).toContain('ERR_CACHE_MISS');
  });
  // Chromium's "Confirm Form Resubmission" page: reloading it sends the form again.
  await expect(async () => {
    await page.reload();
    await form.expectLoaded();
  }).toPass({ timeout: 15_000 });
  await form.errorSummary.expectErrors([
    'Enter a valid NHS number: check the digits, the last one is a check digit',
  ]);
  await form.nhsNumber.fill(nhsNumber);
  await form.send();
  await summary.expectLoaded(fullName(data));
  expect(summary.participantId()).toBe(participantId);

  await referrals.open();
  await expect(referrals.rowsFor(fullName(data))).toHaveCount(1);
  await expect(referrals.rowsFor(fullName(data))).toContainText('Waiting for a worker');
  await checkPage(page);
});

test('a referral records the GP practice and care coordinator, and takes adults only', async ({ page }) => {
  test.slow();
  await demoSignIn(page, CLINICIAN);
  const form = new ReferralFormPage(page);
  await form.open();

  // The hint's example NHS number passes the check digit: typed in, it is not among the errors.
  const example = /for example (\d{3} \d{3} \d{4})/.exec((await form.nhsNumberHint.textContent()) ?? '')?.[1];
  expect(example).toBeDefined();
  // Seventeen today: the programme is for adults (MINIMUM_AGE, 18 unless set).
  const seventeen = new Date();
  seventeen.setFullYear(seventeen.getFullYear() - 17);
  const data = buildReferral({
    dateOfBirth: {
      day: String(seventeen.getDate()),
      month: String(seventeen.getMonth() + 1),
      year: String(seventeen.getFullYear()),
    },
  });
  await form.fill(data);
  await form.nhsNumber.fill(example!);
  await form.gpPractice.fill('Beeston Village Surgery');
  await form.gpPracticeEmail.fill('beeston.surgery@gmail.com');
  await form.careCoordinator.fill('Chris Coordinator');
  await form.careCoordinatorEmail.fill('chris.coordinator@nhs.net');
  await form.send();
  await form.errorSummary.expectErrors([
    'They must be 18 or older to be referred',
    'Enter a secure NHS email address, ending in @nhs.net or .nhs.uk',
  ]);
  await checkPage(page, 'referral-form-age-and-care-team');
  await form.errorSummary.expectLinkFocuses('Enter a secure NHS email address', form.gpPracticeEmail);

  await form.dateOfBirth.getByLabel('Year').fill(String(seventeen.getFullYear() - 1));
  await form.gpPracticeEmail.fill('beeston.surgery@nhs.net');
  const nhsNumber = uniqueNhsNumber();
  await form.nhsNumber.fill(nhsNumber);
  await form.send();
  const summary = new ParticipantSummaryPage(page);
  await summary.expectLoaded(fullName(data));
  await expect(summary.value('NHS number')).toHaveText(nhsNumber);
  await expect(summary.value('GP practice')).toHaveText('Beeston Village Surgerybeeston.surgery@nhs.net');
  await expect(summary.value('Care coordinator')).toHaveText('Chris Coordinatorchris.coordinator@nhs.net');
  await checkPage(page, 'participant-summary-care-team');
});
