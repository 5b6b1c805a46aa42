/** A participant's way through the programme: referral (with equality monitoring), allocation, caseload, contact. */
import { ParticipantService } from '../participants/participant.service.ts';
import { ReferralService } from '../referral/referral.service.ts';
import { AllocationService } from '../allocation/allocation.service.ts';
import { CaseloadCache } from '../caseload/caseload-cache.ts';
import { CaseloadService } from '../caseload/caseload.service.ts';
import { CaseloadRepository } from '../caseload/caseload.repository.ts';
import { ContactAttemptRepository } from '../contact/contact-attempt.repository.ts';
import { ContactService } from '../contact/contact.service.ts';
import { EqualityService } from '../equality/equality.service.ts';
import type { Foundation } from './foundation.ts';
import type { WorkforceServices } from './workforce.ts';

export function buildProgrammeServices(
  { config, db, clock, audit, repositories }: Foundation,
  { training, supervision }: Pick<WorkforceServices, 'training' | 'supervision'>,
) {
  const { participants, teams, staff, programmeSessions } = repositories;
  const equality = new EqualityService(db, participants, repositories.equality, audit, clock);
  return {
    equality,
    participants: new ParticipantService(
      db,
      participants,
      teams,
      programmeSessions,
      audit,
      clock,
      config.programme.sessionCap,
      config.sessionStatusReasons,
      {
        windowMonths: config.programme.windowMonths,
        windowClosingDays: config.prompts.windowClosingDays,
      },
    ),
    referrals: new ReferralService(db, participants, teams, audit, clock, equality),
    allocation: new AllocationService(
      db,
      participants,
      staff,
      training,
      audit,
      clock,
      config.allocationTargetWorkingDays,
    ),
    caseload: new CaseloadService(
      db,
      new CaseloadRepository(),
      participants,
      staff,
      audit,
      clock,
      {
        ...config.programme,
        ...config.prompts,
        allocationTargetWorkingDays: config.allocationTargetWorkingDays,
      },
      new CaseloadCache(),
      training,
      supervision,
    ),
    contact: new ContactService(
      db,
      participants,
      new ContactAttemptRepository(),
      audit,
      clock,
      config.contact,
    ),
  };
}
