/**
 * Before the journeys: many of them refer someone new and allocate them to Pat or Rob, on both
 * screen sizes, which together are more people than a real caseload holds. The coordinator
 * raises both workers' caseload limits through the staff admin page, as they would for a
 * worker taking on more hours.
 */
import { expect, test as setup } from '@playwright/test';
import { StaffListPage, StaffMemberPage } from './pages/admin.pages.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';

setup('Pat and Rob can each take on the journeys’ participants', async ({ page }) => {
  await demoSignIn(page, COORDINATOR);
  for (const name of ['Pat Peer', 'Rob Reyes']) {
    const list = new StaffListPage(page);
    await list.open();
    await list.row(name).getByRole('link', { name, exact: true }).click();
    await new StaffMemberPage(page).expectLoaded(name);
    await page.goto(`${page.url().split('?')[0] ?? ''}/edit`);
    await page.getByLabel('Caseload limit').fill('40');
    await page.getByRole('button', { name: /Save/ }).click();
    await new StaffMemberPage(page).expectLoaded(name);
    await expect(page.getByText('40', { exact: false }).first()).toBeVisible();
  }
});
