/**
 * Names with Unicode direction controls: a right-to-left override (U+202E) in a name reverses
 * whatever follows it on the page, so "Ann‮eb" can make a list of people read differently
 * from what it holds. Controls are taken out of every form as it arrives, and out of every
 * value a page shows (names stored before this change included); right-to-left names are
 * isolated so they cannot reorder the words around them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../test-support/rows.ts';
import { createTestApp, DEMO, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
const ids = { overridden: '', arabic: '', pat: '' };
const RLO = '\u202E';
const FSI = '\u2068';
const PDI = '\u2069';
const ARABIC = 'محمد';
const ARABIC_FAMILY = 'علي';

beforeAll(async () => {
  t = await createTestApp();
  const pats = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT p.id FROM participants p
        JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL
        JOIN staff_users s ON s.id = a.peer_worker_id
        WHERE s.email = ${DEMO.workerPat}
          AND NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = p.id)
        ORDER BY p.id LIMIT 2`,
  );
  ids.overridden = pats[0]!.id;
  ids.arabic = pats[1]!.id;
  ids.pat = await t.staffId(DEMO.workerPat);
  // Stored before controls were refused at the edge, as an import or an old form could have.
  await t.database.db.execute(
    sql`UPDATE participants SET given_name = ${`Ann${RLO}eb`}, preferred_name = NULL WHERE id = ${ids.overridden}`,
  );
  await t.database.db.execute(
    sql`UPDATE participants SET given_name = ${ARABIC}, family_name = ${ARABIC_FAMILY}, preferred_name = NULL WHERE id = ${ids.arabic}`,
  );
  await t.database.db.execute(
    sql`UPDATE staff_users SET full_name = ${`Pat ${RLO}reeP`} WHERE id = ${ids.pat}`,
  );
  await t.database.db.execute(
    sql`UPDATE crisis_teams SET name = ${`North crisis\u202D team`} WHERE name LIKE 'North%'`,
  );
  await t.database.db.execute(
    sql`INSERT INTO recovery_plans (participant_id, template_version, started_at)
        VALUES (${ids.overridden}, 1, now()) ON CONFLICT DO NOTHING`,
  );
  const entryId = randomUUID();
  const content = JSON.stringify({
    name: `Aunt ${RLO}oJ`,
    relationship: '',
    howTheyHelp: '',
    howToReach: '',
  });
  await t.database.db.execute(
    sql`INSERT INTO plan_entries (id, participant_id, section_key, field_key, kind, content, revision, written_by_kind, written_by, created_at, updated_at)
        VALUES (${entryId}, ${ids.overridden}, 'people_and_places', 'supporters', 'supporter', ${content}::jsonb, 1, 'participant', ${ids.overridden}, now(), now())`,
  );
});
afterAll(async () => {
  await t.close();
});

/** No direction control left on the page, except the isolates we add, each one closed. */
function expectSafe(body: string, where: string): void {
  expect(body, where).not.toMatch(/[\u202A-\u202E\u2066\u2067]/);
  expect(body.split(FSI).length, `isolates opened and closed on ${where}`).toBe(body.split(PDI).length);
  expect(body, where).not.toMatch(new RegExp(`${FSI}[^${PDI}]*${FSI}`));
}

describe('names with direction controls', () => {
  it('are shown without the controls, and right-to-left names isolated, on every staff page that lists people', async () => {
    const coordinator = await t.signedInAs(DEMO.coordinator);
    const pat = await t.signedInAs(DEMO.workerPat);
    const pages = [
      { client: coordinator, url: `/participants/${ids.overridden}`, shows: ['Anneb', 'Pat reeP'] },
      {
        client: coordinator,
        url: `/participants/${ids.arabic}`,
        shows: [`${FSI}${ARABIC} ${ARABIC_FAMILY}${PDI}`],
      },
      { client: coordinator, url: '/caseloads', shows: ['Pat reeP'] },
      {
        client: coordinator,
        url: `/caseloads/${ids.pat}`,
        shows: ['Anneb', `${FSI}${ARABIC} ${ARABIC_FAMILY}${PDI}`],
      },
      { client: coordinator, url: '/admin/staff', shows: ['Pat reeP'] },
      { client: coordinator, url: '/admin/teams', shows: ['North crisis team'] },
      { client: coordinator, url: `/participants/${ids.overridden}/allocate`, shows: ['Anneb', 'Pat reeP'] },
      { client: coordinator, url: '/referrals', shows: [] },
      { client: coordinator, url: '/allocation', shows: [] },
      {
        client: pat,
        url: '/caseload',
        shows: ['Anneb', `${FSI}${ARABIC} ${ARABIC_FAMILY}${PDI}`, 'Pat reeP'],
      },
      { client: pat, url: `/participants/${ids.overridden}/plan`, shows: ['Anneb'] },
      { client: pat, url: `/participants/${ids.overridden}/sessions/new`, shows: ['Anneb'] },
      { client: pat, url: '/lone-working/check-in', shows: [] },
    ];
    for (const { client, url, shows } of pages) {
      const response = await client.get(url);
      expect(response.statusCode, url).toBe(200);
      expectSafe(response.body, url);
      for (const text of shows) expect(response.body, `${url} shows ${text}`).toContain(text);
    }
  });

  it('are shown safely to the participant, and their supporters too', async () => {
    const me = await t.signedInAsParticipant(ids.overridden);
    for (const url of ['/me', '/me/plan', '/me/plan/people_and_places', '/me/struggling']) {
      const response = await me.get(url);
      expect(response.statusCode, url).toBe(200);
      expectSafe(response.body, url);
    }
    expect((await me.get('/me/struggling')).body).toContain('Aunt oJ');
  });
});

describe('direction controls typed into a form', () => {
  it('are taken out of names as they arrive, so nothing stores them', async () => {
    const coordinator = await t.signedInAs(DEMO.coordinator);
    await coordinator.get('/admin/teams/new');
    const team = await coordinator.post('/admin/teams/new', {
      name: `East ${RLO}maet\u2066 crisis`,
      phone: '0113 496 0123',
      dutyEmail: '',
    });
    expect(team.statusCode).toBe(303);
    const [stored] = await queryRows<{ name: string }>(
      t.database,
      sql`SELECT name FROM crisis_teams WHERE name LIKE 'East%'`,
    );
    expect(stored?.name).toBe('East maet crisis');

    const me = await t.signedInAsParticipant(ids.arabic);
    await me.get('/me/plan/people_and_places');
    const entryId = randomUUID();
    const saved = await me.post('/me/plan/people_and_places/entries', {
      entryId,
      saveId: randomUUID(),
      baseRevision: '0',
      fieldKey: 'supporters',
      kind: 'supporter',
      name: `${FSI}${ARABIC}${PDI} ${RLO}evaD`,
      relationship: `brother\u202A`,
      howTheyHelp: '',
      howToReach: '',
    });
    expect(saved.statusCode).toBe(303);
    const [entry] = await queryRows<{ content: { name: string; relationship: string } }>(
      t.database,
      sql`SELECT content FROM plan_entries WHERE id = ${entryId}`,
    );
    expect(entry?.content).toMatchObject({ name: `${ARABIC} evaD`, relationship: 'brother' });
  });
});
