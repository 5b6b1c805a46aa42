/** Teams and staff accounts, and the demo's own pages. */
import { StaffAdminService } from '../organisation/staff-admin.service.ts';
import { StaffCredentialsService } from '../organisation/staff-credentials.service.ts';
import { TeamAdminService } from '../organisation/team-admin.service.ts';
import { DemoService } from '../demo/demo.service.ts';
import { WorkforceLeaving } from '../workforce/leaving.ts';
import type { Foundation } from './foundation.ts';
import type { Messaging } from './messaging.ts';
import type { IdentityServices } from './identity.ts';

export function buildOrganisationServices(
  { config, db, clock, audit, repositories }: Foundation,
  { accountMessages }: Messaging,
  { signInSessions, setUpLinks }: IdentityServices,
) {
  const { teams, staff, setUpLinks: setUpLinkRepository, participants, notifications } = repositories;
  return {
    teamAdmin: new TeamAdminService(db, teams, audit, clock),
    staffAdmin: new StaffAdminService(
      db,
      teams,
      staff,
      signInSessions,
      setUpLinkRepository,
      accountMessages,
      audit,
      clock,
      config.accounts.temporaryPasswordHours,
      new WorkforceLeaving(participants, staff, repositories.peerSupport),
      repositories.appointments,
    ),
    staffCredentials: new StaffCredentialsService(
      db,
      staff,
      signInSessions,
      setUpLinks,
      accountMessages,
      audit,
    ),
    demo: new DemoService(db, staff, participants, notifications, audit),
  };
}
