/**
 * Planned endings (PRODUCT.md section 2, "Endings matter"): the worker or coordinator marks the
 * ending session, then ends the participant's programme and writes the end-of-programme summary.
 * Reading the summary is ending-summary.service.ts; sharing it, ending-share.service.ts.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../platform/errors.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Action } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import type { ProgrammeSessionRepository, ProgrammeSessionRow } from '../sessions/session.repository.ts';
import type { PlanDocumentsService } from '../plan/plan-documents.service.ts';
import type { PlanTemplates } from '../plan/plan-template.ts';
import type { ContactAttemptRepository } from '../contact/contact-attempt.repository.ts';
import { mayRecordLostContact } from '../contact/contact-status.ts';
import type { EndingInput } from './ending.form.ts';
import type { EndingRepository, EndingRow } from './ending.repository.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface EndingSettings {
  sessionCap: number;
  /** Unsuccessful contact attempts since last reached before "lost contact" may be recorded. */
  attemptsBeforeLost: number;
}

export interface PlannedSessionItem {
  id: string;
  plannedAt: Date;
  recordHref: string | null;
}

export interface EndingPage {
  participant: ParticipantWithAllocation;
  /** The ending already recorded, when this is a change. */
  ending: EndingRow | undefined;
  /** What the summary will say about the sessions, counted from what is recorded now. */
  preview: { sessionsAttended: number; sessionCap: number; sections: string[]; goals: string[] | null };
  /** Sessions still planned from now on: the programme cannot end while there are any. */
  plannedSessions: PlannedSessionItem[];
  lostContact: { unsuccessfulAttempts: number; attemptsBeforeLost: number; allowed: boolean };
  today: string;
}

/** What endings read from the recovery plan: its goals, and its sections' order and titles. */
export type EndingPlan = Pick<PlanDocumentsService, 'goalsForSummary' | 'templates'>;

/** The union of plan sections worked on at attended sessions, in the plan's order (keys). */
export function sectionsWorkedOn(
  sessions: readonly ProgrammeSessionRow[],
  templates: PlanTemplates,
): string[] {
  const worked = new Set(sessions.filter((s) => s.status === 'attended').flatMap((s) => s.sections));
  const known = templates.enabledSections.map((section) => section.key).filter((key) => worked.has(key));
  // Sections a later template no longer offers keep their place at the end, never dropped.
  return [...known, ...[...worked].filter((key) => !known.includes(key))];
}

function sameEnding(row: EndingRow, input: EndingInput): boolean {
  return (
    row.reason === input.reason &&
    row.reasonOther === input.reasonOther &&
    row.endedOn === input.endedOn &&
    row.onwardSupport === input.onwardSupport &&
    row.message === input.message &&
    row.shareConsent === input.shareConsent
  );
}

export class EndingsService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly sessions: ProgrammeSessionRepository;
  private readonly endings: EndingRepository;
  private readonly contactAttempts: ContactAttemptRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: EndingSettings;
  private readonly plan: EndingPlan;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    sessions: ProgrammeSessionRepository,
    endings: EndingRepository,
    contactAttempts: ContactAttemptRepository,
    audit: AuditService,
    clock: Clock,
    settings: EndingSettings,
    plan: EndingPlan,
  ) {
    this.db = db;
    this.participants = participants;
    this.sessions = sessions;
    this.endings = endings;
    this.contactAttempts = contactAttempts;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    this.plan = plan;
  }

  private sectionTitles(keys: readonly string[]): string[] {
    return keys.map((key) => this.plan.templates.sectionTitle(key));
  }

  /** The participant, if this actor may do `action` for them; anyone else gets "not found". */
  private participantFor(
    ctx: RequestContext,
    db: Db,
    participantId: string,
    action: Action,
  ): Promise<ParticipantWithAllocation> {
    return participantFor(this.participants, db, ctx.actor, participantId, action);
  }

  /** How many attempts to reach them failed since they were last reached, by contact or at a session. */
  private async unsuccessfulAttempts(
    db: Db,
    participantId: string,
    sessions: readonly ProgrammeSessionRow[],
  ): Promise<number> {
    const lastAttended = sessions
      .filter((s) => s.status === 'attended')
      .reduce<Date | null>((latest, s) => (latest && latest > s.plannedAt ? latest : s.plannedAt), null);
    const lastContact = await this.contactAttempts.lastReachedAt(db, participantId);
    const since =
      lastAttended && lastContact
        ? new Date(Math.max(lastAttended.getTime(), lastContact.getTime()))
        : (lastAttended ?? lastContact);
    return (await this.contactAttempts.attemptsSince(db, participantId, since)).length;
  }

  private plannedFrom(sessions: readonly ProgrammeSessionRow[], now: Date): ProgrammeSessionRow[] {
    return sessions.filter((s) => s.status === 'planned' && s.plannedAt.getTime() > now.getTime());
  }

  async endingPage(ctx: StaffContext, participantId: string): Promise<EndingPage> {
    const participant = await this.participantFor(ctx, this.db, participantId, 'programme.end');
    const [sessions, ending, goals] = await Promise.all([
      this.sessions.listForParticipant(this.db, participantId),
      this.endings.find(this.db, participantId),
      this.plan.goalsForSummary(this.db, participantId),
    ]);
    const unsuccessful = await this.unsuccessfulAttempts(this.db, participantId, sessions);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: participantId,
      detail: { page: 'end programme' },
    });
    const canRecord = can(ctx.actor, 'session.record', participantResource(participant));
    const now = this.clock.now();
    return {
      participant,
      ending,
      preview: {
        sessionsAttended: sessions.filter((s) => s.status === 'attended').length,
        sessionCap: this.settings.sessionCap,
        sections: this.sectionTitles(sectionsWorkedOn(sessions, this.plan.templates)),
        goals,
      },
      plannedSessions: this.plannedFrom(sessions, now).map((s) => ({
        id: s.id,
        plannedAt: s.plannedAt,
        recordHref: canRecord ? `/sessions/${s.id}/record` : null,
      })),
      lostContact: {
        unsuccessfulAttempts: unsuccessful,
        attemptsBeforeLost: this.settings.attemptsBeforeLost,
        allowed: mayRecordLostContact(unsuccessful, this.settings.attemptsBeforeLost),
      },
      today: ukToday(now),
    };
  }

  /**
   * Ends the programme, or changes how it ended. The sessions attended and sections worked on
   * are counted now and kept, so the summary reads the same later. A form sent twice saves once.
   */
  async recordEnding(ctx: StaffContext, participantId: string, input: EndingInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      // One ending of a person at a time, and no session booked while it is written.
      await this.participants.lockForUpdate(tx, participantId);
      const participant = await this.participantFor(ctx, tx, participantId, 'programme.end');
      const existing = await this.endings.find(tx, participantId);
      if (
        existing?.version === input.version + 1 &&
        existing.recordedBy === ctx.actor.id &&
        sameEnding(existing, input)
      ) {
        return;
      }
      if (input.version !== (existing?.version ?? 0)) throw new ConflictError();

      const sessions = await this.sessions.listForParticipant(tx, participantId);
      const now = this.clock.now();
      const errors: FieldErrors = {};
      const planned = this.plannedFrom(sessions, now);
      if (planned.length > 0) {
        errors.plannedSessions = `Record what happened to the ${planned.length === 1 ? 'session' : `${String(planned.length)} sessions`} still planned before ending the programme`;
      }
      if (input.endedOn < participant.dischargedOn) {
        errors.endedOn = `Date the programme ended must be on or after the day they were discharged, ${formatDate(participant.dischargedOn)}`;
      }
      if (input.reason === 'lost_contact' && existing?.reason !== 'lost_contact') {
        const unsuccessful = await this.unsuccessfulAttempts(tx, participantId, sessions);
        if (!mayRecordLostContact(unsuccessful, this.settings.attemptsBeforeLost)) {
          errors.reason = `You can record lost contact only after ${String(this.settings.attemptsBeforeLost)} unsuccessful attempts to reach them since they were last in touch (${String(unsuccessful)} recorded). Record each attempt first`;
        }
      }
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);

      const values = {
        reason: input.reason,
        reasonOther: input.reasonOther,
        endedOn: input.endedOn,
        sessionsAttended: sessions.filter((s) => s.status === 'attended').length,
        sections: sectionsWorkedOn(sessions, this.plan.templates),
        onwardSupport: input.onwardSupport,
        message: input.message,
        shareConsent: input.shareConsent,
        recordedBy: ctx.actor.id,
        recordedAt: now,
      };
      if (existing) {
        if (!(await this.endings.update(tx, participantId, existing.version, values)))
          throw new ConflictError();
      } else {
        await this.endings.insert(tx, { participantId, ...values, version: 1 });
      }
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: existing ? 'ending.updated' : 'programme.ended',
        entityType: 'programme_ending',
        entityId: participantId,
        detail: {
          reason: input.reason,
          shareConsent: input.shareConsent,
          ...(existing ? { version: existing.version + 1 } : {}),
        },
      });
    });
  }

  /**
   * Marks an already-booked, still-planned session as the planned ending session (or not). Only
   * one planned session is the ending: marking another moves it.
   */
  async planEndingSession(
    ctx: StaffContext,
    sessionId: string,
    isEnding: boolean,
  ): Promise<{ participantId: string }> {
    return this.db.transaction(async (tx) => {
      const found = await this.sessions.findById(tx, sessionId);
      if (!found) throw new NotFoundError('session');
      await this.participantFor(ctx, tx, found.participantId, 'session.record');
      // One mark of a person's sessions at a time, as booking an ending session takes it: two
      // marks at once would each clear the other's before it was saved, leaving two endings.
      await this.participants.lockForUpdate(tx, found.participantId);
      const session = await this.sessions.findById(tx, sessionId);
      if (!session) throw new NotFoundError('session');
      if (session.status !== 'planned') {
        throw new ValidationError({
          isEnding: 'Only a session still planned can be the planned ending session',
        });
      }
      if (session.isEnding === isEnding) return { participantId: session.participantId };
      if (isEnding) await this.endings.clearOtherPlannedEndings(tx, session.participantId, sessionId);
      await this.endings.markEndingSession(tx, sessionId, isEnding);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'session.updated',
        entityType: 'programme_session',
        entityId: sessionId,
        detail: { participantId: session.participantId, isEnding },
      });
      return { participantId: session.participantId };
    });
  }
}
