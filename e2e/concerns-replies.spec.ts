/**
 * Journey: the safety loop closes. Pat raises an urgent concern on a phone; the caseload card
 * shows it open; a North clinician, in another browser, acts on it from its page (who the
 * participant is, how to reach them and Pat, their record) and replies; Pat hears the reply on
 * the caseload ("What needs doing today"), in My concerns (in the header, not under "More")
 * and in the thread, where the clinician's message is new until read.
 */
import { expect, test, type Page } from '@playwright/test';
import { CaseloadPage, TodoList } from './pages/caseload.pages.ts';
import { ConcernListPage, ConcernPage, ParticipantConcernsPanel, RaiseConcernPage } from './pages/concerns.pages.ts';
import { checkPage } from './support/checks.ts';
import { fullName, isoDaysAgo } from './support/data.ts';
import { demoSignIn, newParticipantOf } from './support/flows.ts';

test.use({ viewport: { width: 390, height: 844 } });

async function patsNewParticipant(page: Page): Promise<{ participantId: string; name: string }> {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Reply-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(10),
  });
  return { participantId, name: fullName(data) };
}

test('Pat hears the crisis team’s reply to an urgent concern on the caseload, in My concerns and in the thread', async ({
  page,
  browser,
}) => {
  // Two browsers, each page checked.
  test.slow();
  const { participantId, name } = await patsNewParticipant(page);
  await page.goto(`/participants/${participantId}`);
  await new ParticipantConcernsPanel(page).raiseButton.click();
  await new RaiseConcernPage(page).raise('Said they want it all to stop', 'Urgent: needs a response today', 'Yes');
  const concern = new ConcernPage(page);
  await concern.expectLoaded('Safety concern', name);
  const concernUrl = page.url().replace(/\?.*$/, '');

  const caseload = new CaseloadPage(page);
  await caseload.openOwn();
  await expect(caseload.card(name).locator('.app-concern-tag')).toHaveText('Open concern: Urgent');

  const clinicianContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const clinician = await clinicianContext.newPage();
    await demoSignIn(clinician, 'Dr Clare Clinician');
    await clinician.goto(concernUrl);
    const seen = new ConcernPage(clinician);
    await seen.expectLoaded('Safety concern', name);
    // Everything needed to act on it, from the page.
    const contact = clinician.locator('#concern-contact');
    await expect(contact.locator('a[href^="mailto:"]')).toHaveText('psw.pat@demo.greenleaf.nhs.uk');
    await expect(contact.locator('a[href^="tel:"]').first()).toBeVisible();
    await checkPage(clinician, 'concern-clinician-contact');
    await contact.getByRole('link', { name: new RegExp(name) }).click();
    await expect(clinician.getByRole('heading', { level: 1 })).toContainText(name.split(' ')[0]!);
    await clinician.goBack();
    await seen.addMessage('I will visit them at 4 today');
    await expect(seen.messages).toHaveCount(1);
  } finally {
    await clinicianContext.close();
  }

  await caseload.openOwn();
  const todo = new TodoList(page);
  const prompt = todo.items.filter({ hasText: 'The crisis team replied about an urgent concern: read it now' });
  await expect(prompt).toHaveCount(1);
  await expect(todo.items.first()).toContainText('The crisis team replied about an urgent concern');
  await checkPage(page, 'concern-reply-caseload');

  // My concerns is in sight in the header on a phone.
  const myConcerns = page.getByRole('banner').getByRole('link', { name: 'My concerns' });
  await expect(myConcerns).toBeVisible();
  await myConcerns.click();
  const mine = new ConcernListPage(page);
  await expect(mine.item(mine.mine, name)).toContainText('New reply');
  await checkPage(page, 'concern-reply-mine');

  await caseload.openOwn();
  await prompt.getByRole('link', { name: /The crisis team replied/ }).click();
  await concern.expectLoaded('Safety concern', name);
  await expect(concern.messages.filter({ hasText: 'I will visit them at 4 today' })).toContainText('New');
  await checkPage(page, 'concern-reply-thread');

  // Read: nothing is new any more.
  await caseload.openOwn();
  await expect(prompt).toHaveCount(0);
  await page.goto('/concerns/mine');
  await expect(mine.item(mine.mine, name)).not.toContainText('New reply');
});
