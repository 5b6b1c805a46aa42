/**
 * When each worker's next 1:1 and group supervision are due, and whether they are overdue
 * (pure, unit-tested). A 1:1 is due on the day booked at the last one, else the target's days
 * after it; a worker who has never had one counts from the day their account was made. A day
 * past the due day is overdue.
 */
import { addDays } from '../platform/calendar/uk-time.ts';
import type { WorkerSupervision } from './supervision.repository.ts';

export interface SupervisionTargets {
  oneToOneEveryDays: number;
  groupEveryDays: number;
}

export interface SupervisionDue {
  oneToOneDue: string;
  oneToOneOverdue: boolean;
  /** The next 1:1 is a day booked at the last one, not just the target. */
  oneToOneBooked: boolean;
  groupDue: string;
  groupOverdue: boolean;
  targets: SupervisionTargets;
}

export function supervisionDue(
  worker: Pick<
    WorkerSupervision,
    'startedOn' | 'lastOneToOne' | 'nextOneToOne' | 'lastGroup' | 'oneToOneEveryDays' | 'groupEveryDays'
  >,
  defaults: SupervisionTargets,
  today: string,
): SupervisionDue {
  const targets = {
    oneToOneEveryDays: worker.oneToOneEveryDays ?? defaults.oneToOneEveryDays,
    groupEveryDays: worker.groupEveryDays ?? defaults.groupEveryDays,
  };
  const oneToOneDue =
    worker.nextOneToOne ?? addDays(worker.lastOneToOne ?? worker.startedOn, targets.oneToOneEveryDays);
  const groupDue = addDays(worker.lastGroup ?? worker.startedOn, targets.groupEveryDays);
  return {
    oneToOneDue,
    oneToOneOverdue: oneToOneDue < today,
    oneToOneBooked: worker.nextOneToOne !== null,
    groupDue,
    groupOverdue: groupDue < today,
    targets,
  };
}

/** Ten digits, grouped 3-3-4 or not: what an NHS number looks like in free text. */
const NHS_NUMBER_LIKE = /\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b/;

/**
 * Why group notes might identify someone (warned, never blocked): an NHS number, or the name of
 * a person on an attendee's caseload (a family name, or a given and family name together; a
 * given or preferred name alone is too common to flag).
 */
export function identifyingWords(
  notes: string,
  names: readonly { givenName: string; familyName: string; preferredName: string | null }[],
): string[] {
  const found: string[] = [];
  if (NHS_NUMBER_LIKE.test(notes)) found.push('what looks like an NHS number');
  const text = notes.toLocaleLowerCase('en-GB');
  const flagged = new Set<string>();
  for (const { familyName } of names) {
    const family = familyName.toLocaleLowerCase('en-GB').trim();
    if (family.length < 3 || flagged.has(family)) continue;
    // The name as a whole word: not inside another (Lin in Linda), but followed by 's or ’s.
    const escaped = family.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(text)) {
      flagged.add(family);
      found.push(`the name “${familyName}”, of someone an attendee supports`);
    }
  }
  return found;
}
