/** Safety concerns and their escalation, consent to share, lone working, and oversight. */
import { EscalationRepository } from '../concerns/escalation.repository.ts';
import { EscalationService } from '../concerns/escalation.service.ts';
import { OversightRepository } from '../concerns/oversight.repository.ts';
import { OversightService } from '../concerns/oversight.service.ts';
import { ConcernRaisingService } from '../concerns/concern-raising.service.ts';
import { ConcernThreadService } from '../concerns/concern-thread.service.ts';
import { DutyInboxService } from '../concerns/duty-inbox.service.ts';
import { WorkerConcernsService } from '../concerns/worker-concerns.service.ts';
import { ConsentService } from '../consent/consent.service.ts';
import { LoneWorkingService } from '../lone-working/lone-working.service.ts';
import { LoneWorkingAlertService } from '../lone-working/lone-working-alert.service.ts';
import type { Foundation } from './foundation.ts';
import type { Messaging } from './messaging.ts';
import type { WorkforceServices } from './workforce.ts';

export function buildSafetyServices(
  { config, db, clock, log, audit, repositories }: Foundation,
  { messageOutbox, undeliveredMessages }: Messaging,
  { supervision }: Pick<WorkforceServices, 'supervision'>,
) {
  const { concerns, participants, programmeSessions, sharingConsents, loneWorking } = repositories;
  return {
    concernRaising: new ConcernRaisingService(
      db,
      concerns,
      participants,
      programmeSessions,
      sharingConsents,
      audit,
      clock,
      config.concerns,
      supervision,
    ),
    concernThread: new ConcernThreadService(
      db,
      concerns,
      participants,
      audit,
      clock,
      messageOutbox,
      config.publicUrl,
      log,
    ),
    dutyInbox: new DutyInboxService(db, concerns, audit, clock, undeliveredMessages),
    workerConcerns: new WorkerConcernsService(db, concerns, participants, audit, clock),
    consent: new ConsentService(db, participants, sharingConsents, audit, clock),
    loneWorking: new LoneWorkingService(db, loneWorking, audit, clock, config.loneWorking),
    loneWorkingAlerts: new LoneWorkingAlertService(db, loneWorking, messageOutbox, audit, clock, {
      ...config.loneWorking,
      publicUrl: config.publicUrl,
    }),
    escalation: new EscalationService(db, new EscalationRepository(), messageOutbox, audit, clock, {
      ...config.concerns,
      publicUrl: config.publicUrl,
    }),
    oversight: new OversightService(db, new OversightRepository(), audit, clock),
  };
}
