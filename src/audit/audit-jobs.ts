/**
 * The checkpoint job on the pg-boss queue: every AUDIT_CHECKPOINT_MINUTES, once across every
 * instance. server.ts also takes one at start-up and on a clean stop.
 */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { AuditCheckpointService } from './audit-checkpoint.service.ts';

export const AUDIT_CHECKPOINT_JOB = 'audit.checkpoint';

export interface CheckpointLog {
  error(details: object, message: string): void;
}

/** "Every n minutes" as cron: at minute 0 of each hour, then every n minutes. */
export function checkpointCron(minutes: number): string {
  return minutes >= 60 ? '0 * * * *' : `*/${String(minutes)} * * * *`;
}

/** Takes a checkpoint; a chain that lost its checkpointed head is logged at once, for the operator. */
export async function takeAuditCheckpoint(
  checkpoints: Pick<AuditCheckpointService, 'take'>,
  log: CheckpointLog,
): Promise<void> {
  const { lostHeads } = await checkpoints.take();
  if (lostHeads.length > 0) {
    log.error(
      { auditChains: lostHeads },
      'audit log damaged: chains no longer hold their checkpointed last event; run npm run audit:verify',
    );
  }
}

export function auditJobs(
  checkpoints: Pick<AuditCheckpointService, 'take'>,
  minutes: number,
  log: CheckpointLog,
): Job[] {
  return [
    {
      name: AUDIT_CHECKPOINT_JOB,
      cron: checkpointCron(minutes),
      run: () => takeAuditCheckpoint(checkpoints, log),
    },
  ];
}
