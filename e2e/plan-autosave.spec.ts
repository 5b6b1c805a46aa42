/**
 * Never losing a word (issue 4; QUALITY.md "Autosave"): a participant's writing saves as they
 * type; losing the signal or being signed out mid-sentence loses nothing; two people editing
 * the same answer get a clear choice; without JavaScript the Save button still works; every
 * field can be read aloud.
 */
import { expect, test, type Browser, type Page, type Request } from '@playwright/test';
import { checkPage, checkPageWithoutJavaScript } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';
import { EntryHistoryPage, PlanSectionPage } from './pages/plan-writing.pages.ts';
import { ParticipantCodePage, ParticipantSignInPage } from './pages/participant.pages.ts';
import { OutboxPage } from './pages/staff-sign-in.pages.ts';

// Seeded participants (src/demo/seed.ts), a different one per test and per project, so the
// projects never write in each other's plans.
const WHO = {
  phone: {
    typing: 'Sam Taylor',
    offline: 'Priya Shah',
    expiry: 'Tom Evans',
    conflict: 'Dan Hughes',
    listen: 'Grace Okafor',
    noJs: 'Leah Cooper',
    lostAnswer: 'Marek Nowak',
    signInAgain: { name: 'Connor Doyle', mobile: '07700 900025', stored: '+447700900025' },
  },
  desktop: {
    typing: 'Rosie Clarke',
    offline: 'Jack Murphy',
    expiry: 'Zara Hussain',
    conflict: 'Ewan Fraser',
    listen: 'Hannah Lewis',
    noJs: 'Megan Price',
    lostAnswer: 'Mohammed Ali',
    signInAgain: { name: 'Amara Bello', mobile: '07700 900026', stored: '+447700900026' },
  },
} as const;
const who = () => WHO[test.info().project.name === 'desktop' ? 'desktop' : 'phone'];

const MOVING_ON = { key: 'moving_on', title: 'Moving on after a crisis' };

/** The saveIds of every save the page sent, in order, resends included. */
function recordSaves(page: Page): string[] {
  const saveIds: string[] = [];
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && request.url().endsWith('/entries')) {
      const saveId = new URLSearchParams(request.postData() ?? '').get('saveId');
      if (saveId) saveIds.push(saveId);
    }
  });
  return saveIds;
}

test('what a participant types is saved without pressing anything', async ({ page }) => {
  await demoSignIn(page, who().typing);
  const section = new PlanSectionPage(page);
  await section.open(MOVING_ON.key, MOVING_ON.title);
  await checkPage(page, 'plan-autosave-empty');

  await section.type('What happened', 'I stopped sleeping and stopped answering the phone.');
  await expect(section.status('What happened')).toHaveText('Saved');
  await checkPage(page, 'plan-autosave-saved');

  await page.reload();
  await expect(section.field('What happened')).toHaveValue(
    'I stopped sleeping and stopped answering the phone.',
  );
  // Saved once: the page's own first load shows no stale draft being sent again.
  await expect(section.status('What happened')).toHaveText('');
});

test('closing the page straight after typing loses nothing', async ({ page, context }) => {
  await demoSignIn(page, who().typing);
  const section = new PlanSectionPage(page);
  await section.open(MOVING_ON.key, MOVING_ON.title);
  // Closed before the pause that would save it.
  await section.type('What I learned', 'Closed in a hurry');
  await page.close({ runBeforeUnload: true });

  const again = await context.newPage();
  const reopened = new PlanSectionPage(again);
  await reopened.open(MOVING_ON.key, MOVING_ON.title);
  await expect(reopened.field('What I learned')).toHaveValue('Closed in a hurry');
  await again.reload();
  await expect(reopened.field('What I learned')).toHaveValue('Closed in a hurry');
  await expect(reopened.status('What I learned')).toHaveText('');
});

test('going offline mid-sentence loses nothing, and each save is kept once', async ({ page, context }) => {
  const saveIds = recordSaves(page);
  await demoSignIn(page, who().offline);
  const section = new PlanSectionPage(page);
  await section.open(MOVING_ON.key, MOVING_ON.title);
  const label = 'What helped';

  await section.type(label, 'My sister came round');
  await expect(section.status(label)).toHaveText('Saved');

  await context.setOffline(true);
  await section.type(label, ' and made tea');
  await expect(section.status(label)).toHaveText('Offline, will save when connected');
  await checkPage(page, 'plan-autosave-offline');
  await section.type(label, ', and we watched a film.');
  await expect(section.status(label)).toHaveText('Offline, will save when connected');

  await context.setOffline(false);
  await expect(section.status(label)).toHaveText('Saved');
  const full = 'My sister came round and made tea, and we watched a film.';
  await page.reload();
  await expect(section.field(label)).toHaveValue(full);

  // One revision for each distinct save the page sent, however often it was sent.
  const entryId = await section.entryId(label);
  const history = new EntryHistoryPage(page);
  await history.open(MOVING_ON.key, entryId);
  const distinct = new Set(saveIds);
  expect(distinct.size).toBeGreaterThanOrEqual(2);
  await expect(history.versions).toHaveCount(distinct.size);
  await expect(history.versions.first()).toContainText(full);
  await checkPage(page, 'plan-autosave-history');
});

test('a save whose answer never arrived is sent again and kept once', async ({ page }) => {
  const saveIds = recordSaves(page);
  await demoSignIn(page, who().lostAnswer);
  const section = new PlanSectionPage(page);
  await section.open(MOVING_ON.key, MOVING_ON.title);
  const label = 'What I learned';

  // The first save reaches the server, but the signal drops before its answer comes back.
  let lost = false;
  await page.route('**/me/plan/moving_on/entries', async (route) => {
    if (lost) return route.continue();
    lost = true;
    await route.fetch();
    await route.abort('internetdisconnected');
  });
  await section.type(label, 'Small steps');
  await expect(section.status(label)).toHaveText('Offline, will save when connected');
  await section.type(label, ' still count');
  await expect(section.status(label)).toHaveText('Saved');

  // The lost save went again under its own id before the newer words, each saved once.
  expect(saveIds).toHaveLength(3);
  expect(saveIds[1]).toBe(saveIds[0]);
  expect(saveIds[2]).not.toBe(saveIds[0]);
  await page.reload();
  await expect(section.field(label)).toHaveValue('Small steps still count');
  const history = new EntryHistoryPage(page);
  await history.open(MOVING_ON.key, await section.entryId(label));
  await expect(history.versions).toHaveCount(2);
  await expect(history.versions.nth(0)).toContainText('Small steps still count');
  await expect(history.versions.nth(1)).toContainText('Small steps');
});

test('a session that ends mid-sentence loses nothing: signing in again saves it', async ({
  page,
  context,
}) => {
  await page.clock.install();
  await demoSignIn(page, who().expiry);
  const section = new PlanSectionPage(page);
  await section.open(MOVING_ON.key, MOVING_ON.title);
  const label = 'What I learned';

  await section.type(label, 'That I need to ask');
  await expect(section.status(label)).toHaveText('Saved');

  // The sign-in session ends on the server (as after 30 minutes idle elsewhere).
  await context.clearCookies({ name: /session/ });
  await section.type(label, ' for help sooner');
  const status = section.status(label);
  await expect(status).toContainText('You have been signed out. What you wrote is kept on this device.');
  const signInAgain = status.getByRole('link', { name: 'Sign in again to save it' });
  await expect(signInAgain).toHaveAttribute(
    'href',
    /^\/participant\/sign-in\?returnTo=%2Fme%2Fplan%2Fmoving_on/,
  );
  await checkPage(page, 'plan-autosave-signed-out');
  await section.type(label, ', before it gets bad.');

  // The page's idle timer signs them out, as it does after 30 minutes.
  await page.clock.fastForward('30:01');
  await expect(page).toHaveURL(/\/signed-out\?reason=timeout$/);

  await demoSignIn(page, who().expiry);
  await section.open(MOVING_ON.key, MOVING_ON.title);
  const full = 'That I need to ask for help sooner, before it gets bad.';
  await expect(section.field(label)).toHaveValue(full);
  await expect(section.status(label)).toHaveText('Saved');
  await page.reload();
  await expect(section.field(label)).toHaveValue(full);
});

test('"Sign in again" brings them back to their words, which are then saved', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  const person = who().signInAgain;
  await demoSignIn(page, person.name);
  const section = new PlanSectionPage(page);
  await section.open(MOVING_ON.key, MOVING_ON.title);
  const label = 'What happened';
  await context.clearCookies({ name: /session/ });
  await section.type(label, 'Words written after the session ended');
  await section.status(label).getByRole('link', { name: 'Sign in again to save it' }).click();

  const signIn = new ParticipantSignInPage(page);
  await expect(signIn.heading).toBeVisible();
  await signIn.requestCode(person.mobile);
  const codePage = new ParticipantCodePage(page);
  await codePage.expectLoaded();
  const staff = await browser.newContext({ baseURL });
  try {
    const staffPage = await staff.newPage();
    await demoSignIn(staffPage, 'Sunita Supervisor');
    const outbox = new OutboxPage(staffPage);
    await outbox.open();
    await codePage.enter(await outbox.latestCodeFor(person.stored));
  } finally {
    await staff.close();
  }

  await expect(page).toHaveURL(/\/me\/plan\/moving_on$/);
  await expect(section.field(label)).toHaveValue('Words written after the session ended');
  await expect(section.status(label)).toHaveText('Saved');
  await page.reload();
  await expect(section.field(label)).toHaveValue('Words written after the session ended');
});

/**
 * The conflict participant writes `words` in `label` and waits for "Saved", then opens the same
 * section on a second device. The caller closes that device with `close()`.
 */
async function sameAnswerOnTwoDevices(
  page: Page,
  browser: Browser,
  baseURL: string | undefined,
  label: string,
  words: string,
) {
  await demoSignIn(page, who().conflict);
  const mine = new PlanSectionPage(page);
  await mine.open(MOVING_ON.key, MOVING_ON.title);
  await mine.type(label, words);
  await expect(mine.status(label)).toHaveText('Saved');
  const other = await browser.newContext({ baseURL, viewport: page.viewportSize() });
  try {
    const otherPage = await other.newPage();
    await demoSignIn(otherPage, who().conflict);
    const theirs = new PlanSectionPage(otherPage);
    await theirs.open(MOVING_ON.key, MOVING_ON.title);
    return { mine, theirs, otherPage, close: () => other.close() };
  } catch (error) {
    await other.close();
    throw error;
  }
}

test('two people changing the same answer get a choice, never a silent overwrite', async ({
  page,
  browser,
  baseURL,
}) => {
  const label = 'What I want to be different now';
  // The same person on another device, with the page open at the same version.
  const { mine, theirs, otherPage, close } = await sameAnswerOnTwoDevices(
    page,
    browser,
    baseURL,
    label,
    'More routine',
  );
  try {
    await page.reload();

    await theirs.type(label, ' and more walks');
    await expect(theirs.status(label)).toHaveText('Saved');

    await mine.type(label, ' and seeing friends');
    const choice = mine.conflict(label);
    // The same person on two devices: the server says it was "you".
    await expect(
      choice.getByRole('heading', { name: 'This was changed somewhere else while you were writing' }),
    ).toBeVisible();
    await expect(choice).toContainText('Saved by you, in another tab or on another device, at');
    await expect(choice).toContainText('More routine and more walks');
    await expect(choice).toContainText('More routine and seeing friends');
    await expect(mine.status(label)).toContainText('Not saved');
    await checkPage(page, 'plan-autosave-conflict');

    await choice.getByRole('button', { name: 'Keep my version' }).click();
    await expect(choice).toBeHidden();
    await expect(mine.status(label)).toHaveText('Saved');

    await otherPage.reload();
    await expect(theirs.field(label)).toHaveValue('More routine and seeing friends');
    const history = new EntryHistoryPage(page);
    await history.open(MOVING_ON.key, await mine.entryId(label));
    await expect(history.versions).toHaveCount(3);
    await expect(history.versions.nth(0)).toContainText('More routine and seeing friends');
    await expect(history.versions.nth(1)).toContainText('More routine and more walks');
  } finally {
    await close();
  }
});

test('"Use the saved version" shows the other words and keeps both in the history', async ({
  page,
  browser,
  baseURL,
}) => {
  const label = 'What happened';
  const { mine, theirs, close } = await sameAnswerOnTwoDevices(page, browser, baseURL, label, 'A hard week');
  try {
    await theirs.type(label, ' at work');
    await expect(theirs.status(label)).toHaveText('Saved');
  } finally {
    await close();
  }

  await mine.type(label, ' at home');
  const choice = mine.conflict(label);
  await expect(choice.getByRole('button', { name: 'Use the saved version' })).toBeVisible();
  await choice.getByRole('button', { name: 'Use the saved version' }).click();
  await expect(mine.field(label)).toHaveValue('A hard week at work');
  await expect(mine.conflict(label)).toHaveCount(0);
  // Nothing of "at home" is sent again later.
  await page.reload();
  await expect(mine.field(label)).toHaveValue('A hard week at work');
});

test('every field and prompt can be read aloud, one at a time', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { spoken: string[]; speaking: SpeechSynthesisUtterance | null };
    w.spoken = [];
    w.speaking = null;
    window.speechSynthesis.speak = (utterance) => {
      w.spoken.push(utterance.text);
      w.speaking = utterance;
    };
    window.speechSynthesis.cancel = () => {
      const utterance = w.speaking;
      w.speaking = null;
      utterance?.dispatchEvent(new Event('end'));
    };
  });
  await demoSignIn(page, who().listen);
  const section = new PlanSectionPage(page);
  await section.open(MOVING_ON.key, MOVING_ON.title);
  const spoken = () => page.evaluate(() => (window as unknown as { spoken: string[] }).spoken);

  const listen = section.form('What happened').getByRole('button', { name: 'Listen' });
  // Nothing to hear yet: "Listen" appears with the first words.
  await expect(listen).toBeHidden();
  await section.type('What happened', 'It was a long winter.');
  await expect(listen).toBeVisible();
  await listen.click();
  const stop = section.form('What happened').getByRole('button', { name: 'Stop reading' });
  await expect(stop).toBeVisible();
  expect(await spoken()).toEqual(['It was a long winter.']);
  await checkPage(page, 'plan-read-aloud');

  // Another button stops the first and reads its own words.
  const intro = page.locator('#section-intro + p').getByRole('button', { name: 'Listen' });
  await intro.click();
  await expect(stop).toBeHidden();
  await expect(listen).toBeVisible();
  expect((await spoken())[1]).toContain('Looking back at what happened');

  await page.getByRole('button', { name: 'Stop reading' }).click();
  await expect(page.getByRole('button', { name: 'Stop reading' })).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the Save button saves a field, and no read-aloud button is shown', async ({ page }) => {
    await demoSignIn(page, who().noJs);
    const section = new PlanSectionPage(page);
    await section.open(MOVING_ON.key, MOVING_ON.title);
    await expect(page.getByRole('button', { name: 'Listen' })).toHaveCount(0);
    await section.field('What happened').fill('Written with scripts turned off.');
    await section.form('What happened').getByRole('button', { name: 'Save What happened' }).click();
    await expect(page).toHaveURL(/\/me\/plan\/moving_on\?saved=/);
    await expect(section.field('What happened')).toHaveValue('Written with scripts turned off.');
    await checkPageWithoutJavaScript(page, 'plan-no-js-saved');
  });
});
