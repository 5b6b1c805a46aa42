/**
 * What is waiting to be acknowledged, as the concerns overview shows it: counts per crisis team
 * (how many wait, how many are past their deadline, escalated, or waiting over a day) and each
 * item as a row of the list. Pure: the items and the time in, what the page shows out.
 */
import { DAY } from '../platform/clock.ts';
import type { ConcernUrgency } from '../platform/database/schema.ts';
import { ESCALATION_STEPS, overdueWords, STEP_LABELS } from './escalation.service.ts';
import type { OversightConcern, TeamRow } from './oversight.repository.ts';

export const URGENCY_LABELS: Record<ConcernUrgency, string> = {
  immediate: 'Immediate',
  urgent: 'Urgent',
  routine: 'Routine',
};

/** Items waiting to be acknowledged shown a page at a time, as the waiting list is. */
export const WAITING_PAGE_SIZE = 50;

/** What is waiting to be acknowledged in one team, or in all of them. */
export interface WaitingCounts {
  waiting: number;
  /** Past the deadline to acknowledge. */
  overdue: number;
  /** Escalated at least one step (to the duty contact or beyond). */
  escalated: number;
  /** Raised more than a day ago. */
  overADay: number;
}

export interface TeamWaiting extends WaitingCounts {
  id: string;
  name: string;
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

type Waiting = Pick<OversightConcern, 'raisedAt' | 'acknowledgeBy' | 'stepReached'>;

export function waitingCounts(items: readonly Waiting[], now: Date): WaitingCounts {
  const counts: WaitingCounts = { waiting: 0, overdue: 0, escalated: 0, overADay: 0 };
  for (const item of items) {
    counts.waiting += 1;
    if (item.acknowledgeBy.getTime() <= now.getTime()) counts.overdue += 1;
    if (item.stepReached > 0) counts.escalated += 1;
    if (now.getTime() - item.raisedAt.getTime() > DAY) counts.overADay += 1;
  }
  return counts;
}

/** Every team of the trust (in the order given), each with what is waiting in it: none is left out. */
export function waitingByTeam(
  teams: readonly TeamRow[],
  items: readonly (Waiting & Pick<OversightConcern, 'crisisTeamId'>)[],
  now: Date,
): TeamWaiting[] {
  const byTeam = Map.groupBy(items, (item) => item.crisisTeamId);
  return teams.map((team) => ({ ...team, ...waitingCounts(byTeam.get(team.id) ?? [], now) }));
}

export function openItem(item: OversightConcern, now: Date): OpenItem {
  return {
    id: item.id,
    kind: item.kind === 'advice' ? 'Request for advice' : 'Safety concern',
    urgency: item.urgency,
    urgencyLabel: URGENCY_LABELS[item.urgency],
    teamName: item.teamName,
    raisedAt: item.raisedAt,
    acknowledgeBy: item.acknowledgeBy,
    overdue: item.acknowledgeBy.getTime() <= now.getTime(),
    timing: overdueWords(Math.abs(now.getTime() - item.acknowledgeBy.getTime())),
    step:
      item.stepReached > 0
        ? STEP_LABELS[ESCALATION_STEPS[item.stepReached - 1] ?? 'coordinator']
        : 'Not escalated',
  };
}
