/**
 * Setting up the deployment's trial in trial mode, before there is one: the trial manager names
 * it and its sites (their own trust among them); it opens at once, audited; a second set-up is
 * refused; nobody else may; bad input is explained and saves nothing.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count } from '../test-support/rows.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';

let t: TestApp;
let manager: TestClient;
const trials = () => count(t.database, sql`SELECT count(*) AS n FROM trials`);

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  manager = await t.signedInAs(DEMO.trialManager);
});
afterAll(async () => {
  await t.close();
});

describe('setting up the trial', () => {
  it('is offered to the trial manager while there is none, and to nobody else', async () => {
    const home = await manager.get('/trial');
    expect(home.body).toContain('no trial has been set up yet');
    expect(home.body).toContain('href="/trial/set-up"');
    expect((await manager.get('/trial/set-up')).statusCode).toBe(200);
    for (const email of [
      DEMO.assessor,
      DEMO.analyst,
      DEMO.coordinator,
      DEMO.clinicianNorth,
      DEMO.workerPat,
    ]) {
      const client = await t.signedInAs(email);
      expect((await client.get('/trial/set-up')).statusCode, email).toBe(404);
      expect(
        (await client.post('/trial/set-up', { name: 'X', shortCode: 'XX', siteTrustIds: DEMO_TRUST_ID }))
          .statusCode,
        email,
      ).toBe(404);
    }
    expect(await trials()).toBe(0);
  });

  it('explains what is wrong, and saves nothing', async () => {
    const page = await manager.post('/trial/set-up', {
      name: '',
      shortCode: 'no spaces!',
      siteTrustIds: randomUUID(),
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('There is a problem');
    expect(page.body).toContain('Enter the trial’s name');
    expect(page.body).toContain('Short code must be 2 to 20 letters, numbers or hyphens');
    const notOwn = await manager.post('/trial/set-up', {
      name: 'PEERS',
      shortCode: 'PEERS',
      siteTrustIds: randomUUID(),
    });
    expect(notOwn.statusCode).toBe(400);
    expect(notOwn.body).toContain('Select the trusts taking part from the list');
    const none = await manager.post('/trial/set-up', { name: 'PEERS', shortCode: 'PEERS' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select the trusts taking part');
    expect(await trials()).toBe(0);
  });

  it('opens the trial at once, audited, and refuses a second', async () => {
    const done = await manager.post('/trial/set-up', {
      name: 'PEERS: peer support after crisis care',
      shortCode: 'peers-2027',
      siteTrustIds: DEMO_TRUST_ID,
    });
    expect(done.statusCode).toBe(303);
    const home = await manager.get('/trial?done=set_up');
    expect(home.body).toContain('The trial is set up and open.');
    expect(home.body).toContain('PEERS-2027');
    expect((await manager.get('/trial/screenings/new')).statusCode).toBe(200);
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM audit_events WHERE action = 'trial.set_up'`),
    ).toBe(1);
    expect((await manager.get('/trial/set-up')).statusCode).toBe(404);
    const again = await manager.post('/trial/set-up', {
      name: 'Another',
      shortCode: 'OTHER',
      siteTrustIds: DEMO_TRUST_ID,
    });
    expect(again.statusCode).toBe(404);
    expect(await trials()).toBe(1);
  });
});
