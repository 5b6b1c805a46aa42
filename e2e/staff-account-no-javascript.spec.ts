/** A staff member's own password with JavaScript off: every form is a plain form (PRODUCT.md section 8). */
import { expect, test } from '@playwright/test';
import { Header } from './pages/components.ts';
import { StaffListPage, StaffMemberPage } from './pages/admin.pages.ts';
import { OutboxPage, StaffSignInPage } from './pages/staff-sign-in.pages.ts';
import { ChangePasswordPage, FirstSignInPasswordPage, SetUpLinkPage } from './pages/staff-account.pages.ts';
import { checkPageWithoutJavaScript as checkPage } from './support/checks.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';
import { createAccount, newStarter, setUpApp, TEMPORARY } from './support/staff-accounts.ts';

test.use({ javaScriptEnabled: false });

test('without JavaScript, a new starter replaces the temporary password and changes it, and a set-up link works', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const person = newStarter('Nojs');
  await createAccount(page, person);

  const signIn = new StaffSignInPage(page);
  await signIn.open();
  await signIn.signIn(person.email, TEMPORARY);
  const choose = new FirstSignInPasswordPage(page);
  await choose.expectLoaded();
  await choose.choose('my own first password', 'typed it differently');
  await choose.errorSummary.expectErrors(['The passwords do not match']);
  await expect(choose.errorSummary.link('The passwords do not match')).toHaveAttribute(
    'href',
    '#confirmPassword',
  );
  await checkPage(page, 'nojs-first-sign-in-new-password-errors');
  await choose.choose('my own first password');
  await setUpApp(page, person.email);

  const change = new ChangePasswordPage(page);
  await change.openFromHeader();
  await change.change('my own first password', 'short');
  await change.errorSummary.expectErrors(['Password must be 12 characters or more']);
  await checkPage(page, 'nojs-change-password-errors');
  await change.change('my own first password', 'a second password of mine');
  await expect(change.successBanner).toContainText('Your password has been changed');
  await checkPage(page, 'nojs-change-password-done');
  await new Header(page).signOut();

  // The coordinator sends a set-up link (a forgotten password); its owner uses it.
  await demoSignIn(page, COORDINATOR);
  const staff = new StaffListPage(page);
  await staff.open();
  await staff.row(person.fullName).getByRole('link', { name: person.fullName }).click();
  const member = new StaffMemberPage(page);
  await member.expectLoaded(person.fullName);
  await member.sendSetUpLink.click();
  await expect(member.successBanner).toContainText('Set-up link sent');
  const outbox = new OutboxPage(page);
  await outbox.open();
  const link = await outbox.latestSetUpLinkFor(person.email);
  await new Header(page).signOut();

  const setUp = new SetUpLinkPage(page);
  await setUp.open(link, person.email);
  await checkPage(page, 'nojs-set-up-link');
  await setUp.save('a third password, from the link');
  await expect(setUp.savedHeading).toBeVisible();
  await checkPage(page, 'nojs-set-up-link-done');
  await setUp.signInButton.click();
  await signIn.signIn(person.email, 'a third password, from the link');
  await expect(page.getByRole('heading', { level: 1, name: 'Enter your security code' })).toBeVisible();
});
