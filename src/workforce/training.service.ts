/**
 * Training and pre-employment checks (issue 15, parts 1 and 2): a worker's record, what is
 * due, the matrix of every worker, recording completions and checks, and the coordinator's
 * override. `readinessFor` is what allocation asks: whether each worker may take participants.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';
import { once } from '../platform/database/once.ts';
import {
  CHECK_KINDS,
  CHECK_TITLES,
  type CheckKind,
  type TrainingCatalogue,
  type TrainingItem,
} from './training-catalogue.ts';
import { checkStatus, itemStatus, readinessOf, type ItemStatus, type Readiness } from './readiness.ts';
import type {
  SupervisorChoice,
  CheckWithNames,
  OverrideWithNames,
  RecordWithNames,
  TrainedWorker,
  TrainingRepository,
} from './training.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export type TrainingStore = Pick<
  TrainingRepository,
  | 'peerWorkers'
  | 'latestCompletions'
  | 'latestChecks'
  | 'openOverrides'
  | 'recordsOf'
  | 'checksOf'
  | 'overridesOf'
  | 'recordBySubmissionToken'
  | 'checkBySubmissionToken'
  | 'insertRecord'
  | 'insertCheck'
  | 'lockRecord'
  | 'withdrawRecord'
  | 'endOverride'
  | 'insertOverride'
  | 'supervisors'
  | 'setSupervisor'
>;

export interface CompletionInput {
  submissionToken: string;
  itemKey: string;
  completedOn: string;
  provider: string;
  note: string | null;
}

export interface CheckInput {
  submissionToken: string;
  kind: CheckKind;
  completedOn: string;
  renewBy: string | null;
  note: string | null;
}

export interface OverrideInput {
  reason: string;
  untilOn: string;
}

/** The longest a coordinator's override may run: it is an exception while records catch up. */
export const OVERRIDE_MAX_DAYS = 92;

export interface ItemOnRecord {
  item: TrainingItem;
  status: ItemStatus;
  history: RecordWithNames[];
}

export interface WorkerTrainingPage {
  worker: TrainedWorker;
  today: string;
  dueSoonDays: number;
  groups: { title: string; items: ItemOnRecord[] }[];
  checks: { kind: CheckKind; title: string; status: ItemStatus; history: CheckWithNames[] }[];
  readiness: Readiness;
  overrides: OverrideWithNames[];
  /** The worker is looking at their own record. */
  own: boolean;
  canRecord: boolean;
  canRecordChecks: boolean;
  canOverride: boolean;
  canAssignSupervisor: boolean;
}

export interface MatrixRow {
  worker: TrainedWorker;
  items: ItemStatus[];
  checks: ItemStatus[];
  readiness: Readiness;
}

export interface TrainingMatrix {
  today: string;
  withinDays: number;
  items: TrainingItem[];
  checkTitles: string[];
  rows: MatrixRow[];
  counts: {
    workers: number;
    ready: number;
    overridden: number;
    expired: number;
    due: number;
    missing: number;
  };
}

const staffResource = (worker: { trustId: string; id: string }) => ({
  type: 'staff' as const,
  trustId: worker.trustId,
  staffId: worker.id,
});

export class TrainingService {
  private readonly db: Db;
  private readonly store: TrainingStore;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly catalogue: TrainingCatalogue;

  constructor(db: Db, store: TrainingStore, audit: AuditService, clock: Clock, catalogue: TrainingCatalogue) {
    this.db = db;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.catalogue = catalogue;
  }

  private today(): string {
    return ukToday(this.clock.now());
  }

  /** Whether each of these workers may take new participants today (no access check: callers decide). */
  async readinessFor(db: Db, workerIds: readonly string[]): Promise<Map<string, Readiness>> {
    return (await this.latestOf(db, workerIds)).readiness;
  }

  /**
   * Each worker's latest completions and checks, read once (three statements for them all), and
   * their readiness worked out from them: grouped by worker, so a trust's thousand workers are
   * not each searched for in every other's rows.
   */
  private async latestOf(db: Db, workerIds: readonly string[]) {
    const [completions, checks, overrides] = await Promise.all([
      this.store.latestCompletions(db, workerIds),
      this.store.latestChecks(db, workerIds),
      this.store.openOverrides(db, workerIds),
    ]);
    const completionsOf = Map.groupBy(completions, (c) => c.staffId);
    const checksOf = Map.groupBy(checks, (c) => c.staffId);
    const overrideOf = new Map(overrides.map((o) => [o.staffId, o]));
    const today = this.today();
    const readiness = new Map(
      workerIds.map((id) => [
        id,
        readinessOf(
          this.catalogue,
          completionsOf.get(id) ?? [],
          checksOf.get(id) ?? [],
          overrideOf.get(id),
          today,
        ),
      ]),
    );
    return { completionsOf, checksOf, readiness };
  }

  /** The peer support worker the page is about, if the actor may take this action on them; else "not found". */
  private async workerFor(
    ctx: StaffContext,
    db: Db,
    staffId: string,
    action:
      'training.view' | 'training.record' | 'checks.record' | 'allocation.override' | 'supervision.assign',
  ): Promise<TrainedWorker> {
    const [worker] = await this.store.peerWorkers(db, ctx.actor.trustId, [staffId]);
    if (!worker || !can(ctx.actor, action, staffResource(worker))) throw new NotFoundError('staff');
    return worker;
  }

  /** A worker's training record: every item with its state and history, the checks, the override. */
  async record(ctx: StaffContext, staffId: string): Promise<WorkerTrainingPage> {
    const worker = await this.workerFor(ctx, this.db, staffId, 'training.view');
    const [records, checks, overrides, readiness] = await Promise.all([
      this.store.recordsOf(this.db, staffId),
      this.store.checksOf(this.db, staffId),
      this.store.overridesOf(this.db, staffId),
      this.readinessFor(this.db, [staffId]),
    ]);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'training.viewed',
      entityType: 'staff',
      entityId: staffId,
    });
    const today = this.today();
    const { dueSoonDays } = this.catalogue;
    const current = records.filter((r) => r.withdrawnAt === null);
    const groups = this.catalogue.groups.map((group) => ({
      title: group.title,
      items: this.catalogue.items
        .filter((item) => item.group === group.key)
        .map((item) => ({
          item,
          status: itemStatus(
            item,
            current.find((r) => r.itemKey === item.key)?.completedOn,
            today,
            dueSoonDays,
          ),
          history: records.filter((r) => r.itemKey === item.key),
        })),
    }));
    const resource = staffResource(worker);
    return {
      worker,
      today,
      dueSoonDays,
      groups,
      checks: CHECK_KINDS.map((kind) => {
        const history = checks.filter((c) => c.kind === kind);
        return {
          kind,
          title: CHECK_TITLES[kind],
          status: checkStatus(history[0], today, dueSoonDays),
          history,
        };
      }),
      readiness: readiness.get(staffId) ?? readinessOf(this.catalogue, [], [], undefined, today),
      overrides,
      own: staffId === ctx.actor.id,
      canRecord: can(ctx.actor, 'training.record', resource),
      canRecordChecks: can(ctx.actor, 'checks.record', resource),
      canOverride: can(ctx.actor, 'allocation.override', resource),
      canAssignSupervisor: can(ctx.actor, 'supervision.assign', resource),
    };
  }

  /** Every worker × every item, with items expiring within `withinDays` shown as due. */
  async matrix(ctx: StaffContext, withinDays = this.catalogue.dueSoonDays): Promise<TrainingMatrix> {
    if (!can(ctx.actor, 'training.matrix', { type: 'trust', trustId: ctx.actor.trustId })) {
      throw new NotFoundError('page');
    }
    const workers = await this.store.peerWorkers(this.db, ctx.actor.trustId);
    const ids = workers.map((w) => w.id);
    const { completionsOf, checksOf, readiness } = await this.latestOf(this.db, ids);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'training.matrix_viewed',
      entityType: 'trust',
      entityId: ctx.actor.trustId,
      detail: { workers: ids.length },
    });
    const today = this.today();
    const items = this.catalogue.items;
    const rows = workers.map((worker) => {
      const done = new Map((completionsOf.get(worker.id) ?? []).map((c) => [c.itemKey, c.completedOn]));
      const mine = checksOf.get(worker.id) ?? [];
      return {
        worker,
        items: items.map((item) => itemStatus(item, done.get(item.key), today, withinDays)),
        checks: CHECK_KINDS.map((kind) =>
          checkStatus(
            mine.find((c) => c.kind === kind),
            today,
            withinDays,
          ),
        ),
        readiness: readiness.get(worker.id) ?? readinessOf(this.catalogue, [], [], undefined, today),
      };
    });
    // Counted over mandatory items and the checks: what decides whether a worker may take participants.
    const mandatory = (row: MatrixRow) => [...row.items.filter((_, i) => items[i]?.mandatory), ...row.checks];
    const withState = (state: ItemStatus['state']) =>
      rows.filter((row) => mandatory(row).some((s) => s.state === state)).length;
    return {
      today,
      withinDays,
      items,
      checkTitles: CHECK_KINDS.map((kind) => CHECK_TITLES[kind]),
      rows,
      counts: {
        workers: rows.length,
        ready: rows.filter((r) => r.readiness.ready).length,
        overridden: rows.filter((r) => !r.readiness.complete && r.readiness.ready).length,
        expired: withState('expired'),
        due: withState('due'),
        missing: withState('missing'),
      },
    };
  }

  /** The worker a recording form is about (its heading and back link). */
  async formFor(
    ctx: StaffContext,
    staffId: string,
    action: 'training.record' | 'checks.record' | 'allocation.override',
  ): Promise<TrainedWorker> {
    return this.workerFor(ctx, this.db, staffId, action);
  }

  async recordCompletion(ctx: StaffContext, staffId: string, input: CompletionInput): Promise<void> {
    const item = this.catalogue.items.find((i) => i.key === input.itemKey);
    if (!item) throw new ValidationError({ itemKey: 'Select the training they completed' });
    if (input.completedOn > this.today())
      throw new ValidationError({ completedOn: 'Date completed must be today or in the past' });
    // A token is only ever good for the form it was issued with: this worker, by this person.
    const mine = (row: { staffId: string; recordedBy: string }) =>
      row.staffId === staffId && row.recordedBy === ctx.actor.id;
    await once(
      () =>
        this.db.transaction(async (tx) => {
          const worker = await this.workerFor(ctx, tx, staffId, 'training.record');
          // A resubmitted form finds the record it already made.
          const existing = await this.store.recordBySubmissionToken(tx, input.submissionToken);
          if (existing) {
            if (!mine(existing))
              throw new ValidationError({ submissionToken: 'This form has expired. Start again' });
            return true;
          }
          const id = randomUUID();
          await this.store.insertRecord(tx, {
            id,
            trustId: worker.trustId,
            staffId: worker.id,
            itemKey: item.key,
            completedOn: input.completedOn,
            provider: input.provider,
            note: input.note,
            recordedBy: ctx.actor.id,
            recordedAt: this.clock.now(),
            submissionToken: input.submissionToken,
            withdrawnAt: null,
            withdrawnBy: null,
            withdrawnReason: null,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'training.recorded',
            entityType: 'staff',
            entityId: worker.id,
            detail: { recordId: id, itemKey: item.key, completedOn: input.completedOn },
          });
          return true;
        }),
      'training_records_submission_token_key',
      async () => {
        const winner = await this.store.recordBySubmissionToken(this.db, input.submissionToken);
        return winner && mine(winner) ? true : undefined;
      },
    );
  }

  /** Withdraws a record made in error; it stays in the history, struck through, with the reason. */
  async withdraw(ctx: StaffContext, staffId: string, recordId: string, reason: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const worker = await this.workerFor(ctx, tx, staffId, 'training.record');
      const record = await this.store.lockRecord(tx, recordId);
      if (record?.staffId !== worker.id) throw new NotFoundError('training record');
      if (record.withdrawnAt) return;
      await this.store.withdrawRecord(tx, record.id, ctx.actor.id, this.clock.now(), reason);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'training.withdrawn',
        entityType: 'staff',
        entityId: worker.id,
        detail: { recordId: record.id, itemKey: record.itemKey },
      });
    });
  }

  async recordCheck(ctx: StaffContext, staffId: string, input: CheckInput): Promise<void> {
    if (input.completedOn > this.today())
      throw new ValidationError({ completedOn: 'Date of the check must be today or in the past' });
    const mine = (row: { staffId: string; recordedBy: string }) =>
      row.staffId === staffId && row.recordedBy === ctx.actor.id;
    await once(
      () =>
        this.db.transaction(async (tx) => {
          const worker = await this.workerFor(ctx, tx, staffId, 'checks.record');
          const existing = await this.store.checkBySubmissionToken(tx, input.submissionToken);
          if (existing) {
            if (!mine(existing))
              throw new ValidationError({ submissionToken: 'This form has expired. Start again' });
            return true;
          }
          const id = randomUUID();
          await this.store.insertCheck(tx, {
            id,
            trustId: worker.trustId,
            staffId: worker.id,
            kind: input.kind,
            completedOn: input.completedOn,
            renewBy: input.kind === 'dbs' ? input.renewBy : null,
            note: input.note,
            recordedBy: ctx.actor.id,
            recordedAt: this.clock.now(),
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'training.check_recorded',
            entityType: 'staff',
            entityId: worker.id,
            detail: { checkId: id, kind: input.kind, completedOn: input.completedOn },
          });
          return true;
        }),
      'pre_employment_checks_submission_token_key',
      async () => {
        const winner = await this.store.checkBySubmissionToken(this.db, input.submissionToken);
        return winner && mine(winner) ? true : undefined;
      },
    );
  }

  /** Lets a worker take participants until a day although training or checks are not complete. */
  async allowAllocation(ctx: StaffContext, staffId: string, input: OverrideInput): Promise<void> {
    const today = this.today();
    if (input.untilOn < today) throw new ValidationError({ untilOn: 'Date it ends must be today or later' });
    if (input.untilOn > addDays(today, OVERRIDE_MAX_DAYS))
      throw new ValidationError({
        untilOn: `Date it ends must be within ${String(OVERRIDE_MAX_DAYS)} days: record their training to go beyond that`,
      });
    await this.db.transaction(async (tx) => {
      const worker = await this.workerFor(ctx, tx, staffId, 'allocation.override');
      const now = this.clock.now();
      // A new override replaces the one in force (one at a time, by a partial unique index).
      const ended = await this.store.endOverride(tx, worker.id, ctx.actor.id, now);
      const id = randomUUID();
      await this.store.insertOverride(tx, {
        id,
        trustId: worker.trustId,
        staffId: worker.id,
        reason: input.reason,
        untilOn: input.untilOn,
        grantedBy: ctx.actor.id,
        grantedAt: now,
        endedAt: null,
        endedBy: null,
      });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'allocation.override_granted',
        entityType: 'staff',
        entityId: worker.id,
        detail: { overrideId: id, untilOn: input.untilOn, ...(ended ? { replaced: ended } : {}) },
      });
    });
  }

  async endOverride(ctx: StaffContext, staffId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const worker = await this.workerFor(ctx, tx, staffId, 'allocation.override');
      const ended = await this.store.endOverride(tx, worker.id, ctx.actor.id, this.clock.now());
      if (!ended) return;
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'allocation.override_ended',
        entityType: 'staff',
        entityId: worker.id,
        detail: { overrideId: ended },
      });
    });
  }

  /** The worker, and the trust's supervisors who may be named (never the worker themselves). */
  async supervisorChoices(
    ctx: StaffContext,
    staffId: string,
  ): Promise<{ worker: TrainedWorker; supervisors: SupervisorChoice[] }> {
    const worker = await this.workerFor(ctx, this.db, staffId, 'supervision.assign');
    const supervisors = (await this.store.supervisors(this.db, worker.trustId)).filter(
      (s) => s.id !== worker.id,
    );
    return { worker, supervisors };
  }

  /** Names the worker's supervisor, or none (null: their team's supervisors). */
  async assignSupervisor(ctx: StaffContext, staffId: string, supervisorId: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      const worker = await this.workerFor(ctx, tx, staffId, 'supervision.assign');
      if (supervisorId !== null) {
        const supervisors = await this.store.supervisors(tx, worker.trustId);
        if (supervisorId === worker.id || !supervisors.some((s) => s.id === supervisorId))
          throw new ValidationError({ supervisorId: 'Select one of the supervisors listed, or none' });
      }
      if (worker.supervisorId === supervisorId) return;
      await this.store.setSupervisor(tx, worker.id, supervisorId);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'staff.supervisor_named',
        entityType: 'staff',
        entityId: worker.id,
        detail: { from: worker.supervisorId, to: supervisorId },
      });
    });
  }
}
