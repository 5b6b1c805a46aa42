/** New staff accounts for the journeys: the coordinator creates one, its owner sets up an app. */
import { expect, test, type Page } from '@playwright/test';
import { Header } from '../pages/components.ts';
import { StaffFormPage, StaffListPage, StaffMemberPage } from '../pages/admin.pages.ts';
import { SetUpAuthenticatorPage } from '../pages/staff-sign-in.pages.ts';
import { uniqueFamilyName } from './data.ts';
import { COORDINATOR, demoSignIn } from './flows.ts';
import { freshCode } from './totp.ts';

/** The temporary password the coordinator gives every new starter in these journeys. */
export const TEMPORARY = 'lantern-meadow-compass-71';

export interface NewStarter {
  fullName: string;
  email: string;
}

export function newStarter(prefix: string): NewStarter {
  const surname = uniqueFamilyName(`${prefix}-${test.info().project.name}`);
  return { fullName: `Robin ${surname}`, email: `${surname.toLowerCase()}@demo.greenleaf.nhs.uk` };
}

/** As the coordinator: creates a supervisor's account with the temporary password, then signs out. */
export async function createAccount(page: Page, person: NewStarter): Promise<void> {
  await demoSignIn(page, COORDINATOR);
  await addAccount(page, person, 'Supervisor', 'None (trust-wide)');
  await new Header(page).signOut();
}

/** As the coordinator, signed in: adds an account with one role and the temporary password; ends on its page. */
export async function addAccount(page: Page, person: NewStarter, role: string, team: string): Promise<void> {
  const staff = new StaffListPage(page);
  await staff.open();
  await staff.addStaffButton.click();
  const form = new StaffFormPage(page);
  await form.fullName.fill(person.fullName);
  await form.email.fill(person.email);
  await form.roles.getByLabel(role).check();
  await form.crisisTeam.getByLabel(team).check();
  await form.temporaryPassword.fill(TEMPORARY);
  await form.createButton.click();
  const member = new StaffMemberPage(page);
  await member.expectLoaded(person.fullName);
  await expect(member.value('Password')).toContainText('Temporary password, works until');
}

/** Sets up the authenticator app the page offers; returns its key. */
export async function setUpApp(page: Page, email: string): Promise<string> {
  const setUp = new SetUpAuthenticatorPage(page);
  await setUp.expectLoaded();
  const secret = await setUp.readSetupKey();
  await setUp.finish(await freshCode(email, secret));
  // A supervisor's home page.
  await expect(page.getByRole('heading', { level: 1, name: 'Caseloads' })).toBeVisible();
  return secret;
}
