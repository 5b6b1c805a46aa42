/** Ending a participant's programme, its summary, and sharing that summary. */
import { EndingsService } from '../endings/endings.service.ts';
import { EndingSummaryService } from '../endings/ending-summary.service.ts';
import { EndingShareService } from '../endings/ending-share.service.ts';
import { ContactAttemptRepository } from '../contact/contact-attempt.repository.ts';
import type { Foundation } from './foundation.ts';
import type { Messaging } from './messaging.ts';
import type { PlanServices } from './plan.ts';

export function buildEndingServices(
  { config, db, clock, log, audit, repositories }: Foundation,
  { messageOutbox }: Messaging,
  { planDocuments }: PlanServices,
) {
  const { participants, programmeSessions, endings } = repositories;
  const endingSummaries = new EndingSummaryService(
    db,
    participants,
    endings,
    audit,
    config.programme.sessionCap,
    planDocuments,
  );
  return {
    endings: new EndingsService(
      db,
      participants,
      programmeSessions,
      endings,
      new ContactAttemptRepository(),
      audit,
      clock,
      { sessionCap: config.programme.sessionCap, attemptsBeforeLost: config.contact.attemptsBeforeLost },
      planDocuments,
    ),
    endingSummaries,
    endingShares: new EndingShareService(
      db,
      participants,
      endings,
      endingSummaries,
      messageOutbox,
      audit,
      clock,
      log,
    ),
  };
}
