/**
 * The concerns overview for supervisors and the coordinator, through HTTP, with rows put
 * straight into the tables: the open list, the last 30 days and the monthly summary (counts,
 * median and longest time to acknowledge, overdue) against numbers worked out by hand.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aParticipant, aTrust, type MadeTrust } from '../test-support/factories.ts';

let t: TestApp;
let north: string;
let south: string;
let northParticipant: string;
let southParticipant: string;
/** The peer worker of this file's trust, who raised every item. */
let pat: string;
let trust: MadeTrust;
const openIds: Record<string, string> = {};

async function concern(row: {
  team: 'north' | 'south';
  urgency: 'immediate' | 'urgent' | 'routine';
  raisedAt: string;
  acknowledgeBy: string;
  acknowledgedAt?: string;
  kind?: 'concern' | 'advice';
}): Promise<string> {
  const id = randomUUID();
  const teamId = row.team === 'north' ? north : south;
  const participantId = row.team === 'north' ? northParticipant : southParticipant;
  await t.database.db.execute(sql`
    INSERT INTO safety_concerns (id, kind, participant_id, crisis_team_id, raised_by, raised_at, urgency,
      what_happened, acknowledge_by, status, acknowledged_at, submission_token)
    VALUES (${id}, ${row.kind ?? 'concern'}, ${participantId}, ${teamId}, ${pat}, ${row.raisedAt}, ${row.urgency},
      'Not for the overview', ${row.acknowledgeBy}, ${row.acknowledgedAt ? 'acknowledged' : 'open'},
      ${row.acknowledgedAt ?? null}, ${randomUUID()})`);
  return id;
}

/** The text of a summary cell: table `tableId`, the row labelled `label`, column `col`. */
function cell(html: string, tableId: string, label: string, col: string): string {
  const table = new RegExp(`<table[^>]*id="${tableId}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
  const row = new RegExp(`<tr[^>]*data-row="${label}"[\\s\\S]*?</tr>`).exec(table)?.[0] ?? '';
  const td = new RegExp(`data-col="${col}">([\\s\\S]*?)</td>`).exec(row)?.[1] ?? '';
  return td
    .replace(/<span class="nhsuk-table-responsive__heading"[^>]*>[^<]*<\/span>/, '')
    .replace(/<[^>]+>/g, '')
    .trim();
}

function summary(html: string, tableId: string, label: string) {
  const cols = ['raised', 'immediate', 'urgent', 'routine', 'acknowledged', 'median', 'worst', 'overdue'];
  return Object.fromEntries(cols.map((col) => [col, cell(html, tableId, label, col)]));
}

beforeAll(async () => {
  t = await createTestApp();
  // A trust of this file's own, so the overview counts only the items put in below (the demo
  // trust has concerns of its own).
  trust = await aTrust(t);
  north = trust.north;
  south = trust.south;
  northParticipant = (await aParticipant(t, { trust, team: 'north' })).id;
  southParticipant = (await aParticipant(t, { trust, team: 'south' })).id;
  pat = await t.staffId(trust.worker);

  // July 2025 (BST), North: times to acknowledge 20 min, 90 min (late), 3 days, 10 min; one still open, late.
  await concern({
    team: 'north',
    urgency: 'urgent',
    raisedAt: '2025-07-01T09:00:00Z',
    acknowledgeBy: '2025-07-01T10:00:00Z',
    acknowledgedAt: '2025-07-01T09:20:00Z',
  });
  await concern({
    team: 'north',
    urgency: 'urgent',
    raisedAt: '2025-07-02T09:00:00Z',
    acknowledgeBy: '2025-07-02T10:00:00Z',
    acknowledgedAt: '2025-07-02T10:30:00Z',
  });
  await concern({
    team: 'north',
    urgency: 'routine',
    raisedAt: '2025-07-03T09:00:00Z',
    acknowledgeBy: '2025-07-08T16:00:00Z',
    acknowledgedAt: '2025-07-06T09:00:00Z',
  });
  await concern({
    team: 'north',
    urgency: 'immediate',
    raisedAt: '2025-07-10T12:00:00Z',
    acknowledgeBy: '2025-07-10T12:15:00Z',
    acknowledgedAt: '2025-07-10T12:10:00Z',
  });
  openIds.julyOpen = await concern({
    team: 'north',
    urgency: 'routine',
    raisedAt: '2025-07-21T09:00:00Z',
    acknowledgeBy: '2025-07-24T16:00:00Z',
  });
  // South: 45 min; 2 days 11 hours 30 min (raised 23:30 BST on 31 July); 2 hours 30 min (late,
  // raised 00:30 BST on 1 July, still 30 June in UTC).
  await concern({
    team: 'south',
    urgency: 'urgent',
    raisedAt: '2025-07-15T14:00:00Z',
    acknowledgeBy: '2025-07-15T15:00:00Z',
    acknowledgedAt: '2025-07-15T14:45:00Z',
  });
  await concern({
    team: 'south',
    urgency: 'routine',
    raisedAt: '2025-07-31T22:30:00Z',
    acknowledgeBy: '2025-08-05T16:00:00Z',
    acknowledgedAt: '2025-08-03T10:00:00Z',
    kind: 'advice',
  });
  await concern({
    team: 'south',
    urgency: 'urgent',
    raisedAt: '2025-06-30T23:30:00Z',
    acknowledgeBy: '2025-07-01T00:30:00Z',
    acknowledgedAt: '2025-07-01T02:00:00Z',
  });
  // Not July in the UK: 00:30 BST on 1 August, and 23:30 BST on 30 June.
  await concern({
    team: 'south',
    urgency: 'urgent',
    raisedAt: '2025-07-31T23:30:00Z',
    acknowledgeBy: '2025-08-01T00:30:00Z',
    acknowledgedAt: '2025-08-01T00:00:00Z',
  });
  await concern({
    team: 'north',
    urgency: 'urgent',
    raisedAt: '2025-06-30T22:30:00Z',
    acknowledgeBy: '2025-06-30T23:30:00Z',
    acknowledgedAt: '2025-07-01T05:00:00Z',
  });

  // The last 30 days (now is 10:00 UTC on 26 November 2026): 40 minutes; 2 hours (late).
  await concern({
    team: 'north',
    urgency: 'urgent',
    raisedAt: '2026-11-20T10:00:00Z',
    acknowledgeBy: '2026-11-20T11:00:00Z',
    acknowledgedAt: '2026-11-20T10:40:00Z',
  });
  await concern({
    team: 'south',
    urgency: 'urgent',
    raisedAt: '2026-11-25T10:00:00Z',
    acknowledgeBy: '2026-11-25T11:00:00Z',
    acknowledgedAt: '2026-11-25T12:00:00Z',
  });
  // Older than 30 days: left out of the recent times.
  await concern({
    team: 'north',
    urgency: 'urgent',
    raisedAt: '2026-10-27T09:59:00Z',
    acknowledgeBy: '2026-10-27T10:59:00Z',
    acknowledgedAt: '2026-10-30T09:59:00Z',
  });
  // Open now: one past its deadline and escalated to the duty contact, one not yet due.
  openIds.immediate = await concern({
    team: 'south',
    urgency: 'immediate',
    raisedAt: '2026-11-26T09:30:00Z',
    acknowledgeBy: '2026-11-26T09:45:00Z',
  });
  await t.database.db.execute(sql`
    INSERT INTO safety_escalations (id, concern_id, step, step_kind, escalated_at, recipients)
    VALUES (${randomUUID()}, ${openIds.immediate}, 1, 'duty_contact', '2026-11-26T09:45:00Z', ARRAY['x@nhs.example'])`);
  openIds.routine = await concern({
    team: 'north',
    urgency: 'routine',
    raisedAt: '2026-11-26T09:00:00Z',
    acknowledgeBy: '2026-12-01T17:00:00Z',
    kind: 'advice',
  });
});
afterAll(async () => {
  await t.close();
});

describe('concerns overview', () => {
  it('summarises a month per team: counts, median and longest time to acknowledge, overdue', async () => {
    const supervisor = await t.signedInAs(trust.supervisorNorth);
    const response = await supervisor.get('/concerns/overview?month=2025-07');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Monthly summary: July 2025');
    // North: 10, 20, 90 minutes and 3 days: median (20 + 90) / 2 = 55 minutes. Overdue: the
    // one acknowledged after 90 minutes and the one still open.
    expect(summary(response.body, 'monthly-summary', 'North crisis resolution team')).toEqual({
      raised: '5',
      immediate: '1',
      urgent: '2',
      routine: '2',
      acknowledged: '4',
      median: '55 minutes',
      worst: '3 days',
      overdue: '2',
    });
    // South: 45 minutes, 2 hours 30 minutes, 2 days 11 hours 30 minutes: median 2 hours 30.
    expect(summary(response.body, 'monthly-summary', 'South crisis resolution team')).toEqual({
      raised: '3',
      immediate: '0',
      urgent: '2',
      routine: '1',
      acknowledged: '3',
      median: '2 hours 30 minutes',
      worst: '2 days 11 hours',
      overdue: '1',
    });
    // All: 10, 20, 45, 90, 150 minutes, 2 days 11 hours 30, 3 days: median 90 minutes.
    expect(summary(response.body, 'monthly-summary', 'All teams')).toEqual({
      raised: '8',
      immediate: '1',
      urgent: '4',
      routine: '3',
      acknowledged: '7',
      median: '1 hour 30 minutes',
      worst: '3 days',
      overdue: '3',
    });
    // Never the participant or what happened.
    expect(response.body).not.toContain('Not for the overview');
  });

  it('shows a month with nothing raised as zeros', async () => {
    const coordinator = await t.signedInAs(trust.coordinator);
    const response = await coordinator.get('/concerns/overview?month=2025-03');
    expect(response.statusCode).toBe(200);
    expect(summary(response.body, 'monthly-summary', 'All teams')).toMatchObject({
      raised: '0',
      median: 'None acknowledged',
      overdue: '0',
    });
  });

  it('shows response times for the last 30 days by urgency', async () => {
    const supervisor = await t.signedInAs(trust.supervisorSouth);
    const response = await supervisor.get('/concerns/overview');
    expect(response.statusCode).toBe(200);
    // 40 minutes and 2 hours: median 1 hour 20; the one raised 30 days and a minute ago is out.
    expect(summary(response.body, 'recent-times', 'Urgent')).toMatchObject({
      raised: '2',
      acknowledged: '2',
      median: '1 hour 20 minutes',
      worst: '2 hours',
      overdue: '1',
    });
    // The immediate one is open and past its deadline; the routine one is not yet due.
    expect(summary(response.body, 'recent-times', 'Immediate')).toMatchObject({
      raised: '1',
      acknowledged: '0',
      median: 'None acknowledged',
      overdue: '1',
    });
    expect(summary(response.body, 'recent-times', 'All')).toMatchObject({ raised: '4', overdue: '2' });
    // This month is shown by default.
    expect(response.body).toContain('Monthly summary: November 2026');
  });

  it('lists open items across teams, earliest deadline first, with overdue tags and escalation', async () => {
    const coordinator = await t.signedInAs(trust.coordinator);
    const response = await coordinator.get('/concerns/overview');
    const table = /<table[^>]*id="open-concerns"[\s\S]*?<\/table>/.exec(response.body)?.[0] ?? '';
    const rows = table.split('<tr class="nhsuk-table__row">').slice(2);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain(`/concerns/${openIds.julyOpen}`);
    expect(rows[0]).toContain('Overdue by');
    expect(rows[0]).toContain('Not escalated');
    expect(rows[1]).toContain(`/concerns/${openIds.immediate}`);
    expect(rows[1]).toContain('South crisis resolution team');
    expect(rows[1]).toContain('Immediate safety concern');
    expect(rows[1]).toContain('Overdue by 15 minutes');
    expect(rows[1]).toContain('Duty contact');
    expect(rows[2]).toContain(`/concerns/${openIds.routine}`);
    expect(rows[2]).toContain('Routine request for advice');
    expect(rows[2]).toContain('Due in 5 days 7 hours');
    expect(rows[2]).not.toContain('Overdue');
    expect(response.body).toContain('3 waiting, <strong>2 past their deadline</strong>');
  });

  it('counts what waits in each team: past the deadline, escalated, waiting over a day', async () => {
    const coordinator = await t.signedInAs(trust.coordinator);
    const response = await coordinator.get('/concerns/overview');
    const counts = (label: string) =>
      Object.fromEntries(
        ['waiting', 'overdue', 'escalated', 'overADay'].map((col) => [
          col,
          cell(response.body, 'waiting-by-team', label, col),
        ]),
      );
    // North: July's, long past its deadline; this morning's advice request, not yet due.
    expect(counts('North crisis resolution team')).toEqual({
      waiting: '2',
      overdue: '1',
      escalated: '0',
      overADay: '1',
    });
    // South: the immediate one, past its deadline and escalated to the duty contact.
    expect(counts('South crisis resolution team')).toEqual({
      waiting: '1',
      overdue: '1',
      escalated: '1',
      overADay: '0',
    });
    expect(counts('All teams')).toEqual({ waiting: '3', overdue: '2', escalated: '1', overADay: '1' });
    expect(response.body).toContain(`href="/concerns/overview/teams/${north}"`);
    expect(response.body).toContain(`href="/concerns/overview/teams/${south}"`);
  });

  it('lists one team’s items on its own page, the earliest deadline first', async () => {
    const supervisor = await t.signedInAs(trust.supervisorSouth);
    const northList = await supervisor.get(`/concerns/overview/teams/${north}`);
    expect(northList.statusCode).toBe(200);
    expect(northList.body).toContain('<h1>North crisis resolution team</h1>');
    expect(northList.body).toContain('2 waiting, <strong>1 past its deadline</strong>.');
    const links = [...northList.body.matchAll(/href="\/concerns\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(links).toEqual([openIds.julyOpen, openIds.routine]);
    const southList = await supervisor.get(`/concerns/overview/teams/${south}`);
    expect(southList.body).toContain(`href="/concerns/${openIds.immediate}"`);
    expect(southList.body).not.toContain(`href="/concerns/${openIds.routine}"`);
  });

  it('finds no team of another trust, nor an id that is not one', async () => {
    const supervisor = await t.signedInAs(trust.supervisorNorth);
    const [demoTeam] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM crisis_teams WHERE trust_id <> ${trust.id} LIMIT 1`,
    );
    expect((await supervisor.get(`/concerns/overview/teams/${demoTeam!.id}`)).statusCode).toBe(404);
    expect((await supervisor.get(`/concerns/overview/teams/${randomUUID()}`)).statusCode).toBe(404);
    expect((await supervisor.get('/concerns/overview/teams/north')).statusCode).toBe(404);
  });

  it('records who looked, and what was open', async () => {
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'concerns.overview_viewed'`,
    );
    const supervisor = await t.signedInAs(trust.supervisorNorth);
    await supervisor.get('/concerns/overview?month=2025-07');
    const [event] = await queryRows<{
      actor_id: string;
      detail: { month: string; openConcernIds: string[] };
    }>(
      t.database,
      sql`SELECT actor_id, detail FROM audit_events WHERE action = 'concerns.overview_viewed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'concerns.overview_viewed'`,
      ),
    ).toBe(before + 1);
    expect(event!.actor_id).toBe(await t.staffId(trust.supervisorNorth));
    expect(event!.detail.month).toBe('2025-07');
    expect(event!.detail.openConcernIds).toEqual([openIds.julyOpen, openIds.immediate, openIds.routine]);
  });

  it('answers a month it does not offer with 400 and a message, never 500', async () => {
    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    for (const month of [
      '2026-13',
      '2026-1',
      'November',
      "2026-11' OR 1=1 --",
      'x'.repeat(5000),
      '2026-12',
      '2024-10',
      '%00',
      '<script>alert(1)</script>',
    ]) {
      const response = await supervisor.get(`/concerns/overview?month=${encodeURIComponent(month)}`);
      expect(response.statusCode, month.slice(0, 30)).toBe(400);
      expect(response.body).toContain('Choose a month from the list');
      expect(response.body).not.toContain('<script>alert(1)');
    }
    const twice = await supervisor.get('/concerns/overview?month=2025-07&month=2025-06');
    expect(twice.statusCode).toBe(400);
    // A parameter it does not know is ignored: this month.
    const unknown = await supervisor.get('/concerns/overview?month[a]=1');
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).toContain('Monthly summary: November 2026');
  });

  it('is for supervisors and the coordinator only', async () => {
    for (const email of [DEMO.workerPat, DEMO.clinicianNorth, DEMO.trialManager, DEMO.analyst]) {
      const client = await t.signedInAs(email);
      expect((await client.get('/concerns/overview')).statusCode, email).toBe(404);
      expect((await client.get('/concerns/overview?month=bad')).statusCode, email).toBe(404);
      expect((await client.get(`/concerns/overview/teams/${north}`)).statusCode, email).toBe(404);
    }
    const otherTrust = await t.signedInAs(DEMO.supervisorNorth);
    expect((await otherTrust.get(`/concerns/overview/teams/${north}`)).statusCode).toBe(404);
    expect((await t.client().get('/concerns/overview')).statusCode).toBe(303);
    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    const home = await supervisor.get('/caseloads');
    expect(home.body).toContain('href="/concerns/overview"');
    const worker = await t.signedInAs(DEMO.workerPat);
    expect((await worker.get('/caseload')).body).not.toContain('href="/concerns/overview"');
  });
});
