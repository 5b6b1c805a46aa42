import { describe, expect, it } from 'vitest';
import type { CohortRow, ConcernSummary } from './reports.repository.ts';
import { monthsBetween, serviceReport, type ReportSettings } from './service-report.ts';
import { funnelChart, waitsChart } from './report-charts.ts';

const SETTINGS: ReportSettings = {
  sessionCap: 10,
  allocationTargetWorkingDays: 5,
  sections: [
    { key: 'moving_on', title: 'Moving on after a crisis' },
    { key: 'keeping_well', title: 'Keeping well' },
  ],
  teamNames: new Map([
    ['north', 'North crisis resolution team'],
    ['south', 'South crisis resolution team'],
  ]),
};
const NO_CONCERNS: ConcernSummary = {
  raised: 0,
  advice: 0,
  immediate: 0,
  urgent: 0,
  routine: 0,
  late: 0,
  open: 0,
  medianMinutes: null,
};

const person = (over: Partial<CohortRow> = {}): CohortRow => ({
  teamId: 'north',
  referredOn: '2026-03-02',
  dischargedOn: '2026-03-02',
  dateOfBirth: '1990-01-01',
  firstAllocatedOn: null,
  attended: 0,
  firstAttendedOn: null,
  sectionsMask: 0,
  endingReason: null,
  concerns: 0,
  ethnicity: null,
  gender: null,
  firstLanguage: null,
  interpreterNeeded: null,
  disability: null,
  ...over,
});

const report = (rows: CohortRow[], concerns = NO_CONCERNS, breakdown: 'gender' | null = null) =>
  serviceReport(rows, concerns, { fromMonth: '2026-02', toMonth: '2026-04', breakdown }, SETTINGS);

describe('the service report', () => {
  it('counts waits in working days against the target, bank holidays left out', () => {
    const r = report([
      // Monday 2 March to Monday 9 March: 5 working days, within the target.
      person({ firstAllocatedOn: '2026-03-09' }),
      // Thursday 2 April to Thursday 9 April 2026: Good Friday and Easter Monday fall between, so 3.
      person({ referredOn: '2026-04-02', firstAllocatedOn: '2026-04-09' }),
      // Monday 2 March to Tuesday 10 March: 6, over the target.
      person({ firstAllocatedOn: '2026-03-10' }),
      person(),
    ]);
    expect(r.allocation.allocated).toMatchObject({ n: 3, d: 4, percent: 75 });
    expect(r.allocation.withinTarget).toMatchObject({ n: 2, d: 3, percent: 67 });
    expect(r.allocation.medianWorkingDays).toBe(5);
    expect(r.allocation.stillWaiting).toMatchObject({ n: 1, d: 4 });
    // Every month of the period, the empty one too.
    expect(r.months.map((m) => [m.month, m.referrals, m.medianWorkingDays])).toEqual([
      ['2026-02', 0, null],
      ['2026-03', 3, 5.5],
      ['2026-04', 1, 3],
    ]);
  });

  it('counts engagement, each step out of everyone referred', () => {
    const r = report([
      person({ attended: 10, firstAllocatedOn: '2026-03-03' }),
      person({ attended: 3, firstAllocatedOn: '2026-03-03' }),
      person({ attended: 1, firstAllocatedOn: '2026-03-03' }),
      person({ firstAllocatedOn: '2026-03-03' }),
    ]);
    expect(r.funnel.map((f) => [f.label, f.n, f.d])).toEqual([
      ['Referred', 4, 4],
      ['Allocated a worker', 4, 4],
      ['At least 1 session', 3, 4],
      ['At least 3 sessions', 2, 4],
      ['All 10 sessions', 1, 4],
    ]);
    expect(r.sessions).toMatchObject({ engaged: 3, median: 3, mean: 4.7 });
  });

  it('times the first session from discharge, with its spread', () => {
    const r = report([
      person({ attended: 1, firstAttendedOn: '2026-03-09' }),
      person({ attended: 1, firstAttendedOn: '2026-03-16' }),
      person({ attended: 1, firstAttendedOn: '2026-03-30' }),
    ]);
    expect(r.firstSession).toMatchObject({ n: 3, medianDays: 14, lowerQuartileDays: 10.5, upperQuartileDays: 21 });
    expect(r.firstSession.withinTarget).toMatchObject({ n: 2, d: 3 });
  });

  it('counts the plan sections worked on, out of those with a session', () => {
    const r = report([
      person({ attended: 2, sectionsMask: 0b01 }),
      person({ attended: 1, sectionsMask: 0b11 }),
      person(),
    ]);
    expect(r.sections.map((f) => [f.label, f.n, f.d])).toEqual([
      ['Moving on after a crisis', 2, 2],
      ['Keeping well', 1, 2],
    ]);
  });

  it('gives each ending reason out of those ended, and concerns acknowledged in time out of those raised', () => {
    const r = report([person({ endingReason: 'completed' }), person({ endingReason: 'lost_contact' }), person()], {
      ...NO_CONCERNS,
      raised: 4,
      immediate: 1,
      routine: 3,
      late: 1,
      medianMinutes: 42,
    });
    expect(r.endings.ended).toMatchObject({ n: 2, d: 3 });
    expect(r.endings.reasons.find((f) => f.label === 'Lost contact')).toMatchObject({ n: 1, d: 2, percent: 50 });
    expect(r.concerns.acknowledgedInTime).toMatchObject({ n: 3, d: 4, percent: 75 });
    expect(r.concerns.byUrgency.map((f) => f.n)).toEqual([1, 0, 3]);
  });

  it('puts each team on its own row, and breaks down by an equality answer', () => {
    const rows = [
      ...Array.from({ length: 6 }, () => person({ gender: '2', attended: 1 })),
      person({ teamId: 'south', gender: '1' }),
    ];
    const r = report(rows, NO_CONCERNS, 'gender');
    expect(r.teams.map((t) => [t.team, t.referrals])).toEqual([
      ['North crisis resolution team', 6],
      ['South crisis resolution team', 1],
    ]);
    expect(r.breakdown?.rows.map((row) => [row.group, row.size.withheld])).toEqual([
      ['Female', false],
      ['Male', true],
      ['Non-binary or other', true],
      ['Prefer not to say', false],
      ['Not answered', false],
    ]);
    expect(r.equalityRecorded.find((f) => f.label === 'Gender')).toMatchObject({ n: 7, d: 7 });
  });

  it('lists the months of a period across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});

describe('the charts', () => {
  it('draw the funnel with each step as a share of everyone referred, readable words escaped', () => {
    const svg = funnelChart([
      { label: 'Referred', n: 200, d: 200, percent: 100 },
      { label: 'At least 1 <session>', n: 50, d: 200, percent: 25 },
    ]);
    expect(svg).toContain('aria-hidden="true"');
    expect(svg).toContain('At least 1 &lt;session&gt;');
    const widths = [...svg.matchAll(/<rect[^>]*width="([\d.]+)"[^>]*fill="#005eb8"/g)].map((m) => Number(m[1]));
    expect(widths[1]).toBeCloseTo((widths[0] ?? 0) / 4, 1);
    expect(funnelChart([{ label: 'Referred', n: 0, d: 0, percent: null }])).toBe('');
  });

  it('draw waits with a bar for each month that had any and the target as a line', () => {
    const svg = waitsChart(
      [
        { month: '2026-01', label: 'January 2026', shortLabel: 'Jan 2026', referrals: 3, allocated: 3, medianWorkingDays: 4, withinTarget: { label: '', n: 3, d: 3, percent: 100 } },
        { month: '2026-02', label: 'February 2026', shortLabel: 'Feb 2026', referrals: 0, allocated: 0, medianWorkingDays: null, withinTarget: { label: '', n: 0, d: 0, percent: null } },
      ],
      5,
    );
    expect(svg.match(/<rect/g)).toHaveLength(1);
    expect(svg).toContain('Target: 5');
    expect(svg).toContain('>Jan<');
  });
});
