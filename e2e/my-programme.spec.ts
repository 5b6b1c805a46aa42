/**
 * A participant sees where they are in the programme: sessions so far and left, the next
 * session, when it is planned to end and, past that, what happens next. Sia Jones (demo data)
 * has had most of her sessions and is past her window.
 */
import { expect, test } from '@playwright/test';
import { MyProgrammePage } from './pages/participant.pages.ts';
import { checkPage } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

test('Sia, past her planned end, sees her sessions, the end date and what happens next', async ({ page }) => {
  await demoSignIn(page, 'Sia Jones');
  const me = new MyProgrammePage(page);
  await me.expectLoaded('Sia');
  await me.expectWorker('Pat');
  await expect(me.progress('Sessions so far')).toHaveText(/^\s*\d+ of up to 10\s*$/);
  await expect(me.progress('Sessions left')).toHaveText(/^\s*(Up to \d+|None)\s*$/);
  await expect(me.progress('Next session')).toBeVisible();
  await expect(me.progress('Planned to end')).toHaveText(/\d{1,2} \w+ \d{4} \(this date has passed\)/);
  await expect(me.whatHappensNext).toContainText('What happens next');
  await expect(me.whatHappensNext).toContainText('Pat will talk with you about ending it');
  await expect(me.whatHappensNext).toContainText('a summary of your time in it');
  // Nothing promises a session to be arranged past the end, and one word for a session.
  const main = page.getByRole('main');
  await expect(main).not.toContainText('will get in touch to arrange one');
  await expect(main).not.toContainText(/\bmeet(ing)?s?\b/i);
  await checkPage(page, 'my-programme-past-end');
});
