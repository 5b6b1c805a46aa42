/**
 * Staff password throttling: guessing is slowed by account and address, and by address, but a
 * flood of wrong passwords against one account never locks its owner out (issue item 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { DEMO_PASSWORD } from '../demo/seed.ts';
import { passwordRules } from './staff-password-throttle.ts';
import { MAX_DELAY_MS, SignInThrottle, ThrottleRepository } from './throttle.ts';
import { HOUR } from '../platform/clock.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function passwordStep(client: TestClient, email: string, password: string) {
  await client.get('/sign-in');
  return client.post('/sign-in', { email, password });
}

describe('staff password throttling', () => {
  it('signs the real person in from a fresh address after 55 wrong passwords from 11 addresses, only more slowly', async () => {
    const email = DEMO.supervisorSouth;
    for (let address = 0; address < 11; address++) {
      const attacker = t.client(`203.0.113.${address + 100}`);
      for (let guess = 0; guess < 5; guess++) {
        expect((await passwordStep(attacker, email, `wrong-${address}-${guess}`)).statusCode).toBe(400);
      }
      // The sixth from the same address waits.
      const sixth = await passwordStep(attacker, email, `wrong-${address}-6`);
      expect(sixth.statusCode).toBe(429);
      expect(sixth.body).toContain('Too many attempts. Wait');
    }

    const before = t.clock.now().getTime();
    const real = await passwordStep(t.client('198.51.100.200'), email, DEMO_PASSWORD);
    expect(real.statusCode).toBe(303);
    expect(real.headers.location).toBe('/sign-in/set-up-authenticator');
    // Answered after the account-wide delay: slower, never refused, and never long.
    const waited = t.clock.now().getTime() - before;
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(10_000);
  });

  it('slows the account from every address by a second, then two, four, up to 8 seconds, and never refuses it', async () => {
    const throttle = new SignInThrottle(new ThrottleRepository(), t.clock);
    const db = t.database.db;
    const delays: number[] = [];
    for (let i = 0; i < 16; i++) {
      const rules = passwordRules('delay.check@demo.greenleaf.nhs.uk', `203.0.113.${String(i)}`);
      expect(await throttle.blockedUntil(db, rules)).toBeUndefined();
      delays.push(await throttle.slowDown(db, rules));
      await throttle.recordFailure(db, rules);
    }
    expect(delays).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(MAX_DELAY_MS).toBe(8000);
    // An hour after the first failure the count starts again.
    t.clock.advance(HOUR);
    expect(
      await throttle.slowDown(db, passwordRules('delay.check@demo.greenleaf.nhs.uk', '203.0.113.99')),
    ).toBe(0);
  });

  it('makes one address wait after 200 wrong passwords across accounts', async () => {
    const throttle = new SignInThrottle(new ThrottleRepository(), t.clock);
    const db = t.database.db;
    for (let i = 0; i < 200; i++) {
      const rules = passwordRules(`spray.${String(i)}@demo.greenleaf.nhs.uk`, '203.0.113.250');
      expect(await throttle.blockedUntil(db, rules)).toBeUndefined();
      await throttle.recordFailure(db, rules);
    }
    const next = passwordRules('spray.new@demo.greenleaf.nhs.uk', '203.0.113.250');
    expect(await throttle.blockedUntil(db, next)).toBeInstanceOf(Date);
    // Another address is not affected.
    expect(
      await throttle.blockedUntil(db, passwordRules('spray.new@demo.greenleaf.nhs.uk', '203.0.113.251')),
    ).toBeUndefined();
  });
});
