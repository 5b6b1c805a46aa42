/**
 * Every page × every role × own, other and unallocated records, through real HTTP. The
 * allowed set is written out by hand; anything else must be refused (redirect to sign-in,
 * 403 or 404). Zero unexpected allows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';

let t: TestApp;
const ids: Record<string, string> = {};
const clients: Record<string, TestClient> = {};

type Who =
  | 'anonymous'
  | 'participant'
  | 'coordinator'
  | 'supervisor'
  | 'workerPat'
  | 'workerNat'
  | 'clinicianNorth'
  | 'clinicianSouth'
  | 'trialManager'
  | 'assessor'
  | 'analyst';

const STAFF: Partial<Record<Who, string>> = {
  coordinator: DEMO.coordinator,
  supervisor: DEMO.supervisorNorth,
  workerPat: DEMO.workerPat,
  workerNat: DEMO.workerNat,
  clinicianNorth: DEMO.clinicianNorth,
  clinicianSouth: DEMO.clinicianSouth,
  trialManager: DEMO.trialManager,
  assessor: DEMO.assessor,
  analyst: DEMO.analyst,
};
const EVERY_STAFF: Who[] = Object.keys(STAFF) as Who[];

beforeAll(async () => {
  t = await createTestApp();
  const find = async (where: ReturnType<typeof sql>) =>
    (
      await queryRows<{ id: string }>(
        t.database,
        sql`SELECT p.id FROM participants p JOIN crisis_teams c ON c.id = p.crisis_team_id LEFT JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL LEFT JOIN staff_users s ON s.id = a.peer_worker_id WHERE ${where} LIMIT 1`,
      )
    )[0]!.id;
  ids.patsNorth = await find(
    sql`s.email = ${DEMO.workerPat} AND c.name LIKE 'North%' AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = p.id)`,
  );
  // Pat's participant whose programme ended, with the summary shared with the North crisis team (seed).
  ids.patsEnded = await find(
    sql`s.email = ${DEMO.workerPat} AND EXISTS (SELECT 1 FROM programme_ending_shares e WHERE e.participant_id = p.id AND e.recipient_kind = 'crisis_team')`,
  );
  ids.robsNorth = await find(sql`s.email = ${DEMO.workerRob} AND c.name LIKE 'North%'`);
  ids.othersSouth = await find(sql`s.email <> ${DEMO.workerPat} AND c.name LIKE 'South%'`);
  ids.unallocatedNorth = await find(sql`a.id IS NULL AND c.name LIKE 'North%'`);
  ids.pat = await t.staffId(DEMO.workerPat);
  ids.rob = await t.staffId(DEMO.workerRob);
  ids.patsOneToOne = (
    await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM supervision_sessions WHERE worker_id = ${ids.pat} AND kind = 'one_to_one' LIMIT 1`,
    )
  )[0]!.id;
  const [vacancy] = await queryRows<{ id: string }>(t.database, sql`SELECT id FROM vacancies LIMIT 1`);
  ids.vacancy = vacancy!.id;
  ids.candidate = (
    await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM candidates WHERE full_name = 'Alex Applicant' LIMIT 1`,
    )
  )[0]!.id;
  ids.patsTraining = (
    await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM training_records WHERE staff_id = ${ids.pat} LIMIT 1`,
    )
  )[0]!.id;
  ids.team = (await queryRows<{ id: string }>(t.database, sql`SELECT id FROM crisis_teams LIMIT 1`))[0]!.id;
  ids.patsSession = '0b7e2d4a-5c1f-4e8a-9d3b-6f2a1c0e9b11';
  await t.database.db.execute(
    sql`INSERT INTO programme_sessions (id, participant_id, peer_worker_id, booked_by, booked_at, planned_at, mode, submission_token)
        VALUES (${ids.patsSession}, ${ids.patsNorth}, ${ids.pat}, ${ids.pat}, now(), now(), 'phone', ${randomUUID()})`,
  );

  ids.patsFutureSession = '0b7e2d4a-5c1f-4e8a-9d3b-6f2a1c0e9b12';
  await t.database.db.execute(
    sql`INSERT INTO programme_sessions (id, participant_id, peer_worker_id, booked_by, booked_at, planned_at, mode, submission_token)
        VALUES (${ids.patsFutureSession}, ${ids.patsNorth}, ${ids.pat}, ${ids.pat}, now(), '2026-12-10T10:00:00Z', 'phone', ${randomUUID()})`,
  );

  ids.patsConcern = '0b7e2d4a-5c1f-4e8a-9d3b-6f2a1c0e9b13';
  await t.database.db.execute(
    sql`INSERT INTO safety_concerns (id, kind, participant_id, crisis_team_id, raised_by, raised_at, urgency, what_happened, acknowledge_by, submission_token)
        SELECT ${ids.patsConcern}, 'concern', p.id, p.crisis_team_id, ${ids.pat}, now(), 'urgent', 'Route access', now(), ${randomUUID()}
        FROM participants p WHERE p.id = ${ids.patsNorth}`,
  );

  // Pat's participant's plan: "Moving on" shared with Pat, "Managing ups and downs" with the
  // care team too, "What recovery means to me" kept private; one entry with a history.
  await t.database.db.execute(
    sql`INSERT INTO recovery_plans (participant_id, template_version, started_at)
        VALUES (${ids.patsNorth}, 1, now()) ON CONFLICT DO NOTHING`,
  );
  for (const [section, visibility] of [
    ['moving_on', 'worker'],
    ['ups_and_downs', 'care_team'],
    ['recovery_means', 'private'],
  ] as const) {
    await t.database.db.execute(
      sql`INSERT INTO plan_section_sharing (participant_id, section_key, visibility, changed_at)
          VALUES (${ids.patsNorth}, ${section}, ${visibility}, now())
          ON CONFLICT (participant_id, section_key) DO UPDATE SET visibility = EXCLUDED.visibility`,
    );
  }
  ids.patsEntry = '0b7e2d4a-5c1f-4e8a-9d3b-6f2a1c0e9b14';
  await t.database.db.execute(
    sql`INSERT INTO plan_entries (id, participant_id, section_key, field_key, kind, content, revision, written_by_kind, written_by, created_at, updated_at)
        VALUES (${ids.patsEntry}, ${ids.patsNorth}, 'moving_on', 'what_helped', 'text', '{"text":"Route access"}', 1, 'participant', ${ids.patsNorth}, now(), now())`,
  );
  await t.database.db.execute(
    sql`INSERT INTO plan_entry_revisions (entry_id, revision, content, removed, change, written_by_kind, written_by, written_at, save_id)
        VALUES (${ids.patsEntry}, 1, '{"text":"Route access"}', false, 'written', 'participant', ${ids.patsNorth}, now(), ${randomUUID()})`,
  );

  // A photo in a section shared with the worker, and one shared with the care team too.
  for (const [key, section] of [
    ['workerMedia', 'moving_on'],
    ['careTeamMedia', 'ups_and_downs'],
  ] as const) {
    ids[key] = randomUUID();
    const entryId = randomUUID();
    await t.database.db.execute(
      sql`INSERT INTO plan_media (id, participant_id, kind, content_type, bytes, byte_size, width, height, created_by_kind, created_by, created_at)
          VALUES (${ids[key]}, ${ids.patsNorth}, 'photo', 'image/jpeg', ${Buffer.from([0xff, 0xd8, 0xff])}, 3, 1, 1, 'participant', ${ids.patsNorth}, now())`,
    );
    await t.database.db.execute(
      sql`INSERT INTO plan_entries (id, participant_id, section_key, field_key, kind, content, media_id, revision, written_by_kind, written_by, created_at, updated_at)
          VALUES (${entryId}, ${ids.patsNorth}, ${section}, 'media', 'media', '{"kind":"photo","description":""}', ${ids[key]}, 1, 'participant', ${ids.patsNorth}, now(), now())`,
    );
  }

  clients.anonymous = t.client();
  for (const [who, email] of Object.entries(STAFF)) clients[who] = await t.signedInAs(email);
  const participant = t.client();
  await participant.get('/demo');
  await participant.post(`/demo/sign-in/participant/${ids.patsNorth}`, {});
  clients.participant = participant;
});
afterAll(async () => {
  await t.close();
});

const ROUTES: { path: () => string; allowed: Who[] }[] = [
  { path: () => '/help', allowed: ['anonymous', 'participant', ...EVERY_STAFF] },
  { path: () => '/me', allowed: ['participant'] },
  { path: () => '/home', allowed: EVERY_STAFF },
  // Live sign-in codes and mobile numbers: never for the research roles.
  {
    path: () => '/demo/outbox',
    allowed: ['coordinator', 'supervisor', 'workerPat', 'workerNat', 'clinicianNorth', 'clinicianSouth'],
  },
  { path: () => '/caseload', allowed: ['workerPat', 'workerNat'] },
  { path: () => '/caseloads', allowed: ['coordinator', 'supervisor'] },
  { path: () => '/concerns/overview', allowed: ['coordinator', 'supervisor'] },
  { path: () => '/concerns/overview?month=2026-10', allowed: ['coordinator', 'supervisor'] },
  { path: () => `/concerns/overview/teams/${ids.team!}`, allowed: ['coordinator', 'supervisor'] },
  { path: () => `/caseloads/${ids.pat}`, allowed: ['coordinator', 'supervisor', 'workerPat'] },
  { path: () => `/caseloads/${ids.rob}`, allowed: ['coordinator', 'supervisor'] },
  { path: () => '/allocation', allowed: ['coordinator'] },
  { path: () => '/referrals', allowed: ['coordinator', 'clinicianNorth', 'clinicianSouth'] },
  { path: () => '/referrals/new', allowed: ['coordinator', 'clinicianNorth', 'clinicianSouth'] },
  {
    path: () => `/participants/${ids.patsNorth}`,
    allowed: ['coordinator', 'supervisor', 'workerPat', 'clinicianNorth'],
  },
  { path: () => `/participants/${ids.robsNorth}`, allowed: ['coordinator', 'supervisor', 'clinicianNorth'] },
  {
    path: () => `/participants/${ids.othersSouth}`,
    allowed: ['coordinator', 'supervisor', 'clinicianSouth'],
  },
  { path: () => `/participants/${ids.unallocatedNorth}`, allowed: ['coordinator', 'clinicianNorth'] },
  { path: () => `/participants/${ids.patsNorth}/allocate`, allowed: ['coordinator'] },
  { path: () => `/participants/${ids.unallocatedNorth}/allocate`, allowed: ['coordinator'] },
  { path: () => `/participants/${ids.patsNorth}/sessions/new`, allowed: ['workerPat'] },
  { path: () => `/participants/${ids.robsNorth}/sessions/new`, allowed: [] },
  { path: () => `/participants/${ids.unallocatedNorth}/sessions/new`, allowed: [] },
  { path: () => `/participants/${ids.patsNorth}/sessions/past`, allowed: ['workerPat'] },
  { path: () => `/participants/${ids.robsNorth}/sessions/past`, allowed: [] },
  { path: () => `/participants/${ids.unallocatedNorth}/sessions/past`, allowed: [] },
  { path: () => `/sessions/${ids.patsSession}/record`, allowed: ['workerPat'] },
  { path: () => `/participants/${ids.patsNorth}/reminders`, allowed: ['workerPat'] },
  { path: () => `/participants/${ids.robsNorth}/reminders`, allowed: [] },
  { path: () => '/me/reminders', allowed: ['participant'] },
  // Equality monitoring answers: the participant's own, never staff's to open.
  { path: () => '/me/about-you', allowed: ['participant'] },
  { path: () => '/me/about-you/ethnic-group', allowed: ['participant'] },
  { path: () => '/me/about-you/first-language', allowed: ['participant'] },
  { path: () => '/me/about-you/not-a-question', allowed: [] },
  { path: () => `/me/sessions/${ids.patsSession}/calendar.ics`, allowed: ['participant'] },
  // Public (the link in an email), but only with a real token.
  { path: () => `/calendar/${'A'.repeat(43)}.ics`, allowed: [] },
  { path: () => `/participants/${ids.patsNorth}/ending`, allowed: ['coordinator', 'workerPat'] },
  { path: () => `/participants/${ids.robsNorth}/ending`, allowed: ['coordinator'] },
  { path: () => `/participants/${ids.patsEnded}/ending`, allowed: ['coordinator', 'workerPat'] },
  // Not ended: there is no summary to read yet.
  { path: () => `/participants/${ids.patsNorth}/ending/summary`, allowed: [] },
  {
    path: () => `/participants/${ids.patsEnded}/ending/summary`,
    allowed: ['coordinator', 'supervisor', 'workerPat', 'clinicianNorth'],
  },
  { path: () => `/participants/${ids.patsEnded}/ending/share`, allowed: ['coordinator', 'workerPat'] },
  // The signed-in participant's programme has not ended (endings.int.test.ts reads an ended one's).
  { path: () => '/me/summary', allowed: [] },
  // Feedback is asked only once the programme has ended (feedback.int.test.ts gives it as one who has).
  { path: () => '/me/feedback', allowed: [] },
  { path: () => '/me/feedback/thanks', allowed: [] },
  // Participants' feedback in aggregate: the coordinator (with the comments) and supervisors.
  { path: () => '/reports/feedback', allowed: ['coordinator', 'supervisor'] },
  {
    path: () => `/reports/feedback?team=${ids.team!}&from=2026-01&to=2026-11`,
    allowed: ['coordinator', 'supervisor'],
  },
  // The trial's pages exist only in trial mode, off here: nobody opens them (trial.int.test.ts
  // goes through every role with it on, research staff of a trust outside the trial included).
  { path: () => '/trial', allowed: [] },
  { path: () => '/trial/screenings', allowed: [] },
  { path: () => '/trial/screenings/new', allowed: [] },
  { path: () => `/trial/screenings/${ids.team!}`, allowed: [] },
  { path: () => '/trial/balance', allowed: [] },
  { path: () => '/trial/follow-ups', allowed: [] },
  { path: () => '/trial/unblindings', allowed: [] },
  { path: () => '/trial/unblindings/new', allowed: [] },
  { path: () => '/trial/set-up', allowed: [] },
  { path: () => '/trial/saes', allowed: [] },
  { path: () => `/trial/screenings/${ids.team!}/participant`, allowed: [] },
  { path: () => `/trial/screenings/${ids.team!}/workbook`, allowed: [] },
  { path: () => '/trial/episodes', allowed: [] },
  { path: () => '/trial/episodes/PEERS-DEMO-0001', allowed: [] },
  { path: () => '/trial/outcomes', allowed: [] },
  { path: () => `/trial/outcomes/${ids.team!}`, allowed: [] },
  { path: () => '/trial/queries', allowed: [] },
  { path: () => '/trial/queries/new', allowed: [] },
  { path: () => '/trial/deviations', allowed: [] },
  { path: () => '/trial/deviations/new', allowed: [] },
  { path: () => '/trial/lock', allowed: [] },
  { path: () => '/trial/exports', allowed: [] },
  { path: () => `/participants/${ids.patsNorth}/contacts/new`, allowed: ['workerPat'] },
  { path: () => `/participants/${ids.robsNorth}/contacts/new`, allowed: [] },
  { path: () => `/participants/${ids.unallocatedNorth}/contacts/new`, allowed: [] },
  { path: () => `/me/sessions/${ids.patsFutureSession}/rearrange`, allowed: ['participant'] },
  { path: () => `/caseloads/${ids.pat}/away`, allowed: ['coordinator', 'supervisor'] },
  { path: () => `/caseloads/${ids.rob}/away`, allowed: ['coordinator', 'supervisor'] },
  { path: () => `/participants/${ids.patsNorth}/consent`, allowed: ['workerPat'] },
  { path: () => `/participants/${ids.robsNorth}/consent`, allowed: [] },
  { path: () => `/participants/${ids.unallocatedNorth}/consent`, allowed: [] },
  { path: () => '/lone-working', allowed: ['workerPat', 'workerNat'] },
  { path: () => '/lone-working/check-in', allowed: ['workerPat', 'workerNat'] },
  { path: () => '/lone-working/overdue', allowed: ['coordinator', 'supervisor'] },
  // Training (issue 15): a worker's own record; every worker's for supervisors and the coordinator.
  { path: () => '/training', allowed: ['coordinator', 'supervisor'] },
  { path: () => '/training.csv', allowed: ['coordinator', 'supervisor'] },
  { path: () => '/training/mine', allowed: ['workerPat', 'workerNat'] },
  { path: () => `/training/workers/${ids.pat}`, allowed: ['coordinator', 'supervisor', 'workerPat'] },
  { path: () => `/training/workers/${ids.rob}`, allowed: ['coordinator', 'supervisor'] },
  { path: () => `/training/workers/${ids.pat}/record`, allowed: ['coordinator', 'supervisor'] },
  {
    path: () => `/training/workers/${ids.pat}/records/${ids.patsTraining}/withdraw`,
    allowed: ['coordinator', 'supervisor'],
  },
  { path: () => `/training/workers/${ids.pat}/checks`, allowed: ['coordinator'] },
  { path: () => `/training/workers/${ids.pat}/supervisor`, allowed: ['coordinator'] },
  // Supervision: dates for supervisors and the coordinator; a 1:1 only with someone you supervise.
  { path: () => '/supervision', allowed: ['coordinator', 'supervisor'] },
  { path: () => '/workforce', allowed: ['coordinator', 'supervisor'] },
  { path: () => '/reports', allowed: ['coordinator', 'supervisor'] },
  { path: () => '/reports/download', allowed: ['coordinator', 'supervisor'] },
  // Appointments: the coordinator; a vacancy and its candidates for the panel (Carol, Sunita, Pat).
  {
    path: () => '/appointments',
    allowed: ['coordinator', 'supervisor', 'workerPat', 'workerNat', 'clinicianNorth', 'clinicianSouth'],
  },
  { path: () => '/appointments/new', allowed: ['coordinator'] },
  { path: () => `/appointments/${ids.vacancy}`, allowed: ['coordinator', 'supervisor', 'workerPat'] },
  { path: () => `/appointments/${ids.vacancy}/candidates/new`, allowed: ['coordinator'] },
  {
    path: () => `/appointments/candidates/${ids.candidate}`,
    allowed: ['coordinator', 'supervisor', 'workerPat'],
  },
  // Peer support: workers ask; supervisors see their supervisees' open requests on the same page.
  { path: () => '/peer-support', allowed: ['workerPat', 'workerNat', 'supervisor'] },
  { path: () => '/supervision/mine', allowed: ['workerPat', 'workerNat'] },
  { path: () => '/supervision/group', allowed: ['coordinator', 'supervisor'] },
  { path: () => `/supervision/workers/${ids.pat}/targets`, allowed: ['coordinator'] },
  { path: () => `/supervision/workers/${ids.pat}/one-to-one`, allowed: ['supervisor'] },
  { path: () => `/supervision/one-to-one/${ids.patsOneToOne}`, allowed: ['supervisor', 'workerPat'] },
  // Wellbeing: the worker's own; the supervisor's inbox; counts (never names) for the coordinator.
  { path: () => '/wellbeing', allowed: ['workerPat', 'workerNat'] },
  { path: () => '/wellbeing/requests', allowed: ['supervisor'] },
  { path: () => '/wellbeing/teams', allowed: ['coordinator'] },
  // Pat's training is complete: there is nothing to allow, but the coordinator may still set one.
  { path: () => `/training/workers/${ids.pat}/allow`, allowed: ['coordinator'] },
  { path: () => `/participants/${ids.patsNorth}/concerns/new?kind=concern`, allowed: ['workerPat'] },
  { path: () => `/participants/${ids.patsNorth}/concerns/new?kind=advice`, allowed: ['workerPat'] },
  { path: () => `/participants/${ids.robsNorth}/concerns/new`, allowed: [] },
  { path: () => `/participants/${ids.unallocatedNorth}/concerns/new`, allowed: [] },
  {
    path: () => `/concerns/${ids.patsConcern}`,
    allowed: ['coordinator', 'supervisor', 'workerPat', 'clinicianNorth'],
  },
  { path: () => '/concerns/inbox', allowed: ['clinicianNorth', 'clinicianSouth'] },
  { path: () => '/concerns/mine', allowed: ['workerPat', 'workerNat'] },
  // Every staff account changes its own password; choosing one at first sign-in or from a set-up
  // link belongs to a half-finished sign-in or a real link, never to a signed-in session.
  { path: () => '/account/password', allowed: EVERY_STAFF },
  { path: () => '/sign-in/new-password', allowed: [] },
  { path: () => `/account/set-up/${'A'.repeat(43)}`, allowed: [] },
  { path: () => '/account/set-up/done', allowed: ['anonymous', 'participant', ...EVERY_STAFF] },
  { path: () => '/admin/teams', allowed: ['coordinator'] },
  { path: () => '/admin/teams/new', allowed: ['coordinator'] },
  { path: () => '/admin/staff', allowed: ['coordinator'] },
  { path: () => '/admin/staff/new', allowed: ['coordinator'] },
  { path: () => `/admin/staff/${ids.pat}`, allowed: ['coordinator'] },
  { path: () => `/admin/staff/${ids.pat}/edit`, allowed: ['coordinator'] },
  { path: () => `/admin/teams/${ids.team}/edit`, allowed: ['coordinator'] },
  // Storage used by recovery plans (sizes only): the coordinator's admin area.
  { path: () => '/admin/storage', allowed: ['coordinator'] },
  // Messages given up on after their retries (they name who they were for).
  { path: () => '/admin/messages/not-delivered', allowed: ['coordinator'] },
  // The recovery plan (issue 4): the participant's own; staff see only what they share.
  { path: () => '/me/plan', allowed: ['participant'] },
  { path: () => '/me/plan/moving_on', allowed: ['participant'] },
  { path: () => '/me/plan/recovery_means', allowed: ['participant'] },
  { path: () => '/me/plan/sharing', allowed: ['participant'] },
  { path: () => '/me/plan/views', allowed: ['participant'] },
  { path: () => `/me/plan/moving_on/entries/${ids.patsEntry}/history`, allowed: ['participant'] },
  // Switched off in the template: nobody.
  { path: () => '/me/plan/crisis_planning', allowed: [] },
  { path: () => `/participants/${ids.patsNorth}/plan`, allowed: ['workerPat', 'clinicianNorth'] },
  { path: () => `/participants/${ids.patsNorth}/plan/moving_on`, allowed: ['workerPat'] },
  {
    path: () => `/participants/${ids.patsNorth}/plan/ups_and_downs`,
    allowed: ['workerPat', 'clinicianNorth'],
  },
  { path: () => `/participants/${ids.patsNorth}/plan/recovery_means`, allowed: [] },
  {
    path: () => `/participants/${ids.patsNorth}/plan/moving_on/entries/${ids.patsEntry}/history`,
    allowed: ['workerPat'],
  },
  // The entry is in "Moving on": asked for under another section, it is not there.
  {
    path: () => `/participants/${ids.patsNorth}/plan/ups_and_downs/entries/${ids.patsEntry}/history`,
    allowed: [],
  },
  { path: () => `/participants/${ids.robsNorth}/plan`, allowed: ['clinicianNorth'] },
  { path: () => `/participants/${ids.othersSouth}/plan`, allowed: ['clinicianSouth'] },
  { path: () => `/participants/${ids.unallocatedNorth}/plan`, allowed: ['clinicianNorth'] },
  { path: () => '/plan/information/recovery', allowed: ['anonymous', 'participant', ...EVERY_STAFF] },
  { path: () => '/me/struggling', allowed: ['participant'] },
  { path: () => `/me/plan/media/${ids.workerMedia}`, allowed: ['participant'] },
  { path: () => `/me/plan/media/${ids.careTeamMedia}`, allowed: ['participant'] },
  { path: () => `/participants/${ids.patsNorth}/plan/media/${ids.workerMedia}`, allowed: ['workerPat'] },
  {
    path: () => `/participants/${ids.patsNorth}/plan/media/${ids.careTeamMedia}`,
    allowed: ['workerPat', 'clinicianNorth'],
  },
  // Asked for through another participant's plan, it is not there.
  { path: () => `/participants/${ids.robsNorth}/plan/media/${ids.careTeamMedia}`, allowed: [] },
  { path: () => '/me/plan/print', allowed: ['participant'] },
  { path: () => '/me/plan/pdf', allowed: ['participant'] },
  { path: () => `/participants/${ids.patsNorth}/plan/print`, allowed: ['workerPat', 'clinicianNorth'] },
  { path: () => `/participants/${ids.patsNorth}/plan/pdf`, allowed: ['workerPat', 'clinicianNorth'] },
  { path: () => `/participants/${ids.robsNorth}/plan/pdf`, allowed: ['clinicianNorth'] },
  { path: () => '/plan/workbook.pdf', allowed: ['anonymous', 'participant', ...EVERY_STAFF] },
  { path: () => '/sw.js', allowed: ['anonymous', 'participant', ...EVERY_STAFF] },
];

const WHO: Who[] = ['anonymous', 'participant', ...EVERY_STAFF];

describe('every page for every role', () => {
  for (const route of ROUTES) {
    it(`${route.allowed.join(', ')} and nobody else can open ${route.path().replace(/[0-9a-f-]{36}/, ':id')}`, async () => {
      const path = route.path();
      const outcome: Record<string, number> = {};
      for (const who of WHO) outcome[who] = (await clients[who]!.get(path)).statusCode;
      const allowed = WHO.filter((who) => outcome[who] === 200).sort();
      expect(allowed).toEqual([...route.allowed].sort());
      for (const who of WHO) {
        if (!route.allowed.includes(who)) expect([303, 403, 404]).toContain(outcome[who]);
      }
    });
  }

  it('writes an audit event for every view of a participant record', async () => {
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'participant.viewed' AND entity_id = ${ids.robsNorth}`,
    );
    await clients.clinicianNorth!.get(`/participants/${ids.robsNorth}`);
    await clients.workerPat!.get(`/participants/${ids.robsNorth}`);
    const after = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'participant.viewed' AND entity_id = ${ids.robsNorth}`,
    );
    expect(after).toBe(before + 1);
  });
});

describe('changes refused for roles that may not make them', () => {
  it('only the coordinator can allocate', async () => {
    const before = await count(t.database, sql`SELECT count(*) AS n FROM allocations`);
    for (const who of WHO.filter((w) => w !== 'coordinator')) {
      const client = clients[who]!;
      await client.get('/help');
      const response = await client.post(`/participants/${ids.unallocatedNorth}/allocate`, {
        peerWorkerId: ids.pat!,
      });
      expect([303, 401, 403, 404]).toContain(response.statusCode);
    }
    expect(await count(t.database, sql`SELECT count(*) AS n FROM allocations`)).toBe(before);
  });

  it('only clinicians and the coordinator can refer', async () => {
    const before = await count(t.database, sql`SELECT count(*) AS n FROM participants`);
    for (const who of WHO.filter((w) => !['coordinator', 'clinicianNorth', 'clinicianSouth'].includes(w))) {
      const client = clients[who]!;
      await client.get('/help');
      const response = await client.post('/referrals', { givenName: 'Not', familyName: 'Allowed' });
      expect([303, 401, 403, 404]).toContain(response.statusCode);
    }
    expect(await count(t.database, sql`SELECT count(*) AS n FROM participants`)).toBe(before);
  });

  it('only the participant’s own peer support worker can book or record a session', async () => {
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM programme_sessions WHERE participant_id = ${ids.patsNorth}`,
    );
    for (const who of WHO.filter((w) => w !== 'workerPat')) {
      const client = clients[who]!;
      await client.get('/help');
      const booked = await client.post(`/participants/${ids.patsNorth}/sessions/new`, {
        submissionToken: randomUUID(),
        'plannedOn[day]': '1',
        'plannedOn[month]': '12',
        'plannedOn[year]': '2026',
        plannedTime: '10:00',
        mode: 'phone',
      });
      expect([303, 401, 403, 404]).toContain(booked.statusCode);
      const recorded = await client.post(`/sessions/${ids.patsSession}/record`, {
        version: '1',
        status: 'did_not_attend',
        reason: 'unwell',
      });
      expect([303, 401, 403, 404]).toContain(recorded.statusCode);
      const recordedPast = await client.post(`/participants/${ids.patsNorth}/sessions/past`, {
        submissionToken: randomUUID(),
        'plannedOn[day]': '25',
        'plannedOn[month]': '11',
        'plannedOn[year]': '2026',
        plannedTime: '10:00',
        mode: 'phone',
        status: 'did_not_attend',
        reason: 'unwell',
      });
      expect([303, 401, 403, 404]).toContain(recordedPast.statusCode);
    }
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM programme_sessions WHERE participant_id = ${ids.patsNorth}`,
      ),
    ).toBe(before);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM programme_sessions WHERE id = ${ids.patsSession} AND version = 1 AND status = 'planned'`,
      ),
    ).toBe(1);
  });

  it('takes away access on the next request when an account is disabled', async () => {
    const client = await t.signedInAs(DEMO.workerRob);
    expect((await client.get('/caseload')).statusCode).toBe(200);
    await t.database.db.execute(
      sql`UPDATE staff_users SET disabled_at = now() WHERE email = ${DEMO.workerRob}`,
    );
    expect((await client.get('/caseload')).statusCode).toBe(303);
  });
});
