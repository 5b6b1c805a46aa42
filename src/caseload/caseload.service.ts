/**
 * A peer support worker's caseload, which tells them what needs doing today, and the
 * coordinator's or supervisor's view across workers with who is waiting for a worker.
 */
import { URGENCY_TAGS } from '../concerns/concern.form.ts';
import type { ConcernUrgency } from '../platform/database/schema.ts';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, caseloadOf } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { PeerWorkerLoad, StaffRepository } from '../organisation/staff.repository.ts';
import type { ParticipantRepository, WaitingForWorker } from '../participants/participant.repository.ts';
import { displayName } from '../participants/display-name.ts';
import { waitingTime, type WaitingTime } from '../allocation/waiting-time.ts';
import type { CaseloadRepository, CaseloadRow, WorkerRow } from './caseload.repository.ts';
import type { CaseloadCache, KeptCaseload } from './caseload-cache.ts';
import { pageOf, type Page } from '../platform/paging.ts';
import {
  byUrgency,
  participantStatus,
  type ParticipantStatus,
  type Prompt,
  type PromptSettings,
} from './prompts.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import type { WorkerReadiness } from '../workforce/readiness.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface CaseloadEntry extends ParticipantStatus {
  id: string;
  name: string;
  workerId: string;
  workerName: string;
  dischargedOn: string;
  sessionsAttended: number;
  nextSessionAt: Date | null;
  reallocationRequested: boolean;
  /** Open safety concerns and advice requests about them: a tag with the most urgent's urgency in words. */
  concernTag: { text: string; classes: string } | null;
}

/** "Open concern: Urgent", "2 open concerns: Immediate danger" (the most urgent), or nothing. */
export function concernTag(
  open: number,
  urgency: ConcernUrgency | null,
): { text: string; classes: string } | null {
  if (open === 0 || !urgency) return null;
  const tag = URGENCY_TAGS[urgency];
  return {
    text: `${open === 1 ? 'Open concern' : `${String(open)} open concerns`}: ${tag.text}`,
    classes: tag.classes,
  };
}

/** One thing to do today: a prompt, with whom it is about. */
export interface TodoItem extends Prompt {
  participantId: string;
  name: string;
  workerName: string;
}

export interface Caseload {
  worker: WorkerRow & { awayToday: boolean };
  /**
   * Where the page keeps its HTML for as long as this caseload stands (caseload-cache.ts): the
   * same object on every request that may be shown the same page, a new one otherwise.
   */
  rendered: { html?: string };
  entries: CaseloadEntry[];
  todo: TodoItem[];
  sessionCap: number;
  /** May mark this worker away and ask for their participants to be reallocated. */
  canMarkAway: boolean;
}

export interface WaitingEntry extends WaitingForWorker, WaitingTime {
  name: string;
  /** This viewer may (re)allocate them. */
  canAllocate: boolean;
  /** This viewer may open their record (the name is a link only then). */
  canOpen: boolean;
}

export interface WorkerOverview extends PeerWorkerLoad {
  promptCount: number;
  /** Participants with at least one prompt. */
  needingAttention: number;
  awayToday: boolean;
}

export interface Overview {
  /** A page of the trust's peer support workers (OVERVIEW_WORKERS_PAGE_SIZE), by name. */
  workers: Page<WorkerOverview>;
  /** The most urgent things to do across the team (OVERVIEW_TODO_LIMIT), and how many in all. */
  todo: TodoItem[];
  todoCount: number;
  /** Those waiting longest (OVERVIEW_WAITING_LIMIT; all of them on /allocation), how many, how many overdue. */
  waiting: WaitingEntry[];
  waitingCount: number;
  waitingOverdue: number;
  /** May open the whole waiting list (/allocation): only then is it linked. */
  canListWaiting: boolean;
  targetWorkingDays: number;
  /** The workers this supervisor supervises who are overdue for supervision: their prompt. */
  supervisionOverdue: OverdueSupervision[];
}

export interface OverdueSupervision {
  fullName: string;
  due: { oneToOneDue: string; oneToOneOverdue: boolean; groupDue: string; groupOverdue: boolean };
}

/** Who a supervisor supervises and is overdue for supervision (the supervision service's answer). */
export interface SupervisionPrompts {
  overdueFor(ctx: StaffContext): Promise<OverdueSupervision[]>;
}

/** The overview names at most this many things to do and people waiting: a page, not a report. */
export const OVERVIEW_TODO_LIMIT = 50;
export const OVERVIEW_WAITING_LIMIT = 10;
export const OVERVIEW_WORKERS_PAGE_SIZE = 50;

export function isAway(
  worker: { awayFrom: string | null; awayUntil: string | null },
  today: string,
): boolean {
  return (
    worker.awayFrom !== null &&
    worker.awayFrom <= today &&
    (worker.awayUntil === null || worker.awayUntil >= today)
  );
}

export function waitingEntry(
  actor: StaffActor,
  item: WaitingForWorker,
  now: Date,
  targetWorkingDays: number,
): WaitingEntry {
  const participant = {
    type: 'participant',
    participantId: item.id,
    trustId: actor.trustId,
    crisisTeamId: item.crisisTeamId,
    allocatedWorkerId: item.currentWorkerId,
  } as const;
  return {
    ...item,
    name: displayName(item),
    ...waitingTime(item.since, now, targetWorkingDays),
    canAllocate: can(actor, 'participant.allocate', participant),
    canOpen: can(actor, 'participant.view', participant),
  };
}

export interface CaseloadSettings extends PromptSettings {
  allocationTargetWorkingDays: number;
}

export class CaseloadService {
  private readonly db: Db;
  private readonly caseloads: CaseloadRepository;
  private readonly participants: ParticipantRepository;
  private readonly staff: StaffRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: CaseloadSettings;
  private readonly cache: CaseloadCache;
  private readonly readiness: WorkerReadiness;
  private readonly supervision: SupervisionPrompts;

  constructor(
    db: Db,
    caseloads: CaseloadRepository,
    participants: ParticipantRepository,
    staff: StaffRepository,
    audit: AuditService,
    clock: Clock,
    settings: CaseloadSettings,
    cache: CaseloadCache,
    readiness: WorkerReadiness,
    supervision: SupervisionPrompts,
  ) {
    this.cache = cache;
    this.readiness = readiness;
    this.supervision = supervision;
    this.db = db;
    this.caseloads = caseloads;
    this.participants = participants;
    this.staff = staff;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  private entries(rows: CaseloadRow[], now: Date): CaseloadEntry[] {
    return rows
      .map((row) => ({
        id: row.id,
        name: displayName(row),
        workerId: row.workerId,
        workerName: row.workerName,
        dischargedOn: row.dischargedOn,
        sessionsAttended: row.sessionsAttended,
        nextSessionAt: row.nextSessionAt,
        reallocationRequested: row.reallocationRequestedAt !== null,
        concernTag: concernTag(row.openConcerns, row.openConcernUrgency),
        ...participantStatus(row, now, this.settings),
      }))
      .sort(byUrgency);
  }

  private static todo(entries: CaseloadEntry[]): TodoItem[] {
    return entries
      .flatMap((entry) =>
        entry.prompts.map((prompt) => ({
          ...prompt,
          participantId: entry.id,
          name: entry.name,
          workerName: entry.workerName,
        })),
      )
      .sort((a, b) => byUrgency({ prompts: [a] }, { prompts: [b] }));
  }

  /**
   * Read without a transaction: the worker and their participants in one statement (the
   * worker's row is read on its own only when they have no participants), then the read
   * event, written with the other reads of the moment before the page is sent.
   */
  async caseload(ctx: StaffContext, workerId: string): Promise<Caseload> {
    // A worker opening their own caseload is already known; anyone else's is looked up first.
    const staff = workerId === ctx.actor.id ? ctx.actor : await this.staff.findById(this.db, workerId);
    const caseload = staff && caseloadOf(staff);
    if (!caseload || !can(ctx.actor, 'caseload.view', caseload)) throw new NotFoundError('caseload');
    const now = this.clock.now();
    // Their own caseload, unchanged since they last opened it, is not read again (caseload-cache.ts).
    const version = workerId === ctx.actor.id ? ctx.actor.caseloadVersion : undefined;
    let kept: KeptCaseload | undefined =
      version === undefined ? undefined : this.cache.get(workerId, version, now);
    const rows = kept?.rows ?? (await this.caseloads.rows(this.db, { workerId }, now));
    if (!kept && version !== undefined) kept = this.cache.set(workerId, version, now, rows);
    const worker = rows[0]?.worker ?? (await this.caseloads.worker(this.db, workerId));
    if (!worker) throw new NotFoundError('caseload');
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'caseload.viewed',
      entityType: 'staff',
      entityId: workerId,
      detail: { participantIds: rows.map((row) => row.id) },
    });
    const today = ukToday(now);
    const key = `${today} ${ctx.actor.roles.join(' ')}`;
    if (kept?.shown?.key === key) return kept.shown.view as Caseload;
    const entries = kept ? this.worked(kept, now, today) : this.entries(rows, now);
    const view: Caseload = {
      worker: { ...worker, awayToday: isAway(worker, today) },
      rendered: {},
      entries,
      todo: CaseloadService.todo(entries),
      sessionCap: this.settings.sessionCap,
      canMarkAway: can(ctx.actor, 'reallocation.request', caseload),
    };
    if (kept) kept.shown = { key, view };
    return view;
  }

  /** Kept rows' statuses and prompts, worked out once a UK day (the worker's page and the overview share them). */
  private worked(kept: KeptCaseload, now: Date, today: string): CaseloadEntry[] {
    if (kept.worked?.day !== today) kept.worked = { day: today, entries: this.entries(kept.rows, now) };
    return kept.worked.entries as CaseloadEntry[];
  }

  /**
   * Every caseload of the trust, each as kept since it last changed (caseload-cache.ts, by the
   * worker's `caseload_version`), the rest read in one statement: the overview reads again only
   * the caseloads that changed, or whose next session has started, since it was last opened.
   */
  private async keptCaseloads(
    trustId: string,
    versions: { id: string; version: number }[],
    now: Date,
  ): Promise<KeptCaseload[]> {
    const kept = new Map<string, KeptCaseload>();
    const missing: { id: string; version: number }[] = [];
    for (const worker of versions) {
      const entry = this.cache.get(worker.id, worker.version, now);
      if (entry) kept.set(worker.id, entry);
      else missing.push(worker);
    }
    if (missing.length > 0) {
      // A few caseloads by their workers; many (the first view, or after a quiet spell) in the
      // trust-wide statement, whose plan reads the trust in one pass: at national scale 0.9 s
      // embedded for all 390 workers, where by worker it took 2.2 s (docs/performance.md).
      const scope =
        missing.length > versions.length / 4
          ? { trustId }
          : { workerIds: missing.map((worker) => worker.id) };
      const rows = await this.caseloads.rows(this.db, scope, now);
      const byWorker = Map.groupBy(rows, (row) => row.workerId);
      for (const worker of missing)
        kept.set(worker.id, this.cache.set(worker.id, worker.version, now, byWorker.get(worker.id) ?? []));
    }
    return versions.flatMap((worker) => kept.get(worker.id) ?? []);
  }

  /** Every worker's caseload at a glance, what needs doing across the team, and who is waiting. */
  async overview(ctx: StaffContext, workersPage = 1): Promise<Overview> {
    if (!can(ctx.actor, 'caseload.overview', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
    const now = this.clock.now();
    const today = ukToday(now);
    // Three statements at once, each on its own connection: no transaction for a read.
    const [loads, versions, waiting] = await Promise.all([
      this.staff.peerWorkerLoads(this.db, ctx.actor.trustId),
      this.caseloads.versions(this.db, ctx.actor.trustId),
      this.participants.waitingForWorker(this.db, ctx.actor.trustId),
    ]);
    const [kept, readiness, supervisionOverdue] = await Promise.all([
      this.keptCaseloads(ctx.actor.trustId, versions, now),
      this.readiness.readinessFor(
        this.db,
        loads.map((load) => load.id),
      ),
      this.supervision.overdueFor(ctx),
    ]);
    const entries = kept.flatMap((one) => this.worked(one, now, today));
    // The most urgent first; among equals, as the trust-wide list always was: longest discharged first.
    entries.sort(
      (a, b) => byUrgency(a, b) || a.dischargedOn.localeCompare(b.dischargedOn) || a.id.localeCompare(b.id),
    );
    const byWorker = Map.groupBy(entries, (entry) => entry.workerId);
    const workers = loads.map((load) => {
      const mine = byWorker.get(load.id) ?? [];
      return {
        ...load,
        promptCount: mine.reduce((n, entry) => n + entry.prompts.length, 0),
        needingAttention: mine.filter((entry) => entry.prompts.length > 0).length,
        awayToday: isAway(load, today),
        // Training or checks lapsed (and no override): no new participants, nobody taken away.
        trainingLapsed: readiness.get(load.id)?.ready !== true,
      };
    });
    const todo = CaseloadService.todo(entries);
    const waitingEntries = waiting.map((item) =>
      waitingEntry(ctx.actor, item, now, this.settings.allocationTargetWorkingDays),
    );
    const shownTodo = todo.slice(0, OVERVIEW_TODO_LIMIT);
    const shownWaiting = waitingEntries.slice(0, OVERVIEW_WAITING_LIMIT);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'caseload.overview_viewed',
      entityType: 'trust',
      entityId: ctx.actor.trustId,
      // The people named on the page (the workers' table shows counts only).
      detail: {
        participantIds: [
          ...new Set([...shownTodo.map((t) => t.participantId), ...shownWaiting.map((w) => w.id)]),
        ],
      },
    });
    return {
      workers: pageOf(workers, workersPage, OVERVIEW_WORKERS_PAGE_SIZE),
      todo: shownTodo,
      todoCount: todo.length,
      waiting: shownWaiting,
      waitingCount: waitingEntries.length,
      waitingOverdue: waitingEntries.filter((entry) => entry.overdue).length,
      canListWaiting: can(ctx.actor, 'allocation.list_waiting', {
        type: 'trust',
        trustId: ctx.actor.trustId,
      }),
      targetWorkingDays: this.settings.allocationTargetWorkingDays,
      supervisionOverdue,
    };
  }
}
