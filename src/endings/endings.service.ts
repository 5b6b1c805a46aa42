/**
 * Planned endings (PRODUCT.md section 2, "Endings matter"): the worker or coordinator ends a
 * participant's programme and writes the end-of-programme summary; the participant reads it;
 * with their recorded consent it goes to their crisis team, care coordinator or GP.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../platform/database/database.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import type { Clock } from '../platform/clock.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../platform/errors.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import { formatDate } from '../platform/http/views.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Action, type Resource } from '../policy/policy.ts';
import type { ParticipantActor, RequestContext, StaffActor } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import { formatNhsNumber } from '../participants/nhs-number.ts';
import { londonToday } from '../participants/programme-window.ts';
import type { ProgrammeSessionRepository, ProgrammeSessionRow } from '../sessions/session.repository.ts';
import type { PlanDocumentsService } from '../plan/plan-documents.service.ts';
import type { PlanTemplates } from '../plan/plan-template.ts';
import type { ContactAttemptRepository } from '../contact/contact-attempt.repository.ts';
import { mayRecordLostContact } from '../contact/contact-status.ts';
import type { EndingInput, ShareInput, ShareRecipient } from './ending.form.ts';
import type { EndingRepository, EndingRow, EndingShareRow } from './ending.repository.ts';
import {
  endingReasonInSentence,
  endingReasonText,
  SHARE_CONSENT_LABELS,
  shareItem,
  summaryEmailPreview,
  summaryText,
  type EndingSummary,
} from './ending.view-model.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** The outbox's name for an end-of-programme summary emailed to a care team. */
export const ENDING_SHARE_SOURCE = 'ending-share';
type EndingResource = Extract<Resource, { type: 'ending' }>;
type ParticipantContext = RequestContext & { actor: ParticipantActor };

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

export interface SummaryPage {
  summary: EndingSummary;
  canChange: boolean;
  canShare: boolean;
}

/** What the participant's record page says about the ending. */
export interface EndingPanel {
  ended: { endedOn: string; reason: string } | null;
  canEnd: boolean;
  /** The summary's address, for those who may read it. */
  summaryHref: string | null;
  /** A clinician of the participant's crisis team, and the summary was shared with the team. */
  sharedWithYourTeam: boolean;
}

export interface SharePage {
  summary: EndingSummary;
  consented: boolean;
  alreadySharedWithCrisisTeam: boolean;
  /** Their GP practice and care coordinator as the referral gave them: where the form starts. */
  careContacts: { gpName: string; gpEmail: string; careCoordinatorName: string; careCoordinatorEmail: string };
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

/** One token per recipient from the form's token, so a resubmitted form sends nobody twice. */
function recipientToken(formToken: string, recipient: ShareRecipient['kind']): string {
  const hex = createHash('sha256').update(`${formToken}:${recipient}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
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
  private readonly outbox: MessageOutbox;
  logger: Pick<FastifyBaseLogger, 'error'> | undefined;
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
    outbox: MessageOutbox,
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
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    this.plan = plan;
    // The email went: the share shows as sent. Not delivered after every try, it stays "not
    // sent" on the summary and the coordinator sees it among the messages not delivered.
    outbox.onOutcome(ENDING_SHARE_SOURCE, async (tx, message, outcome) => {
      if (outcome === 'sent') await this.endings.setShareNotification(tx, message.sourceId, message.id);
    });
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

  private async endingResource(db: Db, participant: ParticipantWithAllocation): Promise<EndingResource> {
    return {
      type: 'ending',
      participantId: participant.id,
      trustId: participant.trustId,
      crisisTeamId: participant.crisisTeamId,
      allocatedWorkerId: participant.allocatedWorkerId,
      sharedWithCrisisTeam: await this.endings.sharedWithCrisisTeam(db, participant.id),
    };
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
    return this.db.transaction(async (tx) => {
      const participant = await this.participantFor(ctx, tx, participantId, 'programme.end');
      const sessions = await this.sessions.listForParticipant(tx, participantId);
      const ending = await this.endings.find(tx, participantId);
      const unsuccessful = await this.unsuccessfulAttempts(tx, participantId, sessions);
      await this.audit.record(tx, {
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
          goals: await this.plan.goalsForSummary(tx, participantId),
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
        today: londonToday(now),
      };
    });
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

  private async summaryOf(db: Db, participant: ParticipantWithAllocation): Promise<EndingSummary> {
    const ending = await this.endings.findWithRecorder(db, participant.id);
    if (!ending) throw new NotFoundError('ending');
    const shares = await this.endings.shares(db, participant.id);
    return {
      participantId: participant.id,
      name: `${participant.givenName} ${participant.familyName}`,
      firstName: participant.preferredName ?? participant.givenName,
      dateOfBirth: participant.dateOfBirth,
      nhsNumber: participant.nhsNumber ? formatNhsNumber(participant.nhsNumber) : null,
      dischargedOn: participant.dischargedOn,
      crisisTeamName: participant.crisisTeamName,
      workerName: participant.allocatedWorkerName,
      endedOn: ending.endedOn,
      reason: endingReasonText(ending),
      sessionsAttended: ending.sessionsAttended,
      sessionCap: this.settings.sessionCap,
      sections: this.sectionTitles(ending.sections),
      goals: await this.plan.goalsForSummary(db, participant.id),
      onwardSupport: ending.onwardSupport,
      message: ending.message,
      messageFrom: ending.recordedByName.split(' ')[0] ?? ending.recordedByName,
      shareConsent: ending.shareConsent,
      shareConsentText: SHARE_CONSENT_LABELS[ending.shareConsent],
      recordedByName: ending.recordedByName,
      recordedAt: ending.recordedAt,
      shares: shares.map(shareItem),
    };
  }

  /** The summary, if this actor may read it (ending.view); the read is audited in the same transaction. */
  private async readSummary(
    tx: Db,
    ctx: RequestContext,
    participantId: string,
    page: string,
  ): Promise<{ participant: ParticipantWithAllocation; summary: EndingSummary }> {
    const participant = await this.participants.findWithAllocation(tx, participantId);
    if (!participant || !can(ctx.actor, 'ending.view', await this.endingResource(tx, participant))) {
      throw new NotFoundError('ending');
    }
    const summary = await this.summaryOf(tx, participant);
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'ending.viewed',
      entityType: 'programme_ending',
      entityId: participant.id,
      detail: { page },
    });
    return { participant, summary };
  }

  /** The end-of-programme summary for staff: ending.view, audited. */
  async summary(ctx: StaffContext, participantId: string): Promise<SummaryPage> {
    return this.db.transaction(async (tx) => {
      const { participant, summary } = await this.readSummary(tx, ctx, participantId, 'summary');
      const resource = participantResource(participant);
      return {
        summary,
        canChange: can(ctx.actor, 'programme.end', resource),
        canShare: can(ctx.actor, 'ending.share', resource),
      };
    });
  }

  /** A participant's own summary, in plain words. */
  async mySummary(ctx: ParticipantContext): Promise<EndingSummary> {
    return this.db.transaction(
      async (tx) => (await this.readSummary(tx, ctx, ctx.actor.id, 'my summary')).summary,
    );
  }

  /** When the signed-in participant's programme ended, if it has (for "My programme", which is audited). */
  async myEnding(ctx: ParticipantContext): Promise<{ endedOn: string } | null> {
    const ending = await this.endings.find(this.db, ctx.actor.id);
    return ending ? { endedOn: ending.endedOn } : null;
  }

  /** What the participant's record page shows about the ending (the page itself is audited). */
  async panel(ctx: StaffContext, participantId: string): Promise<EndingPanel> {
    const participant = await this.participants.findWithAllocation(this.db, participantId);
    if (!participant || !can(ctx.actor, 'participant.view', participantResource(participant))) {
      throw new NotFoundError('participant');
    }
    const resource = participantResource(participant);
    const canEnd = can(ctx.actor, 'programme.end', resource);
    const ending = await this.endings.find(this.db, participantId);
    if (!ending) return { ended: null, canEnd, summaryHref: null, sharedWithYourTeam: false };
    const endingResource = await this.endingResource(this.db, participant);
    const canView = can(ctx.actor, 'ending.view', endingResource);
    const staffOfTeam = !can(ctx.actor, 'ending.view', { ...endingResource, sharedWithCrisisTeam: false });
    return {
      ended: { endedOn: ending.endedOn, reason: endingReasonInSentence(ending) },
      canEnd,
      summaryHref: canView ? `/participants/${participantId}/ending/summary` : null,
      // Those who read it only because it was shared with their team are told so.
      sharedWithYourTeam: canView && staffOfTeam,
    };
  }

  async sharePage(ctx: StaffContext, participantId: string): Promise<SharePage> {
    return this.db.transaction(async (tx) => {
      const participant = await this.participantFor(ctx, tx, participantId, 'ending.share');
      const summary = await this.summaryOf(tx, participant);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'ending.viewed',
        entityType: 'programme_ending',
        entityId: participantId,
        detail: { page: 'share' },
      });
      return {
        summary,
        consented: summary.shareConsent === 'yes',
        alreadySharedWithCrisisTeam: await this.endings.sharedWithCrisisTeam(tx, participantId),
        careContacts: {
          gpName: participant.gpPracticeName ?? '',
          gpEmail: participant.gpPracticeEmail ?? '',
          careCoordinatorName: participant.careCoordinatorName ?? '',
          careCoordinatorEmail: participant.careCoordinatorEmail ?? '',
        },
      };
    });
  }

  /**
   * Shares the summary, with the participant's recorded consent: the crisis team reads it in
   * Greenleaf; a care coordinator or GP gets it by email at a secure NHS address. Each recipient
   * is recorded (one row per form and recipient) with its email put in the message outbox in the
   * same transaction, so a form sent twice, or twice at once, emails each person once, and a
   * crash after saving never loses the email (the outbox sends it, retrying). Returns whether
   * anything new was shared.
   */
  async share(ctx: StaffContext, participantId: string, input: ShareInput): Promise<{ duplicate: boolean }> {
    const tokens = new Map(
      input.recipients.map((r) => [r.kind, recipientToken(input.submissionToken, r.kind)]),
    );
    // Asked first, so a resubmitted form says nothing to anyone who may not share.
    await this.participantFor(ctx, this.db, participantId, 'ending.share');
    const done = await this.endings.sharesByTokens(this.db, [...tokens.values()]);
    if (done.some((share) => share.participantId !== participantId)) throw new NotFoundError('participant');
    const doneKinds = new Set(done.map((share) => share.recipientKind));
    const pending = input.recipients.filter((r) => !doneKinds.has(r.kind));
    if (pending.length === 0) return { duplicate: true };

    let emailing = false;
    try {
      emailing = await this.db.transaction(async (tx) => {
        await this.participants.lockForUpdate(tx, participantId);
        const participant = await this.participantFor(ctx, tx, participantId, 'ending.share');
        const ending = await this.endings.find(tx, participantId);
        if (!ending) throw new NotFoundError('ending');
        if (ending.shareConsent !== 'yes') {
          throw new ValidationError({
            recipients: 'Record that they agreed to share the summary before sending it to anyone',
          });
        }
        const now = this.clock.now();
        const summary = await this.summaryOf(tx, participant);
        let emails = 0;
        for (const recipient of pending) {
          const share: EndingShareRow = {
            id: randomUUID(),
            participantId,
            recipientKind: recipient.kind,
            recipientName:
              recipient.kind === 'crisis_team' ? participant.crisisTeamName : (recipient.name ?? ''),
            recipientEmail: recipient.email ?? '',
            notificationId: null,
            sharedBy: ctx.actor.id,
            sharedAt: now,
            submissionToken: tokens.get(recipient.kind) ?? randomUUID(),
          };
          await this.endings.insertShare(tx, share);
          await this.auditShare(tx, ctx, share);
          // The crisis team reads it in Greenleaf; the others are emailed.
          if (recipient.kind === 'crisis_team' || !recipient.email) continue;
          await this.outbox.enqueue(tx, {
            channel: 'email',
            to: recipient.email,
            template: 'ending_summary',
            personalisation: {
              recipient_name: share.recipientName,
              participant_name: summary.name,
              summary: summaryText(summary),
            },
            preview: summaryEmailPreview(share.recipientName, summary),
            source: { kind: ENDING_SHARE_SOURCE, id: share.id },
            trustId: participant.trustId,
          });
          emails += 1;
        }
        return emails > 0;
      });
    } catch (error) {
      // The same form racing itself: the other copy is sending it.
      if (isUniqueViolation(error, 'programme_ending_shares_submission_token_key'))
        return { duplicate: true };
      throw error;
    }
    // Sent now rather than at the outbox's next minute; a failure is retried from there.
    if (emailing) {
      await this.outbox.dispatchDue(5).catch((error: unknown) => {
        this.logger?.error({ err: error }, 'could not send the end-of-programme summary yet');
      });
    }
    return { duplicate: false };
  }

  private async auditShare(tx: Db, ctx: StaffContext, share: EndingShareRow): Promise<void> {
    // The kind of recipient only: never their name or address.
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'ending.shared',
      entityType: 'programme_ending',
      entityId: share.participantId,
      detail: { recipientKind: share.recipientKind, shareId: share.id },
    });
  }
}
