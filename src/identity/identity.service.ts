/** Turns a live session into the actor that policy and audit see, and ends sessions. */
import type { Db } from '../platform/database/database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { STAFF_ROLES, type Actor } from '../policy/actor.ts';
import type { SignInSession, SignInSessionService } from './sign-in-session.service.ts';

export class IdentityService {
  private readonly db: Db;
  private readonly signInSessions: SignInSessionService;
  private readonly audit: AuditService;

  constructor(db: Db, signInSessions: SignInSessionService, audit: AuditService) {
    this.db = db;
    this.signInSessions = signInSessions;
    this.audit = audit;
  }

  /** The signed-in actor, or undefined for a half-finished sign-in or a disabled account. */
  actorFor(session: SignInSession): Actor | undefined {
    if (session.stage !== 'full') return undefined;
    const { staff, participant } = session;
    if (session.subjectType === 'staff') {
      if (!staff || staff.disabledAt) return undefined;
      return {
        kind: 'staff',
        id: session.subjectId,
        trustId: staff.trustId,
        crisisTeamId: staff.crisisTeamId,
        roles: STAFF_ROLES.filter((role) => staff.roles.includes(role)),
        fullName: staff.fullName,
        caseloadVersion: staff.caseloadVersion,
      };
    }
    if (!participant) return undefined;
    return {
      kind: 'participant',
      id: session.subjectId,
      trustId: participant.trustId,
      crisisTeamId: participant.crisisTeamId,
      displayName: participant.preferredName ?? participant.givenName,
    };
  }

  async signOut(session: SignInSession, actor: Actor | undefined, ip: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.signInSessions.end(tx, session.idHash);
      if (actor) {
        await this.audit.record(tx, {
          actor,
          ip,
          action: actor.kind === 'staff' ? 'staff.signed_out' : 'participant.signed_out',
          entityType: actor.kind,
          entityId: actor.id,
        });
      }
    });
  }
}
