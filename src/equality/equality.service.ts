/**
 * Equality monitoring answers (PRODUCT.md section 7): recorded at referral, in the referral's
 * transaction, and seen and changed afterwards only by the participant themselves. Staff see
 * only what running sessions needs: the first language and whether an interpreter is needed.
 * Audit events name which questions changed, never the answers.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { ConflictError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { ParticipantActor, RequestContext, StaffActor } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import {
  changedQuestions,
  hasAnyAnswer,
  languageLabel,
  labelOf,
  NO_ANSWERS,
  YES_NO,
  type EqualityAnswers,
} from './equality-fields.ts';
import type { EqualityRepository, EqualityRow } from './equality.repository.ts';
import type { AnswerChange } from './equality.form.ts';

type ParticipantContext = RequestContext & { actor: ParticipantActor };

/** The participant's answers as their own page shows them, with the version to change them from. */
export interface MyAnswers {
  answers: EqualityAnswers;
  /** 0 while nothing is recorded. */
  version: number;
}

/** What the staff participant page shows: language and interpreter only. */
export interface LanguagePanel {
  canView: boolean;
  firstLanguage: string;
  interpreterNeeded: string;
}

export function answersOf(row: EqualityRow | undefined): EqualityAnswers {
  if (!row) return { ...NO_ANSWERS };
  return {
    ethnicity: row.ethnicity,
    gender: row.gender,
    firstLanguage: row.firstLanguage,
    firstLanguageName: row.firstLanguageName,
    interpreterNeeded: row.interpreterNeeded,
    disability: row.disability,
  };
}

/** "Prefer not to say" and blank read the same to staff: not given. */
function forStaff(text: string, code: string | null): string {
  return code === null || code === 'prefer_not_to_say' ? 'Not given' : text;
}

export class EqualityService {
  private readonly db: Db;
  private readonly participants: Pick<ParticipantRepository, 'findWithAllocation' | 'lockForUpdate'>;
  private readonly equality: EqualityRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    participants: Pick<ParticipantRepository, 'findWithAllocation' | 'lockForUpdate'>,
    equality: EqualityRepository,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.participants = participants;
    this.equality = equality;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * The answers given at referral, in the referral's own transaction `tx`: a row only when at
   * least one question was answered, recorded by the referrer. The referral checked who may refer.
   */
  async recordAtReferral(
    tx: Db,
    ctx: RequestContext & { actor: StaffActor },
    participant: { id: string; trustId: string },
    answers: EqualityAnswers,
  ): Promise<void> {
    if (!hasAnyAnswer(answers)) return;
    await this.equality.insert(tx, {
      participantId: participant.id,
      trustId: participant.trustId,
      ...answers,
      recordedBy: ctx.actor.id,
      recordedAt: this.clock.now(),
    });
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'equality.recorded',
      entityType: 'participant',
      entityId: participant.id,
      detail: { questions: changedQuestions(NO_ANSWERS, answers) },
    });
  }

  /** The signed-in participant's own answers (a read of their record, audited). */
  async myAnswers(ctx: ParticipantContext): Promise<MyAnswers> {
    await this.ownRecord(ctx, this.db);
    const row = await this.equality.find(this.db, ctx.actor.id);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: ctx.actor.id,
      detail: { page: 'about you' },
    });
    return { answers: answersOf(row), version: row?.version ?? 0 };
  }

  /**
   * Changes one answer, from the version the participant's page showed: a stale version is a
   * conflict (never an overwrite), except the same change sent twice, which is already saved.
   */
  async changeMyAnswer(ctx: ParticipantContext, change: AnswerChange): Promise<void> {
    await this.db.transaction(async (tx) => {
      // One change to a person's answers at a time: a first answer has no row to lock yet.
      await this.participants.lockForUpdate(tx, ctx.actor.id);
      const participant = await this.ownRecord(ctx, tx);
      const row = await this.equality.find(tx, participant.id);
      const before = answersOf(row);
      const after: EqualityAnswers = { ...before, ...change.answer };
      const current = row?.version ?? 0;
      if (current !== change.version) {
        if (current === change.version + 1 && changedQuestions(before, after).length === 0) return;
        throw new ConflictError();
      }
      const changed = changedQuestions(before, after);
      if (changed.length === 0) return;
      const recorded = { recordedBy: null, recordedAt: this.clock.now() };
      if (row) {
        if (!(await this.equality.update(tx, participant.id, row.version, { ...after, ...recorded })))
          throw new ConflictError();
      } else {
        await this.equality.insert(tx, {
          participantId: participant.id,
          trustId: participant.trustId,
          ...after,
          ...recorded,
        });
      }
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'equality.changed',
        entityType: 'participant',
        entityId: participant.id,
        detail: { questions: changed },
      });
    });
  }

  /**
   * The staff participant page's part, read with the `db` the page gives (the page checks
   * access and audits the view): the first language and interpreter need, nothing else.
   */
  async languagePanel(
    db: Db,
    ctx: RequestContext & { actor: StaffActor },
    participant: ParticipantWithAllocation,
  ): Promise<LanguagePanel> {
    if (!can(ctx.actor, 'equality.view_language', participantResource(participant))) {
      return { canView: false, firstLanguage: '', interpreterNeeded: '' };
    }
    const row = await this.equality.language(db, participant.id);
    const language = row ?? { firstLanguage: null, firstLanguageName: null, interpreterNeeded: null };
    return {
      canView: true,
      firstLanguage: forStaff(languageLabel(language), language.firstLanguage),
      interpreterNeeded: forStaff(labelOf(YES_NO, language.interpreterNeeded), language.interpreterNeeded),
    };
  }

  private async ownRecord(ctx: ParticipantContext, db: Db): Promise<ParticipantWithAllocation> {
    return participantFor(this.participants, db, ctx.actor, ctx.actor.id, 'equality.update_own');
  }
}
