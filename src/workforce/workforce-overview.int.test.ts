/** The workforce at a glance: counts with their denominators, for supervisors and the coordinator only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp } from '../test-support/test-app.ts';
import { aParticipant, aTrust, aWorker } from '../test-support/factories.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the workforce overview', () => {
  it('counts who can take someone new, training, supervision and support, out of every worker', async () => {
    const trust = await aTrust(t);
    await aWorker(t, { trust, cleared: false });
    await aParticipant(t, { trust });
    const page = await (await t.signedInAs(trust.coordinator)).get('/workforce');
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Can take someone new now 1 of 2 workers');
    expect(text).toContain('Waiting for a worker 1 person');
    expect(text).toContain('Mandatory training and checks complete 1 of 2 workers');
    expect(text).toContain('Overdue for 1:1 supervision 0 of 2 workers');
    expect(text).toContain('From a supervisor: not yet acknowledged 0 of 0 requests');
    expect(text).toContain('From an experienced peer worker: not yet taken 0 of 0 open requests');
  });

  it('is for supervisors and the coordinator only', async () => {
    expect((await (await t.signedInAs(DEMO.supervisorNorth)).get('/workforce')).statusCode).toBe(200);
    for (const email of [
      DEMO.workerPat,
      DEMO.clinicianNorth,
      DEMO.trialManager,
      DEMO.assessor,
      DEMO.analyst,
    ]) {
      expect((await (await t.signedInAs(email)).get('/workforce')).statusCode, email).toBe(404);
    }
  });
});
