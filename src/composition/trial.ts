/** Trial mode: screening, consent and withdrawals (pages only when TRIAL_MODE is on). */
import { TrialService } from '../trial/trial.service.ts';
import { RandomisationService } from '../trial/randomisation.service.ts';
import { TrialSetUp } from '../trial/trial-set-up.ts';
import { loadEligibilityChecklist } from '../trial/eligibility-checklist.ts';
import { loadConsentDocuments } from '../trial/consent-documents.ts';
import type { Foundation } from './foundation.ts';
import type { Messaging } from './messaging.ts';
import { SaeService } from '../trial/sae.service.ts';
import { loadSeriousAdverseEvents } from '../trial/serious-adverse-events.ts';
import { loadAcuteCareEpisodes } from '../trial/acute-care-episodes.ts';
import { AcuteEpisodeService } from '../trial/acute-episode.service.ts';
import { OutcomesService } from '../trial/outcomes.service.ts';

export function buildTrialServices(
  { config, db, clock, audit, repositories }: Foundation,
  { messageOutbox }: Messaging,
) {
  const trial = new TrialService(
    db,
    repositories.trial,
    audit,
    clock,
    // Checked at start-up, trial mode or not: an invalid file stops the service, naming what is wrong.
    loadEligibilityChecklist(),
    loadConsentDocuments(),
    config.trialMode,
  );
  // Checked at start-up, trial mode or not.
  const acuteCareEpisodes = loadAcuteCareEpisodes();
  return {
    trial,
    acuteEpisodes: new AcuteEpisodeService(db, trial, repositories.acuteEpisodes, audit, clock, acuteCareEpisodes),
    outcomes: new OutcomesService(
      db,
      { trials: repositories.trial, outcomes: repositories.outcomes },
      audit,
      clock,
      acuteCareEpisodes,
      config.trialMode,
    ),
    trialSetUp: new TrialSetUp(db, repositories.trial, audit, clock, config.trialMode),
    saes: new SaeService(
      db,
      trial,
      { trials: repositories.trial, randomisations: repositories.randomisations, saes: repositories.saes },
      messageOutbox,
      audit,
      clock,
      // Checked at start-up, trial mode or not.
      loadSeriousAdverseEvents(),
      config.publicUrl,
    ),
    randomisation: new RandomisationService(
      db,
      trial,
      { trials: repositories.trial, randomisations: repositories.randomisations },
      audit,
      clock,
    ),
  };
}
