/**
 * A worker's training and checks recorded complete, as rows: for the demo data and for tests
 * that need a worker who may take participants. Each item is done on the day `doneOn` gives
 * (null leaves it missing), each check `checksOn`, the DBS renewed three years on.
 */
import { randomUUID } from 'node:crypto';
import { addMonths } from '../platform/calendar/uk-time.ts';
import {
  CHECK_KINDS,
  type CheckKind,
  type TrainingCatalogue,
  type TrainingItem,
} from './training-catalogue.ts';
import type { CheckRow, TrainingRecordRow } from './training.repository.ts';

export interface TrainingPlan {
  trustId: string;
  staffId: string;
  recordedBy: string;
  recordedAt: Date;
  doneOn: (item: TrainingItem) => string | null;
  checksOn: (kind: CheckKind) => string | null;
  provider?: string;
}

export function trainingRows(
  catalogue: TrainingCatalogue,
  plan: TrainingPlan,
): { records: TrainingRecordRow[]; checks: CheckRow[] } {
  const common = {
    trustId: plan.trustId,
    staffId: plan.staffId,
    recordedBy: plan.recordedBy,
    recordedAt: plan.recordedAt,
  };
  const records = catalogue.items.flatMap((item): TrainingRecordRow[] => {
    const completedOn = plan.doneOn(item);
    if (completedOn === null) return [];
    return [
      {
        ...common,
        id: randomUUID(),
        itemKey: item.key,
        completedOn,
        provider:
          item.group === 'induction' || item.group === 'annual'
            ? 'Trust learning and development'
            : (plan.provider ?? 'Peer support course'),
        note: null,
        submissionToken: randomUUID(),
        withdrawnAt: null,
        withdrawnBy: null,
        withdrawnReason: null,
      },
    ];
  });
  const checks = CHECK_KINDS.flatMap((kind): CheckRow[] => {
    const completedOn = plan.checksOn(kind);
    if (completedOn === null) return [];
    return [
      {
        ...common,
        id: randomUUID(),
        kind,
        completedOn,
        renewBy: kind === 'dbs' ? addMonths(completedOn, 36) : null,
        note: null,
        submissionToken: randomUUID(),
      },
    ];
  });
  return { records, checks };
}
