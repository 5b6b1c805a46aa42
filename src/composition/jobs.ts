import type { Config } from '../config.ts';
import type { Job } from '../platform/jobs/job-queue.ts';
import { outboxJobs } from '../platform/notifications/outbox-jobs.ts';
import { auditJobs, type CheckpointLog } from '../audit/audit-jobs.ts';
import { signInCodeJobs } from '../identity/sign-in-code-jobs.ts';
import { reminderJobs } from '../reminders/reminder-jobs.ts';
import { escalationJobs } from '../concerns/escalation-jobs.ts';
import { loneWorkingJobs } from '../lone-working/lone-working-jobs.ts';
import { planMediaJobs } from '../plan/media-jobs.ts';
import { retentionJobs } from '../retention/retention-jobs.ts';
import { trainingJobs } from '../workforce/training-jobs.ts';
import { peerSupportJobs } from '../workforce/peer-support-jobs.ts';
import { appointmentJobs } from '../workforce/appointment-jobs.ts';
import { trialJobs } from '../trial/trial-jobs.ts';
import type { Dependencies } from './dependencies.ts';

/** Every job this service runs in the background, for the server's queue (and tests' own). */
export function backgroundJobs(
  services: Dependencies['services'],
  config: Pick<Config, 'audit'>,
  log: CheckpointLog,
): Job[] {
  return [
    ...retentionJobs(services.retention),
    ...outboxJobs(services.messageOutbox),
    ...signInCodeJobs(services.signInCodeDelivery),
    ...reminderJobs(services.reminderDelivery),
    ...escalationJobs(services.escalation),
    ...loneWorkingJobs(services.loneWorkingAlerts),
    ...auditJobs(services.auditCheckpoints, config.audit.checkpointMinutes, log),
    ...planMediaJobs(services.mediaStorage),
    ...trainingJobs(services.trainingReminders),
    ...peerSupportJobs(services.peerSupport),
    ...appointmentJobs(services.appointments),
    ...trialJobs(services.saes),
  ];
}
