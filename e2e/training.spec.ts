/**
 * The workforce's training (issue 15): the coordinator appoints a new peer support worker,
 * records their training and checks, sees why they cannot take participants yet, allows an
 * exception with a reason; supervisors see every worker at once; a worker sees their own
 * record and what runs out soon. At phone width, with an accessibility scan of each page.
 */
import { expect, test } from '@playwright/test';
import { TrainingFormPage, TrainingMatrixPage, WorkerTrainingPage } from './pages/training.pages.ts';
import { Header } from './pages/components.ts';
import { checkPage } from './support/checks.ts';
import { COORDINATOR, demoSignIn } from './support/flows.ts';
import { addAccount, newStarter } from './support/staff-accounts.ts';

const isoToday = () => new Date().toISOString().slice(0, 10);
const isoInDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test('the coordinator records a new worker’s training and checks, and allows an exception with a reason', async ({
  page,
}) => {
  test.slow();
  const person = newStarter('Trainee');
  await demoSignIn(page, COORDINATOR);
  await addAccount(page, person, 'Peer support worker', 'North crisis resolution team');
  await page.getByRole('link', { name: 'Training, checks and whether they can take participants' }).click();

  const record = new WorkerTrainingPage(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Training and checks' })).toBeVisible();
  await expect(record.notYet).toContainText('Boundaries and disclosure (not recorded)');
  await expect(record.notYet).toContainText('Enhanced DBS check (not recorded)');
  await checkPage(page, 'training-record-new-starter');

  // Training, with nothing filled in first.
  await record.recordTraining.click();
  const training = new TrainingFormPage(page);
  await training.expectHeading('Record training');
  await training.submit('Record training');
  await training.errorSummary.expectErrors([
    'Select the training they completed',
    'Enter the date completed',
    'Enter who ran the training, such as the course provider or the trust',
  ]);
  await checkPage(page, 'training-record-errors');
  await page.getByLabel('Boundaries and disclosure').check();
  await training.date('Date completed', isoToday());
  await page.getByLabel('Who ran it').fill('Recovery College');
  await training.submit('Record training');
  await expect(record.successBanner).toContainText('Training recorded');
  await expect(record.item('Boundaries and disclosure')).toContainText('Done');
  await expect(record.notYet).not.toContainText('Boundaries and disclosure');

  // A DBS check needs its renewal date.
  await record.recordCheck.click();
  await training.expectHeading('Record a pre-employment check');
  await page.getByLabel('Enhanced DBS check').check();
  await training.date('Date of the check', isoToday());
  await training.submit('Record check');
  await training.errorSummary.expectErrors(['Enter the date the DBS check is to be renewed by']);
  await checkPage(page, 'training-check-errors');
  await training.date(/Renewal date/, isoInDays(3 * 365));
  await training.submit('Record check');
  await expect(record.successBanner).toContainText('Check recorded');
  await expect(record.item('Enhanced DBS check')).toContainText('Current');

  // The exception: a reason and an end date, then on the record with the coordinator's name.
  await record.allow.click();
  await training.expectHeading('Allow them to take participants');
  await checkPage(page, 'training-allow');
  await page
    .getByLabel('Why may they take participants now?')
    .fill('Course completed with another trust; certificates requested');
  await training.date('Date it ends', isoInDays(14));
  await training.submit('Allow until this date');
  await expect(record.successBanner).toContainText('They may now take participants');
  await expect(page.locator('.nhsuk-inset-text')).toContainText('Carol Coordinator');
  await expect(page.locator('.nhsuk-inset-text')).toContainText('certificates requested');
  await checkPage(page, 'training-record-exception');

  const matrix = new TrainingMatrixPage(page);
  await page.goto('/training');
  await expect(matrix.heading).toBeVisible();
  await expect(matrix.row(person.fullName)).toContainText('Yes, allowed until');
  await expect(matrix.row('Nat Newstart')).toContainText('No');
  await expect(matrix.row('Kim Kaur')).toContainText('Expired');
  await checkPage(page, 'training-matrix');
  const csv = await page.request.get((await matrix.download.getAttribute('href')) ?? '');
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain(person.fullName);

  // Ended: they are back to "Not yet".
  await matrix.row(person.fullName).getByRole('link', { name: person.fullName }).click();
  await record.endException.click();
  await expect(record.successBanner).toContainText('Exception ended');
  await expect(record.notYet).toBeVisible();
});

test('a worker sees their own training and what runs out soon; a supervisor sees everyone’s', async ({
  page,
}) => {
  await demoSignIn(page, 'Rob Reyes');
  await page.goto('/training/mine');
  await expect(page.getByRole('heading', { level: 1, name: 'My training' })).toBeVisible();
  await expect(page.getByText('Running out within 30 days:')).toBeVisible();
  await expect(
    page.getByRole('listitem').filter({ hasText: 'Data security awareness, after' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Record training' })).toHaveCount(0);
  await checkPage(page, 'training-mine');

  await new Header(page).signOut();
  await demoSignIn(page, 'Sunita Supervisor');
  await page.goto('/workforce');
  await expect(page.getByRole('heading', { level: 1, name: 'Workforce' })).toBeVisible();
  await checkPage(page, 'workforce');
  await page.getByRole('link', { name: 'Training and checks of each worker' }).click();
  const matrix = new TrainingMatrixPage(page);
  await expect(matrix.row('Rob Reyes')).toContainText('Due');
  await expect(matrix.row('Pat Peer')).toContainText('Yes');
});
