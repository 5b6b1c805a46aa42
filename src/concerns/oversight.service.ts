/**
 * Oversight of safety concerns for supervisors and the coordinator (policy 'concern.oversee'):
 * what is waiting to be acknowledged, counted per team and listed a page at a time with each
 * item's deadline and escalation step (all teams, or one team's list); response times (time to
 * acknowledge) over the last 30 days, and a monthly summary per team. Shows no participant
 * names or what happened: the numbers are about how fast teams respond.
 */
import { median } from '../platform/statistics.ts';
import type { Db } from '../platform/database/database.ts';
import { DAY, type Clock } from '../platform/clock.ts';
import { NotFoundError, type FieldErrors } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { ConcernUrgency } from '../platform/database/schema.ts';
import { overdueWords } from './escalation.service.ts';
import type { OversightConcern, OversightRepository } from './oversight.repository.ts';
import {
  openItem,
  URGENCY_LABELS,
  WAITING_PAGE_SIZE,
  waitingByTeam,
  waitingCounts,
  type OpenItem,
  type TeamWaiting,
  type WaitingCounts,
} from './oversight-waiting.ts';
import { pageOf, type Page } from '../platform/paging.ts';
import { addMonths, startOfUkDay, ukToday } from '../platform/calendar/uk-time.ts';
import { formatMonth } from '../platform/calendar/uk-format.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export const URGENCIES: readonly ConcernUrgency[] = ['immediate', 'urgent', 'routine'];
/** How many months back the summary offers. */
const MONTHS_OFFERED = 24;
const RECENT_DAYS = 30;

/** Counts and times to acknowledge for a set of items. Times in milliseconds. */
export interface ResponseSummary {
  raised: number;
  byUrgency: Record<ConcernUrgency, number>;
  acknowledged: number;
  medianMs: number | null;
  worstMs: number | null;
  /** Acknowledged after the deadline, or still not acknowledged with the deadline passed. */
  overdue: number;
}

export function isOverdue(
  item: Pick<OversightConcern, 'acknowledgeBy' | 'acknowledgedAt'>,
  now: Date,
): boolean {
  return item.acknowledgedAt
    ? item.acknowledgedAt.getTime() > item.acknowledgeBy.getTime()
    : item.acknowledgeBy.getTime() <= now.getTime();
}

export function summarise(items: readonly OversightConcern[], now: Date): ResponseSummary {
  const times = items.flatMap((item) =>
    item.acknowledgedAt ? [item.acknowledgedAt.getTime() - item.raisedAt.getTime()] : [],
  );
  return {
    raised: items.length,
    byUrgency: {
      immediate: items.filter((item) => item.urgency === 'immediate').length,
      urgent: items.filter((item) => item.urgency === 'urgent').length,
      routine: items.filter((item) => item.urgency === 'routine').length,
    },
    acknowledged: times.length,
    medianMs: median(times),
    worstMs: times.length ? Math.max(...times) : null,
    overdue: items.filter((item) => isOverdue(item, now)).length,
  };
}

export interface SummaryRow {
  label: string;
  raised: number;
  byUrgency: Record<ConcernUrgency, number>;
  acknowledged: number;
  median: string;
  worst: string;
  overdue: number;
}

function row(label: string, summary: ResponseSummary): SummaryRow {
  return {
    label,
    raised: summary.raised,
    byUrgency: summary.byUrgency,
    acknowledged: summary.acknowledged,
    median: summary.medianMs === null ? 'None acknowledged' : overdueWords(summary.medianMs),
    worst: summary.worstMs === null ? 'None acknowledged' : overdueWords(summary.worstMs),
    overdue: summary.overdue,
  };
}

export interface MonthOption {
  value: string;
  text: string;
}

export interface Overview {
  /** Every team of the trust, by name, with what waits in it; `allTeams` adds them up. */
  teams: TeamWaiting[];
  allTeams: WaitingCounts;
  /** One page of what waits in every team, the earliest deadline first. */
  open: Page<OpenItem>;
  recent: SummaryRow[];
  recentDays: number;
  month: MonthOption;
  months: MonthOption[];
  monthly: SummaryRow[];
  /** Set when the month asked for is not offered: this month is shown instead, with the problem said. */
  errors: FieldErrors | undefined;
}

/** One team's list: what waits in it, a page at a time. */
export interface TeamWaitingPage {
  team: TeamWaiting;
  open: Page<OpenItem>;
}

function monthOption(value: string): MonthOption {
  return { value, text: formatMonth(value) };
}

/** The month (YYYY-MM) `by` months after `value`. */
const shiftMonth = (value: string, by: number) => addMonths(`${value}-01`, by).slice(0, 7);

export const MONTH_ERROR = 'Choose a month from the list';

export class OversightService {
  private readonly db: Db;
  private readonly oversight: OversightRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(db: Db, oversight: OversightRepository, audit: AuditService, clock: Clock) {
    this.db = db;
    this.oversight = oversight;
    this.audit = audit;
    this.clock = clock;
  }

  /** The months offered, newest first: this UK month and the ones before it. */
  months(now: Date): MonthOption[] {
    const current = ukToday(now).slice(0, 7);
    return Array.from({ length: MONTHS_OFFERED }, (_, i) => monthOption(shiftMonth(current, -i)));
  }

  /**
   * The overview. `month` is 'YYYY-MM' (one of `months`), or undefined for this month; anything
   * else shows this month, with `errors` saying so. `pageNumber` is the page of the list of
   * what waits (past the end: the last). The read event names the items on that page only.
   */
  async overview(ctx: StaffContext, month: unknown, pageNumber = 1): Promise<Overview> {
    this.checkMayOversee(ctx);
    const now = this.clock.now();
    const months = this.months(now);
    const thisMonth = monthOption(ukToday(now).slice(0, 7));
    const asked =
      month === undefined || month === '' ? thisMonth : months.find((option) => option.value === month);
    const chosen = asked ?? thisMonth;
    const monthStart = startOfUkDay(`${chosen.value}-01`);
    const monthEnd = startOfUkDay(`${shiftMonth(chosen.value, 1)}-01`);
    const trustId = ctx.actor.trustId;

    const [teams, open, recent, inMonth] = await Promise.all([
      this.oversight.teams(this.db, trustId),
      this.oversight.open(this.db, trustId),
      this.oversight.raisedBetween(this.db, trustId, new Date(now.getTime() - RECENT_DAYS * DAY), now),
      this.oversight.raisedBetween(this.db, trustId, monthStart, monthEnd),
    ]);
    const page = pageOf(open, pageNumber, WAITING_PAGE_SIZE);
    await this.recordShown(ctx, { entityType: 'trust', entityId: trustId }, page, { month: chosen.value });
    return {
      teams: waitingByTeam(teams, open, now),
      allTeams: waitingCounts(open, now),
      open: { ...page, items: page.items.map((item) => openItem(item, now)) },
      recent: [
        ...URGENCIES.map((urgency) =>
          row(
            URGENCY_LABELS[urgency],
            summarise(
              recent.filter((item) => item.urgency === urgency),
              now,
            ),
          ),
        ),
        row('All', summarise(recent, now)),
      ],
      recentDays: RECENT_DAYS,
      month: chosen,
      months,
      monthly: [
        ...teams.map((team) =>
          row(
            team.name,
            summarise(
              inMonth.filter((item) => item.crisisTeamId === team.id),
              now,
            ),
          ),
        ),
        row('All teams', summarise(inMonth, now)),
      ],
      errors: asked ? undefined : { month: MONTH_ERROR },
    };
  }

  /**
   * One team's list of what waits to be acknowledged, a page at a time (past the end: the
   * last). A team of another trust, or none, is not found. The read event names the items on
   * the page shown.
   */
  async teamWaiting(ctx: StaffContext, crisisTeamId: string, pageNumber = 1): Promise<TeamWaitingPage> {
    this.checkMayOversee(ctx);
    const now = this.clock.now();
    const [teams, open] = await Promise.all([
      this.oversight.teams(this.db, ctx.actor.trustId),
      this.oversight.open(this.db, ctx.actor.trustId, crisisTeamId),
    ]);
    const team = teams.find((row) => row.id === crisisTeamId);
    if (!team) throw new NotFoundError('crisis team');
    const page = pageOf(open, pageNumber, WAITING_PAGE_SIZE);
    await this.recordShown(ctx, { entityType: 'crisis_team', entityId: crisisTeamId }, page, {});
    return {
      team: { ...team, ...waitingCounts(open, now) },
      open: { ...page, items: page.items.map((item) => openItem(item, now)) },
    };
  }

  private checkMayOversee(ctx: StaffContext): void {
    if (!can(ctx.actor, 'concern.oversee', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
  }

  /**
   * The read event of a page of the overview: the items on that page, by id (the page names
   * nobody; each item links to its concern).
   */
  private async recordShown(
    ctx: StaffContext,
    entity: { entityType: string; entityId: string },
    page: Page<OversightConcern>,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'concerns.overview_viewed',
      ...entity,
      detail: {
        ...detail,
        page: page.number,
        openConcernIds: page.items.map((item) => item.id),
      },
    });
  }
}
