/**
 * Participants' feedback through HTTP: offered only once the programme has ended, given once
 * however often (or however fast) the form is sent, "No thanks" recorded; anonymous by
 * construction (nothing in the feedback table leads back to a participant or worker, and the
 * audit event names no feedback); the report for the coordinator and supervisors only, with
 * small numbers withheld; hostile input answered with a 4xx and nothing saved.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aParticipant, aTrust, type MadeParticipant, type MadeTrust } from '../test-support/factories.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { saveAtOnce } from '../test-support/at-once.ts';

let t: TestApp;
let patId: string;

/** Ends the participant's programme on this day, as their worker recorded it. */
async function endProgramme(participant: MadeParticipant, endedOn = '2026-11-20', recordedBy = patId) {
  await t.database.db.execute(
    sql`INSERT INTO programme_endings (participant_id, reason, ended_on, sessions_attended, sections, share_consent, recorded_by, recorded_at)
        VALUES (${participant.id}, 'completed', ${endedOn}, 6, '{}', 'not_asked', ${recordedBy}, now())`,
  );
}

async function endedParticipant(): Promise<{ participant: MadeParticipant; client: TestClient }> {
  const participant = await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 90 });
  await endProgramme(participant);
  return { participant, client: await t.signedInAsParticipant(participant.id) };
}

const answers = (extra: Record<string, string> = {}) => ({
  action: 'send',
  sessions_helped: '5',
  worker_understood: '4',
  plan_useful: 'prefer_not',
  comment: 'The walks helped',
  ...extra,
});

async function send(client: TestClient, fields: Record<string, string>, token = randomUUID()) {
  await client.get('/me/feedback');
  return client.post('/me/feedback', { submissionToken: token, ...fields });
}

const feedbackRows = () => count(t.database, sql`SELECT count(*) AS n FROM programme_feedback`);
const responseOf = async (participantId: string) =>
  (
    await queryRows<{ outcome: string }>(
      t.database,
      sql`SELECT outcome FROM programme_feedback_responses WHERE participant_id = ${participantId}`,
    )
  ).map((row) => row.outcome);

beforeAll(async () => {
  t = await createTestApp();
  patId = await t.staffId(DEMO.workerPat);
});
afterAll(async () => {
  await t.close();
});

describe('giving feedback', () => {
  it('is not there for a participant whose programme has not ended', async () => {
    const participant = await aParticipant(t, { worker: DEMO.workerPat });
    const client = await t.signedInAsParticipant(participant.id);
    expect((await client.get('/me')).body).not.toContain('Tell us what you thought');
    expect((await client.get('/me/feedback')).statusCode).toBe(404);
    expect((await client.get('/me/feedback/thanks')).statusCode).toBe(404);
    const before = await feedbackRows();
    expect(
      (await client.post('/me/feedback', { submissionToken: randomUUID(), ...answers() })).statusCode,
    ).toBe(404);
    expect(await feedbackRows()).toBe(before);
    expect(await responseOf(participant.id)).toEqual([]);
  });

  it('is offered once the programme has ended, says the answers are anonymous, and is given once however often it is sent', async () => {
    const { participant, client } = await endedParticipant();
    expect((await client.get('/me')).body).toContain('Tell us what you thought (optional)');
    expect((await client.get('/me/summary')).body).toContain('Tell us what you thought (optional)');
    const form = await client.get('/me/feedback');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Your peer support worker will never see who said what');
    expect(form.body).toContain('only when 5 or more people have answered');

    const before = await feedbackRows();
    const token = randomUUID();
    const first = await send(client, answers(), token);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/me/feedback/thanks');
    // Sent again (a double click, a retry): the same answer, no second row.
    const again = await client.post('/me/feedback', { submissionToken: token, ...answers() });
    expect(again.headers.location).toBe('/me/feedback/thanks');
    expect(await feedbackRows()).toBe(before + 1);
    expect(await responseOf(participant.id)).toEqual(['given']);

    // A second form (another tab) finds it answered.
    const other = await send(client, answers({ sessions_helped: '1' }));
    expect(other.headers.location).toBe('/me/feedback');
    expect(await feedbackRows()).toBe(before + 1);
    expect((await client.get('/me/feedback')).body).toContain('You have already told us what you thought');
    expect((await client.get('/me/feedback/thanks')).statusCode).toBe(200);
    expect((await client.get('/me')).body).not.toContain('Tell us what you thought');
    expect((await client.get('/me/summary')).body).not.toContain('Tell us what you thought');

    const [saved] = await queryRows<{
      answers: Record<string, unknown>;
      comment: string;
      ended_month: string;
    }>(
      t.database,
      sql`SELECT answers, comment, ended_month::text AS ended_month FROM programme_feedback WHERE comment = 'The walks helped' ORDER BY id LIMIT 1`,
    );
    expect(saved).toEqual({
      answers: { sessions_helped: 5, worker_understood: 4, plan_useful: 'prefer_not' },
      comment: 'The walks helped',
      ended_month: '2026-11-01',
    });
  });

  it('sent twice at the same moment makes one feedback row', async () => {
    const { participant, client } = await endedParticipant();
    await client.get('/me/feedback');
    const before = await feedbackRows();
    const token = randomUUID();
    const { statuses, said } = await saveAtOnce([
      () => client.post('/me/feedback', { submissionToken: token, ...answers() }),
      () => client.post('/me/feedback', { submissionToken: token, ...answers() }),
    ]);
    expect(statuses, said).toEqual([303, 303]);
    expect(await feedbackRows()).toBe(before + 1);
    expect(await responseOf(participant.id)).toEqual(['given']);

    // Two different forms at once (two tabs): still one.
    const second = await endedParticipant();
    await second.client.get('/me/feedback');
    const racing = await saveAtOnce([
      () => second.client.post('/me/feedback', { submissionToken: randomUUID(), ...answers() }),
      () => second.client.post('/me/feedback', { submissionToken: randomUUID(), ...answers() }),
    ]);
    expect(racing.statuses, racing.said).toEqual([303, 303]);
    expect(await feedbackRows()).toBe(before + 2);
  });

  it('"No thanks" is recorded, saves no answers, and is not offered again', async () => {
    const { participant, client } = await endedParticipant();
    const before = await feedbackRows();
    const declined = await send(client, { action: 'decline', sessions_helped: '5', comment: 'ignored' });
    expect(declined.headers.location).toBe('/me?done=feedback-declined');
    expect(await feedbackRows()).toBe(before);
    expect(await responseOf(participant.id)).toEqual(['declined']);
    const home = await client.get('/me?done=feedback-declined');
    expect(home.body).toContain('We will not ask you again');
    expect(home.body).not.toContain('Tell us what you thought');
    expect((await client.get('/me/feedback')).body).toContain('You chose not to tell us what you thought');
    expect((await client.get('/me/feedback/thanks')).headers.location).toBe('/me/feedback');
  });

  it('answers a form it cannot take with the error summary, and saves nothing', async () => {
    const { participant, client } = await endedParticipant();
    const before = await feedbackRows();
    const nothing = await send(client, { action: 'send' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain(
      'Answer at least one question or write something in the box, or choose No thanks',
    );
    const odd = await send(client, answers({ sessions_helped: '7' }));
    expect(odd.statusCode).toBe(400);
    expect(odd.body).toContain('Choose one of the answers to “The sessions helped me after my crisis”');
    const long = await send(client, answers({ comment: 'x'.repeat(1001) }));
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('What you would like to tell us must be 1000 characters or fewer');
    // The words written are kept in the box to correct.
    expect(long.body).toContain('x'.repeat(1001));
    const expired = await client.post('/me/feedback', { submissionToken: 'not-a-token', ...answers() });
    expect(expired.statusCode).toBe(400);
    expect(await feedbackRows()).toBe(before);
    expect(await responseOf(participant.id)).toEqual([]);
  });

  it('never answers a hostile form with a server error, and saves nothing from one', async () => {
    const { participant, client } = await endedParticipant();
    await client.get('/me/feedback');
    const before = await feedbackRows();
    await fc.assert(
      fc.asyncProperty(
        hostileForm(
          ['submissionToken', 'action', 'sessions_helped', 'plan_useful', 'comment'],
          'send',
          'decline',
          '5',
        ),
        async (fields) => {
          const response = await client.post('/me/feedback', fields);
          expect(response.statusCode).toBeGreaterThanOrEqual(300);
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
    expect(await feedbackRows()).toBe(before);
    expect(await responseOf(participant.id)).toEqual([]);
  });

  it('staff cannot give feedback', async () => {
    const coordinator = await t.signedInAs(DEMO.coordinator);
    expect((await coordinator.get('/me/feedback')).statusCode).toBe(303);
    const posted = await coordinator.post('/me/feedback', { submissionToken: randomUUID(), ...answers() });
    expect([303, 401, 403, 404]).toContain(posted.statusCode);
  });
});

describe('anonymous by construction', () => {
  it('keeps no column in the feedback table that leads back to a participant or a worker', async () => {
    const columns = await queryRows<{ column_name: string }>(
      t.database,
      sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'programme_feedback' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'id',
      'trust_id',
      'crisis_team_id',
      'ended_month',
      'answers',
      'comment',
    ]);
    const references = await queryRows<{ target: string }>(
      t.database,
      sql`SELECT confrelid::regclass::text AS target FROM pg_constraint WHERE conrelid = 'programme_feedback'::regclass AND contype = 'f' ORDER BY 1`,
    );
    expect(references.map((r) => r.target)).toEqual(['crisis_teams', 'trusts']);
  });

  it('writes an audit event that names the participant and never the feedback', async () => {
    const { participant, client } = await endedParticipant();
    await send(client, answers({ comment: 'Audit test words' }));
    const [feedback] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM programme_feedback WHERE comment = 'Audit test words'`,
    );
    const events = await queryRows<{ action: string; entity_type: string; detail: unknown }>(
      t.database,
      sql`SELECT action, entity_type, detail FROM audit_events WHERE entity_id = ${participant.id} AND action LIKE 'feedback.%'`,
    );
    expect(events).toEqual([{ action: 'feedback.given', entity_type: 'participant', detail: {} }]);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE entity_id = ${feedback!.id} OR detail::text LIKE ${`%${feedback!.id}%`}`,
      ),
    ).toBe(0);
  });
});

describe('the report', () => {
  let trust: MadeTrust;
  let coordinator: TestClient;
  let supervisor: TestClient;

  /** A feedback row in the trust, as a participant's answers are saved. */
  async function feedbackIn(
    team: 'north' | 'south',
    answered: Record<string, number | string>,
    comment: string | null,
  ) {
    await t.database.db.execute(
      sql`INSERT INTO programme_feedback (id, trust_id, crisis_team_id, ended_month, answers, comment)
          VALUES (${randomUUID()}, ${trust.id}, ${trust[team]}, '2026-10-01', ${JSON.stringify(answered)}::jsonb, ${comment})`,
    );
  }

  beforeAll(async () => {
    trust = await aTrust(t);
    const worker = await t.staffId(trust.worker);
    // Eight programmes ended in the North team in October, two in the South.
    for (const team of [
      'north',
      'north',
      'north',
      'north',
      'north',
      'north',
      'north',
      'north',
      'south',
      'south',
    ] as const) {
      const participant = await aParticipant(t, { trust, team, dischargedDaysAgo: 120 });
      await endProgramme(participant, '2026-10-15', worker);
    }
    // North: six answered; "The sessions helped" 5 strongly agree and 1 agree; four answered
    // "My worker understood"; five comments.
    for (const [i, helped] of [5, 5, 5, 5, 5, 4].entries()) {
      await feedbackIn(
        'north',
        {
          sessions_helped: helped,
          ...(i < 4 ? { worker_understood: 5 } : { worker_understood: 'prefer_not' }),
        },
        i < 5 ? `North comment ${String(i)}` : null,
      );
    }
    await feedbackIn('south', { sessions_helped: 2 }, 'South comment');
    coordinator = await t.signedInAs(trust.coordinator);
    supervisor = await t.signedInAs(trust.supervisorNorth);
  });

  const table = (body: string, key: string) =>
    new RegExp(`id="answers-${key}"[\\s\\S]*?</table>`).exec(body)?.[0] ?? '';

  it('shows each answer’s count and percentage of those who answered, withholding small numbers', async () => {
    const page = await coordinator.get(`/reports/feedback?team=${trust.north}&from=2026-10&to=2026-10`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('6 of 8 people whose programme ended gave feedback (75%)');
    const helped = table(page.body, 'sessions_helped').replace(/<[^>]+>|\s+/g, ' ');
    expect(helped).toContain('Of 6 people who answered');
    expect(helped).toMatch(/Strongly agree\s+5\s+83%/);
    // One small count (1 agree), so the next smallest (0 neither) is withheld with it.
    expect(helped).toMatch(/Agree\s+fewer than 5\s+not shown/);
    expect(helped).toMatch(/Neither agree nor disagree\s+fewer than 5\s+not shown/);
    expect(helped).toMatch(/Disagree\s+0\s+0%/);
    expect(helped).not.toContain(' 1 ');
    // Four answered: no counts at all.
    expect(table(page.body, 'worker_understood')).toBe('');
    expect(page.body).toMatch(
      /My peer support worker understood what I was going through<\/h2>\s*<div class="nhsuk-inset-text">\s*<span class="nhsuk-u-visually-hidden">Information: <\/span>\s*<p>Fewer than 5 people answered, so results are not shown.<\/p>/,
    );
  });

  it('shows the coordinator the comments once 5 were written, naming a team only with 5 of its own', async () => {
    const north = await coordinator.get(`/reports/feedback?team=${trust.north}&from=2026-10&to=2026-10`);
    expect(north.body).toContain('North comment 0');
    expect(north.body).toContain('Programme ended in October 2026, North crisis resolution team');
    const all = await coordinator.get('/reports/feedback?team=all&from=2026-10&to=2026-10');
    expect(all.body).toContain('South comment');
    expect(all.body).toMatch(/South comment<\/p>\s*<p[^>]*>Programme ended in October 2026<\/p>/);
    const south = await coordinator.get(`/reports/feedback?team=${trust.south}&from=2026-10&to=2026-10`);
    expect(south.body).not.toContain('South comment');
    expect(south.body).toContain('Fewer than 5 people wrote something, so their words are not shown.');
    expect(south.body).toContain('1 of 2 people whose programme ended gave feedback (50%)');
    expect(south.body).not.toContain('id="answers-');
  });

  it('shows supervisors the figures and never the comments', async () => {
    const page = await supervisor.get(`/reports/feedback?team=${trust.north}&from=2026-10&to=2026-10`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Of 6 people who answered');
    expect(page.body).not.toContain('North comment');
    expect(page.body).not.toContain('What people told us');
  });

  it('is refused to peer support workers, clinicians, research roles and participants', async () => {
    const { client: participant } = await endedParticipant();
    const refused = [
      await t.signedInAs(trust.worker),
      await t.signedInAs(DEMO.workerPat),
      await t.signedInAs(DEMO.clinicianNorth),
      await t.signedInAs(DEMO.trialManager),
      await t.signedInAs(DEMO.assessor),
      await t.signedInAs(DEMO.analyst),
      participant,
      t.client(),
    ];
    for (const client of refused)
      expect([303, 403, 404]).toContain((await client.get('/reports/feedback')).statusCode);
  });

  it('counts only the reader’s own trust: another trust’s team is not in the list', async () => {
    const demoCoordinator = await t.signedInAs(DEMO.coordinator);
    const page = await demoCoordinator.get(`/reports/feedback?team=${trust.north}`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Choose a crisis team from the list');
    expect(page.body).not.toContain('North comment');
  });

  it('shows the error summary for a period that does not make sense, and 400 for a malformed query', async () => {
    const backwards = await coordinator.get('/reports/feedback?from=2026-11&to=2026-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('nhsuk-error-summary');
    expect(backwards.body).toContain('The first month must be the same as or before the last month');
    expect(backwards.body).not.toContain('id="response-rate"');
    const notOffered = await coordinator.get('/reports/feedback?from=1999-01&to=2026-13');
    expect(notOffered.statusCode).toBe(400);
    expect(notOffered.body).toContain('Choose a first month from the list');
    expect(notOffered.body).toContain('Choose a last month from the list');
    expect((await coordinator.get('/reports/feedback?from=2026-01&from=2026-02')).statusCode).toBe(400);
  });

  it('defaults to the last 12 months, and audits each view of it', async () => {
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'feedback.report_viewed' AND entity_id = ${trust.id}`,
    );
    const page = await coordinator.get('/reports/feedback');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Who answered: all teams, December 2025 to November 2026');
    expect(page.body).toContain('7 of 10 people whose programme ended gave feedback (70%)');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'feedback.report_viewed' AND entity_id = ${trust.id}`,
      ),
    ).toBe(before + 1);
  });
});
