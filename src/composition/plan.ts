/** The recovery plan: its template, reading and writing it, its media, documents and PDF. */
import { PlanAccess } from '../plan/plan-access.ts';
import { PlanReadingService } from '../plan/plan-reading.service.ts';
import { PlanWritingService } from '../plan/plan-writing.service.ts';
import { PlanSharingService } from '../plan/plan-sharing.service.ts';
import { PlanDocumentsService } from '../plan/plan-documents.service.ts';
import { loadPlanTemplates } from '../plan/plan-template.ts';
import { PLAN_TASKS_SCRIPT, PlanTasks, type PlanTaskMap } from '../plan/plan-tasks.ts';
import { DEFAULT_PDF_SETTINGS, PlanPdfService } from '../plan/plan-pdf.service.ts';
import { MediaStorageRepository } from '../plan/media-storage.repository.ts';
import { MediaStorageService } from '../plan/media-storage.service.ts';
import { WorkerPool } from '../platform/workers/worker-pool.ts';
import type { Foundation } from './foundation.ts';

export function buildPlanServices({ config, db, clock, audit, repositories }: Foundation) {
  const { participants, plans } = repositories;
  // The recovery plan's template, read and checked once at start-up.
  const planTemplates = loadPlanTemplates(config.plan);
  const planAccess = new PlanAccess(participants, plans, audit, clock, planTemplates);
  const planDocuments = new PlanDocumentsService(db, planAccess, plans, clock);
  // PDFs and uploads run on worker threads, started when first needed. sharp (libvips) must be
  // loaded by the main thread before any worker loads it (its shared libraries, on glibc).
  const planTasks = new PlanTasks(
    new WorkerPool<PlanTaskMap>(PLAN_TASKS_SCRIPT, {
      size: config.workers.threads,
      queueLimit: config.workers.queueLimit,
      beforeFirstStart: () => import('sharp'),
    }),
  );
  return {
    planTemplates,
    planReading: new PlanReadingService(db, planAccess, plans, config.plan.media),
    planWriting: new PlanWritingService(db, planAccess, plans, audit, clock, config.plan.media, planTasks),
    planSharing: new PlanSharingService(db, planAccess, plans, audit, clock),
    planDocuments,
    planTasks,
    mediaStorage: new MediaStorageService(
      db,
      new MediaStorageRepository(),
      plans,
      audit,
      clock,
      config.plan.media,
    ),
    planPdf: new PlanPdfService(planDocuments, planTasks, clock, {
      ...DEFAULT_PDF_SETTINGS,
      maxPages: config.plan.pdfMaxPages,
      waitMs: config.plan.pdfWaitMs,
    }),
  };
}

export type PlanServices = ReturnType<typeof buildPlanServices>;
