/**
 * Equality monitoring (PRODUCT.md section 7): a clinician answers some of the optional questions
 * at referral; the participant signs in and changes an answer on "About you"; their worker sees
 * only the language and interpreter need on the record. Then the same without JavaScript.
 */
import { expect, test, type Page } from '@playwright/test';
import { Header } from './pages/components.ts';
import { MyProgrammePage } from './pages/participant.pages.ts';
import { ParticipantSummaryPage, ReferralFormPage } from './pages/referral.pages.ts';
import { AboutYouPage, AboutYouQuestionPage, ReferralEqualityPart } from './pages/equality.pages.ts';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { buildReferral, fullName, type ReferralData } from './support/data.ts';
import { allocate, COORDINATOR, demoSignIn, signOutOverHttp } from './support/flows.ts';
import { demoSignInOverHttp } from './support/http-forms.ts';

const CLINICIAN = 'Dr Clare Clinician';
const WORKER = 'Pat Peer';

/** As the coordinator, over HTTP: gives the participant a worker, then signs out. */
async function allocateToWorker(page: Page, participantId: string): Promise<void> {
  await signOutOverHttp(page);
  await demoSignInOverHttp(page, COORDINATOR, { open: false });
  await allocate(page, participantId, WORKER);
  await signOutOverHttp(page);
}

function referralData(prefix: string): ReferralData {
  return buildReferral({
    givenName: 'Marta',
    familyName: `${prefix}-${test.info().project.name}-${String(Date.now() % 100000)}`,
  });
}

test('a clinician asks some questions, the participant changes an answer, the worker sees the interpreter need', async ({
  page,
}) => {
  test.slow();
  const data = referralData('Equality');
  await demoSignIn(page, CLINICIAN);
  const form = new ReferralFormPage(page);
  await form.open();
  const equality = new ReferralEqualityPart(page);
  await expect(equality.section).toContainText('These questions are optional');
  await expect(equality.section).toContainText('only ever reported as anonymous totals');

  await form.fill(data);
  await equality.ethnicGroup('White', 'Any other White background').check();
  await equality.firstLanguage.getByRole('radio', { name: 'Another language' }).check();
  await equality.languageName.fill('P'.repeat(61));
  await equality.interpreter.getByRole('radio', { name: 'Yes' }).check();
  await checkPage(page, 'equality-referral-form');
  await form.send();
  await form.errorSummary.expectErrors(['The language must be 60 characters or fewer']);
  await expect(equality.ethnicGroup('White', 'Any other White background')).toBeChecked();
  await checkPage(page, 'equality-referral-form-errors');
  await form.errorSummary.expectLinkFocuses(
    'The language must be 60 characters or fewer',
    equality.languageName,
  );

  await equality.languageName.fill('Polish');
  await form.send();
  const summary = new ParticipantSummaryPage(page);
  await summary.expectLoaded(fullName(data));
  await expect(summary.value('First language')).toHaveText('Polish');
  await expect(summary.value('Interpreter needed')).toHaveText('Yes');
  const participantId = summary.participantId();
  await allocateToWorker(page, participantId);

  // The participant finds "About you" on their programme page and changes their answers.
  await demoSignIn(page, fullName(data));
  await new MyProgrammePage(page).expectLoaded(data.givenName);
  await page.getByRole('link', { name: 'About you' }).click();
  const aboutYou = new AboutYouPage(page);
  await aboutYou.expectLoaded();
  await expect(aboutYou.value('Ethnic group')).toHaveText('White: Any other White background');
  await expect(aboutYou.value('Gender')).toHaveText('Not answered');
  await expect(aboutYou.value('First language')).toHaveText('Polish');
  await checkPage(page, 'equality-about-you');

  await aboutYou.changeLink('Gender').click();
  const question = new AboutYouQuestionPage(page);
  await question.expectLoaded('Which of these best describes your gender?');
  await expect(question.removeButton).toHaveCount(0);
  await checkPage(page, 'equality-about-you-gender');
  await question.choice('Female (including trans woman)').check();
  await question.saveButton.click();
  await aboutYou.expectLoaded();
  await expect(aboutYou.successBanner).toContainText('Your answer is saved.');
  await expect(aboutYou.value('Gender')).toHaveText('Female (including trans woman)');
  await checkPage(page, 'equality-about-you-saved');

  await aboutYou.changeLink('Ethnic group').click();
  await question.expectLoaded('What is your ethnic group?');
  await expect(question.choice('Any other White background')).toBeChecked();
  await checkPage(page, 'equality-about-you-ethnic-group');
  await question.removeButton.click();
  await expect(aboutYou.successBanner).toContainText('Your answer is removed.');
  await expect(aboutYou.value('Ethnic group')).toHaveText('Not answered');
  await new Header(page).signOut();

  // Their worker sees the language and the interpreter need, and none of the other answers.
  await demoSignIn(page, WORKER);
  await summary.open(participantId);
  await summary.expectLoaded(fullName(data));
  await expect(summary.value('First language')).toHaveText('Polish');
  await expect(summary.value('Interpreter needed')).toHaveText('Yes');
  await expect(page.locator('main')).not.toContainText('Female (including trans woman)');
  await checkPage(page, 'equality-participant-summary');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the questions at referral and on "About you" work as plain forms', async ({ page }) => {
    test.slow();
    const data = referralData('Nojs-equality');
    await demoSignIn(page, CLINICIAN);
    const form = new ReferralFormPage(page);
    await form.open();
    const equality = new ReferralEqualityPart(page);
    await form.fill(data);
    await equality.firstLanguage.getByRole('radio', { name: 'English' }).check();
    await equality.languageName.fill('Polish');
    await equality.disability.getByRole('radio', { name: 'Prefer not to say' }).check();
    await form.send();
    await form.errorSummary.expectErrors([
      'Select "Another language" if their first language is not English, or leave "Which language?" empty',
    ]);
    await checkPageWithoutJavaScript(page, 'nojs-equality-referral-errors');
    await equality.firstLanguage.getByRole('radio', { name: 'Another language' }).check();
    await equality.interpreter.getByRole('radio', { name: 'Yes' }).check();
    await form.send();
    const summary = new ParticipantSummaryPage(page);
    await summary.expectLoaded(fullName(data));
    await expect(summary.value('First language')).toHaveText('Polish');
    await expect(summary.value('Interpreter needed')).toHaveText('Yes');
    const participantId = summary.participantId();
    await allocateToWorker(page, participantId);

    await demoSignIn(page, fullName(data));
    await page.goto('/me/about-you');
    const aboutYou = new AboutYouPage(page);
    await expect(aboutYou.value('Disability or long-term health condition')).toHaveText('Prefer not to say');
    await checkPageWithoutJavaScript(page, 'nojs-equality-about-you');
    await aboutYou.changeLink('Interpreter needed').click();
    const question = new AboutYouQuestionPage(page);
    await question.expectLoaded('Do you need an interpreter?');
    await question.choice('No').check();
    await question.saveButton.click();
    await expect(aboutYou.successBanner).toContainText('Your answer is saved.');
    await expect(aboutYou.value('Interpreter needed')).toHaveText('No');
    await checkPageWithoutJavaScript(page, 'nojs-equality-about-you-saved');
  });
});
