/**
 * The recovery plan through HTTP, as participants and staff use it: writing every kind of entry
 * without JavaScript and by autosave, revisions and restore, conflicts, exactly-once saves,
 * sharing per section, who may see and write what, "who has looked at my plan", and the audit.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { saveAtOnce } from '../test-support/at-once.ts';
import { aParticipant } from '../test-support/factories.ts';
import { formIds, listItem, newIds, revising, textAnswer } from '../test-support/plan-forms.ts';
import { SESSION_COOKIE_PLAIN } from '../app.ts';
import { hashSignInSessionId } from '../identity/sign-in-session.service.ts';

let t: TestApp;
let participantId: string;
let otherParticipantId: string;
let me: TestClient;
let pat: TestClient;

const JSON_ACCEPT = { accept: 'application/json' };

const revisionsOf = (entryId: string) =>
  count(t.database, sql`SELECT count(*) AS n FROM plan_entry_revisions WHERE entry_id = ${entryId}`);

beforeAll(async () => {
  t = await createTestApp();
  // A participant of Pat's and one of Rob's, made for these tests with no plan yet; discharged
  // about three months ago, their programme still running.
  participantId = (await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 98 })).id;
  otherParticipantId = (await aParticipant(t, { worker: DEMO.workerRob, dischargedDaysAgo: 102 })).id;
  me = await t.signedInAsParticipant(participantId);
  pat = await t.signedInAs(DEMO.workerPat);
});
afterAll(async () => {
  await t.close();
});

describe('writing in my plan without JavaScript', () => {
  it('shows every switched-on section, Moving on after a crisis first, Planning for a crisis off', async () => {
    const page = await me.get('/me/plan');
    expect(page.statusCode).toBe(200);
    const titles = [...page.body.matchAll(/<h2 class="nhsuk-heading-s"><a href="\/me\/plan\/(\w+)">/g)].map(
      (m) => m[1],
    );
    expect(titles).toEqual([
      'moving_on',
      'recovery_means',
      'keeping_well',
      'ups_and_downs',
      'hopes_and_goals',
      'tackling_problems',
      'people_and_places',
    ]);
    expect((await me.get('/me/plan/crisis_planning')).statusCode).toBe(404);
  });

  it('saves a free-text answer and shows it again', async () => {
    const page = await me.get('/me/plan/moving_on');
    expect(page.statusCode).toBe(200);
    const ids = formIds(page.body, 'what_helped');
    const saved = await me.post('/me/plan/moving_on/entries', {
      ...ids,
      ...textAnswer('what_helped', 'My sister came every day.'),
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/me/plan/moving_on?saved=${ids.entryId}#entry-${ids.entryId}`);
    const again = await me.get('/me/plan/moving_on');
    expect(again.body).toContain('My sister came every day.');
  });
});

type Fields = Record<string, string | string[]>;

/** Saves one entry in a plan's section: as a page does, or (json) as autosave does. */
async function save(client: TestClient, base: string, section: string, fields: Fields, json = false) {
  return client.post(`${base}/${section}/entries`, fields, json ? { headers: JSON_ACCEPT } : {});
}

/** Saves in the participant's own plan, as they do. */
const saveMine = (section: string, fields: Fields, json = false) =>
  save(me, '/me/plan', section, fields, json);

/** Saves in their own plan without JavaScript, and checks it was saved. */
async function savedMine(section: string, fields: Fields) {
  expect((await saveMine(section, fields)).statusCode).toBe(303);
}

describe('every kind of entry', () => {
  it('adds, changes and removes list items, keeping every revision', async () => {
    await me.get('/me/plan/keeping_well');
    const item = newIds();
    await savedMine('keeping_well', { ...item, ...listItem('strengths', 'I am a good listener') });
    const changed = await saveMine(
      'keeping_well',
      { ...revising(item.entryId, 1), ...listItem('strengths', 'I am a very good listener') },
      true,
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ status: 'saved', entryId: item.entryId, revision: 2, duplicate: false });
    const page = await me.get('/me/plan/keeping_well');
    expect(page.body).toContain('I am a very good listener');
    expect(page.body).not.toContain('I am a good listener<');

    const removed = await me.post(
      `/me/plan/keeping_well/entries/${item.entryId}/remove`,
      revising(item.entryId, 2),
    );
    expect(removed.statusCode).toBe(303);
    expect((await me.get('/me/plan/keeping_well')).body).not.toContain('I am a very good listener');
    expect(await revisionsOf(item.entryId)).toBe(3);

    // Brought back from its history.
    const history = await me.get(`/me/plan/keeping_well/entries/${item.entryId}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('I am a good listener');
    expect(history.body).toContain('Removed by You');
    const restored = await me.post(`/me/plan/keeping_well/entries/${item.entryId}/restore`, {
      ...revising(item.entryId, 3),
      revision: '1',
    });
    expect(restored.statusCode).toBe(303);
    const after = await me.get('/me/plan/keeping_well');
    expect(after.body).toContain('I am a good listener');
    expect(await revisionsOf(item.entryId)).toBe(4);
  });

  it('keeps goals with small steps and progress', async () => {
    await me.get('/me/plan/hopes_and_goals');
    const goal = newIds();
    const response = await saveMine('hopes_and_goals', {
      ...goal,
      fieldKey: 'goals',
      kind: 'goal',
      goal: 'Go back to the allotment',
      progress: 'started',
      stepText: ['Ring Dave about the shed', '', 'Go on a dry Saturday'],
      stepDone: ['0'],
    });
    expect(response.statusCode).toBe(303);
    const [row] = await queryRows<{
      content: { goal: string; progress: string; steps: { text: string; done: boolean }[] };
    }>(t.database, sql`SELECT content FROM plan_entries WHERE id = ${goal.entryId}`);
    expect(row?.content).toEqual({
      goal: 'Go back to the allotment',
      progress: 'started',
      steps: [
        { text: 'Ring Dave about the shed', done: true },
        { text: 'Go on a dry Saturday', done: false },
      ],
    });
    const page = await me.get('/me/plan/hopes_and_goals');
    expect(page.body).toContain('value="Ring Dave about the shed"');
    expect(page.body).toMatch(/id="[^"]+-stepText-0-done" name="stepDone" type="checkbox" value="0" checked/);
  });

  it('keeps supporters and local services', async () => {
    await me.get('/me/plan/people_and_places');
    await savedMine('people_and_places', {
      ...newIds(),
      fieldKey: 'supporters',
      kind: 'supporter',
      name: 'Aunt Jo',
      relationship: 'My aunt',
      howTheyHelp: 'Listens without judging',
      howToReach: '07700 900123',
    });
    await savedMine('people_and_places', {
      ...newIds(),
      fieldKey: 'services',
      kind: 'service',
      name: 'Tuesday walking group',
      whatTheyOffer: 'A gentle walk and a cuppa',
      howToReach: 'Meet at the library, 10am',
    });
    const page = await me.get('/me/plan/people_and_places');
    expect(page.body).toContain('value="Aunt Jo"');
    expect(page.body).toContain('Tuesday walking group');
  });

  it('shows what is wrong in the NHS.UK error summary and saves nothing', async () => {
    await me.get('/me/plan/people_and_places');
    const person = newIds();
    const before = await count(t.database, sql`SELECT count(*) AS n FROM plan_entries`);
    const response = await saveMine('people_and_places', {
      ...person,
      fieldKey: 'supporters',
      kind: 'supporter',
      name: '',
      howToReach: 'x'.repeat(400),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain(`href="#${person.entryId}-name"`);
    expect(response.body).toContain('Write their name');
    expect(response.body).toContain(`href="#${person.entryId}-howToReach"`);
    expect(await count(t.database, sql`SELECT count(*) AS n FROM plan_entries`)).toBe(before);
    const json = await saveMine(
      'people_and_places',
      { ...newIds(), fieldKey: 'supporters', kind: 'supporter', name: '' },
      true,
    );
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({ status: 'invalid', errors: { name: 'Write their name' } });
  });

  it('refuses an entry of the wrong kind for its field', async () => {
    await me.get('/me/plan/keeping_well');
    const response = await saveMine(
      'keeping_well',
      { ...newIds(), fieldKey: 'strengths', kind: 'goal', goal: 'x', progress: 'started' },
      true,
    );
    expect(response.statusCode).toBe(400);
  });
});

describe('never losing a word', () => {
  it('saves the same draft once however often it is sent', async () => {
    await me.get('/me/plan/tackling_problems');
    const ids = formIds((await me.get('/me/plan/tackling_problems')).body, 'the_problem');
    const fields = { ...ids, ...textAnswer('the_problem', 'Bills piling up') };
    const first = await saveMine('tackling_problems', fields, true);
    const again = await saveMine('tackling_problems', fields, true);
    expect(first.json()).toMatchObject({ status: 'saved', revision: 1, duplicate: false });
    expect(again.json()).toMatchObject({
      status: 'saved',
      entryId: ids.entryId,
      revision: 1,
      duplicate: true,
    });
    expect(await revisionsOf(ids.entryId)).toBe(1);
  });

  it('gives a stale save a clear choice instead of overwriting', async () => {
    const page = await me.get('/me/plan/tackling_problems');
    const ids = formIds(page.body, 'my_plan');
    await saveMine('tackling_problems', { ...ids, ...textAnswer('my_plan', 'Ring the council') }, true);
    // Pat, on their behalf, from the same starting point (revision 1).
    await pat.get(`/participants/${participantId}/plan/tackling_problems`);
    const patSave = await save(
      pat,
      `/participants/${participantId}/plan`,
      'tackling_problems',
      { ...revising(ids.entryId, 1), ...textAnswer('my_plan', 'Ring the council on Monday') },
      true,
    );
    expect(patSave.json()).toMatchObject({ status: 'saved', revision: 2 });
    // The participant's next autosave was still based on revision 1.
    const mine = textAnswer('my_plan', 'Ring the council and the bank');
    const stale = await saveMine('tackling_problems', { ...revising(ids.entryId, 1), ...mine }, true);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      status: 'conflict',
      entryId: ids.entryId,
      current: { revision: 2, words: 'Ring the council on Monday' },
    });
    // Without JavaScript: a page with both versions and the choice.
    await me.get('/me/plan/tackling_problems');
    const page409 = await saveMine('tackling_problems', { ...revising(ids.entryId, 1), ...mine });
    expect(page409.statusCode).toBe(409);
    expect(page409.body).toContain('Someone else changed this while you were writing');
    expect(page409.body).toContain('Ring the council on Monday');
    expect(page409.body).toContain('Ring the council and the bank');
    const keepMine =
      /name="saveId" value="([^"]+)"/.exec(
        page409.body.slice(page409.body.indexOf('id="your-version"')),
      )?.[1] ?? '';
    const kept = await saveMine('tackling_problems', {
      entryId: ids.entryId,
      saveId: keepMine,
      baseRevision: '2',
      ...mine,
    });
    expect(kept.statusCode).toBe(303);
    expect(await revisionsOf(ids.entryId)).toBe(3);
    const [entry] = await queryRows<{ text: string }>(
      t.database,
      sql`SELECT content->>'text' AS text FROM plan_entries WHERE id = ${ids.entryId}`,
    );
    expect(entry?.text).toBe('Ring the council and the bank');
  });

  it('makes two people starting the same answer at once one answer, with a choice for the second', async () => {
    const a = formIds((await me.get('/me/plan/tackling_problems')).body, 'review');
    const b = newIds();
    expect(
      (await saveMine('tackling_problems', { ...a, ...textAnswer('review', 'It went OK') }, true)).statusCode,
    ).toBe(200);
    const second = await saveMine(
      'tackling_problems',
      { ...b, ...textAnswer('review', 'Not sure yet') },
      true,
    );
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ entryId: a.entryId, current: { words: 'It went OK' } });
  });

  it('answers a save after the sign-in session ended with "signed out", saving nothing', async () => {
    const client = await t.signedInAsParticipant(participantId);
    const ids = formIds((await client.get('/me/plan/recovery_means')).body, 'in_my_words');
    // Ended on the server (timed out, or ended elsewhere) while the page stayed open. Signing out
    // in this browser would also renew its form secret, and this page's forms would be expired.
    await t.deps.services.signInSessions.end(
      t.database.db,
      hashSignInSessionId(client.cookies.get(SESSION_COOKIE_PLAIN)!),
    );
    const words = { ...ids, ...textAnswer('in_my_words', 'Feeling like me again') };
    const json = await save(client, '/me/plan', 'recovery_means', words, true);
    expect(json.statusCode).toBe(401);
    expect(json.json()).toEqual({ status: 'signed_out' });
    // Without JavaScript the page gives their words back to copy.
    const page = await save(client, '/me/plan', 'recovery_means', words);
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('Feeling like me again');
    expect(page.body).toContain('/participant/sign-in?returnTo=%2Fme%2Fplan%2Frecovery_means');
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM plan_entries WHERE id = ${ids.entryId}`),
    ).toBe(0);
  });

  it('refuses a save without the form token', async () => {
    const response = await saveMine(
      'keeping_well',
      { _csrf: '', ...newIds(), ...listItem('strengths', 'x') },
      true,
    );
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ status: 'expired_form' });
  });
});

describe('two saves of one answer at the same moment', () => {
  const staffBase = () => `/participants/${participantId}/plan`;

  it('keep one and give the other the choice between both versions, never a server error', async () => {
    const first = formIds((await me.get('/me/plan/moving_on')).body, 'what_i_learned');
    const started = await saveMine(
      'moving_on',
      { ...first, ...textAnswer('what_i_learned', 'Ask for help sooner') },
      true,
    );
    expect(started.statusCode).toBe(200);
    for (let round = 1; round <= 4; round++) {
      // The participant and Pat each have the section open at the same revision.
      const [mine, pats] = await Promise.all([
        me.get('/me/plan/moving_on'),
        pat.get(`${staffBase()}/moving_on`),
      ]);
      const ids = [formIds(mine.body, 'what_i_learned'), formIds(pats.body, 'what_i_learned')];
      expect(ids[1]!.entryId).toBe(first.entryId);
      expect(ids[0]!.baseRevision).toBe(String(round));
      expect(ids[1]!.baseRevision).toBe(String(round));
      const words = [`My words, round ${String(round)}`, `Pat's words, round ${String(round)}`];
      const race = await saveAtOnce([
        () => saveMine('moving_on', { ...ids[0]!, ...textAnswer('what_i_learned', words[0]!) }),
        () => save(pat, staffBase(), 'moving_on', { ...ids[1]!, ...textAnswer('what_i_learned', words[1]!) }),
      ]);
      expect(race.statuses, race.said).toEqual([303, 409]);
      expect(race.loser?.body).toContain('Someone else changed this while you were writing');
      expect(await revisionsOf(first.entryId)).toBe(round + 1);
      const [entry] = await queryRows<{ text: string; revision: number }>(
        t.database,
        sql`SELECT content->>'text' AS text, revision FROM plan_entries WHERE id = ${first.entryId}`,
      );
      expect(entry!.revision).toBe(round + 1);
      expect(words).toContain(entry!.text);
    }
  });

  it('make two people starting one answer at once one answer, the second given the choice', async () => {
    for (const fieldKey of ['what_i_want_different', 'what_happened']) {
      const [mine, pats] = await Promise.all([
        me.get('/me/plan/moving_on'),
        pat.get(`${staffBase()}/moving_on`),
      ]);
      const ids = [formIds(mine.body, fieldKey), formIds(pats.body, fieldKey)];
      expect(ids.map((i) => i.baseRevision)).toEqual(['0', '0']);
      const race = await saveAtOnce([
        () => saveMine('moving_on', { ...ids[0]!, ...textAnswer(fieldKey, 'Mine first') }),
        () => save(pat, staffBase(), 'moving_on', { ...ids[1]!, ...textAnswer(fieldKey, 'Pat first') }),
      ]);
      expect(race.statuses, race.said).toEqual([303, 409]);
      expect(race.loser?.body).toContain('Someone else changed this while you were writing');
      const entries = await queryRows<{ id: string }>(
        t.database,
        sql`SELECT id FROM plan_entries WHERE participant_id = ${participantId} AND field_key = ${fieldKey}`,
      );
      expect(entries).toHaveLength(1);
      expect(await revisionsOf(entries[0]!.id)).toBe(1);
    }
  });

  it('remove a list item once while it is changed, or change it once while it is removed, never both', async () => {
    const item = newIds();
    await me.get('/me/plan/keeping_well');
    const added = await saveMine(
      'keeping_well',
      { ...item, ...listItem('what_i_avoid', 'Late nights') },
      true,
    );
    expect(added.statusCode).toBe(200);
    const current = async () =>
      (
        await queryRows<{ revision: number; removed: boolean }>(
          t.database,
          sql`SELECT revision, removed FROM plan_entries WHERE id = ${item.entryId}`,
        )
      )[0]!;
    for (let round = 1; round <= 3; round++) {
      const base = (await current()).revision;
      await Promise.all([me.get('/me/plan/keeping_well'), pat.get(`${staffBase()}/keeping_well`)]);
      const race = await saveAtOnce([
        () => me.post(`/me/plan/keeping_well/entries/${item.entryId}/remove`, revising(item.entryId, base)),
        () =>
          save(pat, staffBase(), 'keeping_well', {
            ...revising(item.entryId, base),
            ...listItem('what_i_avoid', `Late nights, round ${String(round)}`),
          }),
      ]);
      expect(race.statuses, race.said).toEqual([303, 409]);
      expect(race.loser?.body).toContain('Someone else changed this while you were writing');
      expect(await revisionsOf(item.entryId)).toBe(base + 1);
      const after = await current();
      expect(after.revision).toBe(base + 1);
      if (after.removed) {
        // Brought back from its history, so the next round starts from a live item again.
        await me.get(`/me/plan/keeping_well/entries/${item.entryId}/history`);
        const restored = await me.post(`/me/plan/keeping_well/entries/${item.entryId}/restore`, {
          ...revising(item.entryId, after.revision),
          revision: String(base),
        });
        expect(restored.statusCode).toBe(303);
      }
    }
  });
});

describe('the first time a participant opens their plan', () => {
  const ALL_WORKER: Record<string, string> = {
    'visibility-moving_on': 'worker',
    'visibility-recovery_means': 'worker',
    'visibility-keeping_well': 'worker',
    'visibility-ups_and_downs': 'worker',
    'visibility-hopes_and_goals': 'worker',
    'visibility-tackling_problems': 'worker',
    'visibility-people_and_places': 'worker',
  };
  const chosenAt = async (id: string) =>
    (
      await queryRows<{ at: string | null }>(
        t.database,
        sql`SELECT to_char(plan_sharing_chosen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS at FROM participants WHERE id = ${id}`,
      )
    )[0]?.at;

  it('asks who may see each section, the suggestion chosen and explained, and records the answer as theirs', async () => {
    // Another of Pat's, who has not yet said who sees their plan.
    const newcomer = (
      await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 62, planSharingChosen: false })
    ).id;

    // Their worker writes for them first: that starts the plan but answers nothing for them.
    const page = await pat.get(`/participants/${newcomer}/plan/moving_on`);
    const written = await pat.post(`/participants/${newcomer}/plan/moving_on/entries`, {
      ...formIds(page.body, 'what_helped'),
      ...textAnswer('what_helped', 'Written with Pat at our first session.'),
    });
    expect(written.statusCode).toBe(303);
    expect(await chosenAt(newcomer)).toBeNull();
    const patsView = await pat.get(`/participants/${newcomer}/plan`);
    expect(patsView.body).not.toContain('Who can see your plan?');
    expect((await pat.post('/me/plan/first-sharing', ALL_WORKER)).statusCode).not.toBe(303);
    expect(await chosenAt(newcomer)).toBeNull();

    const them = await t.signedInAsParticipant(newcomer);
    const question = await them.get('/me/plan');
    expect(question.statusCode).toBe(200);
    expect(question.body).toContain('<h1>Who can see your plan?</h1>');
    expect(question.body).toContain('We have chosen an answer for each section to start with');
    expect(question.body).toContain('Pat Peer');
    expect([...question.body.matchAll(/type="radio" value="worker" checked/g)]).toHaveLength(7);
    expect(question.body).not.toMatch(/value="(private|care_team)" checked/);

    // Every section needs an answer; nothing is recorded until each has one.
    const missing = await them.post('/me/plan/first-sharing', { 'visibility-moving_on': 'worker' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose who can see &quot;Hopes, dreams and goals&quot;');
    expect(await chosenAt(newcomer)).toBeNull();

    const answered = await them.post('/me/plan/first-sharing', {
      ...ALL_WORKER,
      'visibility-hopes_and_goals': 'private',
    });
    expect(answered.statusCode).toBe(303);
    expect(answered.headers.location).toBe('/me/plan?sharing=chosen');
    expect(await chosenAt(newcomer)).toBe(t.clock.now().toISOString().slice(0, 19));
    const audit = await queryRows<{ actor_type: string; detail: { choices: Record<string, string> } }>(
      t.database,
      sql`SELECT actor_type, detail FROM audit_events WHERE action = 'plan.sharing_chosen' AND entity_id = ${newcomer}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_type).toBe('participant');
    expect(audit[0]!.detail.choices).toMatchObject({ moving_on: 'worker', hopes_and_goals: 'private' });

    const overview = await them.get('/me/plan?sharing=chosen');
    expect(overview.body).toContain('<h1>My recovery plan</h1>');
    expect(overview.body).toContain('Your choices have been saved');
    expect((await them.get('/me/plan')).body).not.toContain('Who can see your plan?');
    expect((await pat.get(`/participants/${newcomer}/plan`)).body).toContain(
      '1 section is not shared with you.',
    );
  });
});

describe("sharing is the participant's choice", () => {
  it('lets only the participant choose, and the worker then sees only what is shared', async () => {
    const sharing = await me.get('/me/plan/sharing');
    expect(sharing.statusCode).toBe(200);
    const choices: Record<string, string> = {
      'visibility-moving_on': 'private',
      'visibility-recovery_means': 'worker',
      'visibility-keeping_well': 'care_team',
      'visibility-ups_and_downs': 'worker',
      'visibility-hopes_and_goals': 'worker',
      'visibility-tackling_problems': 'worker',
      'visibility-people_and_places': 'worker',
    };
    expect((await me.post('/me/plan/sharing', choices)).statusCode).toBe(303);

    expect((await pat.get(`/participants/${participantId}/plan/moving_on`)).statusCode).toBe(404);
    const overview = await pat.get(`/participants/${participantId}/plan`);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).not.toContain('/plan/moving_on"');
    expect(overview.body).toContain('1 section is not shared with you.');
    expect((await pat.get(`/participants/${participantId}/plan/keeping_well`)).statusCode).toBe(200);

    // The care team sees only what was shared with the care team, and cannot write.
    const clinician = await t.signedInAs(DEMO.clinicianNorth);
    expect((await clinician.get(`/participants/${participantId}/plan/keeping_well`)).statusCode).toBe(200);
    expect((await clinician.get(`/participants/${participantId}/plan/recovery_means`)).statusCode).toBe(404);
    const write = await save(
      clinician,
      `/participants/${participantId}/plan`,
      'keeping_well',
      { ...newIds(), ...listItem('strengths', 'x') },
      true,
    );
    expect(write.statusCode).toBe(404);

    // Nobody else: another worker, supervisors, the coordinator, the other team.
    for (const email of [
      DEMO.workerRob,
      DEMO.supervisorNorth,
      DEMO.coordinator,
      DEMO.clinicianSouth,
      DEMO.analyst,
    ]) {
      const other = await t.signedInAs(email);
      expect((await other.get(`/participants/${participantId}/plan`)).statusCode, email).toBe(404);
      expect((await other.get(`/participants/${participantId}/plan/keeping_well`)).statusCode, email).toBe(
        404,
      );
    }
    // Staff cannot change the sharing.
    expect((await pat.post('/me/plan/sharing', choices)).statusCode).not.toBe(303);
  });

  it('asks for a choice for every section, changing nothing until all are given', async () => {
    await me.get('/me/plan/sharing');
    const response = await me.post('/me/plan/sharing', { 'visibility-moving_on': 'care_team' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Choose who can see');
    const [row] = await queryRows<{ visibility: string }>(
      t.database,
      sql`SELECT visibility FROM plan_section_sharing WHERE participant_id = ${participantId} AND section_key = 'moving_on'`,
    );
    expect(row?.visibility).toBe('private');
  });

  it("marks what the worker wrote on the participant's behalf", async () => {
    const ids = formIds(
      (await pat.get(`/participants/${participantId}/plan/recovery_means`)).body,
      'in_my_words',
    );
    await save(pat, `/participants/${participantId}/plan`, 'recovery_means', {
      ...ids,
      ...textAnswer('in_my_words', 'Having a routine again'),
    });
    const page = await me.get('/me/plan/recovery_means');
    expect(page.body).toContain('Having a routine again');
    expect(page.body).toContain('Written for you');
    const [audit] = await queryRows<{ detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'plan.entry_saved' AND detail->>'entryId' = ${ids.entryId}`,
    );
    expect(audit?.detail).toMatchObject({ section: 'recovery_means', onBehalf: true });
    // Ids only in the audit: never the words.
    expect(JSON.stringify(audit?.detail)).not.toContain('routine');
  });

  it('shows the participant who has looked at their plan, and not their own looks', async () => {
    const page = await me.get('/me/plan/views');
    expect(page.statusCode).toBe(200);
    const table = page.body.slice(page.body.indexOf('id="plan-views"'));
    expect(table).toContain('Pat');
    expect(table).toContain('Keeping well');
    expect(table).not.toMatch(/>You</);
    // Nobody else can see that list.
    expect((await pat.get('/me/plan/views')).statusCode).not.toBe(200);
  });

  it("keeps other participants' plans apart", async () => {
    expect((await pat.get(`/participants/${otherParticipantId}/plan`)).statusCode).toBe(404);
    const rob = await t.signedInAs(DEMO.workerRob);
    const ids = formIds(
      (await rob.get(`/participants/${otherParticipantId}/plan/keeping_well`)).body,
      'strengths',
    );
    // An entry of another participant cannot be reached through this participant's plan.
    await save(rob, `/participants/${otherParticipantId}/plan`, 'keeping_well', {
      ...ids,
      ...listItem('strengths', 'Rob wrote this'),
    });
    const hijack = await saveMine(
      'keeping_well',
      { ...revising(ids.entryId, 1), ...listItem('strengths', 'hijack') },
      true,
    );
    expect(hijack.statusCode).toBe(404);
    expect((await me.get(`/me/plan/keeping_well/entries/${ids.entryId}/history`)).statusCode).toBe(404);
  });
});

describe('hostile input', () => {
  const planRecords = async () =>
    JSON.stringify(
      await queryRows(
        t.database,
        sql`SELECT (SELECT count(*) FROM plan_entries) AS entries, (SELECT count(*) FROM plan_entry_revisions) AS revisions,
                   (SELECT count(*) FROM plan_section_sharing WHERE visibility = 'care_team') AS care_team`,
      ),
    );
  const junk = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '',
      '<script>alert(1)</script>',
      "' OR 1=1 --",
      '\u0000',
      '-1',
      '1e309',
      'NaN',
      'x'.repeat(20_000),
    ),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  );

  it('answers malformed saves, removals and sharing with a 4xx and changes nothing', async () => {
    await me.get('/me/plan/keeping_well');
    const before = await planRecords();
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            entryId: junk,
            saveId: junk,
            baseRevision: junk,
            fieldKey: fc.oneof(junk, fc.constant('strengths')),
            kind: fc.oneof(junk, fc.constantFrom('text', 'goal', 'media', 'list_item')),
            text: junk,
            stepText: junk,
            stepDone: junk,
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom(
          '/me/plan/keeping_well/entries',
          '/me/plan/nope/entries',
          `/me/plan/keeping_well/entries/${randomUUID()}/remove`,
          '/me/plan/sharing',
        ),
        fc.boolean(),
        async (fields, url, json) => {
          // A valid-looking list item needs a valid uuid pair; junk never has one, so nothing saves.
          const response = await me.post(url, fields, json ? { headers: JSON_ACCEPT } : {});
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
    expect(await planRecords()).toBe(before);
  });
});
