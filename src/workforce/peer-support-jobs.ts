/** Every five minutes: requests for peer support nobody took in time go to the asker's supervisors, once. */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { PeerSupportService } from './peer-support.service.ts';

export const PEER_SUPPORT_UNANSWERED_JOB = 'peer-support.unanswered';

export function peerSupportJobs(service: Pick<PeerSupportService, 'surfaceUnanswered'>): Job[] {
  return [
    {
      name: PEER_SUPPORT_UNANSWERED_JOB,
      cron: '*/5 * * * *',
      run: async () => {
        await service.surfaceUnanswered();
      },
    },
  ];
}
