/**
 * Data queries and protocol deviations: an outcome assessor or analyst raises a query on a value
 * of a randomised person's record, the trial manager answers it, whoever raised it closes it or
 * re-opens it; the trial manager records deviations. Nothing a blinded role is shown gives the
 * arm; nobody else may do any of it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from './demo-trial.ts';
import { seedDemoRandomisations } from './demo-randomisation.ts';
import { seedDemoDataQuality } from './demo-data-quality.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

let t: TestApp;
let manager: TestClient;
let analyst: TestClient;
let assessor: TestClient;
let studyId: string;
let arm: string;

const auditOf = (id: string) =>
  queryRows<{ action: string; detail: Record<string, unknown> }>(
    t.database,
    sql`SELECT action, detail FROM audit_events WHERE entity_id = ${id} ORDER BY seq`,
  );

async function raise(client: TestClient, over: Record<string, string> = {}): Promise<string> {
  const answer = await client.post('/trial/queries/new', {
    submissionToken: randomUUID(),
    studyId,
    field: 'consent.taken_on',
    question: 'The consent date is after the randomisation date: which is right?',
    ...over,
  });
  expect(answer.statusCode).toBe(303);
  return /\/trial\/queries\/([0-9a-f-]{36})/.exec(answer.headers.location as string)![1]!;
}

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  await seedDemoTrial(t.database.db, DEMO_TRUST_ID, new Date(TEST_NOW));
  await seedDemoRandomisations(t.database.db);
  await seedDemoDataQuality(t.database.db, t.clock.now());
  const [row] = await queryRows<{ study_id: string; arm: string }>(
    t.database,
    sql`SELECT study_id, arm FROM trial_randomisations WHERE trial_id = ${DEMO_TRIAL_ID} ORDER BY study_number LIMIT 1`,
  );
  studyId = row!.study_id;
  arm = row!.arm;
  manager = await t.signedInAs(DEMO.trialManager);
  analyst = await t.signedInAs(DEMO.analyst);
  assessor = await t.signedInAs(DEMO.assessor);
});
afterAll(async () => {
  await t.close();
});

describe('the demo', () => {
  it('has an open query, an answered one waiting to be closed, and a minor deviation', async () => {
    const list = await manager.get('/trial/queries');
    expect(list.body).toContain('Waiting 3 days');
    expect(list.body).toMatch(/nhsuk-tag--blue">Answered/);
    const deviations = await manager.get('/trial/deviations');
    expect(deviations.body).toContain('Follow-up done outside its window');
    expect(deviations.body).toContain('Minor');
  });
});

describe('who may open the data quality pages', () => {
  it('lets the research roles raise and read queries, only the trial manager answer them and record deviations', async () => {
    const [query] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM trial_data_queries WHERE status = 'open' LIMIT 1`,
    );
    const pages: [string, string[]][] = [
      ['/trial/queries', ['trialManager', 'assessor', 'analyst']],
      ['/trial/queries/new', ['trialManager', 'assessor', 'analyst']],
      [`/trial/queries/${query!.id}`, ['trialManager', 'assessor', 'analyst']],
      ['/trial/deviations', ['trialManager']],
      ['/trial/deviations/new', ['trialManager']],
    ];
    for (const who of Object.keys(DEMO) as (keyof typeof DEMO)[]) {
      const client = await t.signedInAs(DEMO[who]);
      for (const [path, allowed] of pages) {
        const status = (await client.get(path)).statusCode;
        expect([who, path, status]).toEqual([who, path, allowed.includes(who) ? 200 : 404]);
      }
      if (who !== 'trialManager') {
        const answer = await client.post(`/trial/queries/${query!.id}`, {
          submissionToken: randomUUID(),
          answer: 'Not mine to answer.',
          valueCorrected: 'no',
        });
        expect([who, answer.statusCode]).toEqual([who, 404]);
      }
    }
    expect(
      await queryRows(
        t.database,
        sql`SELECT id FROM trial_data_query_replies WHERE body = 'Not mine to answer.'`,
      ),
    ).toHaveLength(0);
    expect((await t.client().get('/trial/queries')).statusCode).toBe(303);
  });
});

describe('a data query', () => {
  it('is raised by an analyst on a value, keeping the value as it stood, audited', async () => {
    const id = await raise(analyst);
    const page = await analyst.get(`/trial/queries/${id}?done=raised`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Query raised');
    expect(page.body).toContain(studyId);
    expect(page.body).toContain('Consent: Date consent was taken');
    expect(page.body).toMatch(/Value when raised[\s\S]*?\d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(page.body).not.toContain('Answer the query');
    const events = await auditOf(id);
    expect(events.map((e) => e.action)).toEqual(['trial.query_raised']);
    expect(events[0]!.detail).toEqual({ studyId, field: 'consent.taken_on' });
  });

  it('is answered by the trial manager, then closed by whoever raised it', async () => {
    const id = await raise(assessor);
    const shown = await manager.get(`/trial/queries/${id}`);
    expect(shown.body).toContain('Answer the query');
    const token = randomUUID();
    const answer = {
      submissionToken: token,
      answer: 'Checked the signed form: the date was wrong, now corrected.',
      valueCorrected: 'yes',
    };
    expect((await manager.post(`/trial/queries/${id}`, answer)).statusCode).toBe(303);
    // The same form again records one answer.
    expect((await manager.post(`/trial/queries/${id}`, answer)).statusCode).toBe(303);
    const page = await assessor.get(`/trial/queries/${id}`);
    expect(page.body.match(/Answer from/g)).toHaveLength(1);
    expect(page.body).toContain('The value was corrected in its record.');
    expect(page.body).toContain('Close the query');
    // Only whoever raised it may close it.
    expect((await analyst.post(`/trial/queries/${id}/close`, {})).statusCode).toBe(403);
    expect((await assessor.post(`/trial/queries/${id}/close`, {})).statusCode).toBe(303);
    expect((await assessor.get(`/trial/queries/${id}`)).body).toContain('Closed');
    expect((await auditOf(id)).map((e) => e.action)).toEqual([
      'trial.query_raised',
      'trial.query_answered',
      'trial.query_closed',
    ]);
  });

  it('is re-opened with a follow-up, and is open again at the top of the list', async () => {
    const id = await raise(analyst, {
      field: 'screening.year_of_birth',
      question: 'Is the year of birth right?',
    });
    await manager.post(`/trial/queries/${id}`, {
      submissionToken: randomUUID(),
      answer: 'Yes.',
      valueCorrected: 'no',
    });
    const follow = await analyst.post(`/trial/queries/${id}/follow-up`, {
      submissionToken: randomUUID(),
      followUp: 'It makes them 15 at screening: please check the source.',
    });
    expect(follow.statusCode).toBe(303);
    const page = await analyst.get(`/trial/queries/${id}`);
    expect(page.body).toContain('Follow-up from');
    expect(page.body).toMatch(/nhsuk-tag--red">Open/);
    const list = await analyst.get('/trial/queries');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Waiting since today');
    expect((await auditOf(id)).map((e) => e.action)).toContain('trial.query_reopened');
  });

  it('shows the error summary and saves nothing for a bad form or an unknown study id', async () => {
    const before = await queryRows(t.database, sql`SELECT id FROM trial_data_queries`);
    const empty = await analyst.post('/trial/queries/new', { submissionToken: randomUUID() });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('nhsuk-error-summary');
    expect(empty.body).toContain('Enter the study ID');
    const unknown = await analyst.post('/trial/queries/new', {
      submissionToken: randomUUID(),
      studyId: 'NOBODY-9999',
      field: 'consent.taken_on',
      question: 'Why?',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('No one randomised in this trial has that study ID');
    const hostile = await analyst.post('/trial/queries/new', {
      submissionToken: randomUUID(),
      studyId,
      field: 'randomisation.arm',
      question: 'x'.repeat(5000),
    });
    expect(hostile.statusCode).toBe(400);
    expect(await queryRows(t.database, sql`SELECT id FROM trial_data_queries`)).toHaveLength(before.length);
  });

  it('never shows a blinded role the arm', async () => {
    const id = await raise(analyst, { field: 'randomisation.randomised_on', question: 'Is the date right?' });
    for (const client of [analyst, assessor]) {
      for (const path of ['/trial/queries', `/trial/queries/${id}`, '/trial/queries/new']) {
        const page = await client.get(path);
        expect(page.statusCode).toBe(200);
        expect(page.body.toLowerCase()).not.toContain(arm);
        expect(page.body).not.toMatch(/\b(intervention|control) arm\b/i);
      }
    }
  });
});

describe('a protocol deviation', () => {
  it('is recorded by the trial manager, listed, and a serious breach says to tell the sponsor', async () => {
    const [year, month, day] = ukToday(t.clock.now()).split('-') as [string, string, string];
    const answer = await manager.post('/trial/deviations/new', {
      submissionToken: randomUUID(),
      kind: 'consent_old_document',
      studyId: studyId.toLowerCase(),
      'occurredOn[day]': day,
      'occurredOn[month]': month,
      'occurredOn[year]': year,
      description: 'Consent was taken on version 1.0 after version 2.0 was approved.',
      severity: 'serious_breach',
      correctiveAction: 'Re-consented on version 2.0.',
      preventiveAction: 'Old forms removed from the site file.',
    });
    expect(answer.statusCode).toBe(303);
    const id = /\/trial\/deviations\/([0-9a-f-]{36})/.exec(answer.headers.location as string)![1]!;
    const page = await manager.get(`/trial/deviations/${id}`);
    expect(page.body).toContain('Report this serious breach to the sponsor');
    expect(page.body).toContain(studyId);
    const list = await manager.get('/trial/deviations');
    expect(list.body).toContain('Consent taken with an out-of-date consent document version');
    expect((await auditOf(id)).map((e) => e.action)).toEqual(['trial.deviation_recorded']);
  });

  it('shows the error summary for a bad form', async () => {
    const answer = await manager.post('/trial/deviations/new', {
      submissionToken: randomUUID(),
      kind: 'nope',
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('nhsuk-error-summary');
    expect(answer.body).toContain('Enter the date it happened');
  });
});
