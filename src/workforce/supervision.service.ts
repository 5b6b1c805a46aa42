/**
 * Supervision (issue 15, part 3): 1:1s between a worker and their supervisor (notes and agreed
 * actions private to the two; the coordinator sees only that it happened), group supervision
 * run by the trust (attendance and themes; notes warned, never blocked, when they might name
 * someone), targets per worker and who is overdue. Reads of 1:1 notes and every change are
 * audited.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { addMonths } from '../platform/calendar/uk-time.ts';
import { meanScore, teamMeans, type Fidelity, type Rating } from './fidelity.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { once } from '../platform/database/once.ts';
import { supervisorIdsInTrust, supervisorsOf } from '../organisation/supervisors.ts';
import {
  identifyingWords,
  supervisionDue,
  type SupervisionDue,
  type SupervisionTargets,
} from './supervision-due.ts';
import type {
  GroupSession,
  OneToOne,
  SupervisionRepository,
  WorkerSupervision,
} from './supervision.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface OneToOneInput {
  submissionToken: string;
  heldOn: string;
  durationMinutes: number;
  notes: string | null;
  actions: { action: string; dueOn: string }[];
  nextOn: string | null;
  /** Rated together, optional: one score per item of the fidelity file. */
  fidelity: Rating[];
}

export interface GroupInput {
  submissionToken: string;
  heldOn: string;
  durationMinutes: number;
  facilitator: string;
  attendeeIds: string[];
  themes: string[];
  otherTheme: string | null;
  notes: string | null;
  /** The person recording saw the warning and saves anyway. */
  confirmed: boolean;
}

export interface WorkerRow extends WorkerSupervision {
  due: SupervisionDue;
  /** The viewer supervises them now, so may record a 1:1. */
  canRecordOneToOne: boolean;
}

const RECENT_GROUPS = 10;
/** A worker's fidelity over their last this many rated 1:1s; a team's over this many months. */
const FIDELITY_SESSIONS = 6;
const FIDELITY_TEAM_MONTHS = 6;

export interface FidelityHistory {
  /** One per rated 1:1, oldest first: its date and the mean of its scores. */
  sessions: { heldOn: string; mean: number | null; scores: Map<string, number> }[];
  items: { key: string; title: string }[];
}
const OWN_ONE_TO_ONES = 20;

export class SupervisionService {
  private readonly db: Db;
  private readonly store: SupervisionRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly defaults: SupervisionTargets;
  readonly themes: readonly string[];
  readonly fidelity: Fidelity;

  constructor(
    db: Db,
    store: SupervisionRepository,
    audit: AuditService,
    clock: Clock,
    defaults: SupervisionTargets,
    themes: readonly string[],
    fidelity: Fidelity,
  ) {
    this.fidelity = fidelity;
    this.db = db;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.defaults = defaults;
    this.themes = themes;
  }

  private today(): string {
    return ukToday(this.clock.now());
  }

  /** Every worker's supervision dates, who is overdue, and the recent group sessions. */
  async overview(ctx: StaffContext): Promise<{
    workers: WorkerRow[];
    groups: GroupSession[];
    canRecordGroup: boolean;
    fidelityByTeam: { teamName: string; means: ReturnType<typeof teamMeans> }[];
  }> {
    const trust = { type: 'trust' as const, trustId: ctx.actor.trustId };
    if (!can(ctx.actor, 'supervision.oversee', trust)) throw new NotFoundError('page');
    const [workers, groups, fidelityByTeam] = await Promise.all([
      this.workerRows(ctx),
      this.store.groups(this.db, { trustId: ctx.actor.trustId }, RECENT_GROUPS),
      this.teamFidelity(ctx.actor.trustId),
    ]);
    return {
      workers,
      groups,
      canRecordGroup: can(ctx.actor, 'supervision.record_group', trust),
      fidelityByTeam,
    };
  }

  /** Every worker with when their supervision is due, and whether the actor supervises them now. */
  private async workerRows(ctx: StaffContext): Promise<WorkerRow[]> {
    const [workers, supervisors] = await Promise.all([
      this.store.workers(this.db, ctx.actor.trustId),
      supervisorIdsInTrust(this.db, ctx.actor.trustId),
    ]);
    const today = this.today();
    return workers.map((worker) => ({
      ...worker,
      due: supervisionDue(worker, this.defaults, today),
      canRecordOneToOne: can(ctx.actor, 'supervision.record_one_to_one', {
        type: 'supervisee',
        trustId: worker.trustId,
        workerId: worker.id,
        supervisorIds: supervisors.get(worker.id) ?? [],
      }),
    }));
  }

  /** The workers this supervisor supervises now who are overdue for a 1:1 or a group: their prompts. */
  async overdueFor(ctx: StaffContext): Promise<WorkerRow[]> {
    if (!can(ctx.actor, 'supervision.oversee', { type: 'trust', trustId: ctx.actor.trustId })) return [];
    const workers = await this.workerRows(ctx);
    return workers.filter((w) => w.canRecordOneToOne && (w.due.oneToOneOverdue || w.due.groupOverdue));
  }

  /** A worker's own supervision: when the next is due, their 1:1s and the groups they went to. */
  async mine(ctx: StaffContext) {
    const self = { type: 'staff' as const, trustId: ctx.actor.trustId, staffId: ctx.actor.id };
    if (!can(ctx.actor, 'supervision.view_own', self)) throw new NotFoundError('page');
    const [[worker], oneToOnes, groups, ratings] = await Promise.all([
      this.store.workers(this.db, ctx.actor.trustId, [ctx.actor.id]),
      this.store.oneToOnesOf(this.db, ctx.actor.id, OWN_ONE_TO_ONES),
      this.store.groups(this.db, { workerId: ctx.actor.id }, RECENT_GROUPS),
      this.store.fidelityOfWorker(this.db, ctx.actor.id, FIDELITY_SESSIONS),
    ]);
    if (!worker) throw new NotFoundError('page');
    return {
      worker,
      due: supervisionDue(worker, this.defaults, this.today()),
      oneToOnes,
      groups,
      fidelity: this.history(ratings),
    };
  }

  /** The worker's next 1:1, booked or by target: for "by my next supervision" (no access check: the worker's own). */
  async nextOneToOne(db: Db, worker: { trustId: string; id: string }): Promise<string | undefined> {
    const [row] = await this.store.workers(db, worker.trustId, [worker.id]);
    return row ? supervisionDue(row, this.defaults, this.today()).oneToOneDue : undefined;
  }

  private history(
    ratings: { sessionId: string; heldOn: string; itemKey: string; score: number }[],
  ): FidelityHistory {
    const bySession = Map.groupBy(ratings, (r) => r.sessionId);
    return {
      items: this.fidelity.items.map((item) => ({ key: item.key, title: item.title })),
      sessions: [...bySession.values()].map((rows) => ({
        heldOn: rows[0]?.heldOn ?? '',
        mean: meanScore(rows.map((r) => r.score)),
        scores: new Map(rows.map((r) => [r.itemKey, r.score])),
      })),
    };
  }

  /** Per team, each item's mean over the last six months' rated 1:1s (too few to show: null). */
  private async teamFidelity(trustId: string) {
    const since = addMonths(this.today(), -FIDELITY_TEAM_MONTHS);
    const rows = await this.store.fidelityByTeam(this.db, trustId, since);
    return [...Map.groupBy(rows, (r) => r.teamName ?? 'No crisis team').entries()].map(
      ([teamName, team]) => ({
        teamName,
        means: teamMeans(this.fidelity, team),
      }),
    );
  }

  /** The worker a 1:1 is recorded with, if the actor supervises them now. */
  private async supervisee(ctx: StaffContext, db: Db, workerId: string): Promise<WorkerSupervision> {
    const [worker] = await this.store.workers(db, ctx.actor.trustId, [workerId]);
    const supervisorIds = worker ? (await supervisorsOf(db, worker.id)).map((s) => s.id) : [];
    if (
      !worker ||
      !can(ctx.actor, 'supervision.record_one_to_one', {
        type: 'supervisee',
        trustId: worker.trustId,
        workerId: worker.id,
        supervisorIds,
      })
    )
      throw new NotFoundError('staff');
    return worker;
  }

  oneToOneForm(ctx: StaffContext, workerId: string): Promise<WorkerSupervision> {
    return this.supervisee(ctx, this.db, workerId);
  }

  async recordOneToOne(ctx: StaffContext, workerId: string, input: OneToOneInput): Promise<string> {
    if (input.heldOn > this.today())
      throw new ValidationError({ heldOn: 'Date it was held must be today or in the past' });
    // A token is only ever good for the form it was issued with: this worker, by this supervisor.
    const mine = (row: { workerId: string | null; recordedBy: string; kind: string }) =>
      row.kind === 'one_to_one' && row.workerId === workerId && row.recordedBy === ctx.actor.id;
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const worker = await this.supervisee(ctx, tx, workerId);
          const existing = await this.store.bySubmissionToken(tx, input.submissionToken);
          if (existing) {
            if (!mine(existing))
              throw new ValidationError({ submissionToken: 'This form has expired. Start again' });
            return existing.id;
          }
          const id = randomUUID();
          await this.store.insert(
            tx,
            {
              id,
              trustId: worker.trustId,
              kind: 'one_to_one',
              heldOn: input.heldOn,
              durationMinutes: input.durationMinutes,
              workerId: worker.id,
              supervisorId: ctx.actor.id,
              facilitator: null,
              themes: [],
              notes: input.notes,
              nextOn: input.nextOn,
              recordedBy: ctx.actor.id,
              recordedAt: this.clock.now(),
              submissionToken: input.submissionToken,
            },
            [],
            input.actions.map((a, i) => ({
              id: randomUUID(),
              sessionId: id,
              position: i + 1,
              action: a.action,
              dueOn: a.dueOn,
            })),
            input.fidelity,
          );
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'supervision.recorded',
            entityType: 'supervision',
            entityId: id,
            detail: {
              kind: 'one_to_one',
              workerId: worker.id,
              heldOn: input.heldOn,
              actions: input.actions.length,
            },
          });
          return id;
        }),
      'supervision_sessions_submission_token_key',
      async () => {
        const winner = await this.store.bySubmissionToken(this.db, input.submissionToken);
        return winner && mine(winner) ? winner.id : undefined;
      },
    );
  }

  /** A 1:1's notes and actions: the worker's and the supervisor's who held it alone; audited. */
  async oneToOne(ctx: StaffContext, id: string): Promise<OneToOne> {
    const session = await this.store.oneToOne(this.db, id);
    if (
      session?.trustId !== ctx.actor.trustId ||
      !can(ctx.actor, 'supervision.read_one_to_one', {
        type: 'oneToOne',
        trustId: session.trustId,
        workerId: session.workerId ?? '',
        heldBy: session.supervisorId ?? '',
      })
    )
      throw new NotFoundError('supervision');
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'supervision.viewed',
      entityType: 'supervision',
      entityId: session.id,
      detail: { workerId: session.workerId },
    });
    return session;
  }

  /** The trust's workers, to tick who attended a group. */
  async groupForm(ctx: StaffContext): Promise<WorkerSupervision[]> {
    if (!can(ctx.actor, 'supervision.record_group', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
    return this.store.workers(this.db, ctx.actor.trustId);
  }

  /**
   * Records a group session; when its notes might name someone (an NHS number, or a name on an
   * attendee's caseload) and the recorder has not confirmed, answers the warnings instead.
   */
  async recordGroup(ctx: StaffContext, input: GroupInput): Promise<{ warnings: string[] } | { id: string }> {
    if (!can(ctx.actor, 'supervision.record_group', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
    if (input.heldOn > this.today())
      throw new ValidationError({ heldOn: 'Date it was held must be today or in the past' });
    if (input.attendeeIds.includes(ctx.actor.id))
      throw new ValidationError({
        attendeeIds: 'Record the others who attended: your own attendance is recorded by someone else',
      });
    const mine = (row: { recordedBy: string; kind: string }) =>
      row.kind === 'group' && row.recordedBy === ctx.actor.id;
    return once(
      () =>
        this.db.transaction(async (tx): Promise<{ warnings: string[] } | { id: string }> => {
          const existing = await this.store.bySubmissionToken(tx, input.submissionToken);
          if (existing) {
            if (!mine(existing))
              throw new ValidationError({ submissionToken: 'This form has expired. Start again' });
            return { id: existing.id };
          }
          const workers = await this.store.workers(tx, ctx.actor.trustId, input.attendeeIds);
          if (workers.length !== input.attendeeIds.length)
            throw new ValidationError({ attendeeIds: 'Select the peer support workers who attended' });
          if (input.notes && !input.confirmed) {
            const warnings = identifyingWords(
              input.notes,
              await this.store.caseloadNames(tx, input.attendeeIds),
            );
            if (warnings.length > 0) return { warnings };
          }
          const id = randomUUID();
          const themes = [...input.themes, ...(input.otherTheme ? [input.otherTheme] : [])];
          await this.store.insert(
            tx,
            {
              id,
              trustId: ctx.actor.trustId,
              kind: 'group',
              heldOn: input.heldOn,
              durationMinutes: input.durationMinutes,
              workerId: null,
              supervisorId: null,
              facilitator: input.facilitator,
              themes,
              notes: input.notes,
              nextOn: null,
              recordedBy: ctx.actor.id,
              recordedAt: this.clock.now(),
              submissionToken: input.submissionToken,
            },
            input.attendeeIds,
            [],
          );
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'supervision.recorded',
            entityType: 'supervision',
            entityId: id,
            detail: {
              kind: 'group',
              heldOn: input.heldOn,
              attendees: input.attendeeIds.length,
              warnedAndConfirmed: input.confirmed,
            },
          });
          return { id };
        }),
      'supervision_sessions_submission_token_key',
      async () => {
        const winner = await this.store.bySubmissionToken(this.db, input.submissionToken);
        return winner && mine(winner) ? { id: winner.id } : undefined;
      },
    );
  }

  /** The worker whose targets the coordinator sets. */
  async targetsForm(
    ctx: StaffContext,
    workerId: string,
  ): Promise<{ worker: WorkerSupervision; defaults: SupervisionTargets }> {
    const [worker] = await this.store.workers(this.db, ctx.actor.trustId, [workerId]);
    if (
      !worker ||
      !can(ctx.actor, 'supervision.assign', { type: 'staff', trustId: worker.trustId, staffId: worker.id })
    )
      throw new NotFoundError('staff');
    return { worker, defaults: this.defaults };
  }

  /** Sets a worker's own targets (null: the deployment's default), audited. */
  async setTargets(
    ctx: StaffContext,
    workerId: string,
    targets: { oneToOneEveryDays: number | null; groupEveryDays: number | null },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [worker] = await this.store.workers(tx, ctx.actor.trustId, [workerId]);
      if (
        !worker ||
        !can(ctx.actor, 'supervision.assign', { type: 'staff', trustId: worker.trustId, staffId: worker.id })
      )
        throw new NotFoundError('staff');
      await this.store.setTargets(tx, worker.id, targets.oneToOneEveryDays, targets.groupEveryDays);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'supervision.targets_set',
        entityType: 'staff',
        entityId: worker.id,
        detail: targets,
      });
    });
  }
}
