/**
 * The service report (issue 16, part A) worked out from the period's rows: pure, so every
 * figure is unit-tested. Everyone referred in the period is the report's cohort; each figure
 * says what it is out of (its denominator), and what happened to them is counted up to today.
 */
import { workingDaysBetween } from '../platform/calendar/working-days.ts';
import { addMonths, daysBetween } from '../platform/calendar/uk-time.ts';
import { formatMonth } from '../platform/calendar/uk-format.ts';
import { mean, median, quantile } from '../platform/statistics.ts';
import {
  BREAKDOWNS,
  groupOf,
  groupsOf,
  NO_ANSWERS,
  type Breakdown,
  type EqualityAnswers,
} from '../equality/equality-fields.ts';
import { ENDING_REASON_LABELS } from '../endings/ending.view-model.ts';
import { ENDING_REASONS } from '../endings/ending.form.ts';
import type { CohortRow, ConcernSummary } from './reports.repository.ts';
import { percentOf, suppress, type SuppressedRow } from './suppression.ts';

export interface Figure {
  label: string;
  n: number;
  d: number;
  percent: number | null;
}

const figure = (label: string, n: number, d: number): Figure => ({ label, n, d, percent: percentOf(n, d) });
const count = <T>(items: readonly T[], test: (item: T) => boolean) => {
  let n = 0;
  for (const item of items) if (test(item)) n += 1;
  return n;
};
const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** Days from discharge to a first session within which the programme aims to meet people. */
export const FIRST_SESSION_DAYS = 14;

export interface ReportSettings {
  sessionCap: number;
  allocationTargetWorkingDays: number;
  /** The plan's sections, in the plan's order. */
  sections: readonly { key: string; title: string }[];
  /** Names of the teams the rows may belong to. */
  teamNames: ReadonlyMap<string, string>;
}

export interface MonthRow {
  month: string;
  label: string;
  /** "Aug 2026", for a narrow table. */
  shortLabel: string;
  referrals: number;
  allocated: number;
  medianWorkingDays: number | null;
  withinTarget: Figure;
}

export interface TeamRow {
  team: string;
  referrals: number;
  allocated: Figure;
  engaged: Figure;
  threeOrMore: Figure;
  ended: Figure;
  lostContact: Figure;
}

export interface BreakdownTable {
  key: Breakdown;
  label: string;
  measures: string[];
  rows: SuppressedRow[];
}

export interface ServiceReport {
  referrals: number;
  allocation: {
    allocated: Figure;
    withinTarget: Figure;
    medianWorkingDays: number | null;
    stillWaiting: Figure;
    targetWorkingDays: number;
  };
  /** Referred, allocated, at least 1 session, at least 3, all of them: each out of those referred. */
  funnel: Figure[];
  firstSession: {
    n: number;
    medianDays: number | null;
    lowerQuartileDays: number | null;
    upperQuartileDays: number | null;
    withinTarget: Figure;
    targetDays: number;
  };
  sessions: { engaged: number; median: number | null; mean: number | null; bands: Figure[] };
  sections: Figure[];
  endings: { ended: Figure; reasons: Figure[]; stillInProgramme: number };
  concerns: {
    raised: number;
    advice: number;
    byUrgency: Figure[];
    acknowledgedInTime: Figure;
    medianMinutes: number | null;
    open: number;
    participantsWithConcern: Figure;
  };
  months: MonthRow[];
  teams: TeamRow[];
  equalityRecorded: Figure[];
  breakdown: BreakdownTable | null;
}

const URGENCY_LABELS = { immediate: 'Immediate danger', urgent: 'Urgent', routine: 'Routine' } as const;

const answersOf = (row: CohortRow): EqualityAnswers => ({
  ...NO_ANSWERS,
  ethnicity: row.ethnicity,
  gender: row.gender,
  firstLanguage: row.firstLanguage as EqualityAnswers['firstLanguage'],
  interpreterNeeded: row.interpreterNeeded as EqualityAnswers['interpreterNeeded'],
  disability: row.disability as EqualityAnswers['disability'],
});

/** The months from `fromMonth` to `toMonth` (YYYY-MM), both included. */
export function monthsBetween(fromMonth: string, toMonth: string): string[] {
  const months: string[] = [];
  for (let day = `${fromMonth}-01`; day.slice(0, 7) <= toMonth; day = addMonths(day, 1)) {
    months.push(day.slice(0, 7));
  }
  return months;
}

/**
 * A function of two dates, remembered for the report: a period's people share a few hundred
 * days, so tens of thousands of rows need only thousands of calendar sums.
 */
function remembered(of: (from: string, to: string) => number): (from: string, to: string) => number {
  const known = new Map<string, number>();
  return (from, to) => {
    const key = from + to;
    let value = known.get(key);
    if (value === undefined) {
      value = of(from, to);
      known.set(key, value);
    }
    return value;
  };
}

interface Worked {
  row: CohortRow;
  waitDays: number | null;
}

/** Rows grouped by a key, in one pass. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export function serviceReport(
  rows: readonly CohortRow[],
  concerns: ConcernSummary,
  options: { fromMonth: string; toMonth: string; breakdown: Breakdown | null },
  settings: ReportSettings,
): ServiceReport {
  const target = settings.allocationTargetWorkingDays;
  const workingDays = remembered(workingDaysBetween);
  const days = remembered(daysBetween);
  const worked: Worked[] = rows.map((row) => ({
    row,
    waitDays: row.firstAllocatedOn ? workingDays(row.referredOn, row.firstAllocatedOn) : null,
  }));
  const referrals = rows.length;
  const allocated = worked.filter((w) => w.waitDays !== null);
  const waits = allocated.map((w) => w.waitDays ?? 0);
  const engaged = rows.filter((r) => r.attended >= 1);
  const ended = rows.filter((r) => r.endingReason !== null);
  const firstDays = engaged.flatMap((r) =>
    r.firstAttendedOn ? [Math.max(0, days(r.dischargedOn, r.firstAttendedOn))] : [],
  );
  const cap = settings.sessionCap;

  const byMonth = groupBy(worked, (w) => w.row.referredOn.slice(0, 7));
  const months = monthsBetween(options.fromMonth, options.toMonth).map((month): MonthRow => {
    const inMonth = byMonth.get(month) ?? [];
    const monthWaits = inMonth.flatMap((w) => (w.waitDays === null ? [] : [w.waitDays]));
    return {
      month,
      label: formatMonth(month),
      shortLabel: `${formatMonth(month).slice(0, 3)} ${month.slice(0, 4)}`,
      referrals: inMonth.length,
      allocated: monthWaits.length,
      medianWorkingDays: oneDecimal(median(monthWaits)),
      withinTarget: figure(
        'Allocated within the target',
        count(monthWaits, (d) => d <= target),
        monthWaits.length,
      ),
    };
  });

  const teams = [...groupBy(rows, (r) => r.teamId)]
    .map(([teamId, mine]): TeamRow => {
      const mineEnded = count(mine, (r) => r.endingReason !== null);
      return {
        team: settings.teamNames.get(teamId) ?? 'Another team',
        referrals: mine.length,
        allocated: figure('Allocated', count(mine, (r) => r.firstAllocatedOn !== null), mine.length),
        engaged: figure('At least 1 session', count(mine, (r) => r.attended >= 1), mine.length),
        threeOrMore: figure('At least 3 sessions', count(mine, (r) => r.attended >= 3), mine.length),
        ended: figure('Ended', mineEnded, mine.length),
        lostContact: figure('Lost contact', count(mine, (r) => r.endingReason === 'lost_contact'), mineEnded),
      };
    })
    .sort((a, b) => a.team.localeCompare(b.team, 'en-GB'));


  return {
    referrals,
    allocation: {
      allocated: figure('Allocated a peer support worker', allocated.length, referrals),
      withinTarget: figure(
        `Allocated within ${String(target)} working days`,
        count(waits, (d) => d <= target),
        allocated.length,
      ),
      medianWorkingDays: oneDecimal(median(waits)),
      stillWaiting: figure(
        'Still waiting for a worker',
        count(rows, (r) => r.firstAllocatedOn === null && r.endingReason === null),
        referrals,
      ),
      targetWorkingDays: target,
    },
    funnel: [
      figure('Referred', referrals, referrals),
      figure('Allocated a worker', allocated.length, referrals),
      figure('At least 1 session', engaged.length, referrals),
      figure('At least 3 sessions', count(rows, (r) => r.attended >= 3), referrals),
      figure(`All ${String(cap)} sessions`, count(rows, (r) => r.attended >= cap), referrals),
    ],
    firstSession: {
      n: firstDays.length,
      medianDays: oneDecimal(median(firstDays)),
      lowerQuartileDays: oneDecimal(quantile(firstDays, 0.25)),
      upperQuartileDays: oneDecimal(quantile(firstDays, 0.75)),
      withinTarget: figure(
        `First session within ${String(FIRST_SESSION_DAYS)} days of discharge`,
        count(firstDays, (d) => d <= FIRST_SESSION_DAYS),
        firstDays.length,
      ),
      targetDays: FIRST_SESSION_DAYS,
    },
    sessions: {
      engaged: engaged.length,
      median: oneDecimal(median(engaged.map((r) => r.attended))),
      mean: oneDecimal(mean(engaged.map((r) => r.attended))),
      bands: [
        figure('1 or 2 sessions', count(engaged, (r) => r.attended <= 2), engaged.length),
        figure('3 to 5 sessions', count(engaged, (r) => r.attended >= 3 && r.attended <= 5), engaged.length),
        figure(
          `6 to ${String(cap - 1)} sessions`,
          count(engaged, (r) => r.attended >= 6 && r.attended < cap),
          engaged.length,
        ),
        figure(`All ${String(cap)} sessions`, count(engaged, (r) => r.attended >= cap), engaged.length),
      ],
    },
    sections: settings.sections.map((s, i) =>
      figure(
        s.title,
        count(engaged, (r) => (r.sectionsMask & (2 ** i)) !== 0),
        engaged.length,
      ),
    ),
    endings: {
      ended: figure('Programme ended', ended.length, referrals),
      reasons: ENDING_REASONS.map((reason) =>
        figure(
          ENDING_REASON_LABELS[reason],
          count(ended, (r) => r.endingReason === reason),
          ended.length,
        ),
      ),
      stillInProgramme: referrals - ended.length,
    },
    concerns: {
      raised: concerns.raised,
      advice: concerns.advice,
      byUrgency: (['immediate', 'urgent', 'routine'] as const).map((urgency) =>
        figure(URGENCY_LABELS[urgency], concerns[urgency], concerns.raised),
      ),
      acknowledgedInTime: figure(
        'Acknowledged by the crisis team in time',
        concerns.raised - concerns.late,
        concerns.raised,
      ),
      medianMinutes: concerns.medianMinutes,
      open: concerns.open,
      participantsWithConcern: figure(
        'Participants with a safety concern raised',
        count(rows, (r) => r.concerns > 0),
        referrals,
      ),
    },
    months,
    teams,
    equalityRecorded: (['ethnicity', 'gender', 'firstLanguage', 'interpreterNeeded', 'disability'] as const).map(
      (key) => figure(BREAKDOWNS[key].label, count(rows, (r) => r[key] !== null), referrals),
    ),
    breakdown: options.breakdown ? breakdownTable(rows, options.breakdown, cap) : null,
  };
}

/** The measures of a breakdown table, each a count of the group's people. */
function breakdownTable(rows: readonly CohortRow[], key: Breakdown, cap: number): BreakdownTable {
  const measures: [string, (r: CohortRow) => boolean][] = [
    ['Allocated a worker', (r) => r.firstAllocatedOn !== null],
    ['At least 1 session', (r) => r.attended >= 1],
    ['At least 3 sessions', (r) => r.attended >= 3],
    [`All ${String(cap)} sessions`, (r) => r.attended >= cap],
    ['Lost contact', (r) => r.endingReason === 'lost_contact'],
    ['A safety concern raised', (r) => r.concerns > 0],
  ];
  const byGroup = new Map<string, CohortRow[]>(groupsOf(key).map((g) => [g, []]));
  for (const row of rows) {
    const group = groupOf(key, {
      answers: answersOf(row),
      dateOfBirth: row.dateOfBirth,
      dischargedOn: row.dischargedOn,
    });
    byGroup.get(group)?.push(row);
  }
  return {
    key,
    label: BREAKDOWNS[key].label,
    measures: measures.map(([label]) => label),
    rows: suppress(
      [...byGroup].map(([group, members]) => ({
        group,
        size: members.length,
        counts: measures.map(([, test]) => count(members, test)),
      })),
    ),
  };
}
