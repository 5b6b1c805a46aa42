/** The peer workforce: training, pre-employment checks and what they decide about allocation. */
import { TrainingService } from '../workforce/training.service.ts';
import { TrainingReminderService } from '../workforce/training-reminders.service.ts';
import { WellbeingService } from '../workforce/wellbeing.service.ts';
import { SupervisionService } from '../workforce/supervision.service.ts';
import { loadSupervisionThemes } from '../workforce/supervision-themes.ts';
import { loadFidelity } from '../workforce/fidelity.ts';
import { WorkforceOverviewService } from '../workforce/workforce-overview.service.ts';
import { PeerSupportService } from '../workforce/peer-support.service.ts';
import { AppointmentService } from '../workforce/appointment.service.ts';
import { loadAppointmentCriteria } from '../workforce/appointment-criteria.ts';
import { loadTrainingCatalogue } from '../workforce/training-catalogue.ts';
import type { Foundation } from './foundation.ts';
import type { Messaging } from './messaging.ts';

export function buildWorkforceServices(
  { config, db, clock, audit, repositories }: Foundation,
  { messageOutbox }: Messaging,
) {
  // Checked at start-up: an invalid catalogue stops the service, naming what is wrong.
  const catalogue = loadTrainingCatalogue();
  const training = new TrainingService(db, repositories.training, audit, clock, catalogue);
  return {
    training,
    workforceOverview: new WorkforceOverviewService(
      db,
      {
        staff: repositories.staff,
        participants: repositories.participants,
        supervision: repositories.supervision,
        wellbeing: repositories.wellbeing,
        peerSupport: repositories.peerSupport,
      },
      training,
      clock,
      { targets: config.supervision, allocationTargetWorkingDays: config.allocationTargetWorkingDays },
    ),
    trainingReminders: new TrainingReminderService(
      db,
      repositories.training,
      catalogue,
      messageOutbox,
      audit,
      clock,
      config.publicUrl,
    ),
    supervision: new SupervisionService(
      db,
      repositories.supervision,
      audit,
      clock,
      config.supervision,
      loadSupervisionThemes(),
      loadFidelity(),
    ),
    appointments: new AppointmentService(
      db,
      repositories.appointments,
      audit,
      clock,
      loadAppointmentCriteria(),
      config.appointments.unsuccessfulRetentionMonths,
    ),
    peerSupport: new PeerSupportService(db, repositories.peerSupport, messageOutbox, audit, clock, {
      ...config.peerSupport,
      publicUrl: config.publicUrl,
    }),
    wellbeing: new WellbeingService(
      db,
      repositories.wellbeing,
      messageOutbox,
      audit,
      clock,
      config.publicUrl,
    ),
  };
}

export type WorkforceServices = ReturnType<typeof buildWorkforceServices>;
