/**
 * A brand-new participant's page leads with the day-to-day work: "End the programme" comes
 * after booking a session, the plan and staying in touch, never above them.
 */
import { expect, test, type Locator } from '@playwright/test';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { checkPage } from './support/checks.ts';
import { fullName } from './support/data.ts';
import { newParticipantOf } from './support/flows.ts';

async function top(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on the page');
  return box.y;
}

test('"End the programme" sits below the day-to-day actions on a new participant’s page', async ({ page }) => {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Order-${test.info().project.name}-${String(Date.now() % 100000)}`,
  });
  const summary = new ParticipantSummaryPage(page);
  await summary.open(participantId);
  await summary.expectLoaded(fullName(data));
  const end = page.getByRole('button', { name: 'End the programme' });
  await expect(end).toBeVisible();
  const endsAt = await top(end);
  for (const dayToDay of [
    page.getByRole('button', { name: 'Book a session' }),
    page.getByRole('link', { name: 'Open their recovery plan' }),
    page.getByRole('heading', { name: 'Staying in touch' }),
  ]) {
    expect(await top(dayToDay)).toBeLessThan(endsAt);
  }
  await checkPage(page, 'participant-summary-new');
});
