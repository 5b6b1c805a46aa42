/**
 * The caseload that tells a worker what needs doing today, and the view across workers with
 * who is waiting for a worker, through HTTP. Time moves on a hand-held clock: each prompt is
 * checked on the day before and the day it is due.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { DAY } from '../platform/clock.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';

let t: TestApp;
let pat: TestClient;
let coordinator: TestClient;
let supervisor: TestClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
  coordinator = await t.signedInAs(DEMO.coordinator);
  supervisor = await t.signedInAs(DEMO.supervisorNorth);
  ids.pat = await t.staffId(DEMO.workerPat);
  ids.rob = await t.staffId(DEMO.workerRob);
  ids.coordinator = await t.staffId(DEMO.coordinator);
});
afterAll(async () => {
  await t.close();
});

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Someone referred and allocated to a worker, discharged `daysAgo` days before the clock's today. */
async function participantOf(workerId: string, daysAgo: number, familyName: string): Promise<string> {
  const now = t.clock.now().getTime();
  const id = randomUUID();
  const [team] = await queryRows<{ crisis_team_id: string; trust_id: string }>(
    t.database,
    sql`SELECT crisis_team_id, trust_id FROM staff_users WHERE id = ${workerId}`,
  );
  await new ParticipantRepository().insert(t.database.db, {
    id,
    trustId: team!.trust_id,
    crisisTeamId: team!.crisis_team_id,
    givenName: 'Robin',
    familyName,
    preferredName: null,
    dateOfBirth: '1990-05-05',
    nhsNumber: null,
    email: null,
    mobile: '07700900123',
    phone: null,
    address: null,
    postcode: null,
    contactMethods: ['sms'],
    safeContactTimes: null,
    mayLeaveMessages: true,
    dischargedOn: isoDate(now - daysAgo * DAY),
    dischargeDestination: 'gp',
    accessibilityNeeds: null,
    safetyInformation: null,
    referredBy: ids.coordinator!,
    referredAt: new Date(now - daysAgo * DAY),
    submissionToken: randomUUID(),
  });
  await new ParticipantRepository().insertAllocation(t.database.db, {
    id: randomUUID(),
    participantId: id,
    peerWorkerId: workerId,
    allocatedBy: ids.coordinator!,
    allocatedAt: new Date(now - daysAgo * DAY + 3_600_000),
    reason: null,
    endedAt: null,
    endedBy: null,
  });
  return id;
}

/** The prompts on a caseload card for one participant, most urgent first. */
function cardPrompts(html: string, participantId: string): string[] {
  const cards = html.split('<li>').filter((chunk) => chunk.includes(`href="/participants/${participantId}"`));
  const card = cards.find((chunk) => chunk.includes('nhsuk-card'));
  if (!card) return [];
  return [...card.matchAll(/data-prompt="([a-z_]+)"/g)].map((m) => m[1]!);
}

/** The "What needs doing" list's prompts, in order, as kind + participant id. */
function todo(html: string): { kind: string; participantId: string }[] {
  const section = html.split('id="todo"')[1]?.split('</ul>')[0] ?? '';
  return [...section.matchAll(/data-prompt="([a-z_]+)">\s*<a href="\/participants\/([0-9a-f-]+)"/g)].map(
    (m) => ({
      kind: m[1]!,
      participantId: m[2]!,
    }),
  );
}

/**
 * Pat's caseload as it is now. Sign-in sessions expire as the clock moves on (30 minutes idle),
 * so each look signs in afresh.
 */
async function caseloadPage(): Promise<string> {
  pat = await t.signedInAs(DEMO.workerPat);
  return (await pat.get('/caseload')).body;
}

async function book(participantId: string, daysFromNow: number, time = '10:00'): Promise<string> {
  pat = await t.signedInAs(DEMO.workerPat);
  const day = new Date(t.clock.now().getTime() + daysFromNow * DAY);
  await pat.get(`/participants/${participantId}/sessions/new`);
  const response = await pat.post(`/participants/${participantId}/sessions/new`, {
    submissionToken: randomUUID(),
    'plannedOn[day]': String(day.getUTCDate()),
    'plannedOn[month]': String(day.getUTCMonth() + 1),
    'plannedOn[year]': String(day.getUTCFullYear()),
    plannedTime: time,
    mode: 'phone',
  });
  expect(response.statusCode).toBe(303);
  const [row] = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT id FROM programme_sessions WHERE participant_id = ${participantId} ORDER BY booked_at DESC LIMIT 1`,
  );
  return row!.id;
}

async function record(sessionId: string, fields: Record<string, string>): Promise<void> {
  pat = await t.signedInAs(DEMO.workerPat);
  const page = await pat.get(`/sessions/${sessionId}/record`);
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '1';
  const response = await pat.post(`/sessions/${sessionId}/record`, { version, ...fields });
  expect(response.statusCode).toBe(303);
}

describe('what needs doing today', () => {
  it('follows one participant through every prompt, each on the day it is due', async () => {
    t.clock.set(TEST_NOW);
    const id = await participantOf(ids.pat!, 6, `Prompted-${String(Date.now() % 100000)}`);

    // Day 6 after discharge: nothing yet. Day 7: the first session is overdue.
    expect(cardPrompts(await caseloadPage(), id)).toEqual([]);
    t.clock.advance(DAY);
    let page = await caseloadPage();
    expect(cardPrompts(page, id)).toEqual(['first_session_overdue']);
    expect(page).toContain('No first session booked, 7 days since discharge');
    expect(todo(page)).toContainEqual({ kind: 'first_session_overdue', participantId: id });

    // Booked for tomorrow: the prompt goes.
    const first = await book(id, 1);
    expect(cardPrompts(await caseloadPage(), id)).toEqual([]);

    // They miss it: the most urgent prompt until someone tries to reach them.
    t.clock.advance(DAY + 2 * 3_600_000);
    await record(first, { status: 'did_not_attend', reason: 'unwell' });
    page = await caseloadPage();
    expect(cardPrompts(page, id)).toEqual(['missed_no_follow_up', 'first_session_overdue']);
    expect(page).toContain('Missed a session today: get in touch');
    expect(page).toContain('No session booked since the missed one');
    expect(todo(page)[0]).toEqual({ kind: 'missed_no_follow_up', participantId: id });
    await t.database.db.execute(
      sql`INSERT INTO contact_attempts (id, participant_id, made_by, made_at, method, outcome, reached, recorded_at, submission_token)
          VALUES (${randomUUID()}, ${id}, ${ids.pat}, ${t.clock.now().toISOString()}::timestamptz, 'phone', 'spoke', true, ${t.clock.now().toISOString()}::timestamptz, ${randomUUID()})`,
    );
    page = await caseloadPage();
    expect(cardPrompts(page, id)).toEqual(['first_session_overdue']);
    expect(page).toMatch(/Last contact<\/dt><dd class="nhsuk-summary-list__value">Today/);
    const second = await book(id, 20);
    expect(cardPrompts(await caseloadPage(), id)).toEqual([]);

    // Thirteen days without contact: nothing. Fourteen: the prompt.
    t.clock.advance(13 * DAY);
    expect(cardPrompts(await caseloadPage(), id)).toEqual([]);
    t.clock.advance(DAY);
    page = await caseloadPage();
    expect(cardPrompts(page, id)).toEqual(['no_contact']);
    expect(page).toContain('No contact for 14 days');

    // The session has started and is not recorded yet: record it (attended), and contact resets.
    t.clock.advance(7 * DAY);
    expect(cardPrompts(await caseloadPage(), id)).toEqual(['no_contact', 'record_session']);
    await record(second, {
      status: 'attended',
      durationMinutes: '50',
      storySharing: 'no',
    });
    expect(cardPrompts(await caseloadPage(), id)).toEqual([]);

    // Two weeks before the window closes (3 months after discharge), with sessions left, and no
    // ending planned.
    const [row] = await queryRows<{ discharged_on: string | Date }>(
      t.database,
      sql`SELECT discharged_on::text AS discharged_on FROM participants WHERE id = ${id}`,
    );
    const discharged = new Date(`${String(row!.discharged_on)}T12:00:00Z`);
    const windowEnds = new Date(discharged);
    windowEnds.setUTCMonth(windowEnds.getUTCMonth() + 3);
    await book(id, Math.ceil((windowEnds.getTime() - t.clock.now().getTime()) / DAY) - 5);
    t.clock.set(new Date(windowEnds.getTime() - 15 * DAY));
    await t.database.db.execute(
      sql`INSERT INTO contact_attempts (id, participant_id, made_by, made_at, method, outcome, reached, recorded_at, submission_token)
          VALUES (${randomUUID()}, ${id}, ${ids.pat}, ${t.clock.now().toISOString()}::timestamptz, 'text', 'reply_received', true, ${t.clock.now().toISOString()}::timestamptz, ${randomUUID()})`,
    );
    expect(cardPrompts(await caseloadPage(), id)).toEqual([]);
    t.clock.advance(DAY);
    page = await caseloadPage();
    expect(cardPrompts(page, id)).toEqual(['ending_not_planned', 'window_closing']);
    expect(page).toContain('Programme window closes in 14 days, 9 sessions left');
    t.clock.set(TEST_NOW);
  });

  it('orders the caseload most urgent first and shows days since last contact', async () => {
    t.clock.set(TEST_NOW);
    const page = await caseloadPage();
    const kinds = todo(page).map((item) => item.kind);
    const order = [
      'missed_no_follow_up',
      'change_requested',
      'first_session_overdue',
      'no_contact',
      'record_session',
      'ending_not_planned',
      'window_closing',
    ];
    expect(kinds.length).toBeGreaterThan(0);
    expect([...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(kinds);
    expect(page).toContain('Last contact');
  });

  it('says how many participants against the limit, and discharge "today", never paging or "0 weeks ago"', async () => {
    t.clock.set(TEST_NOW);
    const today = await participantOf(ids.pat!, 0, `Today-${String(Date.now() % 100000)}`);
    const page = await caseloadPage();
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
      t.database,
      sql`SELECT count(*)::int AS n FROM allocations a WHERE a.peer_worker_id = ${ids.pat} AND a.ended_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = a.participant_id)`,
    );
    expect(page).toContain(`You support ${String(n)} participants. Caseload limit: 12.`);
    expect(page).not.toMatch(/\d+ of \d+ participants/);
    const card = page.slice(page.indexOf(`/participants/${today}"`));
    expect(card.slice(0, card.indexOf('</li>'))).toContain('(today)');
    expect(page).not.toContain('0 weeks ago');

    coordinator = await t.signedInAs(DEMO.coordinator);
    const other = (await coordinator.get(`/caseloads/${ids.pat!}`)).body;
    expect(other).toContain(`They support ${String(n)} participants. Caseload limit: 12.`);
    const overview = (await coordinator.get('/caseloads')).body;
    expect(overview).toContain(`${String(n)} <span class="app-secondary-text">(limit 12)</span>`);
  });

  it('offers to raise a safety concern from each card of the worker’s own caseload', async () => {
    t.clock.set(TEST_NOW);
    const page = await caseloadPage();
    const [first] = [...page.matchAll(/class="nhsuk-card__link" href="\/participants\/([0-9a-f-]{36})"/g)];
    expect(page).toContain(`href="/participants/${first![1]!}/concerns/new?kind=concern"`);
    const form = await pat.get(`/participants/${first![1]!}/concerns/new?kind=concern`);
    expect(form.statusCode).toBe(200);
  });

  it('drops participants whose programme has ended from the caseload', async () => {
    const id = await participantOf(ids.pat!, 30, `Ended-${String(Date.now() % 100000)}`);
    expect(await caseloadPage()).toContain(`/participants/${id}"`);
    await t.database.db.execute(
      sql`INSERT INTO programme_endings (participant_id, reason, ended_on, sessions_attended, sections, share_consent, recorded_by, recorded_at)
          VALUES (${id}, 'participant_ended', ${isoDate(t.clock.now().getTime())}, 0, '{}', 'not_asked', ${ids.pat}, now())`,
    );
    expect(await caseloadPage()).not.toContain(`/participants/${id}"`);
  });
});

describe('across workers, and who is waiting', () => {
  it('shows supervisors every worker with what needs doing, and the team list', async () => {
    t.clock.set(TEST_NOW);
    supervisor = await t.signedInAs(DEMO.supervisorNorth);
    const page = await supervisor.get('/caseloads');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What needs doing across the team');
    expect(page.body).toMatch(/Needs doing <\/span>\d+ for \d+ (person|people)/);
    // Supervisors see who waits but do not allocate.
    expect(page.body).toContain('Waiting for a peer support worker');
    expect(page.body).not.toContain('/allocate"');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'caseload.overview_viewed'`,
      ),
    ).toBeGreaterThan(0);
  });

  it('marks a worker away: their participants wait for a new worker, overdue after 5 working days', async () => {
    t.clock.set(TEST_NOW); // Thursday 26 November 2026
    coordinator = await t.signedInAs(DEMO.coordinator);
    const robs = await queryRows<{ participant_id: string }>(
      t.database,
      sql`SELECT a.participant_id FROM allocations a WHERE a.peer_worker_id = ${ids.rob} AND a.ended_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = a.participant_id)`,
    );
    expect(robs.length).toBeGreaterThan(1);

    const form = await coordinator.get(`/caseloads/${ids.rob}/away`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`Their ${String(robs.length)} participants will be listed`);
    const invalid = await coordinator.post(`/caseloads/${ids.rob}/away`, { 'awayFrom[day]': '31' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('There is a problem');
    expect(invalid.body).toContain('First day away must include a month and year');
    expect(invalid.body).toContain('Select why they are away');
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM staff_users WHERE away_from IS NOT NULL`),
    ).toBe(0);

    const marked = await coordinator.post(`/caseloads/${ids.rob}/away`, {
      'awayFrom[day]': '26',
      'awayFrom[month]': '11',
      'awayFrom[year]': '2026',
      reason: 'sickness',
    });
    expect(marked.statusCode).toBe(303);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'staff.marked_away' AND entity_id = ${ids.rob}`,
      ),
    ).toBe(1);

    let waiting = (await coordinator.get('/allocation')).body;
    for (const { participant_id } of robs)
      expect(waiting).toContain(`/participants/${participant_id}/allocate`);
    expect(waiting).toContain('A new worker (Rob');
    expect(waiting).toContain('sickness absence');
    expect(waiting).toContain('Due by 3 December 2026');
    // Rob cannot be chosen while away.
    const allocatePage = (await coordinator.get(`/participants/${robs[0]!.participant_id}/allocate`)).body;
    expect(allocatePage).not.toContain(`value="${ids.rob}"`);

    // Five working days on (Thursday 3 December) is on target; the sixth is overdue.
    t.clock.set('2026-12-03T10:00:00Z');
    coordinator = await t.signedInAs(DEMO.coordinator);
    waiting = (await coordinator.get('/caseloads')).body;
    const rowOf = (html: string, participantId: string) =>
      html.split('<tr').find((row) => row.includes(`/participants/${participantId}"`)) ?? '';
    expect(rowOf(waiting, robs[0]!.participant_id)).toContain('5 working days');
    expect(rowOf(waiting, robs[0]!.participant_id)).not.toContain('Overdue');
    t.clock.set('2026-12-04T10:00:00Z');
    coordinator = await t.signedInAs(DEMO.coordinator);
    waiting = (await coordinator.get('/caseloads')).body;
    expect(rowOf(waiting, robs[0]!.participant_id)).toContain('Overdue');

    // Reallocated: no longer waiting.
    await coordinator.post(`/participants/${robs[0]!.participant_id}/allocate`, {
      peerWorkerId: ids.pat!,
      reason: 'Rob is off sick',
    });
    waiting = (await coordinator.get('/allocation')).body;
    expect(waiting).not.toContain(`/participants/${robs[0]!.participant_id}/allocate`);
    expect(waiting).toContain(`/participants/${robs[1]!.participant_id}/allocate`);

    // Rob is back: the rest stay with him.
    const back = await coordinator.post(`/caseloads/${ids.rob}/back`, {});
    expect(back.statusCode).toBe(303);
    waiting = (await coordinator.get('/allocation')).body;
    expect(waiting).not.toContain(`/participants/${robs[1]!.participant_id}/allocate`);
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM staff_users WHERE away_from IS NOT NULL`),
    ).toBe(0);
    t.clock.set(TEST_NOW);
  });

  it('links supervisors only to the waiting people they may open: those a worker still holds', async () => {
    t.clock.set(TEST_NOW);
    coordinator = await t.signedInAs(DEMO.coordinator);
    supervisor = await t.signedInAs(DEMO.supervisorNorth);
    await coordinator.post(`/caseloads/${ids.rob}/away`, {
      'awayFrom[day]': '26',
      'awayFrom[month]': '11',
      'awayFrom[year]': '2026',
      reason: 'sickness',
    });
    const unallocated = await queryRows<{ id: string; family_name: string }>(
      t.database,
      sql`SELECT p.id, p.family_name FROM participants p
          WHERE NOT EXISTS (SELECT 1 FROM allocations a WHERE a.participant_id = p.id AND a.ended_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = p.id)`,
    );
    const robs = await queryRows<{ participant_id: string }>(
      t.database,
      sql`SELECT participant_id FROM allocations WHERE peer_worker_id = ${ids.rob} AND reallocation_requested_at IS NOT NULL AND ended_at IS NULL`,
    );
    expect(unallocated.length).toBeGreaterThan(0);
    expect(robs.length).toBeGreaterThan(0);

    const page = (await supervisor.get('/caseloads')).body;
    const waitingSection = page.slice(page.indexOf('id="waiting"'), page.indexOf('id="workers"'));
    for (const { id, family_name } of unallocated) {
      expect(waitingSection).toContain(family_name.replace("'", '&#39;'));
      expect(waitingSection).not.toContain(`/participants/${id}"`);
    }
    for (const { participant_id } of robs)
      expect(waitingSection).toContain(`/participants/${participant_id}"`);
    // Every participant the page links to opens for them.
    const linked = [...page.matchAll(/href="(\/participants\/[0-9a-f-]{36})"/g)].map((match) => match[1]!);
    expect(linked.length).toBeGreaterThan(robs.length);
    for (const href of new Set(linked)) expect((await supervisor.get(href)).statusCode, href).toBe(200);

    // The coordinator, who allocates, still opens everyone from the list.
    const coordinatorPage = (await coordinator.get('/allocation')).body;
    for (const { id } of unallocated) expect(coordinatorPage).toContain(`/participants/${id}"`);
    await coordinator.post(`/caseloads/${ids.rob}/back`, {});
  });

  it('lets only the coordinator and supervisors mark a worker away', async () => {
    t.clock.set(TEST_NOW);
    coordinator = await t.signedInAs(DEMO.coordinator);
    supervisor = await t.signedInAs(DEMO.supervisorNorth);
    for (const email of [DEMO.workerPat, DEMO.clinicianNorth, DEMO.trialManager]) {
      const client = await t.signedInAs(email);
      expect((await client.get(`/caseloads/${ids.rob}/away`)).statusCode).toBe(404);
      await client.get('/help');
      const post = await client.post(`/caseloads/${ids.rob}/away`, {
        'awayFrom[day]': '26',
        'awayFrom[month]': '11',
        'awayFrom[year]': '2026',
        reason: 'leave',
      });
      expect(post.statusCode).toBe(404);
    }
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM staff_users WHERE away_from IS NOT NULL`),
    ).toBe(0);
    expect((await supervisor.get(`/caseloads/${ids.rob}/away`)).statusCode).toBe(200);
    // Someone who is not a peer support worker cannot be marked away.
    expect((await coordinator.get(`/caseloads/${ids.coordinator}/away`)).statusCode).toBe(404);
  });
});
