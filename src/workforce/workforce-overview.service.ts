/**
 * The workforce at a glance (issue 15, part 8), for supervisors and the coordinator: who can
 * take participants against who waits for one, training compliance, supervision compliance and
 * open requests for support, every figure with its denominator. Counts only: no one is named,
 * so nothing identifiable is read here.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import type { StaffRepository } from '../organisation/staff.repository.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import { isAway, waitingEntry } from '../caseload/caseload.service.ts';
import type { WorkerReadiness } from './readiness.ts';
import type { SupervisionRepository } from './supervision.repository.ts';
import { supervisionDue, type SupervisionTargets } from './supervision-due.ts';
import type { WellbeingRepository } from './wellbeing.repository.ts';
import type { PeerSupportRepository } from './peer-support.repository.ts';
import { DAY } from '../platform/clock.ts';
import { WELLBEING_DAYS_SHOWN } from './wellbeing.service.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface WorkforceOverview {
  workers: number;
  /** Ready (training and checks, or an exception), not away, under their caseload limit. */
  available: number;
  trainingComplete: number;
  byException: number;
  waiting: number;
  waitingOverdue: number;
  oneToOneOverdue: number;
  groupOverdue: number;
  /** Requests for support not yet acknowledged, in the last 90 days, and all requests then. */
  supportOpen: number;
  supportRequests: number;
  supportDays: number;
  /** Requests for support from an experienced peer worker: open, and of those nobody has taken yet. */
  peerOpen: number;
  peerUntaken: number;
}

export class WorkforceOverviewService {
  private readonly db: Db;
  private readonly staff: Pick<StaffRepository, 'peerWorkerLoads'>;
  private readonly participants: Pick<ParticipantRepository, 'waitingForWorker'>;
  private readonly readiness: WorkerReadiness;
  private readonly supervision: Pick<SupervisionRepository, 'workers'>;
  private readonly wellbeing: Pick<WellbeingRepository, 'countsByTeam'>;
  private readonly peerSupport: Pick<PeerSupportRepository, 'openCounts'>;
  private readonly clock: Clock;
  private readonly settings: { targets: SupervisionTargets; allocationTargetWorkingDays: number };

  constructor(
    db: Db,
    repositories: {
      staff: Pick<StaffRepository, 'peerWorkerLoads'>;
      participants: Pick<ParticipantRepository, 'waitingForWorker'>;
      supervision: Pick<SupervisionRepository, 'workers'>;
      wellbeing: Pick<WellbeingRepository, 'countsByTeam'>;
      peerSupport: Pick<PeerSupportRepository, 'openCounts'>;
    },
    readiness: WorkerReadiness,
    clock: Clock,
    settings: { targets: SupervisionTargets; allocationTargetWorkingDays: number },
  ) {
    this.db = db;
    this.staff = repositories.staff;
    this.participants = repositories.participants;
    this.supervision = repositories.supervision;
    this.wellbeing = repositories.wellbeing;
    this.peerSupport = repositories.peerSupport;
    this.readiness = readiness;
    this.clock = clock;
    this.settings = settings;
  }

  async overview(ctx: StaffContext): Promise<WorkforceOverview> {
    if (!can(ctx.actor, 'workforce.overview', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
    const now = this.clock.now();
    const today = ukToday(now);
    const [loads, waiting, supervised, peer, support] = await Promise.all([
      this.staff.peerWorkerLoads(this.db, ctx.actor.trustId),
      this.participants.waitingForWorker(this.db, ctx.actor.trustId),
      this.supervision.workers(this.db, ctx.actor.trustId),
      this.peerSupport.openCounts(this.db, ctx.actor.trustId),
      this.wellbeing.countsByTeam(
        this.db,
        ctx.actor.trustId,
        new Date(now.getTime() - WELLBEING_DAYS_SHOWN * DAY),
      ),
    ]);
    const readiness = await this.readiness.readinessFor(
      this.db,
      loads.map((load) => load.id),
    );
    const dues = supervised.map((worker) => supervisionDue(worker, this.settings.targets, today));
    const entries = waiting.map((item) =>
      waitingEntry(ctx.actor, item, now, this.settings.allocationTargetWorkingDays),
    );
    return {
      workers: loads.length,
      available: loads.filter(
        (load) =>
          readiness.get(load.id)?.ready === true &&
          !isAway(load, today) &&
          load.caseloadCount < load.caseloadLimit,
      ).length,
      trainingComplete: loads.filter((load) => readiness.get(load.id)?.complete === true).length,
      byException: loads.filter((load) => {
        const r = readiness.get(load.id);
        return r?.ready === true && !r.complete;
      }).length,
      waiting: entries.length,
      waitingOverdue: entries.filter((entry) => entry.overdue).length,
      oneToOneOverdue: dues.filter((due) => due.oneToOneOverdue).length,
      groupOverdue: dues.filter((due) => due.groupOverdue).length,
      supportOpen: support.reduce((n, team) => n + team.open, 0),
      supportRequests: support.reduce((n, team) => n + team.requests, 0),
      supportDays: WELLBEING_DAYS_SHOWN,
      peerOpen: peer.open,
      peerUntaken: peer.untaken,
    };
  }
}
