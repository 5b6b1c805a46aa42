/**
 * Supervision (issue 15, part 3) at phone width: Sunita sees Rob is overdue for his 1:1, on her
 * caseloads page and the supervision page, records it with an agreed action and the next one
 * booked; records a group session, warned first when the notes carry an NHS number; Rob reads
 * his 1:1. Each page passes the accessibility scan.
 */
import { expect, test } from '@playwright/test';
import { Header } from './pages/components.ts';
import { TrainingFormPage } from './pages/training.pages.ts';
import { checkPage } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

const isoInDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test('Sunita sees Rob’s 1:1 is overdue, records it and a group session; Rob reads his 1:1', async ({
  page,
}) => {
  test.slow();
  const action = `Practise story sharing ${test.info().project.name} ${String(Date.now() % 100000)}`;
  await demoSignIn(page, 'Sunita Supervisor');
  await page.goto('/caseloads');
  const prompt = page.locator('.nhsuk-card--warning').filter({ hasText: 'Supervision overdue' });
  await expect(prompt).toContainText('Rob Reyes: 1:1 was due');
  await prompt.getByRole('link', { name: 'Supervision' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Supervision' })).toBeVisible();
  await checkPage(page, 'supervision');

  await page.getByRole('link', { name: 'Record a 1:1 with Rob Reyes' }).click();
  const form = new TrainingFormPage(page);
  await form.expectHeading('Record 1:1 supervision');
  await form.submit('Record 1:1');
  await form.errorSummary.expectErrors([
    'Enter the date it was held',
    'Enter how long it lasted, in minutes',
  ]);
  await checkPage(page, 'supervision-one-to-one-errors');
  await form.date('Date it was held', isoInDays(0));
  await page.getByLabel('How long it lasted, in minutes').fill('50');
  await page.getByLabel('Notes (optional)').fill('Rob is growing in confidence.');
  await page.getByRole('group', { name: 'Action 1' }).getByLabel('What was agreed').fill(action);
  await form.date('Action 1: due by', isoInDays(14));
  await page
    .getByRole('group', { name: 'Reciprocity and mutuality: learning went both ways' })
    .getByLabel('Mostly')
    .check();
  await form.date(/Next 1:1 booked for/, isoInDays(28));
  await form.submit('Record 1:1');
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('1:1 supervision recorded');
  await expect(page.locator('main')).toContainText(action);
  await checkPage(page, 'supervision-one-to-one');

  await page.goto('/supervision/group');
  await form.date('Date it was held', isoInDays(0));
  await page.getByLabel('How long it lasted, in minutes').fill('90');
  await page.getByLabel('Who facilitated it').fill('Sunita Supervisor');
  await page.getByRole('group', { name: 'Who attended' }).getByLabel('Rob Reyes').check();
  await page.getByRole('group', { name: 'Themes (optional)' }).getByLabel('Looking after yourself').check();
  await page.getByLabel('Notes (optional)').fill('We talked about 943 476 5919.');
  await form.submit('Record group supervision');
  await expect(form.errorSummary.root).toContainText(
    'These notes may identify someone: what looks like an NHS number',
  );
  await checkPage(page, 'supervision-group-warning');
  await page.getByLabel('Notes (optional)').fill('We talked about looking after ourselves.');
  await form.submit('Record group supervision');
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText(
    'Group supervision recorded',
  );
  await new Header(page).signOut();

  await demoSignIn(page, 'Rob Reyes');
  await page.goto('/supervision/mine');
  await expect(page.getByRole('heading', { level: 1, name: 'My supervision' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Ratings at each 1:1' })).toBeVisible();
  await checkPage(page, 'supervision-mine');
  await page
    .getByRole('link', { name: /with Sunita Supervisor/ })
    .first()
    .click();
  await expect(page.locator('main')).toContainText(action);
});
