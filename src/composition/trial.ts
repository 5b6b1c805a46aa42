/** Trial mode: screening, consent, withdrawals, randomisation, each arm's care and SAEs (pages only when TRIAL_MODE is on). */
import { TrialService } from '../trial/trial.service.ts';
import { RandomisationService } from '../trial/randomisation.service.ts';
import { TrialSetUp } from '../trial/trial-set-up.ts';
import { TrialSites } from '../trial/trial-sites.ts';
import { loadEligibilityChecklist } from '../trial/eligibility-checklist.ts';
import { loadConsentDocuments, loadWorkbookVersions } from '../trial/consent-documents.ts';
import { InterventionGate } from '../trial/intervention-gate.ts';
import { TrialParticipantsService } from '../trial/trial-participants.service.ts';
import type { Foundation } from './foundation.ts';
import type { Messaging } from './messaging.ts';
import { SaeService } from '../trial/sae.service.ts';
import { loadSeriousAdverseEvents } from '../trial/serious-adverse-events.ts';
import { loadAcuteCareEpisodes } from '../trial/acute-care-episodes.ts';
import { AcuteEpisodeService } from '../trial/acute-episode.service.ts';
import { OutcomesService } from '../trial/outcomes.service.ts';
import { FollowUpService } from '../trial/follow-up.service.ts';
import { UnblindingService } from '../trial/unblinding.service.ts';
import { loadFollowUpSchedule } from '../trial/follow-up-schedule.ts';
import { loadInstruments } from '../trial/instruments.ts';
import { DataQueryService } from '../trial/data-query.service.ts';
import { DeviationService } from '../trial/deviation.service.ts';
import { loadProtocolDeviations } from '../trial/protocol-deviations.ts';
import { TrialLockService } from '../trial/trial-lock.service.ts';
import { ExportService } from '../trial/export.service.ts';
import { SignInThrottle } from '../identity/throttle.ts';

export function buildTrialServices(
  { config, db, clock, audit, repositories, log }: Foundation,
  { messageOutbox }: Messaging,
) {
  const gate = new InterventionGate(
    { trialParticipants: repositories.trialParticipants, randomisations: repositories.randomisations },
    messageOutbox,
    audit,
    clock,
    config.publicUrl,
    log,
  );
  const trialSites = new TrialSites(db, repositories.trial, config.trialMode);
  const trial = new TrialService(
    db,
    repositories.trial,
    audit,
    clock,
    // Checked at start-up, trial mode or not: an invalid file stops the service, naming what is wrong.
    loadEligibilityChecklist(),
    loadConsentDocuments(),
    config.trialMode,
    gate,
  );
  // Checked at start-up, trial mode or not.
  const acuteCareEpisodes = loadAcuteCareEpisodes();
  const deviationKinds = loadProtocolDeviations();
  return {
    trial,
    trialParticipants: new TrialParticipantsService(
      db,
      trial,
      {
        trials: repositories.trial,
        randomisations: repositories.randomisations,
        trialParticipants: repositories.trialParticipants,
      },
      gate,
      audit,
      clock,
      // Checked at start-up, trial mode or not.
      loadWorkbookVersions(),
    ),
    trialSetUp: new TrialSetUp(db, repositories.trial, audit, clock, config.trialMode, trialSites),
    trialSites,
    acuteEpisodes: new AcuteEpisodeService(db, trial, repositories.acuteEpisodes, audit, clock, acuteCareEpisodes),
    outcomes: new OutcomesService(
      db,
      { trials: repositories.trial, outcomes: repositories.outcomes },
      audit,
      clock,
      acuteCareEpisodes,
      config.trialMode,
    ),
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
    followUps: new FollowUpService(
      db,
      trial,
      repositories.followUps,
      messageOutbox,
      audit,
      clock,
      // Checked at start-up, trial mode or not: the schedule and every instrument it asks.
      loadFollowUpSchedule(loadInstruments()),
      config.publicUrl,
    ),
    unblindings: new UnblindingService(db, trial, repositories.followUps, audit, clock),
    dataQueries: new DataQueryService(db, trial, repositories.dataQuality, audit, clock),
    deviations: new DeviationService(
      db,
      trial,
      repositories.dataQuality,
      audit,
      clock,
      // Checked at start-up, trial mode or not.
      deviationKinds,
    ),
    exports: new ExportService(
      db,
      trial,
      { dataQuality: repositories.dataQuality, staff: repositories.staff },
      // The same counters as staff sign-in: wrong codes here count towards its lock-out.
      new SignInThrottle(repositories.throttles, clock),
      audit,
      clock,
      deviationKinds,
    ),
    trialLock: new TrialLockService(db, trial, repositories.dataQuality, audit, clock),
    randomisation: new RandomisationService(
      db,
      trial,
      { trials: repositories.trial, randomisations: repositories.randomisations },
      audit,
      clock,
    ),
  };
}
