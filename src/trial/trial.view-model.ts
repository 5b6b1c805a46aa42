/** What the trial's templates show, from the service's answers: words, tags and figures. */
import { consortDiagram, type ArmColumn, type ConsortFlow } from './consort-diagram.ts';
import type { Arm } from './randomisation.ts';
import type { ArmFlow } from './randomisation.repository.ts';
import type { Page } from '../platform/paging.ts';
import type { EligibilityChecklist } from './eligibility-checklist.ts';
import { reasonText } from './eligibility.ts';
import type { ScreeningPage, TrialHome } from './trial.service.ts';
import type { ScreeningLogRow, SiteTeam } from './trial.repository.ts';
import type { TrialCounts } from './trial-counts.ts';
import { SCOPE_EXPLANATIONS, SCOPE_TITLES, widestScope, type WithdrawalScope } from './withdrawal-scopes.ts';

/** Where a screened person is now, as a tag: the log and their page say it alike. */
export interface Outcome {
  text: string;
  colour: 'grey' | 'blue' | 'green' | 'red' | 'orange' | 'yellow';
}

export function outcomeOf(row: {
  eligible: boolean;
  approach: ScreeningLogRow['approach'];
  widestWithdrawal: WithdrawalScope | null;
}): Outcome {
  if (!row.eligible) return { text: 'Not eligible', colour: 'grey' };
  switch (row.approach) {
    case null:
      return { text: 'Eligible: to approach', colour: 'yellow' };
    case 'declined':
      return { text: 'Declined', colour: 'red' };
    case 'not_approached':
      return { text: 'Not approached', colour: 'grey' };
    case 'consented':
      return row.widestWithdrawal
        ? { text: 'Withdrawn', colour: 'orange' }
        : { text: 'Consented', colour: 'green' };
  }
}

/** A figure and what it is out of ("12 of 15"), for the home page's summary. */
interface Figure {
  label: string;
  people: number;
  of: number | null;
  indent?: boolean;
}

function figures(c: TrialCounts): Figure[] {
  return [
    { label: 'Assessed for eligibility', people: c.assessed, of: null },
    { label: 'Not eligible', people: c.notEligible, of: c.assessed },
    ...c.notEligibleByReason.map((r) => ({
      label: r.text,
      people: r.people,
      of: c.notEligible,
      indent: true,
    })),
    { label: 'Eligible', people: c.eligible, of: c.assessed },
    { label: 'Declined', people: c.declined, of: c.eligible, indent: true },
    { label: 'Not approached', people: c.notApproached, of: c.eligible, indent: true },
    { label: 'Still to approach', people: c.awaitingDecision, of: c.eligible, indent: true },
    { label: 'Consented', people: c.consented, of: c.eligible, indent: true },
    { label: 'Withdrawn', people: c.withdrawn, of: c.consented },
    ...c.withdrawnByScope.map((w) => ({
      label: SCOPE_TITLES[w.scope],
      people: w.people,
      of: c.withdrawn,
      indent: true,
    })),
  ];
}

export function homeView(home: TrialHome | undefined, randomised?: RandomisedFlow) {
  if (!home) return { pageTitle: 'Trial', notSetUp: true };
  const flow = consortFlow(home.counts, randomised);
  return {
    pageTitle: home.trial.name,
    trial: home.trial,
    figures: figures(home.counts),
    severalReasons: home.counts.notEligibleByReason.length > 1,
    mayScreen: home.mayScreen,
    randomised: randomised?.randomised ?? 0,
    consortSvg: consortDiagram(flow),
    // The diagram's arm columns as a table too (the diagram is hidden from screen readers).
    armTable: armTable(flow.arms),
  };
}

export interface RandomisedFlow {
  randomised: number;
  /** Each arm from allocation to analysis, for those who may know arms. */
  arms: ArmFlow[] | null;
}

const ARM_TITLES: Record<Arm, string> = {
  intervention: 'Peer support',
  control: 'Usual care with the workbook',
};

/**
 * One arm's column of the CONSORT diagram, from allocation to analysis: withdrawals by their
 * widest scope and follow-ups done, never an outcome. Analysed: everyone randomised to it but
 * those who withdrew from any use of their data (by the arm they were randomised to).
 */
export function armColumn(flow: ArmFlow): ArmColumn {
  return {
    title: ARM_TITLES[flow.arm],
    lines: [
      { label: 'Randomised to it', people: flow.randomised },
      ...(flow.arm === 'intervention'
        ? [{ label: 'Stopped peer support (withdrew)', people: flow.withdrewFromIntervention }]
        : []),
      { label: 'Withdrew from follow-up', people: flow.withdrewFromFollowUp },
      { label: 'At least one follow-up done', people: flow.followedUp },
      { label: 'Analysed (all but those who withdrew their data)', people: flow.randomised - flow.withdrewData },
    ],
  };
}

/** The arms' columns as a table's rows: each line once, with each arm's number (or none). */
export function armTable(arms: readonly ArmColumn[]): { titles: string[]; rows: { label: string; people: (number | null)[] }[] } {
  const labels = [...new Set(arms.flatMap((arm) => arm.lines.map((line) => line.label)))];
  return {
    titles: arms.map((arm) => arm.title),
    rows: labels.map((label) => ({
      label,
      people: arms.map((arm) => arm.lines.find((line) => line.label === label)?.people ?? null),
    })),
  };
}

/** The flow diagram's figures: the screening log's, then each arm's (when allowed). */
export function consortFlow(counts: TrialCounts, randomised?: RandomisedFlow): ConsortFlow {
  const arms = randomised?.arms ?? null;
  return {
    assessed: counts.assessed,
    excluded: {
      people: counts.notEligible + counts.declined + counts.notApproached,
      lines: [
        { label: 'Not eligible', people: counts.notEligible },
        { label: 'Declined', people: counts.declined },
        { label: 'Not approached', people: counts.notApproached },
      ],
    },
    enrolled: { title: 'Consented', people: counts.consented },
    arms: arms
      ? (['intervention', 'control'] as const).map((arm) =>
          armColumn(
            arms.find((a) => a.arm === arm) ?? {
              arm,
              randomised: 0,
              withdrewFromIntervention: 0,
              withdrewFromFollowUp: 0,
              withdrewData: 0,
              followedUp: 0,
            },
          ),
        )
      : [],
  };
}

export function logView(
  checklist: EligibilityChecklist,
  log: { page: Page<ScreeningLogRow>; mayScreen: boolean },
) {
  return {
    mayScreen: log.mayScreen,
    page: log.page,
    rows: log.page.items.map((row) => ({
      ...row,
      outcome: outcomeOf(row),
      reasons: row.reasons.map((key) => reasonText(checklist, key)),
    })),
  };
}

export function screeningFormView(checklist: EligibilityChecklist, teams: readonly SiteTeam[]) {
  const severalTrusts = new Set(teams.map((t) => t.trustId)).size > 1;
  return {
    criteria: checklist.criteria,
    teams: teams.map((t) => ({ value: t.id, text: severalTrusts ? `${t.name} (${t.trustName})` : t.name })),
  };
}

export function screeningView(checklist: EligibilityChecklist, page: ScreeningPage) {
  const { screening, consent, withdrawals } = page;
  const widest = widestScope(withdrawals.map((w) => w.scope));
  return {
    pageTitle: `Screening: ${screening.initials}, born ${String(screening.yearOfBirth)}`,
    screening: {
      ...screening,
      outcome: outcomeOf({ ...screening, widestWithdrawal: widest }),
      reasons: screening.ineligibleReasons.map((key) => reasonText(checklist, key)),
      // In the checklist's order; a criterion since removed from the checklist shows by its key, last.
      answers: [
        ...checklist.criteria.map((c) => c.key).filter((key) => key in screening.answers),
        ...Object.keys(screening.answers).filter((key) => !checklist.criteria.some((c) => c.key === key)),
      ].map((key) => ({
        question: checklist.criteria.find((c) => c.key === key)?.question ?? key,
        answer: screening.answers[key] === 'yes' ? 'Yes' : 'No',
      })),
      approachText:
        screening.approach === 'declined'
          ? 'Declined'
          : screening.approach === 'not_approached'
            ? 'Not approached'
            : null,
    },
    consent,
    withdrawals: withdrawals.map((w) => ({
      ...w,
      title: SCOPE_TITLES[w.scope],
      explanation: SCOPE_EXPLANATIONS[w.scope],
    })),
    mayRecordApproach: page.mayRecordApproach,
    mayRecordWithdrawal: page.mayRecordWithdrawal,
  };
}

export function withdrawalFormView(checklist: EligibilityChecklist, page: ScreeningPage) {
  const view = screeningView(checklist, page);
  return {
    screening: view.screening,
    consent: view.consent,
    withdrawals: view.withdrawals,
    scopes: page.widerScopes.map((scope) => ({
      value: scope,
      text: SCOPE_TITLES[scope],
      hint: SCOPE_EXPLANATIONS[scope],
    })),
  };
}
