/**
 * Oversight of safety concerns for supervisors and the coordinator (policy 'concern.oversee'):
 * every open item across teams with its deadline and escalation step, response times (time to
 * acknowledge) over the last 30 days, and a monthly summary per team. Shows no participant
 * names or what happened: the numbers are about how fast teams respond.
 */
import type { Db } from '../platform/database/database.ts';
import { DAY, type Clock } from '../platform/clock.ts';
import { NotFoundError, type FieldErrors } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { ConcernUrgency } from '../platform/database/schema.ts';
import { overdueWords, STEP_LABELS, ESCALATION_STEPS } from './escalation.service.ts';
import type { OversightConcern, OversightRepository } from './oversight.repository.ts';
import { addMonths, startOfUkDay, ukToday } from '../platform/calendar/uk-time.ts';
import { formatMonth } from '../platform/calendar/uk-format.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export const URGENCIES: readonly ConcernUrgency[] = ['immediate', 'urgent', 'routine'];
export const URGENCY_LABELS: Record<ConcernUrgency, string> = {
  immediate: 'Immediate',
  urgent: 'Urgent',
  routine: 'Routine',
};
/** How many months back the summary offers. */
const MONTHS_OFFERED = 24;
const RECENT_DAYS = 30;
const OPEN_LIMIT = 300;

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

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
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

export interface OpenItem {
  id: string;
  kind: string;
  urgency: ConcernUrgency;
  urgencyLabel: string;
  teamName: string;
  raisedAt: Date;
  acknowledgeBy: Date;
  overdue: boolean;
  /** "1 hour 5 minutes" past the deadline, or until it. */
  timing: string;
  step: string;
}

export interface MonthOption {
  value: string;
  text: string;
}

export interface Overview {
  open: OpenItem[];
  recent: SummaryRow[];
  recentDays: number;
  month: MonthOption;
  months: MonthOption[];
  monthly: SummaryRow[];
  /** Set when the month asked for is not offered: this month is shown instead, with the problem said. */
  errors: FieldErrors | undefined;
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
   * else shows this month, with `errors` saying so.
   */
  async overview(ctx: StaffContext, month: unknown): Promise<Overview> {
    if (!can(ctx.actor, 'concern.oversee', { type: 'trust', trustId: ctx.actor.trustId }))
      throw new NotFoundError('page');
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
      this.oversight.open(this.db, trustId, OPEN_LIMIT),
      this.oversight.raisedBetween(this.db, trustId, new Date(now.getTime() - RECENT_DAYS * DAY), now),
      this.oversight.raisedBetween(this.db, trustId, monthStart, monthEnd),
    ]);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'concerns.overview_viewed',
      entityType: 'trust',
      entityId: trustId,
      detail: { month: chosen.value, openConcernIds: open.map((item) => item.id) },
    });
    return {
      open: open.map((item) => {
        const overdue = item.acknowledgeBy.getTime() <= now.getTime();
        return {
          id: item.id,
          kind: item.kind === 'advice' ? 'Request for advice' : 'Safety concern',
          urgency: item.urgency,
          urgencyLabel: URGENCY_LABELS[item.urgency],
          teamName: item.teamName,
          raisedAt: item.raisedAt,
          acknowledgeBy: item.acknowledgeBy,
          overdue,
          timing: overdueWords(Math.abs(now.getTime() - item.acknowledgeBy.getTime())),
          step:
            item.stepReached > 0
              ? STEP_LABELS[ESCALATION_STEPS[item.stepReached - 1] ?? 'coordinator']
              : 'Not escalated',
        };
      }),
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
}
