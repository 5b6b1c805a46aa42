/**
 * The escalation job on the pg-boss queue: every minute. pg-boss keeps the schedule in the
 * database, so it survives restarts; the per-step row claim in EscalationService.escalateDue
 * makes each step go once even if two runs overlap or several instances run it. The same job
 * tells the duty contact about immediate danger whose worker has not confirmed calling 999.
 */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { EscalationService } from './escalation.service.ts';

export const ESCALATE_JOB = 'concerns.escalate';

export function escalationJobs(
  escalation: Pick<EscalationService, 'escalateDue' | 'escalateUnconfirmed999'>,
): Job[] {
  return [
    {
      name: ESCALATE_JOB,
      cron: '* * * * *',
      run: async () => {
        await escalation.escalateDue();
        await escalation.escalateUnconfirmed999();
      },
    },
  ];
}
