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
import { DataQueryService } from '../trial/data-query.service.ts';
import { DeviationService } from '../trial/deviation.service.ts';
import { loadProtocolDeviations } from '../trial/protocol-deviations.ts';
import { TrialLockService } from '../trial/trial-lock.service.ts';
import { ExportService } from '../trial/export.service.ts';
import { SignInThrottle } from '../identity/throttle.ts';

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
  const deviationKinds = loadProtocolDeviations();
  return {
    trial,
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
