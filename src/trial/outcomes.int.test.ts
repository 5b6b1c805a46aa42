/**
 * Acute-care episodes and outcomes by arm through HTTP, trial mode on: the outcome assessor and
 * the trial manager record and correct episodes by study id, never seeing an arm; bad input
 * changes nothing; nothing is recorded for someone who withdrew from any use of their data, nor
 * once the trial is locked. Outcomes by arm are the unblinded statistician's alone: the locked
 * pilot's, or a DMC report of the open trial they asked for, each view audited; every other role
 * gets "not found" from every page of them.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from './demo-trial.ts';
import { seedDemoRandomisations } from './demo-randomisation.ts';
import { PILOT_TRIAL_ID, seedDemoEpisodes, seedDemoPilot } from './demo-outcomes.ts';

let t: TestApp;
const clients: Partial<Record<keyof typeof DEMO, TestClient>> = {};
const client = (who: keyof typeof DEMO) => clients[who]!;

/** Words that would give an arm away. */
const ARM_WORDS = /peer support \(|usual care|intervention|control arm|"control"|workbook/i;

const dateFields = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-') as [string, string, string];
  return { [`${name}[day]`]: day, [`${name}[month]`]: month, [`${name}[year]`]: year };
};

function episodeForm(over: Record<string, string> = {}, startedOn = addDays(ukToday(t.clock.now()), -3)) {
  return {
    submissionToken: randomUUID(),
    kind: 'inpatient_admission',
    ...dateFields('startedOn', startedOn),
    ...dateFields('endedOn', addDays(startedOn, 2)),
    source: 'hospital_records',
    notes: 'Admitted overnight, discharged home.',
    ...over,
  };
}

const episodesOf = (studyId: string) =>
  count(
    t.database,
    sql`SELECT count(*)::int AS n FROM trial_acute_episodes e JOIN trial_randomisations r ON r.id = e.randomisation_id
         WHERE r.study_id = ${studyId}`,
  );
const audits = (action: string) =>
  queryRows<{ actor_id: string; entity_id: string; detail: Record<string, unknown> }>(
    t.database,
    sql`SELECT actor_id, entity_id, detail FROM audit_events WHERE action = ${action} ORDER BY occurred_at`,
  );

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  const now = new Date(TEST_NOW);
  await seedDemoTrial(t.database.db, DEMO_TRUST_ID, now);
  await seedDemoRandomisations(t.database.db);
  await seedDemoEpisodes(t.database.db, DEMO_TRIAL_ID, now);
  await seedDemoPilot(t.database.db, DEMO_TRUST_ID, now);
  for (const who of Object.keys(DEMO) as (keyof typeof DEMO)[]) clients[who] = await t.signedInAs(DEMO[who]);
});
afterAll(async () => {
  await t.close();
});

describe('recording acute-care episodes', () => {
  it('the assessor finds a study id and records an episode, seeing no arm anywhere, audited', async () => {
    const assessor = client('assessor');
    const find = await assessor.get('/trial/episodes');
    expect(find.statusCode).toBe(200);
    const found = await assessor.post('/trial/episodes', { studyId: 'peers-demo-0003' });
    expect(found.statusCode).toBe(303);
    expect(found.headers.location).toBe('/trial/episodes/PEERS-DEMO-0003');
    const before = await episodesOf('PEERS-DEMO-0003');
    const form = episodeForm();
    const saved = await assessor.post('/trial/episodes/PEERS-DEMO-0003/new', form);
    expect(saved.statusCode).toBe(303);
    // The same form again (a double click) records nothing more.
    expect((await assessor.post('/trial/episodes/PEERS-DEMO-0003/new', form)).statusCode).toBe(303);
    expect(await episodesOf('PEERS-DEMO-0003')).toBe(before + 1);
    const page = await assessor.get('/trial/episodes/PEERS-DEMO-0003?done=recorded');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Inpatient admission to a mental health ward');
    expect(page.body).toContain('Hospital records');
    for (const body of [find.body, page.body, (await assessor.get('/trial/episodes/PEERS-DEMO-0003/new')).body])
      expect(body).not.toMatch(ARM_WORDS);
    const [event] = (await audits('trial.episode_recorded')).slice(-1);
    expect(event?.detail).toMatchObject({ studyId: 'PEERS-DEMO-0003', kind: 'inpatient_admission' });
    expect(JSON.stringify(event?.detail)).not.toMatch(/arm|intervention|control/);
  });

  it('says a study id it does not know in the error summary, the locked pilot’s included', async () => {
    for (const studyId of ['PEERS-DEMO-0999', 'PEERS-PILOT-0001', '', '<script>']) {
      const answer = await client('assessor').post('/trial/episodes', { studyId });
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toContain('nhsuk-error-summary');
    }
    expect((await client('assessor').get('/trial/episodes/PEERS-PILOT-0001')).statusCode).toBe(404);
  });

  it('refuses bad dates with the error summary and records nothing', async () => {
    const today = ukToday(t.clock.now());
    const before = await episodesOf('PEERS-DEMO-0002');
    const cases: [Record<string, string>, string][] = [
      [episodeForm({ ...dateFields('endedOn', addDays(today, -10)) }), 'Date it ended must be on or after the date it started'],
      [episodeForm({}, addDays(today, 1)), 'Date it started must be today or in the past'],
      [episodeForm({}, '2020-01-01'), 'on or after the date they consented'],
      [episodeForm({ kind: 'holiday' }), 'Select what kind of acute care it was'],
      [episodeForm({ source: '' }), 'Select where the information came from'],
    ];
    for (const [form, message] of cases) {
      const answer = await client('assessor').post('/trial/episodes/PEERS-DEMO-0002/new', form);
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toContain('nhsuk-error-summary');
      expect(answer.body).toContain(message);
    }
    expect(await episodesOf('PEERS-DEMO-0002')).toBe(before);
  });

  it('answers hostile forms with a 4xx, never a server error', async () => {
    const fields = ['submissionToken', 'kind', 'startedOn[day]', 'startedOn[month]', 'startedOn[year]', 'endedOn[day]', 'source', 'notes', 'version'];
    await fc.assert(
      fc.asyncProperty(hostileForm(fields, 'inpatient_admission', 'hospital_records'), async (posted) => {
        const answer = await client('assessor').post('/trial/episodes/PEERS-DEMO-0002/new', posted);
        expect([303, 400]).toContain(answer.statusCode);
      }),
      { numRuns: 25 },
    );
    for (const path of ['/trial/episodes/peers%00', '/trial/episodes/PEERS-DEMO-0002/not-a-uuid'])
      expect((await client('assessor').get(path)).statusCode).toBe(404);
  });

  it('the trial manager corrects an episode, audited with before and after; a stale correction is refused', async () => {
    const manager = client('trialManager');
    const form = episodeForm();
    await manager.post('/trial/episodes/PEERS-DEMO-0004/new', form);
    const [row] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM trial_acute_episodes WHERE submission_token = ${form.submissionToken}`,
    );
    const path = `/trial/episodes/PEERS-DEMO-0004/${row!.id}`;
    const shown = await manager.get(path);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('name="version" value="1"');
    const changed = await manager.post(path, { ...form, version: '1', kind: 'crisis_house' });
    expect(changed.statusCode).toBe(303);
    const [event] = (await audits('trial.episode_changed')).slice(-1);
    expect(event?.detail).toEqual({ studyId: 'PEERS-DEMO-0004', before: { kind: 'inpatient_admission' }, after: { kind: 'crisis_house' } });
    // Someone who opened it before that correction and now saves theirs.
    const stale = await manager.post(path, { ...form, version: '1', source: 'gp_records' });
    expect(stale.statusCode).toBe(409);
    expect((await manager.get('/trial/episodes/PEERS-DEMO-0004')).body).toContain('Stay in a crisis house');
  });

  it('records nothing for someone who withdrew from any use of their data', async () => {
    await t.database.db.execute(
      sql`INSERT INTO trial_withdrawals (id, consent_id, scope, withdrawn_on, reason, recorded_by, recorded_at, submission_token)
          SELECT ${randomUUID()}, r.consent_id, 'data', ${ukToday(t.clock.now())}::date, NULL, r.randomised_by, now(), ${randomUUID()}
            FROM trial_randomisations r WHERE r.study_id = 'PEERS-DEMO-0001'`,
    );
    const page = await client('assessor').get('/trial/episodes/PEERS-DEMO-0001');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('withdrew from any use of their data');
    expect(page.body).not.toContain('Stay in a crisis house');
    expect((await client('assessor').get('/trial/episodes/PEERS-DEMO-0001/new')).statusCode).toBe(404);
    const before = await episodesOf('PEERS-DEMO-0001');
    expect((await client('assessor').post('/trial/episodes/PEERS-DEMO-0001/new', episodeForm())).statusCode).toBe(409);
    expect(await episodesOf('PEERS-DEMO-0001')).toBe(before);
  });

  it('is for outcome assessors and the trial manager only: every other role gets "not found"', async () => {
    for (const who of Object.keys(DEMO) as (keyof typeof DEMO)[]) {
      if (who === 'assessor' || who === 'trialManager') continue;
      for (const path of ['/trial/episodes', '/trial/episodes/PEERS-DEMO-0003', '/trial/episodes/PEERS-DEMO-0003/new'])
        expect((await client(who).get(path)).statusCode, `${who} ${path}`).toBe(404);
      expect((await client(who).post('/trial/episodes/PEERS-DEMO-0003/new', episodeForm())).statusCode).toBe(404);
    }
    // The assessor still sees nothing else of the trial: not its home, nor the arms' balance.
    expect((await client('assessor').get('/trial')).statusCode).toBe(404);
    expect((await client('assessor').get('/trial/balance')).statusCode).toBe(404);
  });
});

describe('outcomes by arm', () => {
  const dmcForm = (over: Record<string, string> = {}) => ({
    submissionToken: randomUUID(),
    ...dateFields('meetingOn', addDays(ukToday(t.clock.now()), 14)),
    purpose: 'Planned interim review of safety and recruitment',
    ...over,
  });

  it('lists the statistician’s trials: the locked pilot with its outcomes, the open one with a DMC report to ask for', async () => {
    const page = await client('statistician').get('/trial/outcomes');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('PEERS-PILOT');
    expect(page.body).toContain(`/trial/outcomes/${PILOT_TRIAL_ID}"`);
    expect(page.body).toContain(`/trial/outcomes/${DEMO_TRIAL_ID}/dmc-reports/new`);
    expect(page.body).not.toContain(`/trial/outcomes/${DEMO_TRIAL_ID}"`);
  });

  it('shows the locked pilot’s outcomes by arm with intervals and completeness, auditing the unblinding first', async () => {
    const before = (await audits('trial.unblinded_report')).length;
    const page = await client('statistician').get(`/trial/outcomes/${PILOT_TRIAL_ID}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Readmission within 365 days, by arm');
    expect(page.body).toMatch(/Risk difference \(95% interval\)/);
    expect(page.body).toMatch(/\d+\.\d% \(\d+\.\d% to \d+\.\d%\)/);
    expect(page.body).toContain('Data completeness by arm');
    const events = await audits('trial.unblinded_report');
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      actor_id: await t.staffId(DEMO.statistician),
      detail: { trialId: PILOT_TRIAL_ID, basis: 'database_lock' },
    });
  });

  it('gives the open trial’s outcomes only as a DMC report the statistician asked for, naming the meeting, each view audited', async () => {
    const statistician = client('statistician');
    expect((await statistician.get(`/trial/outcomes/${DEMO_TRIAL_ID}`)).statusCode).toBe(404);
    const bad = await statistician.post(`/trial/outcomes/${DEMO_TRIAL_ID}/dmc-reports/new`, dmcForm({ purpose: ' ' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter what the committee meets for');
    const form = dmcForm();
    const asked = await statistician.post(`/trial/outcomes/${DEMO_TRIAL_ID}/dmc-reports/new`, form);
    expect(asked.statusCode).toBe(303);
    expect((await statistician.post(`/trial/outcomes/${DEMO_TRIAL_ID}/dmc-reports/new`, form)).statusCode).toBe(303);
    expect(await count(t.database, sql`SELECT count(*)::int AS n FROM trial_dmc_reports`)).toBe(1);
    const views = (await audits('trial.unblinded_report')).length;
    const report = await statistician.get(asked.headers.location as string);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Planned interim review of safety and recruitment');
    expect(report.body).toContain('Confidential to the data monitoring committee');
    await statistician.get(asked.headers.location as string);
    const events = await audits('trial.unblinded_report');
    expect(events).toHaveLength(views + 2);
    expect(events.at(-1)?.detail).toMatchObject({ trialId: DEMO_TRIAL_ID, basis: 'dmc_report' });
    expect(await audits('trial.dmc_report_requested')).toHaveLength(1);
    // A locked trial has its final outcomes: no DMC report of it.
    expect((await statistician.get(`/trial/outcomes/${PILOT_TRIAL_ID}/dmc-reports/new`)).statusCode).toBe(404);
  });

  it('is the statistician’s alone: every other role, the trial manager included, gets "not found" from every page', async () => {
    const [report] = await queryRows<{ id: string }>(t.database, sql`SELECT id FROM trial_dmc_reports LIMIT 1`);
    const paths = [
      '/trial/outcomes',
      `/trial/outcomes/${PILOT_TRIAL_ID}`,
      `/trial/outcomes/${DEMO_TRIAL_ID}/dmc-reports/new`,
      `/trial/outcomes/${DEMO_TRIAL_ID}/dmc-reports/${report!.id}`,
    ];
    const views = (await audits('trial.unblinded_report')).length;
    for (const who of Object.keys(DEMO) as (keyof typeof DEMO)[]) {
      if (who === 'statistician') continue;
      for (const path of paths) expect((await client(who).get(path)).statusCode, `${who} ${path}`).toBe(404);
      expect((await client(who).post(paths[2]!, dmcForm())).statusCode).toBe(404);
      expect((await client(who).get('/trial')).body).not.toContain('/trial/outcomes');
    }
    expect(await audits('trial.unblinded_report')).toHaveLength(views);
    expect(await count(t.database, sql`SELECT count(*)::int AS n FROM trial_dmc_reports`)).toBe(1);
  });
});

describe('once the trial is locked', () => {
  it('refuses recording or correcting an episode, and a DMC report, with a conflict', async () => {
    const [episode] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT e.id FROM trial_acute_episodes e JOIN trial_randomisations r ON r.id = e.randomisation_id
           WHERE r.study_id = 'PEERS-DEMO-0004' LIMIT 1`,
    );
    await t.database.db.execute(sql`UPDATE trials SET locked_at = now() WHERE id = ${DEMO_TRIAL_ID}`);
    const before = await count(t.database, sql`SELECT count(*)::int AS n FROM trial_acute_episodes`);
    expect((await client('assessor').post('/trial/episodes/PEERS-DEMO-0003/new', episodeForm())).statusCode).toBe(409);
    expect(
      (await client('trialManager').post(`/trial/episodes/PEERS-DEMO-0004/${episode!.id}`, { ...episodeForm(), version: '2' }))
        .statusCode,
    ).toBe(409);
    expect(await count(t.database, sql`SELECT count(*)::int AS n FROM trial_acute_episodes`)).toBe(before);
    const page = await client('assessor').get('/trial/episodes/PEERS-DEMO-0003');
    expect(page.body).toContain('The trial is locked');
    expect(page.body).not.toContain('Record an episode');
  });
});
