/** Sign-in for staff and participants, their sign-in sessions, and a staff member's own password. */
import { SignInSessionService } from '../identity/sign-in-session.service.ts';
import { SignInSessionCache } from '../identity/sign-in-session-cache.ts';
import { SignInThrottle } from '../identity/throttle.ts';
import { StaffSignInService } from '../identity/staff-sign-in.service.ts';
import { AccountPasswordService } from '../identity/account-password.service.ts';
import { SetUpLinkService } from '../identity/set-up-link.service.ts';
import { ParticipantSignInService } from '../identity/participant-sign-in.service.ts';
import { SignInCodeDeliveryService } from '../identity/sign-in-code-delivery.service.ts';
import { IdentityService } from '../identity/identity.service.ts';
import type { JobSender } from '../platform/jobs/job-queue.ts';
import type { Foundation } from './foundation.ts';
import type { Messaging } from './messaging.ts';

export function buildIdentityServices(
  { config, db, clock, log, audit, repositories }: Foundation,
  { messageOutbox, accountMessages }: Messaging,
  jobs: JobSender,
) {
  const signInSessions = new SignInSessionService(
    db,
    repositories.signInSessions,
    clock,
    config.signInSession,
    new SignInSessionCache(),
  );
  const throttle = new SignInThrottle(repositories.throttles, clock);
  const staffSignIn = new StaffSignInService(
    db,
    repositories.staff,
    signInSessions,
    throttle,
    accountMessages,
    audit,
    clock,
  );
  return {
    signInSessions,
    identity: new IdentityService(db, signInSessions, audit),
    staffSignIn,
    accountPassword: new AccountPasswordService(
      db,
      repositories.staff,
      signInSessions,
      staffSignIn,
      throttle,
      accountMessages,
      audit,
      clock,
    ),
    setUpLinks: new SetUpLinkService(
      db,
      repositories.setUpLinks,
      repositories.staff,
      signInSessions,
      accountMessages,
      audit,
      clock,
      config.accounts.temporaryPasswordHours,
    ),
    participantSignIn: new ParticipantSignInService(
      db,
      repositories.participants,
      repositories.signInCodes,
      signInSessions,
      throttle,
      jobs,
      audit,
      clock,
      config.signInCodesPerDay,
    ),
    signInCodeDelivery: new SignInCodeDeliveryService(
      db,
      repositories.participants,
      repositories.signInCodes,
      throttle,
      messageOutbox,
      audit,
      clock,
      config.signInCodesPerDay,
      log,
    ),
  };
}

export type IdentityServices = ReturnType<typeof buildIdentityServices>;
