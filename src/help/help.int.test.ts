/**
 * "Get help now" never shows a stale crisis team number: it reads the participant's own team
 * as it is at the moment the page is opened (hazard H5 in docs/clinical-safety/hazard-log.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('Get help now', () => {
  it('shows the participant’s own crisis team number as changed a moment ago', async () => {
    const [row] = await queryRows<{ participant_id: string; team_id: string; name: string; version: number }>(
      t.database,
      sql`SELECT p.id AS participant_id, c.id AS team_id, c.name, c.version FROM participants p
          JOIN crisis_teams c ON c.id = p.crisis_team_id LIMIT 1`,
    );
    const participant = t.client();
    await participant.get('/demo');
    await participant.post(`/demo/sign-in/participant/${row!.participant_id}`, {});
    const before = await participant.get('/help');
    expect(before.body).toContain(row!.name);

    const coordinator = await t.signedInAs(DEMO.coordinator);
    await coordinator.get(`/admin/teams/${row!.team_id}/edit`);
    const changed = await coordinator.post(`/admin/teams/${row!.team_id}/edit`, {
      name: row!.name,
      phone: '0113 496 0777',
      version: String(row!.version),
    });
    expect(changed.statusCode).toBe(303);

    const after = await participant.get('/help');
    expect(after.body).toContain('0113 496 0777');
    // The national numbers are always there too.
    expect(after.body).toContain('999');
    expect(after.body).toContain('116 123');
  });

  it('is open to anyone, signed in or not', async () => {
    const response = await t.client().get('/help');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('111');
  });
});
