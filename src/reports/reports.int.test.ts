/**
 * Service reports: every figure with its denominator, by team and period, broken down by the
 * equality monitoring answers with small numbers withheld; for supervisors and the coordinator
 * only; the CSV download audited.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count } from '../test-support/rows.ts';
import { aParticipant, aSession, aTrust, type MadeParticipant, type MadeTrust } from '../test-support/factories.ts';
import { equalityMonitoring, programmeEndings } from '../platform/database/schema.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';

let t: TestApp;
let trust: MadeTrust;
let coordinator: TestClient;
const north: MadeParticipant[] = [];

const textOf = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');

async function answers(participantId: string, gender: string | null, ethnicity: string | null = null) {
  await t.database.db.insert(equalityMonitoring).values({
    participantId,
    trustId: trust.id,
    gender,
    ethnicity,
    recordedAt: t.clock.now(),
  });
}

async function attended(p: MadeParticipant, sessions: number) {
  const today = ukToday(t.clock.now());
  for (let i = 0; i < sessions; i++) {
    await aSession(t, p, { status: 'attended', on: addDays(today, -20 + i) });
  }
}

beforeAll(async () => {
  t = await createTestApp();
  trust = await aTrust(t);
  // North: 7 people with the trust's worker, of whom 6 have had sessions (3 of them at least 3,
  // one all 10) and one lost contact; 6 answered gender "female", 1 "male".
  for (let i = 0; i < 7; i++) north.push(await aParticipant(t, { trust, worker: trust.worker }));
  const [a, b, c, d, e, f, g] = north as [MadeParticipant, ...MadeParticipant[]];
  await attended(a, 10);
  await attended(b!, 3);
  await attended(c!, 4);
  for (const p of [d!, e!, f!]) await attended(p, 1);
  for (const p of [a, b!, c!, d!, e!, f!]) await answers(p.id, '2', 'A');
  await answers(g!.id, '1', 'N');
  await t.database.db.insert(programmeEndings).values({
    participantId: g!.id,
    reason: 'lost_contact',
    endedOn: ukToday(t.clock.now()),
    sessionsAttended: 0,
    sections: [],
    shareConsent: 'not_asked',
    recordedBy: await t.staffId(trust.worker),
    recordedAt: t.clock.now(),
  });
  // South: 2 people still waiting for a worker.
  await aParticipant(t, { trust, team: 'south' });
  await aParticipant(t, { trust, team: 'south' });
  coordinator = await t.signedInAs(trust.coordinator);
});
afterAll(async () => {
  await t.close();
});

describe('the service report', () => {
  it('gives every figure with what it is out of, for everyone referred in the period', async () => {
    const page = await coordinator.get('/reports');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('Referred 9 people');
    expect(text).toContain('Allocated a peer support worker 7 of 9 (78%)');
    expect(text).toContain('Still waiting for a worker 2 of 9 (22%)');
    // The funnel: at least 1, at least 3, all 10, each out of everyone referred.
    expect(text).toMatch(/At least 1 session 6 9 67%/);
    expect(text).toMatch(/At least 3 sessions 3 9 33%/);
    expect(text).toMatch(/All 10 sessions 1 9 11%/);
    expect(text).toContain('Programme ended 1 of 9 (11%)');
    expect(text).toMatch(/Lost contact 1 1 100%/);
    // Sessions per person, of those with at least 1: 10, 3, 4, 1, 1, 1.
    expect(text).toContain('median 2, mean 3.3 (6 people)');
    // Each team on its own row.
    expect(text).toMatch(/North crisis resolution team 7 7 of 7 \(100%\) 6 of 7 \(86%\)/);
    expect(text).toMatch(/South crisis resolution team 2 0 of 2 \(0%\)/);
    // The charts are drawn on the server, beside the tables holding their numbers.
    expect(page.body).toMatch(/<svg class="app-chart"[^>]*aria-hidden="true"/);
    expect(page.body).toContain('Waits for a worker by month of referral');
  });

  it('reports one team when asked, and nothing from a period before anyone was referred', async () => {
    const south = textOf((await coordinator.get(`/reports?team=${trust.south}`)).body);
    expect(south).toContain('South crisis resolution team:');
    expect(south).toContain('Referred 2 people');
    const thisMonth = ukToday(t.clock.now()).slice(0, 7);
    const lastYear = `${String(Number(thisMonth.slice(0, 4)) - 1)}${thisMonth.slice(4)}`;
    const before = textOf((await coordinator.get(`/reports?from=${lastYear}&to=${lastYear}`)).body);
    expect(before).toContain('Nobody was referred to any team in this period');
    expect(before).toContain('Referred 0 people');
  });

  it('withholds any group or figure of fewer than 5, and anything it could be worked out from', async () => {
    const page = await coordinator.get('/reports?by=gender');
    const table = textOf(page.body.slice(page.body.indexOf('breakdown-caption')));
    // Female: 6 people, shown; Male: 1, withheld whole; and one more cell with it, so the
    // Male row cannot be worked out from the total.
    expect(table).toMatch(/Female 6 6 \(100%\)/);
    expect(table).toMatch(/Male not shown not shown/);
    // Of the 6 women, 5 had at least one session: "1 did not" is withheld too.
    expect(table).not.toMatch(/Female 6 6 \(100%\) 5/);
    // 2 in the South answered nothing: a group of 2, withheld.
    expect(table).toMatch(/Not answered not shown/);
    // How many answered each question, out of everyone referred.
    expect(textOf(page.body)).toMatch(/Gender 7 9 78%/);
  });

  it('breaks down by age band from the date of birth, which is never asked again', async () => {
    const page = textOf((await coordinator.get('/reports?by=age')).body);
    // Every test participant was born in 1988: 38 at discharge, so all 9 are in one band.
    expect(page).toMatch(/35 to 44 9 /);
    expect(page).toMatch(/25 to 34 0 0 /);
  });

  it('says what is wrong with a period that ends before it starts, and changes nothing', async () => {
    const thisMonth = ukToday(t.clock.now()).slice(0, 7);
    const page = await coordinator.get(`/reports?from=${thisMonth}&to=2026-01`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('There is a problem');
    expect(page.body).toContain('The last month must be the same as or after the first month');
    expect(page.body).toContain('href="#to"');
    const tooOld = await coordinator.get('/reports?from=2001-01');
    expect(tooOld.statusCode).toBe(400);
    expect(tooOld.body).toContain('Choose a first month between');
  });

  it('answers a malformed or hostile choice with a 4xx, never a 500', async () => {
    for (const query of [
      'from=2026-13',
      'from=<script>',
      'team=not-a-team',
      'by=constructor',
      'by=__proto__',
      'from=2026-01&from=2026-02',
    ]) {
      const page = await coordinator.get(`/reports?${query}`);
      expect(page.statusCode, query).toBe(400);
    }
    // A team of another trust is no team of theirs.
    expect((await coordinator.get(`/reports?team=${randomUUID()}`)).statusCode).toBe(404);
    const demoTeam = await t.database.db.execute(sql`SELECT id FROM crisis_teams WHERE trust_id <> ${trust.id} LIMIT 1`);
    const otherTeam = (demoTeam as { rows: { id: string }[] }).rows[0]?.id ?? randomUUID();
    expect((await coordinator.get(`/reports?team=${otherTeam}`)).statusCode).toBe(404);
  });

  it('is for supervisors and the coordinator only', async () => {
    expect((await (await t.signedInAs(trust.supervisorSouth)).get('/reports')).statusCode).toBe(200);
    for (const email of [trust.worker, DEMO.workerPat, DEMO.clinicianNorth, DEMO.trialManager, DEMO.assessor, DEMO.analyst]) {
      const client = await t.signedInAs(email);
      expect((await client.get('/reports')).statusCode, email).toBe(404);
      expect((await client.get('/reports/download')).statusCode, email).toBe(404);
    }
    const participant = await t.signedInAsParticipant(north[0]!.id);
    expect((await participant.get('/reports')).statusCode).not.toBe(200);
  });

  it('downloads the same figures as CSV, audited with what was exported', async () => {
    const audited = () =>
      count(t.database, sql`SELECT count(*) AS n FROM audit_events WHERE action = 'report.exported'`);
    const before = await audited();
    const csv = await coordinator.get(`/reports/download?team=${trust.north}&by=gender`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="greenleaf-service-report-/);
    expect(csv.body).toContain('"Waits","Allocated a peer support worker","","7","7","100"');
    expect(csv.body).toContain('"By gender","Referred","Male","not shown (small numbers)"');
    expect(csv.body).not.toMatch(/"By gender","Referred","Male","1"/);
    expect(await audited()).toBe(before + 1);
  });
});
