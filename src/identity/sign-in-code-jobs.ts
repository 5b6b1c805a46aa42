/**
 * The job that sends a participant's sign-in code, sent by the sign-in page as soon as the
 * request is counted. Its data is the contact and the caller's address, nothing else, and lives
 * briefly: a job not started within 10 minutes is dropped (the person has moved on), and a
 * finished one is deleted a minute later, at pg-boss's next maintenance pass (every 5 minutes,
 * `createJobQueue`). The text itself goes through the message outbox, which retries a failed
 * send; the job is tried twice more, a few seconds apart, only if it could not record the code.
 */
import { z } from 'zod';
import type { Job } from '../platform/jobs/job-queue.ts';
import { parseContact } from './sign-in-code-rules.ts';
import type { SignInCodeDeliveryService } from './sign-in-code-delivery.service.ts';

export const SEND_SIGN_IN_CODE_JOB = 'participant-sign-in.send-code';

const payload = z.object({ contact: z.string().max(254), ip: z.string().max(100).nullable() });

export function signInCodeJobs(delivery: Pick<SignInCodeDeliveryService, 'deliver'>): Job[] {
  return [
    {
      name: SEND_SIGN_IN_CODE_JOB,
      queue: { retryLimit: 2, retryDelay: 5, retentionSeconds: 600, deleteAfterSeconds: 60 },
      // Someone is waiting for this one: look for it every second rather than every two.
      pollingIntervalSeconds: 1,
      run: async (data) => {
        const parsed = payload.safeParse(data);
        const contact = parsed.success ? parseContact(parsed.data.contact) : undefined;
        if (!parsed.success || !contact) throw new Error('A sign-in code job with unreadable data');
        await delivery.deliver(contact, parsed.data.ip);
      },
    },
  ];
}
