/**
 * The concerns overview at size: a trust with 42 crisis teams (as many as the national data
 * set's trust) and 120 items waiting to be acknowledged. The page counts them by team and lists
 * 50 at a time, in a stable order (the earliest deadline first, then by id); each team's list
 * pages the same way; the read event names only the items on the page shown. With every team
 * on it the page stays under 200 KB of HTML (it was 227 KB at national scale with the first
 * 300 items listed).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aParticipant, aTrust, type MadeTrust } from '../test-support/factories.ts';
import { queryRows } from '../test-support/rows.ts';
import { createTestApp, type TestApp, type TestClient } from '../test-support/test-app.ts';

const EXTRA_TEAMS = 40;
const WAITING = 120;

let t: TestApp;
let trust: MadeTrust;
let coordinator: TestClient;
/** Every item put in, in the order the list should show them. */
let expected: { id: string; team: string }[];

const itemsOn = (html: string) =>
  [...html.matchAll(/href="\/concerns\/([0-9a-f-]{36})"/g)].map((match) => match[1]);

beforeAll(async () => {
  t = await createTestApp();
  trust = await aTrust(t);
  coordinator = await t.signedInAs(trust.coordinator);
  const participant = (await aParticipant(t, { trust, team: 'north' })).id;
  const pat = await t.staffId(trust.worker);
  const teams = [trust.north, trust.south];
  for (let n = 1; n <= EXTRA_TEAMS; n++) {
    const id = randomUUID();
    teams.push(id);
    await t.database.db.execute(sql`
      INSERT INTO crisis_teams (id, trust_id, name, phone)
      VALUES (${id}, ${trust.id}, ${`Area ${String(n)} crisis resolution team`}, '0113 496 0000')`);
  }
  // Half of them North's, the rest across the other teams; ten share each deadline, so only
  // the id decides their order.
  const items = Array.from({ length: WAITING }, (_, i) => ({
    id: randomUUID(),
    team: i % 2 === 0 ? trust.north : (teams[1 + (i % (teams.length - 1))] ?? trust.south),
    acknowledgeBy: new Date(Date.UTC(2026, 10, 25, 8 + Math.floor(i / 10))).toISOString(),
  }));
  await t.database.db.execute(sql`
    INSERT INTO safety_concerns (id, kind, participant_id, crisis_team_id, raised_by, raised_at, urgency,
      what_happened, acknowledge_by, status, submission_token)
    VALUES ${sql.join(
      items.map(
        (item) => sql`(${item.id}, 'concern', ${participant}, ${item.team}, ${pat}, '2026-11-25T07:00:00Z',
          'urgent', 'Not for the overview', ${item.acknowledgeBy}, 'open', ${randomUUID()})`,
      ),
      sql`, `,
    )}`);
  expected = items
    .toSorted((a, b) => a.acknowledgeBy.localeCompare(b.acknowledgeBy) || (a.id < b.id ? -1 : 1))
    .map(({ id, team }) => ({ id, team }));
});
afterAll(async () => {
  await t.close();
});

describe('the concerns overview at size', () => {
  it('counts what waits in each of the 42 teams, and lists 50 a page, each item once, in a stable order', async () => {
    const pages = [];
    for (const page of [1, 2, 3]) {
      const response = await coordinator.get(`/concerns/overview?page=${String(page)}`);
      expect(response.statusCode).toBe(200);
      pages.push(itemsOn(response.body));
    }
    expect(pages.map((items) => items.length)).toEqual([50, 50, 20]);
    expect(pages.flat()).toEqual(expected.map((item) => item.id));

    const first = await coordinator.get('/concerns/overview');
    expect([...first.body.matchAll(/href="\/concerns\/overview\/teams\/[0-9a-f-]{36}"/g)]).toHaveLength(42);
    expect(first.body).toContain(
      `${String(WAITING)} waiting, <strong>${String(WAITING)} past their deadline</strong>`,
    );
    expect(first.body).toContain(`Showing 1 to 50 of ${String(WAITING)}.`);
    expect(first.body).toContain('href="/concerns/overview?page=2"');
  });

  it('sends under 200 KB of HTML for a page of the overview', async () => {
    const response = await coordinator.get('/concerns/overview?page=2');
    expect(Buffer.byteLength(response.body)).toBeLessThan(200 * 1024);
  });

  it('keeps the month chosen on the links to other pages', async () => {
    const response = await coordinator.get('/concerns/overview?month=2026-10&page=2');
    expect(response.body).toContain('Monthly summary: October 2026');
    expect(response.body).toContain('href="/concerns/overview?month=2026-10&amp;page=1"');
    expect(response.body).toContain('href="/concerns/overview?month=2026-10&amp;page=3"');
  });

  it('shows the last page for a page past the end, and answers a page that is not a number with 400', async () => {
    const past = await coordinator.get('/concerns/overview?page=9');
    expect(itemsOn(past.body)).toEqual(expected.slice(100).map((item) => item.id));
    for (const page of ['abc', '0', '-1', '1.5']) {
      expect((await coordinator.get(`/concerns/overview?page=${page}`)).statusCode, page).toBe(400);
      expect(
        (await coordinator.get(`/concerns/overview/teams/${trust.north}?page=${page}`)).statusCode,
        page,
      ).toBe(400);
    }
  });

  it('names only the items on the page shown in the read event', async () => {
    await coordinator.get('/concerns/overview?page=2');
    const [event] = await queryRows<{ detail: { page: number; openConcernIds: string[] } }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'concerns.overview_viewed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event?.detail.page).toBe(2);
    expect(event?.detail.openConcernIds).toEqual(expected.slice(50, 100).map((item) => item.id));
  });

  it('lists one team’s items a page at a time too', async () => {
    const north = expected.filter((item) => item.team === trust.north).map((item) => item.id);
    expect(north).toHaveLength(WAITING / 2);
    const first = await coordinator.get(`/concerns/overview/teams/${trust.north}`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain(`href="/concerns/overview/teams/${trust.north}?page=2"`);
    const second = await coordinator.get(`/concerns/overview/teams/${trust.north}?page=2`);
    expect([...itemsOn(first.body), ...itemsOn(second.body)]).toEqual(north);
    const [event] = await queryRows<{ entity_id: string; detail: { openConcernIds: string[] } }>(
      t.database,
      sql`SELECT entity_id, detail FROM audit_events WHERE action = 'concerns.overview_viewed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event?.entity_id).toBe(trust.north);
    expect(event?.detail.openConcernIds).toEqual(north.slice(50));
  });
});
