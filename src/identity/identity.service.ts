/** Turns a live session into the actor that policy and audit see, and ends sessions. */
import type { Db } from '../platform/database/database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { StaffRepository } from '../organisation/staff.repository.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import type { Actor, StaffRole } from '../policy/actor.ts';
import type { ActiveSession, SessionService } from './session.service.ts';

export class IdentityService {
  private readonly db: Db;
  private readonly sessions: SessionService;
  private readonly staff: StaffRepository;
  private readonly participants: ParticipantRepository;
  private readonly audit: AuditService;

  constructor(
    db: Db,
    sessions: SessionService,
    staff: StaffRepository,
    participants: ParticipantRepository,
    audit: AuditService,
  ) {
    this.db = db;
    this.sessions = sessions;
    this.staff = staff;
    this.participants = participants;
    this.audit = audit;
  }

  /** The signed-in actor, or undefined for a half-finished sign-in or a disabled account. */
  async actorFor(session: ActiveSession): Promise<Actor | undefined> {
    if (session.stage !== 'full') return undefined;
    if (session.subjectType === 'staff') {
      const user = await this.staff.findById(this.db, session.subjectId);
      if (!user || user.disabledAt) return undefined;
      return {
        kind: 'staff',
        id: user.id,
        trustId: user.trustId,
        crisisTeamId: user.crisisTeamId,
        roles: user.roles as StaffRole[],
        fullName: user.fullName,
      };
    }
    const participant = await this.participants.findWithAllocation(this.db, session.subjectId);
    if (!participant) return undefined;
    return {
      kind: 'participant',
      id: participant.id,
      trustId: participant.trustId,
      crisisTeamId: participant.crisisTeamId,
      displayName: participant.preferredName ?? participant.givenName,
    };
  }

  async signOut(session: ActiveSession, actor: Actor | undefined, ip: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.sessions.end(tx, session.idHash);
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
