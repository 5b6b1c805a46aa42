/**
 * Equality monitoring through HTTP: answered at referral (saved with it, or not at all), seen and
 * changed by the participant on "About you", and only language and interpreter need on the
 * staff record. Audit events name which questions changed, never the answers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';

let t: TestApp;
let clinician: TestClient;
let northTeamId: string;
let clinicianId: string;

beforeAll(async () => {
  t = await createTestApp();
  clinician = await t.signedInAs(DEMO.clinicianNorth);
  clinicianId = await t.staffId(DEMO.clinicianNorth);
  const page = await clinician.get('/referrals/new');
  northTeamId = /name="crisisTeamId" type="radio" value="([0-9a-f-]{36})" checked/.exec(page.body)?.[1] ?? '';
});
afterAll(async () => {
  await t.close();
});

// Each referral its own mobile, above the seeded participants' and the referral tests'.
let nextContact = 600;

function referral(equality: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const n = nextContact++;
  return {
    submissionToken: randomUUID(),
    givenName: 'Eda',
    familyName: `Equality${String(n)}`,
    'dateOfBirth[day]': '2',
    'dateOfBirth[month]': '6',
    'dateOfBirth[year]': '1979',
    mobile: `07700 900 ${String(n)}`,
    contactMethods: 'sms',
    mayLeaveMessages: 'no',
    crisisTeamId: northTeamId,
    'dischargedOn[day]': '24',
    'dischargedOn[month]': '11',
    'dischargedOn[year]': '2026',
    dischargeDestination: 'cmht',
    ...equality,
  };
}

interface Row {
  ethnicity: string | null;
  gender: string | null;
  first_language: string | null;
  first_language_name: string | null;
  interpreter_needed: string | null;
  disability: string | null;
  recorded_by: string | null;
  version: number;
}

const answersOf = async (participantId: string): Promise<Row | undefined> =>
  (
    await queryRows<Row>(
      t.database,
      sql`SELECT ethnicity, gender, first_language, first_language_name, interpreter_needed, disability, recorded_by, version
          FROM equality_monitoring WHERE participant_id = ${participantId}`,
    )
  )[0];

const events = (participantId: string, action: string) =>
  queryRows<{ detail: Record<string, unknown> | null; actor_type: string }>(
    t.database,
    sql`SELECT detail, actor_type FROM audit_events WHERE entity_id = ${participantId} AND action = ${action} ORDER BY seq`,
  );

/** The error summary links to `anchor` with a message starting `text`. */
function linksTo(body: string, anchor: string, text: string): void {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(body).toMatch(new RegExp(`href="#${anchor}">\\s*${escaped}`));
}

const rows = () => count(t.database, sql`SELECT count(*)::int AS n FROM equality_monitoring`);
const participants = () => count(t.database, sql`SELECT count(*)::int AS n FROM participants`);

async function refer(equality: Record<string, string | string[]>): Promise<string> {
  const response = await clinician.post('/referrals', referral(equality));
  expect(response.statusCode, response.body).toBe(303);
  return /^\/participants\/([0-9a-f-]{36})/.exec(response.headers.location!)![1]!;
}

describe('equality monitoring at referral', () => {
  it('asks the optional questions at the end of the form, the ethnic groups under their five headings', async () => {
    const page = await clinician.get('/referrals/new');
    expect(page.body).toContain('Equality monitoring (optional)');
    expect(page.body).toContain('reported as anonymous totals');
    for (const heading of [
      'White',
      'Mixed or multiple ethnic groups',
      'Asian or Asian British',
      'Black, Black British, Caribbean or African',
      'Other ethnic group',
    ]) {
      expect(page.body).toContain(`${heading}\n`);
    }
    for (const name of ['ethnicity', 'gender', 'firstLanguage', 'interpreterNeeded', 'disability']) {
      expect(page.body).toContain(`name="${name}" type="radio"`);
    }
    expect(page.body).toContain('name="firstLanguageName"');
    expect(page.body.indexOf('Equality monitoring')).toBeGreaterThan(page.body.indexOf('safetyInformation'));
  });

  it('saves the answers given with the referral, recorded by the referrer, audited without the answers', async () => {
    const id = await refer({
      ethnicity: 'C',
      firstLanguage: 'other',
      firstLanguageName: ' Polish ',
      interpreterNeeded: 'yes',
    });
    expect(await answersOf(id)).toEqual({
      ethnicity: 'C',
      gender: null,
      first_language: 'other',
      first_language_name: 'Polish',
      interpreter_needed: 'yes',
      disability: null,
      recorded_by: clinicianId,
      version: 1,
    });
    const recorded = await events(id, 'equality.recorded');
    expect(recorded.map((e) => e.detail)).toEqual([
      { questions: ['ethnicity', 'firstLanguage', 'interpreterNeeded'] },
    ]);
    expect(JSON.stringify(recorded)).not.toContain('Polish');
  });

  it('saves no row when every question is left blank', async () => {
    const before = await rows();
    const id = await refer({ ethnicity: '', gender: '', firstLanguageName: '  ' });
    expect(await answersOf(id)).toBeUndefined();
    expect(await rows()).toBe(before);
    expect(await events(id, 'equality.recorded')).toEqual([]);
  });

  it('keeps "prefer not to say" as an answer', async () => {
    const id = await refer({ ethnicity: 'Z', gender: 'Z', disability: 'prefer_not_to_say' });
    expect(await answersOf(id)).toMatchObject({
      ethnicity: 'Z',
      gender: 'Z',
      disability: 'prefer_not_to_say',
    });
  });

  it('refuses an unknown answer or a long language with the error summary, and saves nothing', async () => {
    const before = { participants: await participants(), rows: await rows() };
    const response = await clinician.post(
      '/referrals',
      referral({
        ethnicity: 'Q',
        gender: ['1', '2'],
        firstLanguage: 'other',
        firstLanguageName: 'x'.repeat(61),
        disability: 'maybe',
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('nhsuk-error-summary');
    linksTo(response.body, 'ethnicity', 'Select their ethnic group from the list');
    linksTo(response.body, 'gender', 'Select their gender from the list');
    linksTo(response.body, 'firstLanguageName', 'The language must be 60 characters or fewer');
    linksTo(response.body, 'disability', 'Select whether they consider themselves');
    // What was typed comes back, and what was chosen stays chosen.
    expect(response.body).toMatch(/name="firstLanguage" type="radio" value="other" checked/);
    expect(await participants()).toBe(before.participants);
    expect(await rows()).toBe(before.rows);
  });

  it('asks for "Another language" when a language is named with English chosen', async () => {
    const response = await clinician.post(
      '/referrals',
      referral({ firstLanguage: 'english', firstLanguageName: 'Polish' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      'Select &quot;Another language&quot; if their first language is not English',
    );
  });

  it('carries the answers through the "already in Greenleaf" step, and saves them with the referral', async () => {
    const form = referral({ gender: '3', mobile: '07700 900001' });
    const step = await clinician.post('/referrals', form);
    expect(step.statusCode).toBe(409);
    expect(step.body).toContain('name="gender" value="3"');
    const saved = await clinician.post('/referrals', { ...form, sharedContact: 'different' });
    expect(saved.statusCode).toBe(303);
    const id = /^\/participants\/([0-9a-f-]{36})/.exec(saved.headers.location!)![1]!;
    expect(await answersOf(id)).toMatchObject({ gender: '3' });
  });
});

describe('"About you": the participant’s own answers', () => {
  let id: string;
  let me: TestClient;
  beforeAll(async () => {
    id = await refer({ ethnicity: 'R', gender: '2', firstLanguage: 'english', disability: 'no' });
    me = await t.signedInAsParticipant(id);
  });

  it('is linked from their programme page', async () => {
    expect((await me.get('/me')).body).toContain('href="/me/about-you"');
  });

  it('shows every answer in a summary list, in their words, and audits the read', async () => {
    const before = (await events(id, 'participant.viewed')).length;
    const page = await me.get('/me/about-you');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Other ethnic group: Chinese');
    expect(page.body).toContain('Female (including trans woman)');
    expect(page.body).toContain('href="/me/about-you/interpreter"');
    expect(page.body).toMatch(
      /Interpreter needed\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*Not answered/,
    );
    const viewed = await events(id, 'participant.viewed');
    expect(viewed).toHaveLength(before + 1);
    expect(viewed.at(-1)?.detail).toEqual({ page: 'about you' });
  });

  it('changes one answer, recorded by nobody on staff, audited with the question only', async () => {
    const form = await me.get('/me/about-you/first-language');
    expect(form.body).toContain('What is your first language?');
    expect(form.body).toMatch(/value="english" checked/);
    expect(form.body).toContain('name="version" value="1"');
    const saved = await me.post('/me/about-you/first-language', {
      version: '1',
      firstLanguage: 'other',
      firstLanguageName: 'Cantonese',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/me/about-you?done=saved');
    expect(await answersOf(id)).toMatchObject({
      ethnicity: 'R',
      first_language: 'other',
      first_language_name: 'Cantonese',
      recorded_by: null,
      version: 2,
    });
    const changed = await events(id, 'equality.changed');
    expect(changed.map((e) => [e.actor_type, e.detail])).toEqual([
      ['participant', { questions: ['firstLanguage'] }],
    ]);
    expect((await me.get('/me/about-you?done=saved')).body).toContain('Cantonese');
  });

  it('takes the same change sent twice as saved once, and refuses a stale change without overwriting', async () => {
    const twice = await me.post('/me/about-you/first-language', {
      version: '1',
      firstLanguage: 'other',
      firstLanguageName: 'Cantonese',
    });
    expect(twice.statusCode).toBe(303);
    const stale = await me.post('/me/about-you/gender', { version: '1', gender: '1' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this');
    expect(await answersOf(id)).toMatchObject({ gender: '2', version: 2 });
    expect(await events(id, 'equality.changed')).toHaveLength(1);
  });

  it('clears an answer back to blank', async () => {
    const removed = await me.post('/me/about-you/disability', { version: '2', action: 'remove' });
    expect(removed.headers.location).toBe('/me/about-you?done=removed');
    expect(await answersOf(id)).toMatchObject({ disability: null, version: 3 });
    expect((await events(id, 'equality.changed')).at(-1)?.detail).toEqual({ questions: ['disability'] });
  });

  it('answers a bad form with the error summary or a 4xx, never a 500, and changes nothing', async () => {
    const unknown = await me.post('/me/about-you/ethnic-group', { version: '3', ethnicity: 'Q' });
    expect(unknown.statusCode).toBe(400);
    linksTo(unknown.body, 'ethnicity', 'Select your ethnic group from the list');
    const long = await me.post('/me/about-you/first-language', {
      version: '3',
      firstLanguage: 'other',
      firstLanguageName: 'x'.repeat(61),
    });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('The language must be 60 characters or fewer');
    expect((await me.get('/me/about-you/not-a-question')).statusCode).toBe(404);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('version', 'gender', 'firstLanguage', 'firstLanguageName', 'action', 'other'),
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.constantFrom('', '1', '99999999999', '<b>', 'x'.repeat(3000)),
            fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
          ),
          { maxKeys: 5 },
        ),
        fc.constantFrom('gender', 'first-language'),
        async (form, question) => {
          const response = await me.post(`/me/about-you/${question}`, form);
          expect([303, 400, 409, 413]).toContain(response.statusCode);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('starts a row when a participant with no answers gives their first', async () => {
    const blank = await refer({});
    const them = await t.signedInAsParticipant(blank);
    const form = await them.get('/me/about-you/interpreter');
    expect(form.body).toContain('name="version" value="0"');
    expect(form.body).not.toContain('Remove my answer');
    const saved = await them.post('/me/about-you/interpreter', { version: '0', interpreterNeeded: 'no' });
    expect(saved.statusCode).toBe(303);
    expect(await answersOf(blank)).toMatchObject({ interpreter_needed: 'no', recorded_by: null, version: 1 });
  });

  it('is the participant’s alone: staff cannot open or change it', async () => {
    const coordinator = await t.signedInAs(DEMO.coordinator);
    expect((await coordinator.get('/me/about-you')).statusCode).toBe(303);
    const post = await coordinator.post('/me/about-you/gender', { version: '3', gender: '1' });
    expect([303, 401, 403, 404]).toContain(post.statusCode);
    expect(await answersOf(id)).toMatchObject({ gender: '2' });
  });
});

describe('the staff participant record', () => {
  it('shows the first language and interpreter need, and none of the other answers', async () => {
    const id = await refer({
      ethnicity: 'G',
      gender: '3',
      firstLanguage: 'other',
      firstLanguageName: 'Tigrinya',
      interpreterNeeded: 'yes',
      disability: 'yes',
    });
    const page = await clinician.get(`/participants/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/First language\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*Tigrinya/);
    expect(page.body).toMatch(/Interpreter needed\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*Yes/);
    expect(page.body).not.toContain('Any other mixed or multiple ethnic background');
    expect(page.body).not.toContain('Non-binary');
    expect(page.body).not.toContain('disability');
  });

  it('says "Not given" when they preferred not to say or left it blank', async () => {
    const id = await refer({ firstLanguage: 'prefer_not_to_say' });
    const page = await clinician.get(`/participants/${id}`);
    expect(page.body).toMatch(/First language\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*Not given/);
    expect(page.body).toMatch(
      /Interpreter needed\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*Not given/,
    );
  });
});

describe('demo data', () => {
  it('gives most demo people answers, some blank or not said, and an interpreter to at least one', async () => {
    const [demo] = await queryRows<{
      answered: number;
      people: number;
      interpreters: number;
      not_said: number;
    }>(
      t.database,
      sql`SELECT
            (SELECT count(*)::int FROM equality_monitoring e JOIN participants p ON p.id = e.participant_id WHERE p.family_name = 'Nowak' AND e.first_language_name = 'Polish' AND e.interpreter_needed = 'yes') AS interpreters,
            (SELECT count(*)::int FROM equality_monitoring WHERE ethnicity = 'Z' OR gender = 'Z') AS not_said,
            (SELECT count(*)::int FROM equality_monitoring e JOIN participants p ON p.id = e.participant_id WHERE p.given_name <> 'Eda') AS answered,
            (SELECT count(*)::int FROM participants WHERE given_name <> 'Eda') AS people`,
    );
    expect(demo!.interpreters).toBe(1);
    expect(demo!.not_said).toBeGreaterThan(0);
    expect(demo!.answered).toBeGreaterThan(demo!.people / 2);
    expect(demo!.answered).toBeLessThan(demo!.people);
  });
});
