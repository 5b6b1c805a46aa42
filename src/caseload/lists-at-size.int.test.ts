/**
 * Staff lists at size: the waiting list a page of 50 at a time on /allocation, the
 * longest-waiting few on the coordinator's caseloads page, the trust's workers there a page of
 * 50 at a time, and a page number that is not one answered as a bad request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { aParticipant, aWorker } from '../test-support/factories.ts';

let t: TestApp;
let coordinator: TestClient;
let waitingBefore: number;

const namesOn = (html: string) =>
  [...html.matchAll(/href="\/participants\/[^"/]+">([^<]+)<\/a>/g)].map((m) => m[1]);

beforeAll(async () => {
  t = await createTestApp();
  coordinator = await t.signedInAs(DEMO.coordinator);
  waitingBefore = Number(
    /(\d+) (?:person is|people are) waiting/.exec((await coordinator.get('/allocation')).body)?.[1] ?? 0,
  );
  for (let i = 0; i < 60; i++) await aParticipant(t, { dischargedDaysAgo: 1 + (i % 20) });
  for (let i = 0; i < 55; i++) await aWorker(t);
});
afterAll(async () => {
  await t.close();
});

describe('the waiting list a page at a time', () => {
  it('shows 50 people on the first page, the rest on the next, each once', async () => {
    const total = waitingBefore + 60;
    const first = await coordinator.get('/allocation');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain(`${String(total)} people are waiting`);
    expect(first.body).toContain('Showing 1 to 50.');
    expect(first.body).toContain('href="/allocation?page=2"');
    const second = await coordinator.get('/allocation?page=2');
    expect(second.body).toContain(`Showing 51 to ${String(Math.min(100, total))}.`);
    expect(second.body).toContain('href="/allocation?page=1"');
    const shown = [...namesOn(first.body), ...namesOn(second.body)];
    expect(new Set(shown).size).toBe(Math.min(100, total));
  });

  it('answers a page number that is not one with a bad request, changing nothing', async () => {
    for (const page of ['abc', '0', '-1', '1.5']) {
      expect((await coordinator.get(`/allocation?page=${page}`)).statusCode).toBe(400);
    }
  });

  it('names only the 10 waiting longest on the caseloads page, with a link to them all', async () => {
    const page = await coordinator.get('/caseloads');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The 10 waiting longest:');
    expect(page.body).toContain(`See all ${String(waitingBefore + 60)} people waiting`);
  });

  it('offers the whole waiting list only to those who may open it: not to a supervisor', async () => {
    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    const page = await supervisor.get('/caseloads');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The 10 waiting longest:');
    expect(page.body).not.toContain('href="/allocation"');
    expect((await supervisor.get('/allocation')).statusCode).toBe(404);
  });

  it('lists the trust’s peer support workers 50 at a time, each once', async () => {
    const first = await coordinator.get('/caseloads');
    const total = Number(/(\d+) peer support workers\. Showing 1 to 50, by name\./.exec(first.body)?.[1]);
    expect(total).toBeGreaterThan(55);
    const workersOn = (html: string) => [...html.matchAll(/href="\/caseloads\/([^"/]+)">/g)].map((m) => m[1]);
    const pages = [workersOn(first.body)];
    for (let page = 2; page <= Math.ceil(total / 50); page++) {
      const next = await coordinator.get(`/caseloads?page=${String(page)}`);
      expect(next.statusCode).toBe(200);
      pages.push(workersOn(next.body));
    }
    expect(pages[0]).toHaveLength(50);
    expect(new Set(pages.flat()).size).toBe(total);
    expect(first.body).toContain('href="/caseloads?page=2"');
    expect((await coordinator.get('/caseloads?page=x')).statusCode).toBe(400);
  });
});
