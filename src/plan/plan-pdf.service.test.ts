import { describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../platform/clock.ts';
import { WorkersBusyError } from '../platform/workers/worker-pool.ts';
import type { RequestContext } from '../policy/actor.ts';
import type { PlanDocument } from './plan-document.ts';
import { PlanPdfService } from './plan-pdf.service.ts';
import type { PdfOutcome } from './plan-tasks.ts';
import { loadPlanTemplates } from './plan-template.ts';

const ctx = (id: string): RequestContext => ({
  actor: { kind: 'participant', id, displayName: 'Sam', trustId: 't', crisisTeamId: 'c' },
  ip: null,
});
const SAM = ctx('sam');
const doc = { title: 'My recovery plan', sections: [] } as unknown as PlanDocument;

/** A plan whose version the test changes, and a PDF maker whose PDFs the test finishes. */
function setUp(options: { waitMs?: number; keepMs?: number; cacheBytes?: number } = {}) {
  const clock = new ManualClock('2026-12-03T10:00:00Z');
  let version = 'v1';
  const downloads: string[] = [];
  const jobs: { finish(outcome: PdfOutcome): void; fail(error: Error): void }[] = [];
  let refuse = false;
  const plan = {
    templates: loadPlanTemplates(),
    pdfVersion: async () => ({ version, sections: ['moving_on'] }),
    document: async () => doc,
    documentImages: async () => doc,
    recordDownload: async (c: RequestContext) => {
      downloads.push(c.actor.id);
    },
  };
  const tasks = {
    planPdf: (): Promise<PdfOutcome> => {
      if (refuse) return Promise.reject(new WorkersBusyError());
      return new Promise((resolve, reject) => jobs.push({ finish: resolve, fail: reject }));
    },
    workbookPdf: async () => Buffer.from('workbook'),
  };
  const service = new PlanPdfService(plan, tasks, clock, {
    maxPages: 100,
    waitMs: options.waitMs ?? 0,
    keepMs: options.keepMs ?? 10 * MINUTE,
    cacheBytes: options.cacheBytes ?? 1024,
  });
  return {
    service,
    clock,
    jobs,
    downloads,
    change: (to: string) => {
      version = to;
    },
    refuse: (on: boolean) => {
      refuse = on;
    },
  };
}

const pdf = (text: string): PdfOutcome => ({ ok: true, pdf: Buffer.from(text) });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the plan PDF queue', () => {
  it('answers "being prepared" while the PDF is made, then hands over that same PDF, made once', async () => {
    const { service, jobs, downloads } = setUp();
    expect(await service.planPdf(SAM, 'sam')).toEqual({ status: 'preparing' });
    expect(await service.planPdf(SAM, 'sam')).toEqual({ status: 'preparing' });
    expect(jobs).toHaveLength(1);
    jobs[0]!.finish(pdf('one'));
    await settle();
    const ready = await service.planPdf(SAM, 'sam');
    expect(ready).toEqual({ status: 'ready', pdf: Buffer.from('one') });
    expect(jobs).toHaveLength(1);
    // Recorded when handed over, not when asked for.
    expect(downloads).toEqual(['sam']);
  });

  it('waits up to its limit for a PDF that comes in time', async () => {
    const { service, jobs } = setUp({ waitMs: 1_000 });
    const asked = service.planPdf(SAM, 'sam');
    await settle();
    jobs[0]!.finish(pdf('quick'));
    expect(await asked).toEqual({ status: 'ready', pdf: Buffer.from('quick') });
  });

  it('makes a new PDF when the plan changes, and for each person separately', async () => {
    const { service, jobs, change } = setUp();
    await service.planPdf(SAM, 'sam');
    jobs[0]!.finish(pdf('before'));
    await settle();
    change('v2');
    expect(await service.planPdf(SAM, 'sam')).toEqual({ status: 'preparing' });
    expect(await service.planPdf(ctx('pat'), 'sam')).toEqual({ status: 'preparing' });
    expect(jobs).toHaveLength(3);
  });

  it('keeps a finished PDF for a while, then makes it again', async () => {
    const { service, jobs, clock } = setUp({ keepMs: 10 * MINUTE });
    await service.planPdf(SAM, 'sam');
    jobs[0]!.finish(pdf('kept'));
    await settle();
    clock.advance(9 * MINUTE);
    expect((await service.planPdf(SAM, 'sam')).status).toBe('ready');
    clock.advance(2 * MINUTE);
    expect((await service.planPdf(SAM, 'sam')).status).toBe('preparing');
    expect(jobs).toHaveLength(2);
  });

  it('keeps no more finished PDFs than its memory allows, oldest out first', async () => {
    const { service, jobs } = setUp({ cacheBytes: 10 });
    await service.planPdf(SAM, 'sam');
    jobs[0]!.finish(pdf('12345678'));
    await settle();
    await service.planPdf(ctx('pat'), 'sam');
    jobs[1]!.finish(pdf('abcdefgh'));
    await settle();
    expect((await service.planPdf(ctx('pat'), 'sam')).status).toBe('ready');
    expect((await service.planPdf(SAM, 'sam')).status).toBe('preparing');
  });

  it('says "busy" when the pool refuses, queues nothing, and tries again next time', async () => {
    const { service, jobs, refuse } = setUp();
    refuse(true);
    expect(await service.planPdf(SAM, 'sam')).toEqual({ status: 'busy' });
    refuse(false);
    expect(await service.planPdf(SAM, 'sam')).toEqual({ status: 'preparing' });
    expect(jobs).toHaveLength(1);
  });

  it('remembers that a plan is too long, and starts again after a PDF failed', async () => {
    const { service, jobs, change, downloads } = setUp();
    await service.planPdf(SAM, 'sam');
    jobs[0]!.finish({ ok: false, maxPages: 100 });
    await settle();
    expect(await service.planPdf(SAM, 'sam')).toEqual({ status: 'too_long', maxPages: 100 });
    expect(jobs).toHaveLength(1);
    change('v2');
    await service.planPdf(SAM, 'sam');
    jobs[1]!.fail(new Error('worker stopped'));
    await settle();
    expect(await service.planPdf(SAM, 'sam')).toEqual({ status: 'preparing' });
    expect(jobs).toHaveLength(3);
    expect(downloads).toEqual([]);
  });
});
