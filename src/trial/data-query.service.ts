/**
 * Data queries (PRODUCT.md section 7): whoever checks the trial's data (the trial manager, an
 * outcome assessor, an analyst) raises a question on one value of a randomised person's record,
 * found by study id, from the declared list (query-fields.ts), keeping the value as it stood. The
 * trial manager answers it, saying whether the value was corrected (in its own record, by its own
 * form); whoever raised it closes it, or re-opens it with a follow-up. Blinded roles raise them,
 * so nothing here carries the arm: not the fields, the pages, the order or the messages.
 * Every change is audited in its transaction and refused once the trial is locked.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { once } from '../platform/database/once.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { TrialRow } from './trial.repository.ts';
import { site, type TrialService } from './trial.service.ts';
import { queryField } from './query-fields.ts';
import {
  QUERY_TOKEN_KEY,
  type DataQualityRepository,
  type DataQueryListRow,
  type DataQueryReplyView,
} from './data-quality.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** A query as listed, with the study id it is about and who raised it. */
export type DataQuery = DataQueryListRow;

export interface RaiseQueryInput {
  submissionToken: string;
  studyId: string;
  field: string;
  question: string;
}

export interface AnswerInput {
  submissionToken: string;
  answer: string;
  valueCorrected: boolean;
}

export interface FollowUpInput {
  submissionToken: string;
  followUp: string;
}

export interface QueryPage {
  trial: TrialRow;
  query: DataQueryListRow;
  replies: DataQueryReplyView[];
  mayAnswer: boolean;
  /** Whoever raised it, once answered: close it, or re-open it with a follow-up. */
  mayCloseOrFollowUp: boolean;
}

export class DataQueryService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access' | 'writable'>;
  private readonly repository: DataQualityRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access' | 'writable'>,
    repository: DataQualityRepository,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.trial = trial;
    this.repository = repository;
    this.audit = audit;
    this.clock = clock;
  }

  /** The trial, for the form raising a query; refused once it is locked. */
  async raiseForm(ctx: StaffContext): Promise<TrialRow> {
    return (await this.trial.writable(this.db, ctx, 'trial.query_raise')).trial;
  }

  /** Raises a query; a form sent twice raises one. Answers its id. */
  async raise(ctx: StaffContext, input: RaiseQueryInput): Promise<string> {
    const field = queryField(input.field);
    if (!field) throw new ValidationError({ field: 'Select which value the query is about' });
    const earlier = async (db: Db) => (await this.repository.queryByToken(db, input.submissionToken))?.id;
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const found = await earlier(tx);
          if (found) return found;
          const { trial, siteTrustIds } = await this.trial.writable(tx, ctx, 'trial.query_raise');
          const record = await this.repository.queryable(tx, trial.id, input.studyId);
          if (!record || !can(ctx.actor, 'trial.query_raise', site(record.trustId, siteTrustIds)))
            throw new ValidationError({ studyId: 'No one randomised in this trial has that study ID' });
          const id = randomUUID();
          const now = this.clock.now();
          await this.repository.insertQuery(tx, {
            id,
            trialId: trial.id,
            randomisationId: record.randomisationId,
            field: field.key,
            valueAsRaised: field.value(record),
            question: input.question,
            status: 'open',
            raisedBy: ctx.actor.id,
            raisedAt: now,
            openSince: now,
            closedBy: null,
            closedAt: null,
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'trial.query_raised',
            entityType: 'trial_data_query',
            entityId: id,
            detail: { studyId: record.studyId, field: field.key },
          });
          return id;
        }),
      QUERY_TOKEN_KEY,
      () => earlier(this.db),
    );
  }

  /** The trial's queries at the actor's sites: open first with the longest waiting at the top. */
  async list(ctx: StaffContext): Promise<{ trial: TrialRow; queries: DataQueryListRow[]; now: Date }> {
    const { trial, siteTrustIds } = await this.trial.access(this.db, ctx, 'trial.query_raise');
    const queries = (await this.repository.listQueries(this.db, trial.id)).filter((q) =>
      can(ctx.actor, 'trial.query_raise', site(q.trustId, siteTrustIds)),
    );
    return { trial, queries, now: this.clock.now() };
  }

  async one(ctx: StaffContext, id: string): Promise<QueryPage> {
    const { trial, siteTrustIds } = await this.trial.access(this.db, ctx, 'trial.query_raise');
    const query = await this.repository.query(this.db, id);
    const here = query && site(query.trustId, siteTrustIds);
    if (query?.trialId !== trial.id || !here || !can(ctx.actor, 'trial.query_raise', here))
      throw new NotFoundError('data query');
    const open = trial.lockedAt === null;
    return {
      trial,
      query,
      replies: await this.repository.replies(this.db, id),
      mayAnswer: open && query.status === 'open' && can(ctx.actor, 'trial.query_answer', here),
      mayCloseOrFollowUp: open && query.status === 'answered' && query.raisedBy === ctx.actor.id,
    };
  }

  /** The trial manager's answer; the same form again changes nothing. */
  async answer(ctx: StaffContext, id: string, input: AnswerInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      const query = await this.locked(tx, ctx, id, 'trial.query_answer');
      if (await this.repository.replyByToken(tx, input.submissionToken)) return;
      if (query.status !== 'open') throw new ConflictError('This query has already been answered or closed');
      await this.repository.insertReply(tx, {
        id: randomUUID(),
        queryId: id,
        kind: 'answer',
        body: input.answer,
        valueCorrected: input.valueCorrected,
        writtenBy: ctx.actor.id,
        writtenAt: this.clock.now(),
        submissionToken: input.submissionToken,
      });
      await this.repository.setQueryStatus(tx, id, { status: 'answered' });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.query_answered',
        entityType: 'trial_data_query',
        entityId: id,
        detail: { studyId: query.studyId, field: query.field, valueCorrected: input.valueCorrected },
      });
    });
  }

  /** Whoever raised it closes an answered query; closing it again changes nothing. */
  async close(ctx: StaffContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const query = await this.locked(tx, ctx, id, 'trial.query_raise');
      if (query.raisedBy !== ctx.actor.id) throw new ForbiddenError();
      if (query.status === 'closed') return;
      if (query.status !== 'answered') throw new ConflictError('A query is closed once it has been answered');
      await this.repository.setQueryStatus(tx, id, {
        status: 'closed',
        closedBy: ctx.actor.id,
        closedAt: this.clock.now(),
      });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.query_closed',
        entityType: 'trial_data_query',
        entityId: id,
        detail: { studyId: query.studyId, field: query.field },
      });
    });
  }

  /** Whoever raised it re-opens an answered query with a follow-up; the same form again changes nothing. */
  async followUp(ctx: StaffContext, id: string, input: FollowUpInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      const query = await this.locked(tx, ctx, id, 'trial.query_raise');
      if (query.raisedBy !== ctx.actor.id) throw new ForbiddenError();
      if (await this.repository.replyByToken(tx, input.submissionToken)) return;
      if (query.status !== 'answered')
        throw new ConflictError('A query is re-opened once it has been answered, and before it is closed');
      const now = this.clock.now();
      await this.repository.insertReply(tx, {
        id: randomUUID(),
        queryId: id,
        kind: 'follow_up',
        body: input.followUp,
        valueCorrected: null,
        writtenBy: ctx.actor.id,
        writtenAt: now,
        submissionToken: input.submissionToken,
      });
      await this.repository.setQueryStatus(tx, id, { status: 'open', openSince: now });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.query_reopened',
        entityType: 'trial_data_query',
        entityId: id,
        detail: { studyId: query.studyId, field: query.field },
      });
    });
  }

  /** The query, locked for the transaction, if the actor may take `action` on it and the trial is open. */
  private async locked(
    tx: Db,
    ctx: StaffContext,
    id: string,
    action: 'trial.query_raise' | 'trial.query_answer',
  ) {
    const { trial, siteTrustIds } = await this.trial.writable(tx, ctx, action);
    const query = await this.repository.lockQuery(tx, id);
    if (query?.trialId !== trial.id || !can(ctx.actor, action, site(query.trustId, siteTrustIds)))
      throw new NotFoundError('data query');
    return query;
  }
}
