/**
 * The outbox's job on the pg-boss queue: every minute, send what is due (retries after their
 * back-off, and messages whose sender stopped mid-send, once their lease runs out). Services
 * that enqueue also dispatch straight after committing, so nobody waits a minute for a message.
 */
import type { Job } from '../jobs/job-queue.ts';
import type { MessageOutbox } from './message-outbox.ts';

export const DISPATCH_MESSAGES_JOB = 'messages.dispatch';

export function outboxJobs(outbox: Pick<MessageOutbox, 'dispatchDue'>): Job[] {
  return [
    {
      name: DISPATCH_MESSAGES_JOB,
      cron: '* * * * *',
      run: async () => {
        await outbox.dispatchDue();
      },
    },
  ];
}
