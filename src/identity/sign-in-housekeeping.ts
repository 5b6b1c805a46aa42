/**
 * The nightly clean-up of sign-in data no longer needed: ended or expired sessions, used or
 * expired codes, stale throttle counters. Each is kept a day past expiry, for investigations.
 */
import type { Db } from '../platform/database/database.ts';
import { HOUR, type Clock } from '../platform/clock.ts';
import type { SessionService } from './session.service.ts';
import type { ParticipantSignInService } from './participant-sign-in.service.ts';
import type { SignInThrottle } from './throttle.ts';

const KEEP_AFTER_EXPIRY = 24 * HOUR;

export class SignInHousekeeping {
  private readonly db: Db;
  private readonly sessions: SessionService;
  private readonly participantSignIn: ParticipantSignInService;
  private readonly throttle: SignInThrottle;
  private readonly clock: Clock;

  constructor(
    db: Db,
    sessions: SessionService,
    participantSignIn: ParticipantSignInService,
    throttle: SignInThrottle,
    clock: Clock,
  ) {
    this.db = db;
    this.sessions = sessions;
    this.participantSignIn = participantSignIn;
    this.throttle = throttle;
    this.clock = clock;
  }

  async purgeExpired(): Promise<void> {
    const before = new Date(this.clock.now().getTime() - KEEP_AFTER_EXPIRY);
    await this.sessions.purgeExpired(before);
    await this.participantSignIn.purgeExpiredCodes(before);
    await this.throttle.purgeExpired(this.db, before);
  }
}
