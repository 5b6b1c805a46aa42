/** Words and tag colours for training states, shared by the pages and the CSV. */
import { formatDate } from '../platform/calendar/uk-format.ts';
import type { ItemStatus } from './readiness.ts';
import type { MatrixRow, TrainingMatrix } from './training.service.ts';

export interface StatusCell {
  /** One or two words: what the state is ("Expired"). */
  label: string;
  /** The date that goes with it ("3 March 2026"), or "". */
  date: string;
  /** The NHS.UK tag colour: the words carry the meaning, the colour only repeats it. */
  tag: 'green' | 'yellow' | 'red' | 'grey' | 'white';
}

export function statusCell(status: ItemStatus, mandatory = true): StatusCell {
  switch (status.state) {
    case 'current':
      return {
        label: status.expiresOn ? 'Current' : 'Done',
        date: status.expiresOn ? `until ${formatDate(status.expiresOn)}` : formatDate(status.completedOn),
        tag: 'green',
      };
    case 'due':
      return { label: 'Due', date: `runs out after ${formatDate(status.expiresOn)}`, tag: 'yellow' };
    case 'expired':
      return { label: 'Expired', date: `ran out after ${formatDate(status.expiresOn)}`, tag: 'red' };
    case 'missing':
      return { label: mandatory ? 'Not recorded' : 'Not done', date: '', tag: mandatory ? 'grey' : 'white' };
  }
}

/** "Yes", "Yes, allowed until 3 March 2027", "No". */
export function canTakeText(row: Pick<MatrixRow, 'readiness'>): string {
  const { readiness } = row;
  if (readiness.complete) return 'Yes';
  if (readiness.override) return `Yes, allowed until ${formatDate(readiness.override.untilOn)}`;
  return 'No';
}

/** The matrix as CSV rows: one a worker, each cell its state and date in words. */
export function matrixCsvRows(matrix: TrainingMatrix): string[][] {
  const header = [
    'Peer support worker',
    'Crisis team',
    'Can take new participants',
    ...matrix.items.map((item) => `${item.title}${item.mandatory ? '' : ' (optional)'}`),
    ...matrix.checkTitles,
  ];
  const words = (status: ItemStatus, mandatory: boolean) => {
    const cell = statusCell(status, mandatory);
    return cell.date ? `${cell.label} (${cell.date})` : cell.label;
  };
  return [
    header,
    ...matrix.rows.map((row) => [
      row.worker.fullName,
      row.worker.teamName ?? '',
      canTakeText(row),
      ...row.items.map((status, i) => words(status, matrix.items[i]?.mandatory ?? true)),
      ...row.checks.map((status) => words(status, true)),
    ]),
  ];
}
