/**
 * The recovery plan's heavy work, run on the worker pool so the event loop goes on answering
 * everyone else: making a plan's PDF (pdfkit is pure JavaScript: a long plan is seconds of CPU),
 * the blank workbook, and checking and cleaning an upload (decoding and re-encoding an image,
 * rewriting a voice note's container). `plan-tasks.worker.ts` is the other end.
 *
 * Buffers travel as Uint8Array (structured clone) and are turned back into Buffers here.
 */
import type { WorkerPool } from '../platform/workers/worker-pool.ts';
import type { MediaContentType, ProcessedMedia } from './media-processing.ts';
import type { PlanDocument } from './plan-document.ts';
import type { MediaKind } from './plan-entry.ts';
import type { PlanTemplate } from './plan-template.ts';

export const PLAN_TASKS_SCRIPT = new URL('./plan-tasks.worker.ts', import.meta.url);

export type PdfOutcome = { ok: true; pdf: Buffer } | { ok: false; maxPages: number };

export interface PlanTaskMap {
  planPdf: {
    input: { document: PlanDocument; maxPages: number };
    output: { ok: true; pdf: Uint8Array } | { ok: false; maxPages: number };
  };
  workbookPdf: { input: { template: PlanTemplate }; output: Uint8Array };
  processUpload: {
    input: { kind: MediaKind; bytes: Uint8Array };
    output:
      | {
          ok: true;
          contentType: MediaContentType;
          bytes: Uint8Array;
          width: number | null;
          height: number | null;
        }
      | { ok: false; message: string };
  };
}

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export class PlanTasks {
  readonly #pool: WorkerPool<PlanTaskMap>;

  constructor(pool: WorkerPool<PlanTaskMap>) {
    this.#pool = pool;
  }

  /** The plan as a PDF, or how many pages it may have when it would have more. */
  async planPdf(document: PlanDocument, maxPages: number): Promise<PdfOutcome> {
    const outcome = await this.#pool.run('planPdf', { document, maxPages });
    return outcome.ok ? { ok: true, pdf: toBuffer(outcome.pdf) } : outcome;
  }

  async workbookPdf(template: PlanTemplate): Promise<Buffer> {
    return toBuffer(await this.#pool.run('workbookPdf', { template }));
  }

  /** `processUpload` (media-processing.ts), off the event loop. */
  async processUpload(kind: MediaKind, bytes: Buffer): Promise<ProcessedMedia> {
    const processed = await this.#pool.run('processUpload', { kind, bytes });
    return processed.ok ? { ...processed, bytes: toBuffer(processed.bytes) } : processed;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
