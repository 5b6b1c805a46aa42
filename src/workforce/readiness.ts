/**
 * Whether a peer support worker may take new participants (issue 15, part 2): every mandatory
 * training item current and every pre-employment check complete, or the coordinator's override
 * (with its reason, until a date). Pure: every rule is unit-tested (`readiness.test.ts`).
 * A lapse only stops new allocations; nobody is taken away from a worker by it.
 */
import type { Db } from '../platform/database/database.ts';
import { addDays, addMonths } from '../platform/calendar/uk-time.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';
import {
  CHECK_KINDS,
  CHECK_TITLES,
  type CheckKind,
  type TrainingCatalogue,
  type TrainingItem,
} from './training-catalogue.ts';

/** Current; current but expiring within the catalogue's `dueSoonDays`; expired; never recorded. */
export type ItemState = 'current' | 'due' | 'expired' | 'missing';

export interface ItemStatus {
  state: ItemState;
  completedOn: string | null;
  /** The last day it is current; null when it never expires or was never done. */
  expiresOn: string | null;
}

export interface LatestCompletion {
  staffId: string;
  itemKey: string;
  completedOn: string;
}

export interface LatestCheck {
  staffId: string;
  kind: CheckKind;
  completedOn: string;
  /** The day a DBS check is renewed by; null for the other checks. */
  renewBy: string | null;
}

export interface AllocationOverride {
  staffId: string;
  reason: string;
  untilOn: string;
  grantedByName: string | null;
  grantedAt: Date;
}

export interface Gap {
  label: string;
  state: 'missing' | 'expired';
  expiresOn: string | null;
}

export interface Readiness {
  /** May take new participants now: complete, or allowed by an override still in force. */
  ready: boolean;
  /** Training and checks complete, without any override. */
  complete: boolean;
  /** Mandatory items and checks not current, in catalogue order then the checks. */
  gaps: Gap[];
  /** Mandatory items or checks expiring within `dueSoonDays`. */
  dueSoon: { label: string; expiresOn: string }[];
  /** The coordinator's override in force today, if any. */
  override: AllocationOverride | null;
}

function stateOf(expiresOn: string | null, today: string, dueSoonDays: number): ItemState {
  if (expiresOn === null) return 'current';
  if (expiresOn < today) return 'expired';
  return expiresOn <= addDays(today, dueSoonDays) ? 'due' : 'current';
}

/** When an item done on `completedOn` stops being current: the day before the same date `renewalMonths` later. */
export function expiryOf(item: Pick<TrainingItem, 'renewalMonths'>, completedOn: string): string | null {
  return item.renewalMonths === null ? null : addDays(addMonths(completedOn, item.renewalMonths), -1);
}

export function itemStatus(
  item: TrainingItem,
  completedOn: string | undefined,
  today: string,
  dueSoonDays: number,
): ItemStatus {
  if (completedOn === undefined) return { state: 'missing', completedOn: null, expiresOn: null };
  const expiresOn = expiryOf(item, completedOn);
  return { state: stateOf(expiresOn, today, dueSoonDays), completedOn, expiresOn };
}

export function checkStatus(check: LatestCheck | undefined, today: string, dueSoonDays: number): ItemStatus {
  if (!check) return { state: 'missing', completedOn: null, expiresOn: null };
  // A DBS check is renewed by its date: current until the day before.
  const expiresOn = check.renewBy === null ? null : addDays(check.renewBy, -1);
  return { state: stateOf(expiresOn, today, dueSoonDays), completedOn: check.completedOn, expiresOn };
}

export function readinessOf(
  catalogue: TrainingCatalogue,
  completions: readonly LatestCompletion[],
  checks: readonly LatestCheck[],
  override: AllocationOverride | undefined,
  today: string,
): Readiness {
  const done = new Map(completions.map((c) => [c.itemKey, c.completedOn]));
  const byKind = new Map(checks.map((c) => [c.kind, c]));
  const gaps: Gap[] = [];
  const dueSoon: Readiness['dueSoon'] = [];
  const note = (label: string, status: ItemStatus) => {
    if (status.state === 'missing' || status.state === 'expired')
      gaps.push({ label, state: status.state, expiresOn: status.expiresOn });
    else if (status.state === 'due' && status.expiresOn) dueSoon.push({ label, expiresOn: status.expiresOn });
  };
  for (const item of catalogue.items) {
    if (item.mandatory) note(item.title, itemStatus(item, done.get(item.key), today, catalogue.dueSoonDays));
  }
  for (const kind of CHECK_KINDS)
    note(CHECK_TITLES[kind], checkStatus(byKind.get(kind), today, catalogue.dueSoonDays));
  const complete = gaps.length === 0;
  const inForce = override && override.untilOn >= today ? override : null;
  return { ready: complete || inForce !== null, complete, gaps, dueSoon, override: inForce };
}

/** "Data security awareness (expired 3 March 2026)", "References (not recorded)". */
export function gapText(gap: Gap): string {
  return gap.state === 'expired'
    ? `${gap.label} (expired ${formatDate(gap.expiresOn)})`
    : `${gap.label} (not recorded)`;
}

/** Whether workers may take new participants today (the training service's answer). */
export interface WorkerReadiness {
  readinessFor(db: Db, workerIds: readonly string[]): Promise<Map<string, Readiness>>;
}

/** Why a worker may not take new participants, for the allocation page; null when they may. */
export function notReadyReason(readiness: Readiness): string | null {
  if (readiness.ready) return null;
  return `Training or checks not complete: ${readiness.gaps.map(gapText).join(', ')}`;
}
