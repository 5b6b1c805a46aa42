/** The coordinator's admin pages: crisis teams and staff accounts for their trust. */
import { expect, test } from '@playwright/test';
import {
  StaffFormPage,
  StaffListPage,
  StaffMemberPage,
  TeamFormPage,
  TeamsPage,
} from './pages/admin.pages.ts';
import { checkPage } from './support/checks.ts';
import { uniqueFamilyName } from './support/data.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';

test.beforeEach(async ({ page }) => {
  await demoSignIn(page, COORDINATOR);
});

test('the coordinator adds a crisis team', async ({ page }) => {
  const teams = new TeamsPage(page);
  await teams.open();
  await expect(teams.row('North crisis resolution team')).toContainText('0113 496 0000');
  await expect(teams.row('South crisis resolution team')).toContainText('0113 496 0999');
  await checkPage(page, 'admin-teams');

  await teams.addTeamButton.click();
  const form = new TeamFormPage(page);
  await expect(form.heading).toBeVisible();
  await checkPage(page, 'admin-team-form');
  await form.addButton.click();
  await form.errorSummary.expectErrors(['Enter the crisis team name', 'Enter the crisis team phone number']);
  await checkPage(page, 'admin-team-form-errors');
  await form.errorSummary.expectLinkFocuses('Enter the crisis team name', form.name);
  await form.errorSummary.expectLinkFocuses('Enter the crisis team phone number', form.phone);

  const name = `West crisis team ${uniqueFamilyName(test.info().project.name)}`;
  await form.add(name, '0113 496 0500');
  await expect(teams.heading).toBeVisible();
  await expect(teams.successBanner).toContainText('Crisis team added');
  await expect(teams.row(name)).toContainText('0113 496 0500');
  await checkPage(page);
});

test('the coordinator looks through staff accounts and adds one', async ({ page }) => {
  const staff = new StaffListPage(page);
  await staff.open();
  await expect(staff.row('Pat Peer')).toContainText('psw.pat@demo.greenleaf.nhs.uk');
  await expect(staff.row('Nat Newstart')).toContainText('Peer support worker');
  await checkPage(page, 'admin-staff');

  await staff.row('Pat Peer').getByRole('link', { name: 'Pat Peer' }).click();
  const member = new StaffMemberPage(page);
  await member.expectLoaded('Pat Peer');
  await expect(member.signOutEverywhere).toBeVisible();
  await checkPage(page, 'admin-staff-member');

  await staff.open();
  await staff.addStaffButton.click();
  const form = new StaffFormPage(page);
  await expect(form.heading).toBeVisible();
  await checkPage(page, 'admin-staff-form');
  await form.createButton.click();
  await expect(form.errorSummary.heading).toBeVisible();
  await expect(form.errorSummary.links.first()).toHaveText('Enter their full name');
  await expect(form.errorSummary.link('Enter their email address')).toBeVisible();
  await expect(form.errorSummary.link('Select at least one role')).toBeVisible();
  await expect(form.errorSummary.link('Enter a temporary password')).toBeVisible();
  await checkPage(page, 'admin-staff-form-errors');
  await form.errorSummary.expectLinkFocuses('Enter their full name', form.fullName);
  await form.errorSummary.expectLinkFocuses(
    'Select at least one role',
    form.roles.getByRole('checkbox').first(),
  );

  const surname = uniqueFamilyName('Supervisor');
  const fullName = `Sam ${surname}`;
  await form.fullName.fill(fullName);
  await form.email.fill(`${surname.toLowerCase()}@demo.greenleaf.nhs.uk`);
  await form.roles.getByLabel('Supervisor').check();
  await form.crisisTeam.getByLabel('None (trust-wide)').check();
  await form.temporaryPassword.fill('meadow-lantern-compass-71');
  await form.createButton.click();
  await member.expectLoaded(fullName);
  await expect(member.successBanner).toContainText('Account created');
  await checkPage(page);

  await staff.open();
  await expect(staff.row(fullName)).toContainText('Supervisor');
});
