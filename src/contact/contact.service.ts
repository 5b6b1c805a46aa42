/**
 * Staying in touch between sessions: the participant's current peer support worker records
 * each attempt to reach them (phone, text, email, letter, visit, or asking the care team), and
 * everyone who may see the participant sees whether they are in touch or being looked for.
 * "Lost contact" becomes possible only after `attemptsBeforeLost` unsuccessful attempts since
 * they were last reached (PRODUCT.md section 2).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Action } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import { REACHED_OUTCOMES, type ContactAttemptRepository } from './contact-attempt.repository.ts';
import { contactStatusFrom, type ContactStatus } from './contact-status.ts';
import { contactPanel, type ContactPanel } from './contact.view-model.ts';
import type { ContactAttemptInput } from './contact.form.ts';
import { fromUkWallClock, ukToday } from '../platform/calendar/uk-time.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface ContactSettings {
  attemptsBeforeLost: number;
}

export interface RecordContactPage {
  participant: ParticipantWithAllocation;
  status: ContactStatus;
}

/** What the service asks of participants: who they are and who supports them. */
export type ContactParticipants = Pick<ParticipantRepository, 'findWithAllocation'>;

/** What the service asks of contact attempts and attended sessions. */
export type ContactAttempts = Pick<
  ContactAttemptRepository,
  'insert' | 'bySubmissionToken' | 'listForParticipant' | 'lastAttendedAt'
>;

export class ContactService {
  private readonly db: Db;
  private readonly participants: ContactParticipants;
  private readonly attempts: ContactAttempts;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: ContactSettings;

  constructor(
    db: Db,
    participants: ContactParticipants,
    attempts: ContactAttempts,
    audit: AuditService,
    clock: Clock,
    settings: ContactSettings,
  ) {
    this.db = db;
    this.participants = participants;
    this.attempts = attempts;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * Whether the participant is in touch, read with the caller's `db`. It asks no policy:
   * callers (the panel below, programme endings) have already decided the actor may see them.
   * `lastAttendedAt` is their last attended session, which reaches them as a contact does.
   */
  async contactStatus(db: Db, participantId: string, lastAttendedAt: Date | null): Promise<ContactStatus> {
    const attempts = await this.attempts.listForParticipant(db, participantId);
    return contactStatusFrom(attempts, lastAttendedAt, this.settings.attemptsBeforeLost);
  }

  /**
   * The "Staying in touch" panel of the participant page, read with the `db` the page gives for a
   * participant the page has checked the actor may see. Not audited on its own: the page's one
   * `participant.viewed` event covers this read.
   */
  async panel(db: Db, ctx: RequestContext, participant: ParticipantWithAllocation): Promise<ContactPanel> {
    const participantId = participant.id;
    const attempts = await this.attempts.listForParticipant(db, participantId);
    const lastAttendedAt = await this.attempts.lastAttendedAt(db, participantId);
    const status = contactStatusFrom(attempts, lastAttendedAt, this.settings.attemptsBeforeLost);
    return contactPanel(
      participantId,
      status,
      attempts,
      this.clock.now(),
      can(ctx.actor, 'contact.record', participantResource(participant)),
    );
  }

  /** The participant, if this actor may do `action` for them; anyone else gets "not found". */
  private participantFor(
    ctx: StaffContext,
    db: Db,
    participantId: string,
    action: Action,
  ): Promise<ParticipantWithAllocation> {
    return participantFor(this.participants, db, ctx.actor, participantId, action);
  }

  async recordPage(ctx: StaffContext, participantId: string): Promise<RecordContactPage> {
    const participant = await this.participantFor(ctx, this.db, participantId, 'contact.record');
    const status = await this.contactStatus(
      this.db,
      participantId,
      await this.attempts.lastAttendedAt(this.db, participantId),
    );
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: participantId,
      detail: { page: 'record contact attempt' },
    });
    return { participant, status };
  }

  /** Records the attempt once; a resubmitted form finds the first one. */
  async record(
    ctx: StaffContext,
    participantId: string,
    input: ContactAttemptInput,
  ): Promise<{ attemptId: string; duplicate: boolean }> {
    // Asked first, so a resubmitted form says nothing to anyone who may not record for them.
    await this.participantFor(ctx, this.db, participantId, 'contact.record');
    const existing = await this.attempts.bySubmissionToken(this.db, input.submissionToken);
    if (existing) return this.firstAttempt(existing.id, existing.participantId, participantId);
    const attemptId = randomUUID();
    try {
      await this.db.transaction(async (tx) => {
        const participant = await this.participantFor(ctx, tx, participantId, 'contact.record');
        const now = this.clock.now();
        const madeAt = fromUkWallClock(input.madeOn, input.madeTime.hour, input.madeTime.minute);
        const errors: FieldErrors = {};
        if (input.madeOn < participant.dischargedOn) {
          errors.madeOn = `Date must be on or after the day they were discharged, ${formatDate(participant.dischargedOn)}`;
        } else if (input.madeOn > ukToday(now)) {
          errors.madeOn = 'Date must be today or in the past';
        } else if (madeAt.getTime() > now.getTime()) {
          errors.madeTime = 'Time must be now or in the past';
        }
        if (Object.keys(errors).length > 0) throw new ValidationError(errors);
        await this.attempts.insert(tx, {
          id: attemptId,
          participantId,
          madeBy: ctx.actor.id,
          madeAt,
          method: input.method,
          outcome: input.outcome,
          reached: REACHED_OUTCOMES.includes(input.outcome),
          note: input.note,
          recordedAt: now,
          submissionToken: input.submissionToken,
        });
        // Never the note: the audit log holds ids and codes, not what people wrote.
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'contact.recorded',
          entityType: 'contact_attempt',
          entityId: attemptId,
          detail: { participantId, method: input.method, outcome: input.outcome },
        });
      });
    } catch (error) {
      // Two copies of one form racing: the loser finds the winner's attempt.
      if (isUniqueViolation(error, 'contact_attempts_submission_token_key')) {
        const winner = await this.attempts.bySubmissionToken(this.db, input.submissionToken);
        if (winner) return this.firstAttempt(winner.id, winner.participantId, participantId);
      }
      throw error;
    }
    return { attemptId, duplicate: false };
  }

  private firstAttempt(
    attemptId: string,
    attemptParticipantId: string,
    participantId: string,
  ): { attemptId: string; duplicate: boolean } {
    // A token is only ever good for the form it was issued with.
    if (attemptParticipantId !== participantId) throw new NotFoundError('participant');
    return { attemptId, duplicate: true };
  }
}
