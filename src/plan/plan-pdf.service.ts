/**
 * "Download as PDF" without holding up the server. The PDF is made on the worker pool
 * (plan-tasks.ts), never on the event loop, and a request never waits long for it:
 *
 * - Each ask names the version of the plan the asker may see
 *   (`PlanDocumentsService.pdfVersion`: who may see what is checked, and a few counts read), so
 *   a PDF already made for this person and this version is sent again without being remade,
 *   and the plan itself is read only when a new PDF is needed. The download is audited when the file is handed over.
 * - A PDF still being made after `waitMs` is answered "being prepared": the page offers a
 *   "Try again" link (no automatic refresh, WCAG 2.2.1), and asking again picks up the same
 *   PDF, made once, kept `keepMs` after it is ready.
 * - When every worker is busy and the queue is full, the answer is "busy, try in a minute",
 *   at once, instead of one more request piling up.
 * - A plan whose PDF would pass `maxPages` gets a clear message instead of a PDF without end.
 *
 * Kept in this instance's memory only (at most `cacheBytes`): behind a load balancer, asking
 * again on another instance makes the PDF again there, which is slower but still right.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import { WorkersBusyError } from '../platform/workers/worker-pool.ts';
import type { RequestContext } from '../policy/actor.ts';
import type { PdfOutcome, PlanTasks } from './plan-tasks.ts';
import type { PlanDocumentsService } from './plan-documents.service.ts';

export type PdfAnswer =
  | { status: 'ready'; pdf: Buffer }
  | { status: 'preparing' }
  | { status: 'busy' }
  | { status: 'too_long'; maxPages: number };

export interface PlanPdfSettings {
  maxPages: number;
  /** How long a request waits for its PDF before answering "being prepared". */
  waitMs: number;
  /** How long a finished PDF is kept for asking again. */
  keepMs: number;
  /** The most memory finished PDFs may take. */
  cacheBytes: number;
}

export const DEFAULT_PDF_SETTINGS: Omit<PlanPdfSettings, 'maxPages' | 'waitMs'> = {
  keepMs: 10 * 60_000,
  cacheBytes: 64 * 1024 * 1024,
};

type Made =
  | { state: 'pending'; done: Promise<PdfOutcome> }
  | { state: 'made'; outcome: PdfOutcome; madeAt: number; bytes: number };

type PlanReads = Pick<
  PlanDocumentsService,
  'pdfVersion' | 'document' | 'documentImages' | 'recordDownload' | 'templates'
>;
type PdfMaker = Pick<PlanTasks, 'planPdf' | 'workbookPdf'>;

export class PlanPdfService {
  readonly #plan: PlanReads;
  readonly #tasks: PdfMaker;
  readonly #clock: Clock;
  readonly #settings: PlanPdfSettings;
  readonly #made = new Map<string, Made>();
  #workbook: Promise<Buffer> | undefined;

  constructor(plan: PlanReads, tasks: PdfMaker, clock: Clock, settings: PlanPdfSettings) {
    this.#plan = plan;
    this.#tasks = tasks;
    this.#clock = clock;
    this.#settings = settings;
  }

  /** The plan as a PDF for this person, or what to tell them while it is not ready. */
  async planPdf(ctx: RequestContext, participantId: string): Promise<PdfAnswer> {
    const { version, sections } = await this.#plan.pdfVersion(ctx, participantId);
    const key = `${ctx.actor.kind}:${ctx.actor.id}:${participantId}:${hash(version)}`;
    this.#forgetOld();
    let made = this.#made.get(key);
    if (!made) {
      const doc = await this.#plan.document(ctx, participantId, 'pdf');
      const done = this.#tasks.planPdf(
        await this.#plan.documentImages(ctx, participantId, doc),
        this.#settings.maxPages,
      );
      made = { state: 'pending', done };
      this.#made.set(key, made);
      done.then(
        (outcome) => {
          const bytes = outcome.ok ? outcome.pdf.length : 0;
          this.#made.set(key, { state: 'made', outcome, madeAt: this.#clock.now().getTime(), bytes });
          this.#fitInMemory(key);
        },
        () => this.#made.delete(key),
      );
    }
    let outcome: PdfOutcome | undefined;
    try {
      outcome = made.state === 'made' ? made.outcome : await this.#within(made.done);
    } catch (error) {
      // Refused at once by the pool: nothing was queued, so nothing is being prepared.
      if (error instanceof WorkersBusyError) return { status: 'busy' };
      throw error;
    }
    if (!outcome) return { status: 'preparing' };
    if (!outcome.ok) return { status: 'too_long', maxPages: outcome.maxPages };
    await this.#plan.recordDownload(ctx, participantId, sections);
    return { status: 'ready', pdf: outcome.pdf };
  }

  /** The blank workbook: the same for everyone, made once per process. */
  async workbookPdf(): Promise<Buffer> {
    this.#workbook ??= this.#tasks.workbookPdf(this.#plan.templates.latest).catch((error: unknown) => {
      this.#workbook = undefined;
      throw error;
    });
    return this.#workbook;
  }

  /** The outcome if it comes within `waitMs`, else undefined. */
  async #within(done: Promise<PdfOutcome>): Promise<PdfOutcome | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        resolve(undefined);
      }, this.#settings.waitMs);
    });
    try {
      return await Promise.race([done, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  #forgetOld(): void {
    const oldest = this.#clock.now().getTime() - this.#settings.keepMs;
    for (const [key, made] of this.#made) {
      if (made.state === 'made' && made.madeAt < oldest) this.#made.delete(key);
    }
  }

  /** Drops the oldest finished PDFs (never the one just made) until they fit `cacheBytes`. */
  #fitInMemory(newest: string): void {
    let total = 0;
    for (const made of this.#made.values()) if (made.state === 'made') total += made.bytes;
    for (const [key, made] of this.#made) {
      if (total <= this.#settings.cacheBytes) return;
      if (key === newest || made.state !== 'made') continue;
      this.#made.delete(key);
      total -= made.bytes;
    }
  }
}

const hash = (version: string) => createHash('sha256').update(version).digest('base64url');
