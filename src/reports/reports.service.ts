/**
 * Service reports (issue 16, part A) for the coordinator and supervisors: by team and period,
 * every figure with its denominator, broken down by the equality monitoring answers with small
 * numbers withheld. Counts only: nobody is named and no record is opened, so reading one writes
 * no read event; downloading one as CSV is an export and is audited.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { addMonths, startOfUkDay, ukToday } from '../platform/calendar/uk-time.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { TeamRepository } from '../organisation/team.repository.ts';
import type { Breakdown } from '../equality/equality-fields.ts';
import type { StaffRepository } from '../organisation/staff.repository.ts';
import type { SupervisionRepository } from '../workforce/supervision.repository.ts';
import type { WorkerReadiness } from '../workforce/readiness.ts';
import { supervisionDue, type SupervisionTargets } from '../workforce/supervision-due.ts';
import type { ReportsRepository, ReportScope } from './reports.repository.ts';
import { serviceReport, type Figure, type ServiceReport } from './service-report.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** How far back a report may reach, in months (the months offered to choose from). */
export const MONTHS_OFFERED = 36;

export interface ReportRequest {
  /** A team of the trust, or null for all of them. */
  teamId: string | null;
  /** YYYY-MM, both included. */
  fromMonth: string;
  toMonth: string;
  breakdown: Breakdown | null;
}

export interface WorkforceCompliance {
  workers: number;
  trainingCurrent: Figure;
  supervisionUpToDate: Figure;
}

export interface ReportPage {
  request: ReportRequest;
  teams: { id: string; name: string }[];
  /** The months a report may cover, newest first (YYYY-MM). */
  months: string[];
  teamName: string | null;
  report: ServiceReport;
  workforce: WorkforceCompliance;
}

export class ReportsService {
  private readonly db: Db;
  private readonly reports: ReportsRepository;
  private readonly teams: Pick<TeamRepository, 'listForTrust'>;
  private readonly staff: Pick<StaffRepository, 'peerWorkerLoads'>;
  private readonly supervision: Pick<SupervisionRepository, 'workers'>;
  private readonly readiness: WorkerReadiness;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: {
    sessionCap: number;
    allocationTargetWorkingDays: number;
    supervision: SupervisionTargets;
    sections: readonly { key: string; title: string }[];
  };

  constructor(
    db: Db,
    repositories: {
      reports: ReportsRepository;
      teams: Pick<TeamRepository, 'listForTrust'>;
      staff: Pick<StaffRepository, 'peerWorkerLoads'>;
      supervision: Pick<SupervisionRepository, 'workers'>;
    },
    readiness: WorkerReadiness,
    audit: AuditService,
    clock: Clock,
    settings: ReportsService['settings'],
  ) {
    this.db = db;
    this.reports = repositories.reports;
    this.teams = repositories.teams;
    this.staff = repositories.staff;
    this.supervision = repositories.supervision;
    this.readiness = readiness;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  /** The months offered, newest first, and the default period: the last 12 months to this one. */
  periods(): { months: string[]; defaultFrom: string; defaultTo: string } {
    const thisMonth = ukToday(this.clock.now()).slice(0, 7);
    const months = Array.from({ length: MONTHS_OFFERED }, (_, i) =>
      addMonths(`${thisMonth}-01`, -i).slice(0, 7),
    );
    return { months, defaultFrom: addMonths(`${thisMonth}-01`, -11).slice(0, 7), defaultTo: thisMonth };
  }

  /** What a report can be asked for (the teams), when the choices made were not valid. */
  async choices(ctx: StaffContext): Promise<{ teams: { id: string; name: string }[] }> {
    if (!can(ctx.actor, 'reports.view', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
    return { teams: await this.teamsOf(ctx.actor.trustId) };
  }

  /** The report as a download: an export, audited with what was exported before it is given. */
  async exportReport(ctx: StaffContext, request: ReportRequest): Promise<ReportPage> {
    if (!can(ctx.actor, 'reports.export', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
    const page = await this.report(ctx, request);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'report.exported',
      entityType: 'service_report',
      entityId: null,
      detail: {
        team: request.teamId ?? 'all',
        from: request.fromMonth,
        to: request.toMonth,
        breakdown: request.breakdown ?? 'none',
        participants: page.report.referrals,
      },
    });
    return page;
  }

  private async teamsOf(trustId: string): Promise<{ id: string; name: string }[]> {
    return (await this.teams.listForTrust(this.db, trustId)).map((t) => ({ id: t.id, name: t.name }));
  }

  async report(ctx: StaffContext, request: ReportRequest): Promise<ReportPage> {
    const trustId = ctx.actor.trustId;
    if (!can(ctx.actor, 'reports.view', { type: 'trust', trustId })) throw new NotFoundError('page');
    const teams = await this.teamsOf(trustId);
    const team = request.teamId === null ? null : teams.find((t) => t.id === request.teamId);
    if (team === undefined) throw new NotFoundError('team');
    const scope: ReportScope = {
      trustId,
      teamIds: team ? [team.id] : null,
      from: startOfUkDay(`${request.fromMonth}-01`),
      to: startOfUkDay(addMonths(`${request.toMonth}-01`, 1)),
    };
    const now = this.clock.now();
    const [cohort, concerns, workforce] = await Promise.all([
      this.reports.cohort(
        this.db,
        scope,
        this.settings.sections.map((s) => s.key),
      ),
      this.reports.concerns(this.db, scope, now),
      this.workforce(trustId, team?.id ?? null, ukToday(now)),
    ]);
    const report = serviceReport(
      cohort,
      concerns,
      { fromMonth: request.fromMonth, toMonth: request.toMonth, breakdown: request.breakdown },
      { ...this.settings, teamNames: new Map(teams.map((t) => [t.id, t.name])) },
    );
    return {
      request,
      teams,
      months: this.periods().months,
      teamName: team?.name ?? null,
      report,
      workforce,
    };
  }

  /** Training and supervision compliance of the team's peer support workers (or the trust's), today. */
  private async workforce(trustId: string, teamId: string | null, today: string): Promise<WorkforceCompliance> {
    const [loads, supervised] = await Promise.all([
      this.staff.peerWorkerLoads(this.db, trustId),
      this.supervision.workers(this.db, trustId),
    ]);
    const workers = loads.filter((w) => teamId === null || w.crisisTeamId === teamId);
    const readiness = await this.readiness.readinessFor(
      this.db,
      workers.map((w) => w.id),
    );
    const mine = supervised.filter((w) => teamId === null || w.crisisTeamId === teamId);
    const upToDate = mine.filter((w) => {
      const due = supervisionDue(w, this.settings.supervision, today);
      return !due.oneToOneOverdue && !due.groupOverdue;
    }).length;
    const trained = workers.filter((w) => readiness.get(w.id)?.complete === true).length;
    return {
      workers: workers.length,
      trainingCurrent: {
        label: 'Mandatory training and checks complete',
        n: trained,
        d: workers.length,
        percent: workers.length === 0 ? null : Math.round((100 * trained) / workers.length),
      },
      supervisionUpToDate: {
        label: '1:1 and group supervision up to date',
        n: upToDate,
        d: mine.length,
        percent: mine.length === 0 ? null : Math.round((100 * upToDate) / mine.length),
      },
    };
  }
}
