/** Every route the app answers: the probes, then each feature's own (one line per feature). */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from './composition-root.ts';
import { RETRY_AFTER_SECONDS } from './platform/http/error-handling.ts';
import { registerHelpRoutes } from './help/help.routes.ts';
import { registerStaffSignInRoutes } from './identity/staff-sign-in.routes.ts';
import { registerAccountRoutes } from './identity/account.routes.ts';
import { registerParticipantSignInRoutes } from './identity/participant-sign-in.routes.ts';
import { registerReferralRoutes } from './referral/referral.routes.ts';
import { registerAllocationRoutes } from './allocation/allocation.routes.ts';
import { registerCaseloadRoutes } from './caseload/caseload.routes.ts';
import { registerParticipantRoutes } from './participants/participant.routes.ts';
import { registerAdminRoutes } from './organisation/admin.routes.ts';
import { registerDemoRoutes } from './demo/demo.routes.ts';
import { registerHomeRoutes } from './home/home.routes.ts';
import { registerSessionRoutes } from './sessions/sessions.routes.ts';
import { registerChangeRequestRoutes } from './sessions/change-request.routes.ts';
import { registerReminderRoutes } from './reminders/reminders.routes.ts';
import { registerEndingRoutes } from './endings/endings.routes.ts';
import { registerFeedbackRoutes } from './feedback/feedback.routes.ts';
import { registerContactRoutes } from './contact/contact.routes.ts';
import { registerConsentRoutes } from './consent/consent.routes.ts';
import { registerPlanRoutes } from './plan/plan.routes.ts';
import { registerPlanMediaRoutes } from './plan/media.routes.ts';
import { registerStrugglingRoutes } from './plan/struggling.routes.ts';
import { registerPlanPrintRoutes } from './plan/print.routes.ts';
import { registerPlanStorageRoutes } from './plan/storage.routes.ts';
import { registerUndeliveredMessagesRoutes } from './messages/undelivered.routes.ts';
import { registerLoneWorkingRoutes } from './lone-working/lone-working.routes.ts';
import { registerConcernRoutes } from './concerns/concerns.routes.ts';
import { registerOversightRoutes } from './concerns/oversight.routes.ts';
import { registerTrainingRoutes } from './workforce/training.routes.ts';
import { registerWellbeingRoutes } from './workforce/wellbeing.routes.ts';
import { registerSupervisionRoutes } from './workforce/supervision.routes.ts';
import { registerWorkforceRoutes } from './workforce/workforce.routes.ts';
import { registerPeerSupportRoutes } from './workforce/peer-support.routes.ts';
import { registerAppointmentRoutes } from './workforce/appointment.routes.ts';
import { registerReportRoutes } from './reports/reports.routes.ts';
import { registerEqualityRoutes } from './equality/equality.routes.ts';
import { registerTrialRoutes } from './trial/trial.routes.ts';
import { registerRandomisationRoutes } from './trial/randomisation.routes.ts';
import { registerSaeRoutes } from './trial/sae.routes.ts';
import { registerTrialParticipantRoutes } from './trial/trial-participants.routes.ts';
import { registerEpisodeRoutes } from './trial/acute-episode.routes.ts';
import { registerOutcomesRoutes } from './trial/outcomes.routes.ts';
import { registerFollowUpRoutes } from './trial/follow-up.routes.ts';
import { registerDataQualityRoutes } from './trial/data-quality.routes.ts';
import { registerExportRoutes } from './trial/export.routes.ts';

/** Probes for a load balancer: no session, no form cookie, no database for `/healthz`. */
export const PROBES = new Set(['/healthz', '/readyz']);

export function registerRoutes(app: FastifyInstance, deps: Dependencies): void {
  // Alive: the process answers (a load balancer or orchestrator restarts it when this fails).
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Ready for requests: the database and the job queue answer and no job is stuck (out of
  // rotation while this fails, without a restart). Details say which, never any data.
  app.get('/readyz', async (_request, reply) => {
    const readiness = await deps.services.readiness.check();
    if (!readiness.ready) reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS));
    return {
      status: readiness.ready ? 'ready' : 'not_ready',
      database: readiness.database,
      jobQueue: readiness.jobQueue,
    };
  });

  registerHomeRoutes(app, deps);
  registerHelpRoutes(app, deps);
  registerStaffSignInRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerParticipantSignInRoutes(app, deps);
  registerReferralRoutes(app, deps);
  registerAllocationRoutes(app, deps);
  registerCaseloadRoutes(app, deps);
  registerTrainingRoutes(app, deps);
  registerWellbeingRoutes(app, deps);
  registerSupervisionRoutes(app, deps);
  registerWorkforceRoutes(app, deps);
  registerPeerSupportRoutes(app, deps);
  registerAppointmentRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerParticipantRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerChangeRequestRoutes(app, deps);
  registerReminderRoutes(app, deps);
  registerEqualityRoutes(app, deps);
  registerEndingRoutes(app, deps);
  registerFeedbackRoutes(app, deps);
  registerTrialRoutes(app, deps);
  registerRandomisationRoutes(app, deps);
  registerSaeRoutes(app, deps);
  registerTrialParticipantRoutes(app, deps);
  registerEpisodeRoutes(app, deps);
  registerOutcomesRoutes(app, deps);
  registerFollowUpRoutes(app, deps);
  registerDataQualityRoutes(app, deps);
  registerExportRoutes(app, deps);
  registerContactRoutes(app, deps);
  registerConsentRoutes(app, deps);
  registerPlanRoutes(app, deps);
  registerPlanMediaRoutes(app, deps);
  registerPlanPrintRoutes(app, deps);
  registerStrugglingRoutes(app, deps);
  registerLoneWorkingRoutes(app, deps);
  registerConcernRoutes(app, deps);
  registerOversightRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerPlanStorageRoutes(app, deps);
  registerUndeliveredMessagesRoutes(app, deps);
  if (deps.config.demoMode) registerDemoRoutes(app, deps);
}
