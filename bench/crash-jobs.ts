/**
 * `npm run crash-test:jobs [-- cycles [least-mid-send-kills]]`: the senders' crash-safety check
 * (hazards H1, H11, H30). Each cycle adds due work (session reminders, unacknowledged safety
 * concerns, overdue lone visits, serious adverse events of the demo trial whose report to the
 * sponsor is due soon or overdue), starts the real background senders
 * (bench/crash-jobs-worker.ts) and `kill -9`s them at the worst moment: the stand-in provider
 * says when it is on its Nth message (N from 1 to 4) and waits, and the kill lands there.
 * Cycles alternate between a kill after the provider took the message but before the outbox
 * recorded it (the case that would send a message twice), and a kill after the outbox claimed
 * it but just before the provider call (the case that would lose it). Each restart is three
 * minutes later by the senders' clock, so leases run out and interrupted messages are looked
 * up by reference. At the end a last run drains the outbox, and every decision is counted
 * against what the provider was handed: each (reminder | escalation step | alert step,
 * recipient) exactly once, and each message a kill interrupted was checked by reference on a
 * restart and handed to the provider exactly once.
 * The exit code is 1 unless 0 are lost, 0 duplicated, and at least `least-mid-send-kills`
 * (by default a quarter of the cycles, at least 1) kills landed after the provider took a
 * message and before the outbox recorded it. Embedded database by default; set DATABASE_URL
 * to a PostgreSQL database made for it (it is filled with demo data).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/platform/database/database.ts';
import { openEmbeddedDatabase, openPostgresDatabase } from '../src/platform/database/database.ts';
import { migrate } from '../src/platform/database/migrate.ts';
import { DEMO_TRUST_ID, seedDemoData } from '../src/demo/seed.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from '../src/trial/demo-trial.ts';
import { seedDemoRandomisations } from '../src/trial/demo-randomisation.ts';
import { SAE_CLOCK_SOURCE } from '../src/trial/sae.service.ts';

const cycles = Number(process.argv[2] ?? 30);
const leastMidSendKills = Number(process.argv[3] ?? Math.max(1, Math.floor(cycles / 4)));
const postgresUrl = process.env.DATABASE_URL;
const dataDir = mkdtempSync(path.join(tmpdir(), 'greenleaf-crash-jobs-'));
// Midday UK time, so reminders fall inside everyone's safe hours for the whole run.
const today = new Date().toISOString().slice(0, 10);
const BASE = Date.parse(`${today}T12:00:00Z`);
const CYCLE_MS = 3 * 60_000;
// PostgreSQL needs the audit key given (the embedded database keeps its own in DATA_DIR).
const auditKey = process.env.AUDIT_KEY ?? randomBytes(32).toString('base64');

const open = (): Promise<Database> =>
  postgresUrl ? Promise.resolve(openPostgresDatabase(postgresUrl, 2)) : openEmbeddedDatabase(dataDir);

async function rows<T>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  const result: unknown = await database.db.execute(query);
  return (result as { rows: T[] }).rows;
}

type KillMode = 'before' | 'after';
/** A kill that landed where it was aimed: the message the senders held when they died. */
interface LandedKill {
  mode: KillMode;
  reference: string;
}
// If the senders, once ready, never reach the Nth message (too little due work), they are killed anyway.
const KILL_ANYWAY_MS = 60_000;

/**
 * Runs the senders with their clock at `clockMs`. Given a kill, they are killed with SIGKILL as
 * soon as the provider says it is on that message (or KILL_ANYWAY_MS after they are ready); without, they run
 * until the outbox is drained.
 */
async function runSenders(
  clockMs: number,
  kill?: { at: number; mode: KillMode },
): Promise<LandedKill | undefined> {
  // The same node and flags as this script (a TypeScript loader, where node needs one).
  const child = spawn(process.execPath, [...process.execArgv, 'bench/crash-jobs-worker.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      ...(postgresUrl ? { AUDIT_KEY: auditKey } : {}),
      DEMO_MODE: 'on',
      TRIAL_MODE: 'on',
      LOG_LEVEL: 'silent',
      CRASH_CLOCK_MS: String(clockMs),
      CRASH_DRAIN: kill ? 'off' : 'on',
      ...(kill ? { CRASH_KILL_AT: String(kill.at), CRASH_KILL_MODE: kill.mode } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let landed: LandedKill | undefined;
  let anyway: NodeJS.Timeout | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word, mode, reference] = line.split(' ');
    // Starting up can take long on a loaded machine: the wait starts once the senders are built.
    if (word === 'ready' && kill) anyway = setTimeout(() => child.kill('SIGKILL'), KILL_ANYWAY_MS);
    if (word !== 'kill-me' || !kill || !reference) return;
    child.kill('SIGKILL');
    landed = { mode: mode === 'before' ? 'before' : 'after', reference };
  });
  await exited;
  clearTimeout(anyway);
  return landed;
}

/** What became of each message a kill interrupted: how often the provider got it, and its outbox row. */
async function afterKills(
  database: Database,
  kills: LandedKill[],
): Promise<{ checked: number; wrong: string[] }> {
  const wrong: string[] = [];
  let checked = 0;
  for (const kill of kills) {
    const [row] = await rows<{ state: string; attempts: number | string; handed: number | string }>(
      database,
      sql`SELECT m.state, m.attempts, (SELECT count(*) FROM crash_provider c WHERE c.reference = m.id) AS handed
          FROM message_outbox m WHERE m.id = ${kill.reference}`,
    );
    if (!row) {
      wrong.push(`${kill.reference} (killed ${kill.mode} the provider call) is not in the outbox`);
      continue;
    }
    // A second claim is the restart that asked the provider by reference before sending.
    if (Number(row.attempts) > 1) checked += 1;
    if (row.state !== 'sent' || Number(row.handed) !== 1 || Number(row.attempts) < 2)
      wrong.push(
        `${kill.reference} (killed ${kill.mode} the provider call): ${row.state}, claimed ${String(row.attempts)} times, handed to the provider ${String(row.handed)} times`,
      );
  }
  return { checked, wrong };
}

/** Adds due work, as of `now`: reminders for planned sessions, open concerns past their deadline, overdue visits. */
async function addWork(database: Database, now: Date): Promise<void> {
  // Three participants with an email and a worker each get a session in two days, booked now.
  const people = await rows<{ participant_id: string; email: string; worker: string }>(
    database,
    sql`SELECT p.id AS participant_id, p.email, a.peer_worker_id AS worker FROM participants p
        JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL
        WHERE p.email IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = p.id)
        ORDER BY random() LIMIT 3`,
  );
  const sessions: { id: string; planned_at: Date; participant_id: string; email: string }[] = [];
  for (const person of people) {
    const session = {
      id: randomUUID(),
      planned_at: new Date(now.getTime() + 2 * 86_400_000 + Math.floor(Math.random() * 240) * 60_000),
      participant_id: person.participant_id,
      email: person.email,
    };
    await database.db.execute(sql`
      INSERT INTO programme_sessions (id, participant_id, peer_worker_id, booked_by, booked_at, planned_at, mode, submission_token)
      VALUES (${session.id}, ${person.participant_id}, ${person.worker}, ${person.worker}, ${now}, ${session.planned_at}, 'phone', ${randomUUID()})`);
    sessions.push(session);
  }
  for (const s of sessions) {
    await database.db.execute(
      sql`UPDATE participants SET reminder_channel = 'email', reminder_earliest_hour = 8, reminder_latest_hour = 21 WHERE id = ${s.participant_id}`,
    );
    for (const kind of ['booked', 'upcoming']) {
      await database.db.execute(sql`
        INSERT INTO session_reminders (id, session_id, participant_id, kind, channel, recipient, session_starts_at,
          due_at, status, next_attempt_at, created_at)
        VALUES (${randomUUID()}, ${s.id}, ${s.participant_id}, ${kind}, 'email', ${s.email}, ${s.planned_at},
          ${now}, 'scheduled', ${now}, ${now})`);
    }
  }
  const [concernParticipant] = await rows<{ id: string; team: string; worker: string }>(
    database,
    sql`SELECT p.id, p.crisis_team_id AS team, w.id AS worker FROM participants p
        JOIN staff_users w ON w.crisis_team_id = p.crisis_team_id AND 'peer_worker' = ANY(w.roles)
        ORDER BY p.referred_at, w.email LIMIT 1`,
  );
  if (concernParticipant) {
    for (let i = 0; i < 2; i++) {
      // Past the deadline by 0 to 90 minutes: some steps now, the rest on later restarts.
      const deadline = new Date(now.getTime() - Math.random() * 90 * 60_000);
      await database.db.execute(sql`
        INSERT INTO safety_concerns (id, kind, participant_id, crisis_team_id, raised_by, raised_at, urgency,
          what_happened, acknowledge_by, submission_token)
        VALUES (${randomUUID()}, 'concern', ${concernParticipant.id}, ${concernParticipant.team},
          ${concernParticipant.worker}, ${new Date(deadline.getTime() - 3600_000)}, 'urgent',
          'crash test', ${deadline}, ${randomUUID()})`);
    }
    // A serious adverse event whose report to the sponsor is due within the next 4 hours (a
    // warning now) or was due up to 2 hours ago (the warning and the overdue notice).
    const [randomised] = await rows<{ id: string; manager: string }>(
      database,
      sql`SELECT r.id, r.randomised_by AS manager FROM trial_randomisations r
          WHERE r.trial_id = ${DEMO_TRIAL_ID} ORDER BY random() LIMIT 1`,
    );
    if (randomised) {
      const reportBy = new Date(now.getTime() + (Math.random() * 6 - 2) * 3600_000);
      const awareAt = new Date(reportBy.getTime() - 24 * 3600_000);
      await database.db.execute(sql`
        INSERT INTO trial_saes (id, trial_id, randomisation_id, kind, onset_on, aware_at, report_by, summary,
          relatedness, expectedness, recorded_by, recorded_at, submission_token)
        VALUES (${randomUUID()}, ${DEMO_TRIAL_ID}, ${randomised.id}, 'self_harm_hospital',
          ${awareAt.toISOString().slice(0, 10)}, ${awareAt}, ${reportBy}, 'crash test', 'unlikely', 'expected',
          ${randomised.manager}, ${awareAt}, ${randomUUID()})`);
    }
    const expectedEnd = new Date(now.getTime() - (15 + Math.random() * 60) * 60_000);
    await database.db.execute(sql`
      INSERT INTO lone_working_visits (id, worker_id, place, checked_in_at, expected_end_at, submission_token)
      VALUES (${randomUUID()}, ${concernParticipant.worker}, 'A community venue',
        ${new Date(expectedEnd.getTime() - 3600_000)}, ${expectedEnd}, ${randomUUID()})`);
  }
}

interface Tally {
  kind: string;
  expected: number;
  lost: number;
  duplicated: number;
}

/** Each decision's recipients against the provider's calls, by the outbox message's reference. */
async function tally(database: Database): Promise<Tally[]> {
  const count = (decisions: ReturnType<typeof sql>) =>
    rows<{ n: number | string; sent: number | string }>(
      database,
      sql`WITH decisions AS (${decisions})
          SELECT d.source_kind, d.source_id, d.recipient,
            (SELECT count(*) FROM message_outbox m JOIN crash_provider c ON c.reference = m.id
              WHERE m.source_kind = d.source_kind AND m.source_id = d.source_id AND m.recipient = d.recipient) AS sent,
            1 AS n
          FROM decisions d`,
    );
  const summarise = (kind: string, list: { sent: number | string }[]): Tally => ({
    kind,
    expected: list.length,
    lost: list.filter((r) => Number(r.sent) === 0).length,
    duplicated: list.filter((r) => Number(r.sent) > 1).length,
  });
  return [
    summarise(
      'reminders',
      await count(
        sql`SELECT 'reminder' AS source_kind, id::text AS source_id, recipient FROM session_reminders WHERE created_at >= ${new Date(BASE)}`,
      ),
    ),
    summarise(
      'escalation emails',
      await count(
        sql`SELECT 'escalation' AS source_kind, e.id::text AS source_id, unnest(e.recipients) AS recipient FROM safety_escalations e
            JOIN safety_concerns c ON c.id = e.concern_id WHERE c.what_happened = 'crash test'`,
      ),
    ),
    summarise(
      'lone working alerts',
      await count(
        sql`SELECT 'lone-working-alert' AS source_kind, a.id::text AS source_id, unnest(a.recipients) AS recipient FROM lone_working_alerts a`,
      ),
    ),
    // Each warning claimed on an event goes to every trial manager of the trial's sites.
    summarise(
      'SAE clock emails',
      await count(
        sql`SELECT ${`${SAE_CLOCK_SOURCE}-`} || w.step AS source_kind, e.id::text AS source_id, u.email AS recipient
            FROM trial_saes e
            CROSS JOIN LATERAL (VALUES ('due-soon', e.warned_at), ('overdue', e.overdue_at)) AS w (step, at)
            JOIN trial_sites ts ON ts.trial_id = e.trial_id
            JOIN staff_users u ON u.trust_id = ts.trust_id AND 'trial_manager' = ANY (u.roles) AND u.disabled_at IS NULL
            WHERE e.summary = 'crash test' AND w.at IS NOT NULL`,
      ),
    ),
  ];
}

const started = Date.now();
try {
  let database = await open();
  await migrate(database);
  await seedDemoData(database.db, new Date(BASE));
  // The demo trial, randomised: its serious adverse events' clock is one of the senders.
  await seedDemoTrial(database.db, DEMO_TRUST_ID, new Date(BASE));
  await seedDemoRandomisations(database.db);
  await database.db.execute(
    sql`CREATE TABLE IF NOT EXISTS crash_provider (n serial PRIMARY KEY, reference uuid NOT NULL, recipient text NOT NULL, template text NOT NULL)`,
  );
  // Only this run's work: the demo's own concerns and visits are settled.
  await database.db.execute(
    sql`UPDATE safety_concerns SET status = 'acknowledged', acknowledged_at = raised_at WHERE status = 'open'`,
  );
  await database.db.execute(
    sql`UPDATE lone_working_visits SET checked_out_at = expected_end_at WHERE checked_out_at IS NULL`,
  );
  await database.db.execute(
    sql`UPDATE session_reminders SET status = 'cancelled' WHERE status = 'scheduled'`,
  );
  await database.close();

  const kills: LandedKill[] = [];
  for (let cycle = 0; cycle < cycles; cycle++) {
    const clockMs = BASE + cycle * CYCLE_MS;
    database = await open();
    await addWork(database, new Date(clockMs));
    await database.close();
    const mode: KillMode = cycle % 2 === 0 ? 'after' : 'before';
    const landed = await runSenders(clockMs, { at: 1 + Math.floor(Math.random() * 4), mode });
    if (landed) kills.push(landed);
    if ((cycle + 1) % 10 === 0) console.log(`${String(cycle + 1)} kill -9 cycles`);
  }
  // A last run, late enough for every lease, retry and escalation step: then count.
  await runSenders(BASE + cycles * CYCLE_MS + 3 * 3600_000);
  database = await open();
  try {
    const results = await tally(database);
    const [pending] = await rows<{ n: number | string }>(
      database,
      sql`SELECT count(*) AS n FROM message_outbox WHERE state IN ('queued', 'sending')`,
    );
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(
      `\n${String(cycles)} kill -9 cycles in ${String(seconds)} s on ${postgresUrl ? 'PostgreSQL' : 'the embedded database'}:`,
    );
    for (const r of results)
      console.log(
        `  ${r.kind.padEnd(20)} ${String(r.expected).padStart(5)} to send, ${String(r.lost)} lost, ${String(r.duplicated)} duplicated`,
      );
    console.log(`  still in the outbox: ${String(pending?.n ?? 0)}`);
    const [taken] = await rows<{ n: number | string }>(
      database,
      sql`SELECT count(*) AS n FROM message_outbox WHERE attempts > 1`,
    );
    console.log(`  messages interrupted by a kill and checked by reference: ${String(taken?.n ?? 0)}`);
    const midSend = kills.filter((k) => k.mode === 'after');
    const beforeSend = kills.filter((k) => k.mode === 'before');
    const midSendCheck = await afterKills(database, midSend);
    const beforeSendCheck = await afterKills(database, beforeSend);
    console.log(
      `  kills after the provider took a message, before the outbox recorded it: ${String(midSend.length)}` +
        ` (${String(midSendCheck.checked)} checked by reference on restart; at least ${String(leastMidSendKills)} needed)`,
    );
    console.log(
      `  kills after the outbox claimed a message, just before the provider call: ${String(beforeSend.length)}` +
        ` (${String(beforeSendCheck.checked)} checked by reference on restart)`,
    );
    console.log(`  kills that found no message to stop at: ${String(cycles - kills.length)}`);
    const wrong = [...midSendCheck.wrong, ...beforeSendCheck.wrong];
    for (const w of wrong) console.log(`  WRONG: ${w}`);
    const failed =
      results.some((r) => r.lost > 0 || r.duplicated > 0 || r.expected === 0) ||
      Number(pending?.n ?? 0) > 0 ||
      Number(taken?.n ?? 0) === 0 ||
      midSendCheck.checked < leastMidSendKills ||
      wrong.length > 0;
    console.log(failed ? '  FAILED' : '  passed');
    if (failed) process.exitCode = 1;
  } finally {
    await database.close();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
