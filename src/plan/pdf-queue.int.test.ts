/**
 * A long plan's PDF through HTTP (security hardening, item 8): 120 list items and 6 camera-sized
 * photos once made an 11.6 MB PDF in 10–26 s while /healthz waited 9.3 s. Now the PDF is made on
 * a worker thread: everyone else is still answered, a request never waits longer than
 * PLAN_PDF_WAIT_MS ("being prepared", with "Try again"), the same PDF is made once however often
 * it is asked for, a full pool says "busy" at once, and a plan past the page limit says so.
 *
 * One worker, no queue and no waiting here, so each state can be reached on purpose.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { aParticipant } from '../test-support/factories.ts';

import { seedLongPlan } from '../test-support/long-plan.ts';

let t: TestApp;
let longPlan: string;
let tooLong: string;
let someoneElse: string;
const dir = mkdtempSync(path.join(tmpdir(), 'pdf-queue-'));

const MAX_PAGES = 60;

function pagesOf(pdf: Buffer): number {
  const file = path.join(dir, `${String(Date.now())}-${String(Math.random())}.pdf`);
  writeFileSync(file, pdf);
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
}

/** Asks for the PDF, following "Try again" until it comes (or `tries` run out). */
async function download(client: TestClient, url: string, tries = 400) {
  for (let i = 0; ; i++) {
    const response = await client.get(url);
    if (response.statusCode !== 202 || i >= tries) return { response, asks: i + 1 };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  t = await createTestApp({
    PLAN_PDF_WAIT_MS: '0',
    PLAN_PDF_MAX_PAGES: String(MAX_PAGES),
    WORKER_THREADS: '1',
    WORKER_QUEUE_LIMIT: '0',
  });
  // Three of Pat's participants, made here with no plan yet.
  [longPlan, tooLong, someoneElse] = (
    await Promise.all([1, 2, 3].map(() => aParticipant(t, { worker: DEMO.workerPat })))
  ).map((made) => made.id) as [string, string, string];
  const template = t.deps.services.planTemplates.latest;
  const at = t.clock.now();
  // The review's plan, made longer so its PDF runs for a good while on this machine.
  await seedLongPlan(t.database.db, template, longPlan, { items: 360, photos: 6, at });
  await seedLongPlan(t.database.db, template, tooLong, { items: 900, photos: 0, at });
}, 120_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a long plan’s PDF', () => {
  it('is made while other requests are still answered quickly', async () => {
    const me = await t.signedInAsParticipant(longPlan);
    // The first PDF starts the worker (and loads pdfkit): not what is measured.
    await download(await t.signedInAsParticipant(someoneElse), '/me/plan/pdf');
    const made = download(me, '/me/plan/pdf');
    const state = { done: false };
    void made.finally(() => {
      state.done = true;
    });
    const waits: number[] = [];
    while (!state.done) {
      const started = performance.now();
      const health = await t.client().get('/healthz');
      waits.push(performance.now() - started);
      expect(health.statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const { response } = await made;
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    // Made on this thread, the PDF held /healthz for seconds; a generous bound for a busy machine.
    expect(Math.max(...waits)).toBeLessThan(1000);
    expect(waits.length).toBeGreaterThan(3);
    expect(pagesOf(response.rawPayload)).toBeGreaterThan(30);
    // Photos at print size: the review's 6 photos alone were 11 MB as stored.
    expect(response.rawPayload.length).toBeLessThan(4 * 1024 * 1024);
  });

  it('answers "being prepared" with a way to try again, and makes it once however often it is asked', async () => {
    const pat = await t.signedInAs(DEMO.workerPat);
    const made = vi.spyOn(t.deps.services.planTasks, 'planPdf');
    const url = `/participants/${longPlan}/plan/pdf`;
    const first = await pat.get(url);
    expect(first.statusCode).toBe(202);
    expect(first.body).toContain('<h1>The PDF is being prepared</h1>');
    expect(first.body).toContain(`<a href="${url}" class="nhsuk-button"`);
    expect(first.body).toContain('>Try again</a>');
    expect(first.body).not.toMatch(/http-equiv="refresh"/i);
    const { response, asks } = await download(pat, url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="recovery-plan.pdf"');
    expect(asks).toBeGreaterThan(1);
    // Asking again once it is ready sends the same file, made no more times.
    const again = await pat.get(url);
    expect(again.rawPayload.equals(response.rawPayload)).toBe(true);
    expect(made).toHaveBeenCalledTimes(1);
    made.mockRestore();
  });

  it('says at once that it is busy when every worker is taken, rather than keep the request', async () => {
    const me = await t.signedInAsParticipant(tooLong);
    const other = await t.signedInAsParticipant(someoneElse);
    await other.get('/me/plan/sharing');
    // Someone else's plan changed, so theirs must be made again, while the one worker is busy.
    expect((await me.get('/me/plan/pdf')).statusCode).toBe(202);
    const busy = await t.signedInAs(DEMO.workerPat);
    const refused = await busy.get(`/participants/${someoneElse}/plan/pdf`);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body).toContain('Sorry, we cannot make the PDF right now');
    expect(refused.body).toContain('Try again in a minute');
    await download(me, '/me/plan/pdf');
  });

  it('says the plan is too long for one PDF past the page limit, and how to print it instead', async () => {
    const me = await t.signedInAsParticipant(tooLong);
    const { response } = await download(me, '/me/plan/pdf');
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('<h1>Your plan is too long for one PDF</h1>');
    expect(response.body).toContain(`A PDF can have up to ${String(MAX_PAGES)} pages.`);
    expect(response.body).toContain('<a href="/me/plan/print">Go to the printable page</a>');
  });
});
