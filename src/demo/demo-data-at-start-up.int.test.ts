/**
 * Production never runs with the made-up demo data: its 15 staff accounts share a password
 * printed in the README. Start-up refuses a database holding it (however it got there), the
 * configuration refuses to load it, and `npm run db:seed` refuses to put it there.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../platform/database/database.ts';
import { createTestDatabase } from '../platform/database/test-database.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { followUpState, loadFollowUpSchedule, windowOf } from '../trial/follow-up-schedule.ts';
import { loadInstruments } from '../trial/instruments.ts';
import { demoDataAtStartUp, DemoDataInProductionError } from './demo-data-at-start-up.ts';
import { seedDemoData } from './seed.ts';
import { DEMO_TRIAL_ID } from '../trial/demo-trial.ts';
import { PILOT_TRIAL_ID } from '../trial/demo-outcomes.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const production = { environment: 'production', seedDemoData: false, trialMode: false } as const;
const development = { environment: 'development', seedDemoData: true, trialMode: false } as const;
const trialMode = { ...development, trialMode: true } as const;

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

const staffCount = async (db: Database) => count(db, sql`SELECT count(*)::int AS n FROM staff_users`);

describe('starting in production', () => {
  it('refuses a database that db:seed filled earlier, saying what to do', async () => {
    database = await createTestDatabase();
    await seedDemoData(database.db, NOW);
    const start = demoDataAtStartUp(production, database.db, NOW);
    await expect(start).rejects.toBeInstanceOf(DemoDataInProductionError);
    await expect(start).rejects.toThrow(/demo data.*DATABASE_URL/s);
  });

  it('refuses a database where only a demo account is left', async () => {
    database = await createTestDatabase();
    const trustId = randomUUID();
    await database.db.execute(
      sql`INSERT INTO trusts (id, name, ods_code) VALUES (${trustId}, 'Real trust', 'RX1')`,
    );
    await database.db.execute(
      sql`INSERT INTO staff_users (id, trust_id, email, full_name, roles, password_hash, caseload_limit)
          VALUES (${randomUUID()}, ${trustId}, 'coordinator@demo.greenleaf.nhs.uk', 'Carol', '{coordinator}', 'x', 12)`,
    );
    await expect(demoDataAtStartUp(production, database.db, NOW)).rejects.toBeInstanceOf(
      DemoDataInProductionError,
    );
  });

  it('starts on a database without demo data, and loads none', async () => {
    database = await createTestDatabase();
    expect(await demoDataAtStartUp(production, database.db, NOW)).toBeUndefined();
    expect(await staffCount(database)).toBe(0);
  });
});

describe('starting anywhere else', () => {
  it('loads the demo data the first time only', async () => {
    database = await createTestDatabase();
    const seeded = await demoDataAtStartUp(development, database.db, NOW);
    expect(seeded).toHaveLength(15);
    const staff = await staffCount(database);
    expect(await demoDataAtStartUp(development, database.db, NOW)).toBeUndefined();
    expect(await staffCount(database)).toBe(staff);
  });
});

describe('the demo trial', () => {
  const screenings = async (db: Database) =>
    count(db, sql`SELECT count(*)::int AS n FROM trial_screenings WHERE trial_id = ${DEMO_TRIAL_ID}`);

  it('is seeded with the demo in trial mode, once: twenty screenings, most consented, one withdrawal', async () => {
    database = await createTestDatabase();
    await demoDataAtStartUp(trialMode, database.db, NOW);
    expect(await screenings(database)).toBe(20);
    expect(
      await count(
        database,
        sql`SELECT count(*)::int AS n FROM trial_consents c JOIN trial_screenings s ON s.id = c.screening_id
             WHERE s.trial_id = ${DEMO_TRIAL_ID}`,
      ),
    ).toBe(11);
    expect(
      await count(
        database,
        sql`SELECT count(*)::int AS n FROM trial_screenings WHERE NOT eligible AND trial_id = ${DEMO_TRIAL_ID}`,
      ),
    ).toBe(5);
    expect(
      await count(
        database,
        sql`SELECT count(*)::int AS n FROM trial_withdrawals WHERE scope = 'intervention'`,
      ),
    ).toBe(1);
    await demoDataAtStartUp(trialMode, database.db, NOW);
    expect(await screenings(database)).toBe(20);
  });

  it('comes with a completed, locked pilot for the statistician, randomised in both arms with its episodes, once', async () => {
    database = await createTestDatabase();
    await demoDataAtStartUp(trialMode, database.db, NOW);
    const pilot = sql`SELECT count(*)::int AS n FROM trial_randomisations WHERE trial_id = ${PILOT_TRIAL_ID}`;
    expect(await count(database, pilot)).toBe(60);
    for (const arm of ['intervention', 'control'])
      expect(
        await count(
          database,
          sql`SELECT count(*)::int AS n FROM trial_randomisations WHERE trial_id = ${PILOT_TRIAL_ID} AND arm = ${arm}`,
        ),
      ).toBeGreaterThan(20);
    expect(
      await count(database, sql`SELECT count(*)::int AS n FROM trials WHERE id = ${PILOT_TRIAL_ID} AND locked_at IS NOT NULL`),
    ).toBe(1);
    expect(
      await count(database, sql`SELECT count(*)::int AS n FROM trial_acute_episodes WHERE trial_id = ${PILOT_TRIAL_ID}`),
    ).toBeGreaterThan(15);
    // The pages' trial is still the one in progress, with a few episodes of its own.
    expect(
      await count(database, sql`SELECT count(*)::int AS n FROM trial_acute_episodes WHERE trial_id = ${DEMO_TRIAL_ID}`),
    ).toBe(2);
    await demoDataAtStartUp(trialMode, database.db, NOW);
    expect(await count(database, pilot)).toBe(60);
  });

  it('has follow-ups overdue, due (one done with a guess, one whose record is linked) and coming up', async () => {
    database = await createTestDatabase();
    await demoDataAtStartUp(trialMode, database.db, NOW);
    const [month4] = loadFollowUpSchedule(loadInstruments()).timePoints;
    const people = await queryRows<{
      randomisedAt: string | Date;
      outcome: 'done' | null;
      guess: string | null;
      linked: boolean;
      arm: 'intervention' | 'control';
    }>(
      database,
      sql`SELECT r.randomised_at AS "randomisedAt", f.outcome, f.arm_guess AS guess, r.participant_id IS NOT NULL AS linked, r.arm
            FROM trial_randomisations r LEFT JOIN trial_follow_ups f ON f.randomisation_id = r.id
           WHERE r.trial_id = ${DEMO_TRIAL_ID}
           ORDER BY r.study_number`,
    );
    const states = people.map((p) =>
      followUpState({
        window: windowOf(month4!, new Date(p.randomisedAt)),
        today: ukToday(NOW),
        recorded: p.outcome,
        withdrawnFromFollowUp: false,
      }),
    );
    expect(states.slice(0, 5)).toEqual(['overdue', 'due', 'done', 'due', 'upcoming']);
    expect(states.slice(5).every((s) => s === 'upcoming')).toBe(true);
    expect(people[2]?.guess).toBe('dont_know');
    // A serious adverse event reported in time, and one whose report is due within hours.
    const saes = await queryRows<{ reported: boolean; hoursLeft: number }>(
      database,
      sql`SELECT reported_at IS NOT NULL AS reported, extract(epoch FROM report_by - ${NOW.toISOString()}::timestamptz)::int / 3600 AS "hoursLeft"
            FROM trial_saes WHERE trial_id = ${DEMO_TRIAL_ID} ORDER BY aware_at`,
    );
    expect(saes).toEqual([
      { reported: true, hoursLeft: expect.any(Number) as unknown },
      { reported: false, hoursLeft: 3 },
    ]);
    // Every record linked (so anyone due can be invited) but the newest intervention member's,
    // left for the trial manager to link.
    const lastIntervention = people.map((p) => p.arm).lastIndexOf('intervention');
    expect(people.map((p) => p.linked)).toEqual(people.map((_, i) => i !== lastIntervention));
    // Consent before randomisation, and the trial opened before anyone was screened.
    expect(
      await count(
        database,
        sql`SELECT count(*)::int AS n FROM trial_randomisations r JOIN trial_consents c ON c.id = r.consent_id
             JOIN trial_screenings s ON s.id = c.screening_id JOIN trials t ON t.id = r.trial_id
            WHERE c.recorded_at > r.randomised_at OR s.screened_at > c.recorded_at OR t.opened_at > s.screened_at`,
      ),
    ).toBe(0);
  });

  it('is not seeded without trial mode, and is added when a demo started without it restarts in trial mode', async () => {
    database = await createTestDatabase();
    await demoDataAtStartUp(development, database.db, NOW);
    expect(await count(database, sql`SELECT count(*)::int AS n FROM trials`)).toBe(0);
    expect(await screenings(database)).toBe(0);
    await demoDataAtStartUp(trialMode, database.db, NOW);
    expect(await screenings(database)).toBe(20);
  });

  it('is never seeded in production', async () => {
    database = await createTestDatabase();
    await demoDataAtStartUp({ ...production, trialMode: true }, database.db, NOW);
    expect(await count(database, sql`SELECT count(*)::int AS n FROM trials`)).toBe(0);
  });
});

describe('npm run db:seed', () => {
  it('refuses in production, naming NODE_ENV, before it opens any database', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const run = promisify(execFile)(process.execPath, [path.join(root, 'scripts/db-seed.ts')], {
      cwd: root,
      // Nothing listens on port 1: a script that tried to connect would fail differently.
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:1/none' },
    });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('NODE_ENV is production') as unknown,
    });
  });
});
