/** The demo accounts page finds any participant by name, beyond the 40 most recently discharged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('demo accounts', () => {
  it('finds a participant by name, and treats % and _ as letters', async () => {
    const [oldest] = await queryRows<{ given_name: string; family_name: string }>(
      t.database,
      sql`SELECT given_name, family_name FROM participants ORDER BY discharged_on, id LIMIT 1`,
    );
    const name = `${oldest!.given_name} ${oldest!.family_name}`;
    const found = await t.client().get(`/demo?participant=${encodeURIComponent(name.toLowerCase())}`);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain(`Sign in<span class="nhsuk-u-visually-hidden"> as ${name}</span>`);
    expect(found.body.match(/\/demo\/sign-in\/participant\//g)).toHaveLength(1);
    const wildcard = await t.client().get('/demo?participant=%25');
    expect(wildcard.body.match(/\/demo\/sign-in\/participant\//g)).toBeNull();
  });
});
