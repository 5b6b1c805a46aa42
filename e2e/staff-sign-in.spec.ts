/** Journey 2: a coordinator signs in for real: password, then their authenticator app. */
import { expect, test } from '@playwright/test';
import { HelpPage } from './pages/public.pages.ts';
import {
  SecurityCodePage,
  SetUpAuthenticatorPage,
  SignedOutPage,
  StaffSignInPage,
} from './pages/staff-sign-in.pages.ts';
import { WaitingListPage } from './pages/allocation.pages.ts';
import { checkPage } from './support/checks.ts';
import { DEMO_PASSWORD, demoEmail } from './support/data.ts';
import { freshCode, rememberedSecret } from './support/totp.ts';

const coordinator = demoEmail('coordinator');

test('the coordinator signs in with password and authenticator app, then signs out', async ({ page }) => {
  // The first project to run sets the app up; the other signs in with it (fresh database each run).
  test.setTimeout(75_000);
  const signIn = new StaffSignInPage(page);
  await signIn.open();
  await checkPage(page, 'sign-in');
  await signIn.signIn(coordinator, DEMO_PASSWORD);

  const setUp = new SetUpAuthenticatorPage(page);
  const securityCode = new SecurityCodePage(page);
  await expect(setUp.heading.or(securityCode.heading)).toBeVisible();
  if (await setUp.heading.isVisible()) {
    await setUp.expectLoaded();
    const secret = await setUp.readSetupKey();
    await checkPage(page, 'set-up-authenticator');
    await setUp.finish(await freshCode(coordinator, secret));
  } else {
    const secret = rememberedSecret(coordinator);
    expect(secret, 'the other project set up the authenticator app in this run').toBeDefined();
    await checkPage(page);
    await securityCode.enter(await freshCode(coordinator, secret ?? ''));
  }

  // The coordinator's home is the list of people waiting for a worker.
  const waiting = new WaitingListPage(page);
  await waiting.expectLoaded();
  await expect(page.getByRole('banner')).toContainText('Carol Coordinator');
  await checkPage(page, 'allocation-waiting');

  // Staff see their own crisis team on Get help now; the coordinator has none, so only national numbers.
  await waiting.page.getByRole('banner').getByRole('link', { name: 'Get help now' }).click();
  const help = new HelpPage(page);
  await help.expectLoaded();
  await help.expectNationalContacts();
  await checkPage(page);

  await help.header.signOut();
  const signedOut = new SignedOutPage(page);
  await signedOut.expectLoaded();
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await checkPage(page, 'signed-out');

  // Signed out means signed out: a staff page now asks for sign-in again, and, with the app set
  // up, the password leads to the security code. A wrong code is refused in the error summary.
  await page.goto('/allocation');
  await expect(signIn.heading).toBeVisible();
  await signIn.signIn(coordinator, DEMO_PASSWORD);
  await expect(securityCode.heading).toBeVisible();
  await checkPage(page, 'security-code');
  await securityCode.enter('12345');
  await securityCode.errorSummary.expectErrors([
    'The security code is not correct or has expired. Enter the code your app shows now',
  ]);
  await checkPage(page, 'security-code-wrong');
  await securityCode.errorSummary.expectLinkFocuses('The security code is not correct', securityCode.code);
});

test('a wrong password gets one generic message, linked to the email field', async ({ page }) => {
  const signIn = new StaffSignInPage(page);
  await signIn.open();
  await signIn.signIn(coordinator, 'not-the-password');

  await expect(page).toHaveTitle(/^Error: Sign in/);
  await signIn.errorSummary.expectErrors(['Enter a correct email address and password']);
  await expect(page.locator('#email-error')).toContainText('Enter a correct email address and password');
  // The email typed is kept; the password never is.
  await expect(signIn.email).toHaveValue(coordinator);
  await expect(signIn.password).toHaveValue('');
  await checkPage(page, 'sign-in-wrong-password');

  await signIn.errorSummary.expectLinkFocuses('Enter a correct email address and password', signIn.email);
});

test('an empty sign-in form lists both missing fields, each linked to its box', async ({ page }) => {
  const signIn = new StaffSignInPage(page);
  await signIn.open();
  await signIn.continueButton.click();
  await signIn.errorSummary.expectErrors(['Enter your email address', 'Enter your password']);
  await checkPage(page, 'sign-in-empty');
  await signIn.errorSummary.expectLinkFocuses('Enter your email address', signIn.email);
  await signIn.errorSummary.expectLinkFocuses('Enter your password', signIn.password);
});
