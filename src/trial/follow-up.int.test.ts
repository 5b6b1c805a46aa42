/**
 * Trial follow-ups through HTTP: the outcome assessor's due and overdue list, entering a
 * questionnaire with a guess of the arm (saved once, scored, audited), not done with a reason,
 * online invitations (only the token's hash kept, a neutral message, a link used once),
 * accidental unblindings, who may do each, and that nothing an assessor reaches shows the arm.
 */
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from './demo-trial.ts';
import { seedDemoRandomisations } from './demo-randomisation.ts';
import { TEST_NOW } from '../test-support/test-app.ts';

let t: TestApp;
let assessor: TestClient;
/** Randomisations by what the test made of them. */
const people: Record<
  'overdue' | 'due' | 'withdrawn' | 'invited' | 'unblinded' | 'locked' | 'notDone',
  { id: string; studyId: string; arm: string }
> = {} as never;

/** Words that would tell an assessor the arm (the guess's own radios are taken out first). */
const ARM_WORDS = /\b(intervention|control|peer support \(the programme\)|usual care)\b/i;
const withoutGuess = (html: string) =>
  html.replace(/<div id="arm-guess">[\s\S]*?<\/div>\s*<button/, '<button');

const answers = (over: Record<string, string> = {}) => ({
  submissionToken: randomUUID(),
  'i0-coping': 'some',
  'i0-someone_to_talk_to': 'most',
  'i0-hopeful': 'some',
  'i0-sleep': 'always',
  'i0-know_what_to_do': 'most',
  'i0-days_out': '6',
  guess: 'dont_know',
  ...over,
});
const entry = (who: keyof typeof people, key = 'month_4') => `/trial/follow-ups/${people[who].id}/${key}`;

const auditCount = (action: string) =>
  count(t.database, sql`SELECT count(*) AS n FROM audit_events WHERE action = ${action}`);

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  await seedDemoTrial(t.database.db, DEMO_TRUST_ID, new Date(TEST_NOW));
  await seedDemoRandomisations(t.database.db);
  const rows = await queryRows<{ id: string; studyId: string; arm: string; consentId: string }>(
    t.database,
    sql`SELECT id, study_id AS "studyId", arm, consent_id AS "consentId" FROM trial_randomisations
         WHERE trial_id = ${DEMO_TRIAL_ID} ORDER BY study_number`,
  );
  // Today is 26 November 2026. The 4-month window runs 2 weeks before to 6 weeks after.
  const dated: [keyof typeof people, string][] = [
    ['overdue', '2026-06-01'], // 4 months: 1 October, closed 12 November
    ['due', '2026-07-20'],
    ['withdrawn', '2026-07-21'],
    ['invited', '2026-07-22'],
    ['unblinded', '2026-07-23'],
    ['locked', '2026-07-24'],
    ['notDone', '2026-07-25'],
  ];
  for (const [i, [name, on]] of dated.entries()) {
    const row = rows[i]!;
    people[name] = row;
    await t.database.db.execute(
      sql`UPDATE trial_randomisations SET randomised_at = ${`${on}T10:00:00Z`}::timestamptz WHERE id = ${row.id}`,
    );
  }
  const withdrawn = rows[2]!;
  await t.database.db.execute(
    sql`INSERT INTO trial_withdrawals (id, consent_id, scope, withdrawn_on, reason, recorded_by, recorded_at, submission_token)
        SELECT ${randomUUID()}, ${withdrawn.consentId}, 'follow_up', '2026-11-01', NULL, id, now(), ${randomUUID()}
          FROM staff_users WHERE email = ${DEMO.trialManager}`,
  );
  assessor = await t.signedInAs(DEMO.assessor);
});
afterAll(async () => {
  await t.close();
});

describe('the follow-up list', () => {
  it('lists every randomised person’s time points by study id, overdue then due first, never the arm', async () => {
    const page = await assessor.get('/trial/follow-ups');
    expect(page.statusCode).toBe(200);
    const statuses = [
      ...page.body
        .slice(page.body.indexOf('<table'))
        .matchAll(/<strong class="nhsuk-tag nhsuk-tag--\w+">([^<]+)</g),
    ].map((m) => m[1]);
    expect(statuses[0]).toBe('Overdue');
    expect(statuses.slice(1, 6)).toEqual(['Due', 'Due', 'Due', 'Due', 'Due']);
    expect(page.body).toContain(people.overdue.studyId);
    expect(page.body).toContain('4-month follow-up');
    expect(page.body).toContain('18-month follow-up');
    expect(page.body).not.toMatch(ARM_WORDS);
  });

  it('is the outcome assessor’s only: the trial manager, who knows arms, and everyone else are answered "not found"', async () => {
    for (const email of [
      DEMO.trialManager,
      DEMO.analyst,
      DEMO.statistician,
      DEMO.coordinator,
      DEMO.workerPat,
      DEMO.clinicianNorth,
    ]) {
      const client = await t.signedInAs(email);
      expect((await client.get('/trial/follow-ups')).statusCode, email).toBe(404);
      expect((await client.get(entry('due'))).statusCode, email).toBe(404);
      expect((await client.post(entry('due'), answers())).statusCode, email).toBe(404);
    }
  });
});

describe('an assessor enters a follow-up', () => {
  it('saves the questionnaire with their guess once when the form is sent twice, scored and audited without the guess', async () => {
    const page = await assessor.get(entry('due'));
    expect(page.statusCode).toBe(200);
    expect(withoutGuess(page.body)).not.toMatch(ARM_WORDS);
    const form = answers({ guess: 'intervention', certainty: 'fairly_sure' });
    const [first, second] = [
      await assessor.post(entry('due'), form),
      await assessor.post(entry('due'), form),
    ];
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    const rows = await queryRows<{
      arm_guess: string;
      guess_certainty: string;
      score: string;
      response: { questionnaire: string; item: unknown[] };
    }>(
      t.database,
      sql`SELECT f.arm_guess, f.guess_certainty, r.score, r.response FROM trial_follow_ups f
            JOIN trial_questionnaire_responses r ON r.follow_up_id = f.id WHERE f.randomisation_id = ${people.due.id}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ arm_guess: 'intervention', guess_certainty: 'fairly_sure' });
    // 1 + 2 + 1 + 3 + 2: the number of days out is not scored.
    expect(Number(rows[0]!.score)).toBe(9);
    expect(rows[0]!.response.questionnaire).toBe(
      'https://greenleaf.nhs.uk/fhir/Questionnaire/greenleaf-check-in|1.0.0',
    );
    expect(rows[0]!.response.item).toHaveLength(6);
    const [event] = await queryRows<{ detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'trial.follow_up_recorded'`,
    );
    expect(event?.detail).toMatchObject({ studyId: people.due.studyId, timePoint: 'month_4' });
    expect(JSON.stringify(event?.detail)).not.toMatch(ARM_WORDS);
    const list = await assessor.get('/trial/follow-ups?done=recorded');
    expect(list.body).toContain('Follow-up recorded.');
    // Recorded once: a new form for the same time point is refused.
    expect((await assessor.post(entry('due'), answers())).statusCode).toBe(409);
  });

  it('shows the error summary for a missing guess or an answer not offered, and saves nothing', async () => {
    const before = await count(t.database, sql`SELECT count(*) AS n FROM trial_follow_ups`);
    const noGuess = await assessor.post(entry('notDone'), answers({ guess: '' }));
    expect(noGuess.statusCode).toBe(400);
    expect(noGuess.body).toContain('nhsuk-error-summary');
    expect(noGuess.body).toContain('Select which group you think they are in');
    const unsure = await assessor.post(entry('notDone'), answers({ guess: 'control' }));
    expect(unsure.body).toContain('Select how sure you are');
    const bad = await assessor.post(
      entry('notDone'),
      answers({ 'i0-coping': 'sometimes', 'i0-days_out': '15' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select one of the answers');
    expect(bad.body).toContain('Enter a whole number from 0 to 14');
    expect(withoutGuess(bad.body)).not.toMatch(ARM_WORDS);
    expect(await count(t.database, sql`SELECT count(*) AS n FROM trial_follow_ups`)).toBe(before);
  });

  it('answers hostile posts with a 4xx, never a server error', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileForm(
          ['submissionToken', 'guess', 'certainty', 'i0-coping', 'i0-days_out', 'reason'],
          'never',
          'control',
        ),
        async (posted) => {
          const response = await assessor.post(entry('notDone'), posted);
          expect([303, 400, 409]).toContain(response.statusCode);
          const notDone = await assessor.post(`${entry('notDone')}/not-done`, posted);
          expect([303, 400, 409]).toContain(notDone.statusCode);
        },
      ),
      { numRuns: 25 },
    );
    expect((await assessor.get(`/trial/follow-ups/${people.due.id}/month_99`)).statusCode).toBe(404);
    expect((await assessor.get('/trial/follow-ups/not-an-id/month_4')).statusCode).toBe(404);
  });

  it('records a follow-up as not done with its reason', async () => {
    const target = `/trial/follow-ups/${people.overdue.id}/month_4/not-done`;
    expect((await assessor.get(target)).statusCode).toBe(200);
    const empty = await assessor.post(target, { submissionToken: randomUUID() });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Select why the follow-up was not done');
    expect(
      (await assessor.post(target, { submissionToken: randomUUID(), reason: 'could_not_contact' }))
        .statusCode,
    ).toBe(303);
    const list = await assessor.get('/trial/follow-ups');
    expect(list.body).toContain('Could not contact them');
    expect(await auditCount('trial.follow_up_not_done')).toBe(1);
  });
});

describe('someone who withdrew from follow-up', () => {
  it('is never listed as due or overdue, never invited, and nothing can be entered for them', async () => {
    const list = await assessor.get('/trial/follow-ups');
    const row = new RegExp(
      `${people.withdrawn.studyId}[\\s\\S]*?<strong class="nhsuk-tag nhsuk-tag--\\w+">([^<]+)<`,
    ).exec(list.body);
    expect(row?.[1]).toBe('Withdrawn from follow-up');
    expect(list.body).not.toContain(`href="${entry('withdrawn')}"`);
    // Their record linked, with a contact: still never invited.
    await linkParticipant(people.withdrawn.id);
    const invite = await assessor.post(`${entry('withdrawn')}/invite`, { submissionToken: randomUUID() });
    expect(invite.statusCode).toBe(409);
    expect(invite.body).toContain('They have withdrawn from follow-up');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM trial_follow_up_invitations WHERE randomisation_id = ${people.withdrawn.id}`,
      ),
    ).toBe(0);
    expect((await assessor.post(entry('withdrawn'), answers())).statusCode).toBe(409);
    expect((await assessor.get(entry('withdrawn'))).body).toContain('They have withdrawn from follow-up');
  });
});

/** Links a randomisation to a seeded participant with an email address, as the linking will. */
async function linkParticipant(
  randomisationId: string,
): Promise<{ id: string; email: string; givenName: string }> {
  const [participant] = await queryRows<{ id: string; email: string; givenName: string }>(
    t.database,
    sql`SELECT id, email, given_name AS "givenName" FROM participants
         WHERE trust_id = ${DEMO_TRUST_ID} AND email IS NOT NULL
           AND id NOT IN (SELECT participant_id FROM trial_randomisations WHERE participant_id IS NOT NULL)
         ORDER BY id LIMIT 1`,
  );
  await t.database.db.execute(
    sql`UPDATE trial_randomisations SET participant_id = ${participant!.id} WHERE id = ${randomisationId}`,
  );
  return participant!;
}

describe('an online invitation', () => {
  it('is not offered while their participant record is not linked, and the page says why', async () => {
    const page = await assessor.get(entry('invited'));
    expect(page.body).toContain('Their participant record is not linked to the trial yet');
    expect(page.body).not.toContain('Send an invitation');
    expect(
      (await assessor.post(`${entry('invited')}/invite`, { submissionToken: randomUUID() })).statusCode,
    ).toBe(409);
  });

  it('sends a neutral one-time link, keeps only its hash, and takes the answers once without a sign-in', async () => {
    const participant = await linkParticipant(people.invited.id);
    // Only by a way they agreed to be contacted: someone who said phone calls only is not sent one.
    await t.database.db.execute(sql`UPDATE participants SET contact_methods = '{phone}' WHERE id = ${participant.id}`);
    const refused = await assessor.post(`${entry('invited')}/invite`, { submissionToken: randomUUID() });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('arrange their follow-up by phone or post');
    await t.database.db.execute(
      sql`UPDATE participants SET contact_methods = '{phone,email}' WHERE id = ${participant.id}`,
    );
    const page = await assessor.get(entry('invited'));
    expect(page.body).toContain('Send an invitation');
    const token = /name="submissionToken" value="([^"]+)"/.exec(page.body)![1]!;
    expect((await assessor.post(`${entry('invited')}/invite`, { submissionToken: token })).statusCode).toBe(
      303,
    );
    expect((await assessor.post(`${entry('invited')}/invite`, { submissionToken: token })).statusCode).toBe(
      303,
    );
    const messages = await queryRows<{
      recipient: string;
      personalisation: { link: string; expires: string };
    }>(
      t.database,
      sql`SELECT recipient, personalisation FROM notifications WHERE template = 'trial_follow_up_invitation'`,
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]!.recipient).toBe(participant.email);
    // The message's words: neither arm, nor the intervention, nor the programme's name.
    expect((messages[0]!.personalisation as { body?: string }).body).toContain('research study');
    expect((messages[0]!.personalisation as { body?: string }).body).not.toMatch(/greenleaf|programme|peer/i);
    expect(JSON.stringify(messages[0]!.personalisation)).not.toMatch(ARM_WORDS);
    const link = new URL(messages[0]!.personalisation.link, 'http://localhost').pathname;
    const secret = link.split('/').pop()!;
    const [stored] = await queryRows<{ token_hash: string }>(
      t.database,
      sql`SELECT token_hash FROM trial_follow_up_invitations`,
    );
    expect(stored!.token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(await auditCount('trial.follow_up_invited')).toBe(1);
    expect((await assessor.get(entry('invited'))).body).toContain('An invitation was sent on');

    const participantBrowser = t.client();
    const form = await participantBrowser.get(link);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Your research study questionnaire');
    expect(form.body).not.toContain(people.invited.studyId);
    expect(form.body).not.toContain(participant.givenName);
    expect(form.body).not.toMatch(ARM_WORDS);
    expect(form.body).not.toContain('arm-guess');
    const bad = await participantBrowser.post(link, { ...answers(), 'i0-days_out': 'lots' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('nhsuk-error-summary');
    const sent = await participantBrowser.post(link, answers({ 'i0-sleep': '' }));
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/follow-up/thank-you');
    const again = await participantBrowser.get(link);
    expect(again.body).toContain('This link has been used');
    const [saved] = await queryRows<{ completed_by: string; arm_guess: string | null; score: string }>(
      t.database,
      sql`SELECT f.completed_by, f.arm_guess, r.score FROM trial_follow_ups f JOIN trial_questionnaire_responses r ON r.follow_up_id = f.id
           WHERE f.randomisation_id = ${people.invited.id}`,
    );
    // Four of five answered: prorated, (1 + 2 + 1 + 2) / 4 × 5.
    expect(saved).toMatchObject({ completed_by: 'participant', arm_guess: null });
    expect(Number(saved!.score)).toBe(7.5);
    expect(await auditCount('trial.follow_up_completed_online')).toBe(1);
    expect((await t.client().get('/follow-up/not-a-real-token')).statusCode).toBe(404);
  });
});

describe('an invitation sent before they withdrew from follow-up', () => {
  it('no longer opens the questionnaire, and takes no answers', async () => {
    await linkParticipant(people.notDone.id);
    expect(
      (await assessor.post(`${entry('notDone')}/invite`, { submissionToken: randomUUID() })).statusCode,
    ).toBe(303);
    // Its link: the message whose token hashes to this person's invitation.
    const [invitation] = await queryRows<{ token_hash: string }>(
      t.database,
      sql`SELECT token_hash FROM trial_follow_up_invitations WHERE randomisation_id = ${people.notDone.id}`,
    );
    const links = await queryRows<{ link: string }>(
      t.database,
      sql`SELECT personalisation->>'link' AS link FROM notifications WHERE template = 'trial_follow_up_invitation'`,
    );
    const link = links
      .map((m) => new URL(m.link, 'http://localhost').pathname)
      .find(
        (path) =>
          createHash('sha256').update(path.split('/').pop()!).digest('hex') === invitation!.token_hash,
      )!;
    const [consent] = await queryRows<{ consentId: string }>(
      t.database,
      sql`SELECT consent_id AS "consentId" FROM trial_randomisations WHERE id = ${people.notDone.id}`,
    );
    await t.database.db.execute(
      sql`INSERT INTO trial_withdrawals (id, consent_id, scope, withdrawn_on, reason, recorded_by, recorded_at, submission_token)
          SELECT ${randomUUID()}, ${consent!.consentId}, 'data', '2026-11-26', NULL, id, now(), ${randomUUID()}
            FROM staff_users WHERE email = ${DEMO.trialManager}`,
    );
    const browser = t.client();
    const page = await browser.get(link);
    expect(page.body).toContain('This link no longer works');
    expect(page.body).not.toContain('Send my answers');
    await browser.post(link, answers());
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM trial_follow_ups WHERE randomisation_id = ${people.notDone.id}`,
      ),
    ).toBe(0);
    expect((await assessor.get('/trial/follow-ups')).body).not.toContain(`href="${entry('notDone')}"`);
  });
});

describe('an accidental unblinding', () => {
  it('is recorded by the assessor with how and when, audited; they can no longer enter that person’s follow-ups', async () => {
    const form = await assessor.get('/trial/unblindings/new');
    expect(form.statusCode).toBe(200);
    const empty = await assessor.post('/trial/unblindings/new', { submissionToken: randomUUID() });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the study id of the person whose group you learned');
    const unknown = await assessor.post('/trial/unblindings/new', {
      submissionToken: randomUUID(),
      studyId: 'NOBODY-0001',
      'learnedOn[day]': '25',
      'learnedOn[month]': '11',
      'learnedOn[year]': '2026',
      how: 'They mentioned their peer worker on the phone.',
    });
    expect(unknown.statusCode).toBe(400);
    const posted = {
      submissionToken: randomUUID(),
      studyId: people.unblinded.studyId.toLowerCase(),
      'learnedOn[day]': '25',
      'learnedOn[month]': '11',
      'learnedOn[year]': '2026',
      how: 'They mentioned their peer worker on the phone.',
    };
    expect((await assessor.post('/trial/unblindings/new', posted)).statusCode).toBe(303);
    expect((await assessor.post('/trial/unblindings/new', posted)).statusCode).toBe(303);
    expect(await count(t.database, sql`SELECT count(*) AS n FROM trial_unblindings`)).toBe(1);
    expect(await auditCount('trial.unblinded')).toBe(1);

    const list = await assessor.get('/trial/follow-ups');
    expect(list.body).toContain('You know this person’s group: ask another assessor to do their follow-ups');
    expect(list.body).not.toContain(`href="${entry('unblinded')}"`);
    const refused = await assessor.get(entry('unblinded'));
    expect(refused.statusCode).toBe(409);
    expect(refused.body).not.toMatch(ARM_WORDS);
    expect((await assessor.post(entry('unblinded'), answers())).statusCode).toBe(409);
  });

  it('may be recorded by an analyst; the trial manager sees every one, and nobody else does', async () => {
    const analyst = await t.signedInAs(DEMO.analyst);
    expect((await analyst.get('/trial/unblindings/new')).statusCode).toBe(200);
    expect((await analyst.get('/trial/unblindings')).statusCode).toBe(404);
    expect((await assessor.get('/trial/unblindings')).statusCode).toBe(404);
    const manager = await t.signedInAs(DEMO.trialManager);
    expect((await manager.get('/trial/unblindings/new')).statusCode).toBe(404);
    const seen = await manager.get('/trial/unblindings');
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain(people.unblinded.studyId);
    expect(seen.body).toContain('They mentioned their peer worker on the phone.');
  });
});

describe('a locked trial', () => {
  it('is refused (409) once the trial is locked', async () => {
    // Last in the file: a lock is for good (the database refuses to clear it).
    await t.database.db.execute(sql`UPDATE trials SET locked_at = now() WHERE id = ${DEMO_TRIAL_ID}`);
    {
      const refused = await assessor.post(entry('locked'), answers());
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('The trial is locked');
      expect(
        (
          await assessor.post(`${entry('locked')}/not-done`, {
            submissionToken: randomUUID(),
            reason: 'declined',
          })
        ).statusCode,
      ).toBe(409);
      expect(
        (await assessor.post(`${entry('locked')}/invite`, { submissionToken: randomUUID() })).statusCode,
      ).toBe(409);
    }
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM trial_follow_ups WHERE randomisation_id = ${people.locked.id}`,
      ),
    ).toBe(0);
  });
});
