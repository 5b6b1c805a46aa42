/** Reading a participant's record: always through the policy, always audited. */
import type { Db } from '../platform/database/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Clock } from '../platform/clock.ts';
import { can, type Action, type Resource } from '../policy/policy.ts';
import type { Actor, ParticipantActor, RequestContext } from '../policy/actor.ts';
import type {
  AllocationHistoryItem,
  ParticipantRepository,
  ParticipantWithAllocation,
} from './participant.repository.ts';
import type { TeamRepository } from '../organisation/team.repository.ts';
import type { SessionCounts, ProgrammeSessionRepository } from '../sessions/session.repository.ts';
import type { StatusReason } from '../sessions/status-reasons.ts';
import {
  participantSessionItem,
  sessionListItem,
  type ParticipantSessionItem,
  type SessionListItem,
} from '../sessions/session.view-model.ts';
import { programmeProgress, type ProgrammeProgress } from './programme-progress.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

export function participantResource(p: ParticipantWithAllocation): Resource {
  return {
    type: 'participant',
    participantId: p.id,
    trustId: p.trustId,
    crisisTeamId: p.crisisTeamId,
    allocatedWorkerId: p.allocatedWorkerId,
  };
}

/**
 * The participant, if `actor` may do `action` for them; anyone else (and an unknown id) gets
 * "not found", so a refused request reveals nothing. Every service that acts on one
 * participant asks through here.
 */
export async function participantFor(
  repository: Pick<ParticipantRepository, 'findWithAllocation'>,
  db: Db,
  actor: Actor,
  participantId: string,
  action: Action,
): Promise<ParticipantWithAllocation> {
  const participant = await repository.findWithAllocation(db, participantId);
  if (!participant || !can(actor, action, participantResource(participant))) {
    throw new NotFoundError('participant');
  }
  return participant;
}

export interface ParticipantSummary {
  participant: ParticipantWithAllocation;
  history: AllocationHistoryItem[];
  canAllocate: boolean;
  sessions: SessionListItem[];
  sessionCounts: SessionCounts;
  sessionCap: number;
  canBookSession: boolean;
  /** Their contacts someone else also has, which therefore sign in neither of them. */
  sharedContacts: ('mobile' | 'email')[];
}

export interface MyProgramme {
  displayName: string;
  workerFirstName: string | null;
  crisisTeamName: string;
  crisisTeamPhone: string;
  dischargedOn: string;
  /** Sessions still to come, soonest first: when and how only, never what was talked about. */
  upcomingSessions: ParticipantSessionItem[];
  /** Sessions had and left, and when it is planned to end; null while waiting for a worker. */
  progress: ProgrammeProgress | null;
  /** Trial mode: in the control group, or withdrawn from peer support; null otherwise. */
  interventionWithheld: 'trial_control' | 'trial_withdrawn' | null;
}

/** The programme's dose and window, and when "the end is near" starts (configuration). */
export interface ProgrammeSettings {
  windowMonths: number;
  windowClosingDays: number;
}

export class ParticipantService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly teams: TeamRepository;
  private readonly sessions: ProgrammeSessionRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly sessionCap: number;
  private readonly statusReasons: readonly StatusReason[];
  private readonly programme: ProgrammeSettings;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    teams: TeamRepository,
    sessions: ProgrammeSessionRepository,
    audit: AuditService,
    clock: Clock,
    sessionCap: number,
    statusReasons: readonly StatusReason[],
    programme: ProgrammeSettings,
  ) {
    this.db = db;
    this.participants = participants;
    this.teams = teams;
    this.sessions = sessions;
    this.audit = audit;
    this.clock = clock;
    this.sessionCap = sessionCap;
    this.statusReasons = statusReasons;
    this.programme = programme;
  }

  /**
   * The record's own part of the participant page, read with the `db` the page gives for a
   * participant the page has checked the actor may see (the page audits the view).
   */
  async summary(
    db: Db,
    ctx: RequestContext,
    participant: ParticipantWithAllocation,
  ): Promise<ParticipantSummary> {
    const history = await this.participants.allocationHistory(db, participant.id);
    const sessions = await this.sessions.listForParticipant(db, participant.id);
    const sharedContacts = await this.participants.sharedContacts(db, participant);
    const resource = participantResource(participant);
    const canRecord = can(ctx.actor, 'session.record', resource);
    return {
      participant,
      history,
      canAllocate: can(ctx.actor, 'participant.allocate', resource),
      sessions: sessions.map((session) => sessionListItem(session, canRecord, this.statusReasons)),
      sessionCounts: {
        attended: sessions.filter((s) => s.status === 'attended').length,
        planned: sessions.filter((s) => s.status === 'planned').length,
      },
      sessionCap: this.sessionCap,
      canBookSession: can(ctx.actor, 'session.book', resource),
      sharedContacts,
    };
  }

  /** A signed-in participant's own programme: only what they need, nothing about other people. */
  async myProgramme(ctx: RequestContext & { actor: ParticipantActor }): Promise<MyProgramme> {
    const participant = await this.participants.findWithAllocation(this.db, ctx.actor.id);
    if (!participant) throw new NotFoundError('participant');
    const [upcoming, counts] = await Promise.all([
      this.sessions.upcomingForParticipant(this.db, participant.id, this.clock.now()),
      this.sessions.counts(this.db, participant.id),
    ]);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: participant.id,
      detail: { page: 'my programme' },
    });
    return {
      displayName: participant.preferredName ?? participant.givenName,
      workerFirstName: participant.allocatedWorkerName?.split(' ')[0] ?? null,
      crisisTeamName: participant.crisisTeamName,
      crisisTeamPhone: participant.crisisTeamPhone,
      dischargedOn: participant.dischargedOn,
      upcomingSessions: upcoming.map(participantSessionItem),
      progress: participant.allocatedWorkerId
        ? programmeProgress({
            dischargedOn: participant.dischargedOn,
            today: ukToday(this.clock.now()),
            sessionsAttended: counts.attended,
            sessionCap: this.sessionCap,
            ...this.programme,
          })
        : null,
      interventionWithheld: participant.interventionWithheld,
    };
  }

  /** The crisis team to show on "Get help now": the participant's own, or a staff member's team. */
  async crisisTeamContact(actor: Actor | undefined): Promise<{ name: string; phone: string } | undefined> {
    if (!actor?.crisisTeamId) return undefined;
    const team = await this.teams.findById(this.db, actor.crisisTeamId);
    return team ? { name: team.name, phone: team.phone } : undefined;
  }
}
