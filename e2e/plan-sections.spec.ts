/**
 * A new participant writes in every kind of section of their recovery plan on a phone: free
 * text, list items, a goal with small steps, a supporter and a local service; chooses who can
 * see each section; and does it all again with JavaScript off, where every section is an
 * ordinary form.
 */
import { expect, test, type Page } from '@playwright/test';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { fullName } from './support/data.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';

async function newParticipantSignedIn(page: Page, label: string): Promise<string> {
  const { data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Plan-${label}-${test.info().project.name}-${String(Date.now() % 100000)}`,
  });
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await demoSignIn(page, fullName(data));
  return fullName(data);
}

/** The form that holds the field labelled `label`. */
const formOf = (page: Page, label: string | RegExp) =>
  page.locator('form', { has: page.getByLabel(label, { exact: typeof label === 'string' }) }).first();

async function writeEverySection(
  page: Page,
  check: (page: Page, screen?: string) => Promise<void>,
  prefix: string,
) {
  await page.getByRole('banner').getByRole('link', { name: 'My recovery plan' }).click();
  // The first time, they say who may see each section (the suggestion is chosen already).
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Who can see your plan?');
  await page.getByRole('button', { name: 'Save and go to my plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My recovery plan');
  const sections = page.getByRole('list', { name: 'Sections' }).getByRole('link');
  await expect(sections.first()).toHaveText('Moving on after a crisis');
  await expect(sections).toHaveCount(7);
  await check(page, `${prefix}-overview`);

  // Free text.
  await sections.first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moving on after a crisis');
  const helped = formOf(page, 'What helped');
  await helped.getByLabel('What helped').fill('My sister came round every day.\nWalking the dog.');
  await helped.getByRole('button', { name: 'Save What helped' }).click();
  await expect(helped.getByRole('status')).toHaveText('Saved');
  await check(page, `${prefix}-moving-on`);

  // List items.
  await page.goto('/me/plan/keeping_well');
  const strengths = formOf(page, 'Add to “My strengths”');
  await strengths.getByLabel('Add to “My strengths”').fill('I am a good listener');
  await strengths.getByRole('button', { name: 'Add to My strengths' }).click();
  await expect(page.getByLabel('My strengths: item 1')).toHaveValue('I am a good listener');
  await check(page, `${prefix}-keeping-well`);

  // A goal with small steps and how it is going.
  await page.goto('/me/plan/hopes_and_goals');
  const addGoal = page.locator('form', { has: page.getByRole('group', { name: 'Add a goal' }) });
  await addGoal.getByLabel('My goal').fill('Get back to the allotment');
  await addGoal.getByLabel('A step (optional)').fill('Ring Dave about the shed');
  await addGoal.getByLabel('Another step (optional)').first().fill('Buy seeds');
  await addGoal.getByLabel('Started', { exact: true }).check();
  await addGoal.getByRole('button', { name: 'Add goal' }).click();
  const goal = page.locator('form', { has: page.getByRole('group', { name: 'Goal 1' }) });
  await expect(goal.getByLabel('My goal')).toHaveValue('Get back to the allotment');
  await expect(goal.getByLabel('Step 1', { exact: true })).toHaveValue('Ring Dave about the shed');
  await expect(goal.getByLabel('Started', { exact: true })).toBeChecked();
  await check(page, `${prefix}-goals`);

  // A supporter and a local service.
  await page.goto('/me/plan/people_and_places');
  const addPerson = page.locator('form', {
    has: page.getByRole('group', { name: 'Add someone who supports you' }),
  });
  await addPerson.getByLabel('Their name').fill('Aunt Jo');
  await addPerson.getByLabel('Who they are to you (optional)').fill('My aunt');
  await addPerson.getByLabel('How to reach them (optional)').fill('07700 900123');
  await addPerson.getByRole('button', { name: 'Add person' }).click();
  await expect(
    page.locator('form', { has: page.getByRole('group', { name: 'Person 1' }) }).getByLabel('Their name'),
  ).toHaveValue('Aunt Jo');
  const addService = page.locator('form', {
    has: page.getByRole('group', { name: 'Add a service or group' }),
  });
  await addService.getByLabel('Name of the service or group').fill('Tuesday walking group');
  await addService.getByRole('button', { name: 'Add service or group' }).click();
  await expect(
    page
      .locator('form', { has: page.getByRole('group', { name: 'Service 1' }) })
      .getByLabel('Name of the service or group'),
  ).toHaveValue('Tuesday walking group');
  await check(page, `${prefix}-people`);

  // A supporter without a name: the error summary, nothing added.
  await addPerson.getByLabel('How to reach them (optional)').fill('07700 900999');
  await page
    .locator('form', { has: page.getByRole('group', { name: 'Add someone who supports you' }) })
    .getByRole('button', { name: 'Add person' })
    .click();
  return { check };
}

test('a participant writes in every kind of section on their phone', async ({ page }) => {
  // Every section of the plan, each page scanned: longer than the default allowance.
  test.slow();
  await newParticipantSignedIn(page, 'js');
  await writeEverySection(page, checkPage, 'plan');
  // With JavaScript the form says what is wrong beside the field, and nothing was added.
  await expect(page.getByText('Write their name').first()).toBeVisible();
  await page.reload();
  await expect(page.getByRole('group', { name: 'Person 2' })).toHaveCount(0);

  // The overview shows gently where they have written.
  await page.goto('/me/plan');
  await expect(page.getByText('You have written here')).toHaveCount(4);

  // Who can see what: one choice per section.
  await page.getByRole('link', { name: 'Choose who can see each section' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Who can see my plan');
  await page.getByRole('group', { name: 'Moving on after a crisis' }).getByLabel('Only me').check();
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await expect(page.getByText('Your choices have been saved')).toBeVisible();
  await expect(
    page.getByRole('group', { name: 'Moving on after a crisis' }).getByLabel('Only me'),
  ).toBeChecked();
  await checkPage(page, 'plan-sharing');
  await page.goto('/me/plan/views');
  await expect(page.getByText('Nobody else has looked at your plan yet.')).toBeVisible();
  await checkPage(page, 'plan-views');

  // An information page beside a section.
  await page.goto('/me/plan/moving_on');
  await page.getByRole('link', { name: 'About recovery' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('About recovery');
  await checkPage(page, 'plan-information');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('every kind of section works as ordinary forms', async ({ page }) => {
    test.slow();
    await newParticipantSignedIn(page, 'nojs');
    await writeEverySection(page, checkPageWithoutJavaScript, 'plan-nojs');
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Write their name' })).toBeVisible();
    // What they typed is still there to correct.
    await expect(
      page
        .locator('form', { has: page.getByRole('group', { name: 'Add someone who supports you' }) })
        .getByLabel('How to reach them (optional)'),
    ).toHaveValue('07700 900999');
    await checkPageWithoutJavaScript(page, 'plan-nojs-error');
  });
});
