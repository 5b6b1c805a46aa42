/** A peer support worker's caseload, and the coordinator's or supervisor's view across workers. */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { PeerWorkerLoad, StaffRepository } from '../organisation/staff.repository.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import { londonToday, programmeWindow, type ProgrammeWindow } from '../participants/programme-window.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface CaseloadEntry extends ProgrammeWindow {
  id: string;
  name: string;
  dischargedOn: string;
  sessionsAttended: number;
  nextSessionAt: Date | null;
}

export interface Caseload {
  worker: { id: string; fullName: string; caseloadLimit: number };
  entries: CaseloadEntry[];
  sessionCap: number;
}

export function displayName(p: {
  givenName: string;
  familyName: string;
  preferredName: string | null;
}): string {
  return p.preferredName && p.preferredName !== p.givenName
    ? `${p.preferredName} (${p.givenName}) ${p.familyName}`
    : `${p.givenName} ${p.familyName}`;
}

export class CaseloadService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly staff: StaffRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly programme: { windowMonths: number; sessionCap: number };

  constructor(
    db: Db,
    participants: ParticipantRepository,
    staff: StaffRepository,
    audit: AuditService,
    clock: Clock,
    programme: { windowMonths: number; sessionCap: number },
  ) {
    this.db = db;
    this.participants = participants;
    this.staff = staff;
    this.audit = audit;
    this.clock = clock;
    this.programme = programme;
  }

  async caseload(ctx: StaffContext, workerId: string): Promise<Caseload> {
    return this.db.transaction(async (tx) => {
      // A worker opening their own caseload is already known; anyone else's is looked up first.
      const worker =
        workerId === ctx.actor.id
          ? { trustId: ctx.actor.trustId, roles: ctx.actor.roles as readonly string[] }
          : await this.staff.findById(tx, workerId);
      if (
        !worker ||
        !worker.roles.includes('peer_worker') ||
        !can(ctx.actor, 'caseload.view', { type: 'staff', trustId: worker.trustId, staffId: workerId })
      ) {
        throw new NotFoundError('caseload');
      }
      const now = this.clock.now();
      const today = londonToday(now);
      const caseload = await this.participants.caseload(tx, workerId, now);
      if (!caseload) throw new NotFoundError('caseload');
      const { items } = caseload;
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'caseload.viewed',
        entityType: 'staff',
        entityId: workerId,
        detail: { participantIds: items.map((item) => item.id) },
      });
      return {
        worker: { id: workerId, fullName: caseload.fullName, caseloadLimit: caseload.caseloadLimit },
        entries: items.map((item) => ({
          id: item.id,
          name: displayName(item),
          dischargedOn: item.dischargedOn,
          sessionsAttended: item.sessionsAttended,
          nextSessionAt: item.nextSessionAt,
          ...programmeWindow(item.dischargedOn, today, this.programme.windowMonths),
        })),
        sessionCap: this.programme.sessionCap,
      };
    });
  }

  async overview(ctx: StaffContext): Promise<{ workers: PeerWorkerLoad[]; waiting: number }> {
    if (!can(ctx.actor, 'caseload.overview', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
    return this.db.transaction(async (tx) => {
      const workers = await this.staff.peerWorkerLoads(tx, ctx.actor.trustId);
      const waiting = (
        await this.participants.listReferrals(tx, { trustId: ctx.actor.trustId, onlyUnallocated: true })
      ).length;
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'caseload.overview_viewed',
        entityType: 'trust',
        entityId: ctx.actor.trustId,
      });
      return { workers, waiting };
    });
  }
}
