/**
 * A staff member's own password, in a real browser: the temporary password a coordinator chose
 * must be replaced at the first sign-in; anyone can change theirs from the header; after a
 * coordinator resets an authenticator app, only the set-up link emailed to the owner lets them
 * back in, once. Every new page is checked (axe, phone width) and must fit 320 px.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Header } from './pages/components.ts';
import { StaffListPage, StaffMemberPage } from './pages/admin.pages.ts';
import { OutboxPage, SecurityCodePage, StaffSignInPage } from './pages/staff-sign-in.pages.ts';
import { ChangePasswordPage, FirstSignInPasswordPage, SetUpLinkPage } from './pages/staff-account.pages.ts';
import { checkPage } from './support/checks.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';
import { createAccount, newStarter, setUpApp, TEMPORARY } from './support/staff-accounts.ts';
import { freshCode } from './support/totp.ts';

const FIRST = 'my own first password';
const SECOND = 'and then a second one';

/**
 * The page as it is now fits 320 CSS pixels without scrolling sideways (WCAG 1.4.10), with a
 * screenshot at that width to look at; the window goes back to its size after.
 */
async function expectFits320(page: Page, screen: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  // The header folds its links under "More" once it sees the new width: give it that moment.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
      message: `page width at 320 px on ${page.url()}`,
    })
    .toBeLessThanOrEqual(320);
  if (test.info().project.name === 'phone') {
    await page.screenshot({
      path: path.join(test.info().project.outputDir, 'screens', `${screen}-320.png`),
      fullPage: true,
    });
  }
  if (size) await page.setViewportSize(size);
}

test('a new member of staff must replace the temporary password at their first sign-in, then can change it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const person = newStarter('Starter');
  await createAccount(page, person);

  const signIn = new StaffSignInPage(page);
  await signIn.open();
  await signIn.signIn(person.email, TEMPORARY);
  const choose = new FirstSignInPasswordPage(page);
  await choose.expectLoaded();
  await checkPage(page, 'first-sign-in-new-password');
  await expectFits320(page, 'first-sign-in-new-password');
  await choose.continueButton.click();
  await choose.errorSummary.expectErrors(['Enter a new password', 'Enter the new password again']);
  await checkPage(page, 'first-sign-in-new-password-errors');
  await expectFits320(page, 'first-sign-in-new-password-errors');
  await choose.errorSummary.expectLinkFocuses('Enter a new password', choose.fields.newPassword);
  await choose.choose(TEMPORARY);
  await choose.errorSummary.expectErrors([
    'Choose a password that is different from your temporary password',
  ]);
  await choose.choose(FIRST, 'not what I typed first');
  await choose.errorSummary.expectErrors(['The passwords do not match']);
  await choose.choose(FIRST);
  const secret = await setUpApp(page, person.email);

  const change = new ChangePasswordPage(page);
  await change.openFromHeader();
  await checkPage(page, 'change-password');
  await expectFits320(page, 'change-password');
  await change.change('not my password at all', SECOND);
  await change.errorSummary.expectErrors(['Your current password is not correct']);
  await checkPage(page, 'change-password-errors');
  await expectFits320(page, 'change-password-errors');
  await change.errorSummary.expectLinkFocuses('Your current password is not correct', change.currentPassword);
  await change.change(FIRST, SECOND);
  await expect(change.successBanner).toContainText('Your password has been changed');
  await checkPage(page, 'change-password-done');

  // Neither the temporary nor the first password signs in now; the new one, with the app, does.
  await new Header(page).signOut();
  for (const old of [TEMPORARY, FIRST]) {
    await signIn.open();
    await signIn.signIn(person.email, old);
    await signIn.errorSummary.expectErrors(['Enter a correct email address and password']);
  }
  await signIn.signIn(person.email, SECOND);
  const code = new SecurityCodePage(page);
  await expect(code.heading).toBeVisible();
  await code.enter(await freshCode(person.email, secret));
  await expect(page.getByRole('banner')).toContainText(person.fullName);
});

test('after a coordinator resets an authenticator app, only the set-up link emailed to its owner lets them back in, once', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const person = newStarter('Reset');
  await createAccount(page, person);
  const signIn = new StaffSignInPage(page);
  await signIn.open();
  await signIn.signIn(person.email, TEMPORARY);
  await new FirstSignInPasswordPage(page).choose(FIRST);
  await setUpApp(page, person.email);
  await new Header(page).signOut();

  // The coordinator resets the app; the page says a link went to them, and never shows it.
  await demoSignIn(page, COORDINATOR);
  const staff = new StaffListPage(page);
  await staff.open();
  await staff.row(person.fullName).getByRole('link', { name: person.fullName }).click();
  const member = new StaffMemberPage(page);
  await member.expectLoaded(person.fullName);
  await expect(member.value('Password')).toHaveText('Set by them');
  await member.resetAuthenticator.click();
  await expect(member.successBanner).toContainText('we have emailed them a link to choose a new password');
  await expect(member.value('Password')).toContainText('Set-up link sent, works until');
  await expect(page.locator('main')).not.toContainText('/account/set-up/');
  await checkPage(page, 'admin-staff-member-link-sent');

  // The owner's email (the demo outbox), then the link, signed out.
  const outbox = new OutboxPage(page);
  await outbox.open();
  const link = await outbox.latestSetUpLinkFor(person.email);
  await new Header(page).signOut();

  const setUp = new SetUpLinkPage(page);
  await setUp.open(link, person.email);
  await checkPage(page, 'set-up-link');
  await expectFits320(page, 'set-up-link');
  await setUp.save('too short');
  await setUp.errorSummary.expectErrors(['Password must be 12 characters or more']);
  await checkPage(page, 'set-up-link-errors');
  await expectFits320(page, 'set-up-link-errors');
  await setUp.errorSummary.expectLinkFocuses(
    'Password must be 12 characters or more',
    setUp.fields.newPassword,
  );
  await setUp.save(SECOND);
  await expect(setUp.savedHeading).toBeVisible();
  await checkPage(page, 'set-up-link-done');
  await expectFits320(page, 'set-up-link-done');

  // Used once, the link only explains itself.
  await page.goto(link);
  await expect(setUp.expiredHeading).toBeVisible();
  await expect(page.locator('main')).toContainText('Ask your programme coordinator to send you a new one');
  await checkPage(page, 'set-up-link-expired');
  await expectFits320(page, 'set-up-link-expired');

  // The old password is gone; the new one leads to setting up an app afresh.
  await signIn.open();
  await signIn.signIn(person.email, FIRST);
  await signIn.errorSummary.expectErrors(['Enter a correct email address and password']);
  await signIn.signIn(person.email, SECOND);
  await setUpApp(page, person.email);
});
