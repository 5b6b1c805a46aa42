/**
 * Raising a safety concern or an advice request (PRODUCT.md section 5): a peer support worker
 * raises one about a participant, and for immediate danger is shown the "Call 999 now" step.
 * It lands in the duty inbox of the participant's crisis team (duty-inbox.service.ts). Every
 * change is audited in its own transaction, and every read (without a transaction) before it is
 * returned; anyone the policy does not allow gets "not found".
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor } from '../participants/participant.service.ts';
import type { SharingConsentRepository } from '../consent/consent.repository.ts';
import type { ProgrammeSessionRepository } from '../sessions/session.repository.ts';
import { displayName } from '../participants/display-name.ts';
import { acknowledgeBy, type ConcernDeadlineSettings } from './deadlines.ts';
import type { RaiseInput } from './concern.form.ts';
import type { ConcernListRow, ConcernRepository } from './concern.repository.ts';
import { concernFor, concernParticipantName, type StaffContext } from './concern-item.ts';

export interface RaisePage {
  participant: ParticipantWithAllocation;
  name: string;
  /** The participant has not agreed to share information: a concern is shared anyway, and says so. */
  safetyOverride: boolean;
  /** The session it is raised from, when that session is theirs. */
  sessionId: string | null;
  /** When the worker's next 1:1 supervision is due: what "by the next supervision" means. */
  nextSupervisionOn: string | undefined;
}

/** When a worker's next 1:1 supervision is due (the supervision service's answer). */
export interface NextSupervision {
  nextOneToOne(db: Db, worker: { trustId: string; id: string }): Promise<string | undefined>;
}

export class ConcernRaisingService {
  private readonly supervision: NextSupervision;
  private readonly db: Db;
  private readonly concerns: ConcernRepository;
  private readonly participants: ParticipantRepository;
  private readonly sessions: Pick<ProgrammeSessionRepository, 'findById'>;
  /** Read without a policy check, in the raising transaction: it records whether safety overrode their choice. */
  private readonly consents: Pick<SharingConsentRepository, 'latest'>;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly deadlines: ConcernDeadlineSettings;

  constructor(
    db: Db,
    concerns: ConcernRepository,
    participants: ParticipantRepository,
    sessions: Pick<ProgrammeSessionRepository, 'findById'>,
    consents: Pick<SharingConsentRepository, 'latest'>,
    audit: AuditService,
    clock: Clock,
    deadlines: ConcernDeadlineSettings,
    supervision: NextSupervision,
  ) {
    this.supervision = supervision;
    this.db = db;
    this.concerns = concerns;
    this.participants = participants;
    this.sessions = sessions;
    this.consents = consents;
    this.audit = audit;
    this.clock = clock;
    this.deadlines = deadlines;
  }

  private async sessionOf(
    db: Db,
    participantId: string,
    sessionId: string | undefined,
  ): Promise<string | null> {
    if (!sessionId) return null;
    const session = await this.sessions.findById(db, sessionId);
    return session?.participantId === participantId ? session.id : null;
  }

  async raisePage(ctx: StaffContext, participantId: string, sessionId?: string): Promise<RaisePage> {
    const participant = await participantFor(
      this.participants,
      this.db,
      ctx.actor,
      participantId,
      'concern.raise',
    );
    const [latest, ownSessionId, nextSupervisionOn] = await Promise.all([
      this.consents.latest(this.db, participantId),
      this.sessionOf(this.db, participantId, sessionId),
      this.supervision.nextOneToOne(this.db, { trustId: ctx.actor.trustId, id: ctx.actor.id }),
    ]);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: participantId,
      detail: { page: 'raise concern' },
    });
    return {
      participant,
      name: displayName(participant),
      safetyOverride: latest?.consent !== 'yes',
      sessionId: ownSessionId,
      nextSupervisionOn,
    };
  }

  /**
   * Saves the concern once; a resubmitted form returns the first one's id. Immediate danger is
   * saved, audited and on the clock the moment it is sent, so the crisis team has it even if the
   * worker leaves the page to call 999; `awaiting999` says the "Call 999 now" step comes next.
   */
  async raise(
    ctx: StaffContext,
    participantId: string,
    input: RaiseInput,
    sessionId?: string,
  ): Promise<{ concernId: string; duplicate: boolean; awaiting999: boolean }> {
    await participantFor(this.participants, this.db, ctx.actor, participantId, 'concern.raise');
    const first = async () => {
      const existing = await this.concerns.findBySubmissionToken(this.db, input.submissionToken);
      if (!existing) return undefined;
      if (existing.participantId !== participantId || existing.raisedBy !== ctx.actor.id)
        throw new NotFoundError('participant');
      return {
        concernId: existing.id,
        duplicate: true,
        awaiting999: existing.urgency === 'immediate' && !existing.called999At,
      };
    };
    const earlier = await first();
    if (earlier) return earlier;
    const called999 = input.urgency === 'immediate' && input.called999;
    const concernId = randomUUID();
    try {
      await this.db.transaction(async (tx) => {
        const participant = await participantFor(
          this.participants,
          tx,
          ctx.actor,
          participantId,
          'concern.raise',
        );
        // Safety comes first: a concern reaches the crisis team whatever the participant chose.
        const consent = (await this.consents.latest(tx, participantId))?.consent;
        const safetyOverride = consent !== 'yes';
        const now = this.clock.now();
        await this.concerns.insert(tx, {
          id: concernId,
          kind: input.kind,
          participantId,
          crisisTeamId: participant.crisisTeamId,
          sessionId: await this.sessionOf(tx, participantId, sessionId),
          raisedBy: ctx.actor.id,
          raisedAt: now,
          urgency: input.urgency,
          whatHappened: input.whatHappened,
          // A form that already says "I have called 999" (a page open from before) keeps saying so.
          called999At: called999 ? now : null,
          participantKnows: input.participantKnows,
          safetyOverride,
          acknowledgeBy: acknowledgeBy(input.urgency, now, this.deadlines),
          status: 'open',
          version: 1,
          submissionToken: input.submissionToken,
        });
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'concern.raised',
          entityType: 'safety_concern',
          entityId: concernId,
          detail: { participantId, kind: input.kind, urgency: input.urgency, safetyOverride },
        });
      });
    } catch (error) {
      // Two copies of one form racing: the loser finds the winner's concern.
      if (isUniqueViolation(error, 'safety_concerns_submission_token_key')) {
        const winner = await first();
        if (winner) return winner;
      }
      throw error;
    }
    return { concernId, duplicate: false, awaiting999: input.urgency === 'immediate' && !called999 };
  }

  /** The "Call 999 now" step of a saved immediate concern: its raiser only. */
  async call999Page(
    ctx: StaffContext,
    id: string,
  ): Promise<{ concern: ConcernListRow; name: string; confirmed: boolean }> {
    const row = await concernFor(this.concerns, ctx, this.db, id, 'concern.confirm_999');
    if (row.urgency !== 'immediate') throw new NotFoundError('concern');
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'concern.viewed',
      entityType: 'safety_concern',
      entityId: id,
      detail: { participantId: row.participantId, page: 'call 999' },
    });
    return { concern: row, name: concernParticipantName(row), confirmed: row.called999At !== null };
  }

  /** Records "I have called 999" on the saved concern, once: a second confirmation changes nothing. */
  async confirm999(ctx: StaffContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await concernFor(this.concerns, ctx, tx, id, 'concern.confirm_999');
      if (row.urgency !== 'immediate') throw new NotFoundError('concern');
      const now = this.clock.now();
      if (!(await this.concerns.confirm999(tx, id, now))) return;
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'concern.called_999_confirmed',
        entityType: 'safety_concern',
        entityId: id,
        detail: {
          participantId: row.participantId,
          minutesAfterSending: Math.floor((now.getTime() - row.raisedAt.getTime()) / 60_000),
        },
      });
    });
  }
}
