/** Every repository, made once: they hold no state, and the services share them. */
import { AuditRepository } from '../audit/audit.repository.ts';
import { SignInSessionRepository } from '../identity/sign-in-session.repository.ts';
import { SignInCodeRepository } from '../identity/sign-in-code.repository.ts';
import { ThrottleRepository } from '../identity/throttle.ts';
import { SetUpLinkRepository } from '../identity/set-up-link.repository.ts';
import { StaffRepository } from '../organisation/staff.repository.ts';
import { TeamRepository } from '../organisation/team.repository.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';
import { ProgrammeSessionRepository } from '../sessions/session.repository.ts';
import { ChangeRequestRepository } from '../sessions/change-request.repository.ts';
import { EndingRepository } from '../endings/ending.repository.ts';
import { FeedbackRepository } from '../feedback/feedback.repository.ts';
import { TrialRepository } from '../trial/trial.repository.ts';
import { RandomisationRepository } from '../trial/randomisation.repository.ts';
import { SaeRepository } from '../trial/sae.repository.ts';
import { TrialParticipantsRepository } from '../trial/trial-participants.repository.ts';
import { AcuteEpisodeRepository } from '../trial/acute-episode.repository.ts';
import { OutcomesRepository } from '../trial/outcomes.repository.ts';
import { FollowUpRepository } from '../trial/follow-up.repository.ts';
import { DataQualityRepository } from '../trial/data-quality.repository.ts';
import { NotificationsRepository } from '../platform/notifications/notifications.repository.ts';
import { MessageOutboxRepository } from '../platform/notifications/message-outbox.repository.ts';
import { ReminderRepository } from '../reminders/reminder.repository.ts';
import { ConcernRepository } from '../concerns/concern.repository.ts';
import { SharingConsentRepository } from '../consent/consent.repository.ts';
import { LoneWorkingRepository } from '../lone-working/lone-working.repository.ts';
import { PlanRepository } from '../plan/plan.repository.ts';
import { TrainingRepository } from '../workforce/training.repository.ts';
import { WellbeingRepository } from '../workforce/wellbeing.repository.ts';
import { SupervisionRepository } from '../workforce/supervision.repository.ts';
import { ReportsRepository } from '../reports/reports.repository.ts';
import { PeerSupportRepository } from '../workforce/peer-support.repository.ts';
import { AppointmentRepository } from '../workforce/appointment.repository.ts';
import { EqualityRepository } from '../equality/equality.repository.ts';

export function buildRepositories() {
  return {
    audit: new AuditRepository(),
    signInSessions: new SignInSessionRepository(),
    signInCodes: new SignInCodeRepository(),
    throttles: new ThrottleRepository(),
    setUpLinks: new SetUpLinkRepository(),
    staff: new StaffRepository(),
    teams: new TeamRepository(),
    participants: new ParticipantRepository(),
    programmeSessions: new ProgrammeSessionRepository(),
    changeRequests: new ChangeRequestRepository(),
    endings: new EndingRepository(),
    feedback: new FeedbackRepository(),
    trial: new TrialRepository(),
    randomisations: new RandomisationRepository(),
    saes: new SaeRepository(),
    trialParticipants: new TrialParticipantsRepository(),
    acuteEpisodes: new AcuteEpisodeRepository(),
    outcomes: new OutcomesRepository(),
    followUps: new FollowUpRepository(),
    dataQuality: new DataQualityRepository(),
    notifications: new NotificationsRepository(),
    outboxMessages: new MessageOutboxRepository(),
    reminders: new ReminderRepository(),
    concerns: new ConcernRepository(),
    sharingConsents: new SharingConsentRepository(),
    loneWorking: new LoneWorkingRepository(),
    plans: new PlanRepository(),
    training: new TrainingRepository(),
    wellbeing: new WellbeingRepository(),
    supervision: new SupervisionRepository(),
    peerSupport: new PeerSupportRepository(),
    appointments: new AppointmentRepository(),
    reports: new ReportsRepository(),
    equality: new EqualityRepository(),
  };
}

export type Repositories = ReturnType<typeof buildRepositories>;
