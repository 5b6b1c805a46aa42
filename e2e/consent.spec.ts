/** Journey: a peer support worker records what their participant agrees may be shared with their care team. */
import { expect, test } from '@playwright/test';
import { RecordConsentPage, SummaryConsent } from './pages/consent.pages.ts';
import { ParticipantSummaryPage } from './pages/referral.pages.ts';
import { checkPage } from './support/checks.ts';
import { fullName, isoDaysAgo } from './support/data.ts';
import { newParticipantOf } from './support/flows.ts';

test('Pat records that they agree to some sharing, then that they no longer agree', async ({ page }) => {
  const { participantId, data } = await newParticipantOf(page, 'Pat Peer', {
    familyName: `Consent-${test.info().project.name}-${String(Date.now() % 100000)}`,
    dischargedOn: isoDaysAgo(5),
  });
  const name = fullName(data);
  const summary = new ParticipantSummaryPage(page);
  const consent = new SummaryConsent(page);
  await summary.open(participantId);
  await summary.expectLoaded(name);
  await expect(consent.heading).toBeVisible();
  await expect(consent.status).toHaveText('Not asked yet.');
  await checkPage(page, 'consent-summary-not-asked');
  await consent.recordButton.click();

  const form = new RecordConsentPage(page);
  await form.expectLoaded(name);
  await expect(form.safetyOverride).toContainText('recorded as shared because of safety');
  await checkPage(page, 'consent-record');
  await form.saveButton.click();
  await form.errorSummary.expectErrors(['Select whether they agree to you sharing with their care team']);
  await checkPage(page, 'consent-record-errors');
  await form.errorSummary.expectLinkFocuses(
    'Select whether they agree to you sharing with their care team',
    form.choice('Yes, they agree'),
  );

  await form.record({ agrees: true, scope: 'How our meetings are going, nothing about family' });
  await summary.expectLoaded(name);
  await expect(summary.successBanner).toContainText('Their choice about sharing is saved.');
  await expect(consent.status).toContainText('Agreed on');
  await expect(consent.status).toContainText('How our meetings are going, nothing about family');
  await checkPage(page, 'consent-summary-agreed');

  await consent.recordButton.click();
  await form.expectLoaded(name);
  await form.record({ agrees: false });
  await summary.expectLoaded(name);
  await expect(consent.status).toContainText('Does not agree');
  await consent.showHistory();
  await expect(consent.earlierChoices).toHaveCount(1);
  await expect(consent.earlierChoices.first()).toContainText('Agreed: How our meetings are going');
  await expect(consent.earlierChoices.first()).toContainText('Recorded by Pat Peer');
  await checkPage(page, 'consent-summary-history');
});
