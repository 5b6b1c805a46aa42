/** Nightly: unsuccessful candidates' panel records past the retention period are deleted, audited. */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { AppointmentService } from './appointment.service.ts';

export const APPOINTMENT_RETENTION_JOB = 'appointments.retention';

export function appointmentJobs(service: Pick<AppointmentService, 'applyRetention'>): Job[] {
  return [
    {
      name: APPOINTMENT_RETENTION_JOB,
      cron: '40 2 * * *',
      run: async () => {
        await service.applyRetention();
      },
    },
  ];
}
