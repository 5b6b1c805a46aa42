/**
 * Safety concerns and advice requests through HTTP, as the people involved use them: a peer
 * support worker raises one (immediate danger via the "Call 999 now" step), the crisis team's
 * clinician sees it in the duty inbox, acknowledges and closes it; who else may see or answer;
 * double submits, stale versions, hostile input and the audit trail.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { saveAtOnce } from '../test-support/at-once.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { aParticipant, aSession, aSharingConsent, type MadeParticipant } from '../test-support/factories.ts';
import { displayName } from '../participants/display-name.ts';
import { RAISE_FIELDS } from './concern.form.ts';

let t: TestApp;
let pat: TestClient;
let rob: TestClient;
let clinicianNorth: TestClient;
let clinicianSouth: TestClient;
let supervisor: TestClient;
let coordinator: TestClient;
/** A participant of Pat's in the North team, made for these tests, with no sharing consent. */
let participant: MadeParticipant;
let participantId: string;
let participantName: string;
/** Their session yesterday, not recorded yet. */
let sessionId: string;

interface ConcernRow {
  id: string;
  kind: string;
  urgency: string;
  status: string;
  what_happened: string;
  called_999_at: Date | string | null;
  participant_knows: string | null;
  safety_override: boolean;
  acknowledge_by: Date | string;
  session_id: string | null;
  action: string | null;
  action_note: string | null;
  version: number;
}

const concernsOf = (id: string) =>
  queryRows<ConcernRow>(
    t.database,
    sql`SELECT * FROM safety_concerns WHERE participant_id = ${id} ORDER BY raised_at, id`,
  );
const concernById = async (id: string) =>
  (await queryRows<ConcernRow>(t.database, sql`SELECT * FROM safety_concerns WHERE id = ${id}`))[0]!;
const auditCount = (action: string, entityId: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM audit_events WHERE action = ${action} AND entity_id = ${entityId}`,
  );
/** The name the service shows for a participant. */
const nameOf = (person: MadeParticipant) =>
  displayName({ givenName: person.givenName, familyName: person.familyName, preferredName: null });
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const newUrl = (kind = 'concern', extra = '', about = participantId) =>
  `/participants/${about}/concerns/new?kind=${kind}${extra}`;

/** Raises a concern as Pat (about the participant above unless told) and returns its id. */
async function raise(
  fields: Record<string, string>,
  kind = 'concern',
  extra = '',
  about = participantId,
): Promise<string> {
  await pat.get(newUrl(kind, extra, about));
  const response = await pat.post(newUrl(kind, extra, about), { submissionToken: randomUUID(), ...fields });
  expect(response.statusCode).toBe(303);
  const match = /^\/concerns\/([0-9a-f-]{36})\?done=/.exec(String(response.headers.location));
  expect(match).not.toBeNull();
  return match![1]!;
}

async function acknowledge(client: TestClient, id: string, version: number) {
  await client.get(`/concerns/${id}`);
  return client.post(`/concerns/${id}/acknowledge`, { version: String(version) });
}

beforeAll(async () => {
  // Long enough idle time that moving the clock past a deadline keeps everyone signed in.
  t = await createTestApp({ SESSION_IDLE_MINUTES: '120' });
  [pat, rob, clinicianNorth, clinicianSouth, supervisor, coordinator] = await Promise.all([
    t.signedInAs(DEMO.workerPat),
    t.signedInAs(DEMO.workerRob),
    t.signedInAs(DEMO.clinicianNorth),
    t.signedInAs(DEMO.clinicianSouth),
    t.signedInAs(DEMO.supervisorNorth),
    t.signedInAs(DEMO.coordinator),
  ]);
  participant = await aParticipant(t, { worker: DEMO.workerPat });
  participantId = participant.id;
  participantName = nameOf(participant);
  sessionId = (await aSession(t, participant, { on: '2026-11-25' })).id;
});
// Every test starts at 10:00 on Thursday 26 November, whichever ran before it.
beforeEach(() => {
  t.clock.set(TEST_NOW);
});
afterAll(async () => {
  await t.close();
});

describe('raising a concern', () => {
  it('saves an urgent concern for the participant’s crisis team with a one-hour deadline, audited without the text', async () => {
    const form = await pat.get(newUrl());
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Immediate danger');
    expect(form.body).toContain('Urgent: needs a response today');
    expect(form.body).toContain('Routine: by the next supervision');
    const id = await raise(
      {
        whatHappened: 'Said they had stopped eating and sleeping',
        urgency: 'urgent',
        participantKnows: 'yes',
      },
      'concern',
      `&session=${sessionId}`,
    );
    const concern = await concernById(id);
    expect(concern).toMatchObject({
      kind: 'concern',
      urgency: 'urgent',
      status: 'open',
      participant_knows: 'yes',
      session_id: sessionId,
      called_999_at: null,
    });
    expect(iso(concern.acknowledge_by)).toBe('2026-11-26T11:00:00.000Z');
    expect(await auditCount('concern.raised', id)).toBe(1);
    const [audit] = await queryRows<{ detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'concern.raised' AND entity_id = ${id}`,
    );
    expect(audit!.detail).toMatchObject({ kind: 'concern', urgency: 'urgent' });
    expect(JSON.stringify(audit!.detail)).not.toContain('stopped eating');

    const page = await pat.get(`/concerns/${id}?done=raised`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Concern sent to the crisis team’s duty inbox.');
    expect(page.body).toContain('Said they had stopped eating and sleeping');
    expect(page.body).toContain('Acknowledge by 26 November 2026, 11:00 am');
    // The worker does not respond to their own concern.
    expect(page.body).not.toContain('Record what was done and close');
  });

  it('saves a routine concern due by the end of the third working day', async () => {
    const id = await raise({ whatHappened: 'Seemed low', urgency: 'routine', participantKnows: 'not_yet' });
    // Thursday 26 November: three working days on is Tuesday 1 December, 5 pm.
    expect(iso((await concernById(id)).acknowledge_by)).toBe('2026-12-01T17:00:00.000Z');
  });

  it('saves immediate danger the moment it is sent, then shows "Call 999 now" and records the call once', async () => {
    const before = (await concernsOf(participantId)).length;
    await pat.get(newUrl());
    const fields = {
      submissionToken: randomUUID(),
      whatHappened: 'Standing on the bridge',
      urgency: 'immediate',
      participantKnows: 'no',
    };
    // Sent twice (a double tap): saved once, and both go to the 999 step.
    const [sent, again] = await Promise.all([pat.post(newUrl(), fields), pat.post(newUrl(), fields)]);
    expect(sent.statusCode).toBe(303);
    expect(again.headers.location).toBe(sent.headers.location);
    const match = /^\/concerns\/([0-9a-f-]{36})\/call-999$/.exec(String(sent.headers.location));
    expect(match).not.toBeNull();
    const id = match![1]!;
    const after = await concernsOf(participantId);
    expect(after.length).toBe(before + 1);
    const saved = await concernById(id);
    expect(saved).toMatchObject({ urgency: 'immediate', status: 'open', called_999_at: null });
    // On the clock from the moment it was sent: 15 minutes to acknowledge.
    expect(iso(saved.acknowledge_by)).toBe(new Date(t.clock.now().getTime() + 15 * 60_000).toISOString());
    expect(await auditCount('concern.raised', id)).toBe(1);

    // Already in the duty inbox while the worker is on the phone, marked as not yet confirmed.
    const inbox = await clinicianNorth.get('/concerns/inbox');
    expect(inbox.body).toContain(`/concerns/${id}`);
    const seen = await clinicianNorth.get(`/concerns/${id}`);
    expect(seen.body).toContain('Not confirmed yet');

    const call = await pat.get(`/concerns/${id}/call-999`);
    expect(call.statusCode).toBe(200);
    expect(call.body).toContain('href="tel:999"');
    expect(call.body).toContain('Your concern has been sent to the crisis team’s duty inbox');
    expect(call.body).toContain('I have called 999');

    t.clock.advance(2 * 60_000);
    const confirmedAt = t.clock.now();
    const [called, calledAgain] = await Promise.all([
      pat.post(`/concerns/${id}/call-999`, {}),
      pat.post(`/concerns/${id}/call-999`, {}),
    ]);
    expect(called.statusCode).toBe(303);
    expect(calledAgain.statusCode).toBe(303);
    expect(called.headers.location).toBe(`/concerns/${id}?done=called999`);
    t.clock.advance(60_000);
    await pat.post(`/concerns/${id}/call-999`, {});
    expect(iso((await concernById(id)).called_999_at)).toBe(confirmedAt.toISOString());
    expect(await auditCount('concern.called_999_confirmed', id)).toBe(1);
    const page = await pat.get(`/concerns/${id}?done=called999`);
    expect(page.body).toContain('Recorded that you called 999.');
    expect(page.body).toContain('Confirmed at');
    expect((await pat.get(`/concerns/${id}/call-999`)).body).toContain('You confirmed that you called 999');
  });

  it('lets only the worker who raised it confirm the 999 call', async () => {
    await pat.get(newUrl());
    const sent = await pat.post(newUrl(), {
      submissionToken: randomUUID(),
      whatHappened: 'Has a ligature',
      urgency: 'immediate',
      participantKnows: 'no',
    });
    const id = /\/concerns\/([0-9a-f-]{36})\//.exec(String(sent.headers.location))![1]!;
    for (const client of [rob, clinicianNorth, supervisor, coordinator]) {
      expect((await client.get(`/concerns/${id}/call-999`)).statusCode).toBe(404);
      await client.get('/concerns/inbox');
      expect((await client.post(`/concerns/${id}/call-999`, {})).statusCode).toBe(404);
    }
    expect((await concernById(id)).called_999_at).toBeNull();
    // An urgent concern has no 999 step.
    const urgent = await raise({ whatHappened: 'Low', urgency: 'urgent', participantKnows: 'yes' });
    expect((await pat.get(`/concerns/${urgent}/call-999`)).statusCode).toBe(404);
  });

  it('saves an advice request, urgent or routine only', async () => {
    const form = await pat.get(newUrl('advice'));
    expect(form.body).toContain('What would you like advice about?');
    expect(form.body).not.toContain('value="immediate"');
    const id = await raise(
      { whatHappened: 'How do I talk about their medication?', urgency: 'routine' },
      'advice',
    );
    expect(await concernById(id)).toMatchObject({
      kind: 'advice',
      urgency: 'routine',
      participant_knows: null,
    });
    await pat.get(newUrl('advice'));
    const immediate = await pat.post(newUrl('advice'), {
      submissionToken: randomUUID(),
      whatHappened: 'Help',
      urgency: 'immediate',
    });
    expect(immediate.statusCode).toBe(400);
    expect(immediate.body).toContain('Select how soon you need an answer');
  });

  it('shows every problem with an empty or too long form, and saves nothing', async () => {
    const before = (await concernsOf(participantId)).length;
    await pat.get(newUrl());
    const empty = await pat.post(newUrl(), { submissionToken: randomUUID() });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toContain('Enter what you saw or heard');
    expect(empty.body).toContain('Select how urgent it is');
    expect(empty.body).toContain('Select whether they know it is being shared');
    const long = await pat.post(newUrl(), {
      submissionToken: randomUUID(),
      whatHappened: 'x'.repeat(4001),
      urgency: 'urgent',
      participantKnows: 'yes',
    });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('What you saw or heard must be 4000 characters or fewer');
    expect((await concernsOf(participantId)).length).toBe(before);
  });

  it('saves a double submit once', async () => {
    const before = (await concernsOf(participantId)).length;
    await pat.get(newUrl());
    const fields = {
      submissionToken: randomUUID(),
      whatHappened: 'Twice',
      urgency: 'urgent',
      participantKnows: 'yes',
    };
    const [first, second] = await Promise.all([pat.post(newUrl(), fields), pat.post(newUrl(), fields)]);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect((await concernsOf(participantId)).length).toBe(before + 1);
  });

  it('explains and records the safety override when the participant has not agreed to share', async () => {
    // Someone of Pat's of their own, who agrees to share part way through.
    const deciding = await aParticipant(t, { worker: DEMO.workerPat });
    const form = await pat.get(newUrl('concern', '', deciding.id));
    expect(form.body).toContain(
      `this will be shared with the crisis team even though ${nameOf(deciding)} has not agreed to share information. This is recorded.`,
    );
    const overridden = await raise(
      { whatHappened: 'Override', urgency: 'urgent', participantKnows: 'no' },
      'concern',
      '',
      deciding.id,
    );
    expect((await concernById(overridden)).safety_override).toBe(true);
    const [audit] = await queryRows<{ detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'concern.raised' AND entity_id = ${overridden}`,
    );
    expect(audit!.detail.safetyOverride).toBe(true);

    await aSharingConsent(t, deciding, 'yes');
    const agreed = await pat.get(newUrl('concern', '', deciding.id));
    expect(agreed.body).not.toContain('Safety comes first');
    const shared = await raise(
      { whatHappened: 'Agreed', urgency: 'routine', participantKnows: 'yes' },
      'concern',
      '',
      deciding.id,
    );
    expect((await concernById(shared)).safety_override).toBe(false);
  });

  it('is offered on the participant page, and from the "Concern to raise" callout with the session', async () => {
    // A session yesterday afternoon where Pat noted a concern to raise.
    const noted = await aSession(t, participant, {
      on: '2026-11-25',
      at: [15, 0],
      with: { concernToRaise: true },
    });
    const page = await pat.get(`/participants/${participantId}`);
    expect(page.body).toContain('Raise a safety concern');
    expect(page.body).toContain('Ask the crisis team for advice');
    expect(page.body).toContain(`concerns/new?kind=concern&amp;session=${noted.id}`);
    expect(page.body).toContain('Raise it with the crisis team');
    expect(page.body).toContain('id="participant-concerns"');
    // Only their current worker may raise one.
    const robs = await rob.get(newUrl());
    expect(robs.statusCode).toBe(404);
    const clinicians = await clinicianNorth.get(`/participants/${participantId}`);
    expect(clinicians.body).not.toContain('Raise a safety concern');
    expect(clinicians.body).not.toContain('Raise it with the crisis team');
    expect(clinicians.body).toContain('id="participant-concerns"');
  });
});

describe('the duty inbox and responding', () => {
  it('shows the team’s items most urgent first; the clinician acknowledges and closes one, each audited', async () => {
    const routine = await raise({ whatHappened: 'Routine one', urgency: 'routine', participantKnows: 'yes' });
    const urgent = await raise({ whatHappened: 'Urgent one', urgency: 'urgent', participantKnows: 'yes' });
    const advice = await raise({ whatHappened: 'A question', urgency: 'urgent' }, 'advice');
    // Past the urgent one's hour, not the routine one's working days.
    t.clock.advance(61 * 60_000);

    const inbox = await clinicianNorth.get('/concerns/inbox');
    expect(inbox.statusCode).toBe(200);
    const active = inbox.body.slice(
      inbox.body.indexOf('id="inbox-active"'),
      inbox.body.indexOf('Closed in the last 30 days'),
    );
    expect(active.indexOf(urgent)).toBeGreaterThan(-1);
    expect(active.indexOf(urgent)).toBeLessThan(active.indexOf(routine));
    expect(active).toContain('Overdue');
    expect(active).toContain('Advice request');
    expect(active).toContain(advice);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'concerns.inbox_viewed'`,
      ),
    ).toBeGreaterThan(0);
    // The navigation leads there.
    expect(inbox.body).toContain('href="/concerns/inbox"');

    const page = await clinicianNorth.get(`/concerns/${urgent}`);
    expect(page.body).toContain('Overdue');
    expect(page.body).toContain('>Acknowledge<');
    expect(await auditCount('concern.viewed', urgent)).toBeGreaterThan(0);
    const acked = await clinicianNorth.post(`/concerns/${urgent}/acknowledge`, { version: '1' });
    expect(acked.statusCode).toBe(303);
    expect(await concernById(urgent)).toMatchObject({ status: 'acknowledged', version: 2 });
    expect(await auditCount('concern.acknowledged', urgent)).toBe(1);

    // No action needs a reason.
    await clinicianNorth.get(`/concerns/${urgent}`);
    const noReason = await clinicianNorth.post(`/concerns/${urgent}/close`, {
      version: '2',
      action: 'no_action',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why no action was needed');
    expect((await concernById(urgent)).status).toBe('acknowledged');
    const closed = await clinicianNorth.post(`/concerns/${urgent}/close`, {
      version: '2',
      action: 'no_action',
      note: 'Spoke to the worker: already settled',
    });
    expect(closed.statusCode).toBe(303);
    expect(await concernById(urgent)).toMatchObject({
      status: 'closed',
      action: 'no_action',
      action_note: 'Spoke to the worker: already settled',
    });
    expect(await auditCount('concern.closed', urgent)).toBe(1);

    const after = await clinicianNorth.get('/concerns/inbox');
    const closedList = after.body.slice(after.body.indexOf('Closed in the last 30 days'));
    expect(closedList).toContain(urgent);

    // Pat sees it closed, with what was done.
    const mine = await pat.get('/concerns/mine');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain(urgent);
    const seen = await pat.get(`/concerns/${urgent}`);
    expect(seen.body).toContain('Closed');
    expect(seen.body).toContain('No action: Spoke to the worker: already settled');
  });

  it('keeps a thread between the worker and the clinician, each message audited and saved once', async () => {
    const id = await raise({ whatHappened: 'Thread question', urgency: 'routine' }, 'advice');
    await pat.get(`/concerns/${id}`);
    const token = randomUUID();
    const first = await pat.post(`/concerns/${id}/messages`, {
      submissionToken: token,
      body: 'Any thoughts?',
    });
    expect(first.statusCode).toBe(303);
    await pat.post(`/concerns/${id}/messages`, { submissionToken: token, body: 'Any thoughts?' });
    await clinicianNorth.get(`/concerns/${id}`);
    await clinicianNorth.post(`/concerns/${id}/messages`, {
      submissionToken: randomUUID(),
      body: 'Call me at 2',
    });
    const page = await pat.get(`/concerns/${id}`);
    expect(page.body).toContain('Any thoughts?');
    expect(page.body).toContain('Call me at 2');
    expect(await auditCount('concern.message_added', id)).toBe(2);
    const empty = await pat.post(`/concerns/${id}/messages`, { submissionToken: randomUUID(), body: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your message');
    // A supervisor reads the thread but does not write in it.
    expect((await supervisor.get(`/concerns/${id}`)).body).not.toContain('Add a message');
    const supervisors = await supervisor.post(`/concerns/${id}/messages`, {
      submissionToken: randomUUID(),
      body: 'x',
    });
    expect(supervisors.statusCode).toBe(404);
  });

  it('answers a stale acknowledgement or close with a conflict, changing nothing', async () => {
    const id = await raise({ whatHappened: 'Stale', urgency: 'urgent', participantKnows: 'yes' });
    expect((await acknowledge(clinicianNorth, id, 1)).statusCode).toBe(303);
    const stale = await clinicianNorth.post(`/concerns/${id}/acknowledge`, { version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this');
    const staleClose = await clinicianNorth.post(`/concerns/${id}/close`, {
      version: '1',
      action: 'called_participant',
    });
    expect(staleClose.statusCode).toBe(409);
    expect(await concernById(id)).toMatchObject({ status: 'acknowledged', version: 2 });
    expect(await auditCount('concern.acknowledged', id)).toBe(1);
    expect(await auditCount('concern.closed', id)).toBe(0);
  });
});

describe('two answers to one concern at the same moment', () => {
  it('acknowledge once, then close once, and answer each other browser with the conflict page', async () => {
    // The duty clinician has the concern open on a desktop and on a phone.
    const browsers = [clinicianNorth, await t.signedInAs(DEMO.clinicianNorth)];
    for (let round = 0; round < 3; round++) {
      const id = await raise({
        whatHappened: `Both at once ${String(round)}`,
        urgency: 'urgent',
        participantKnows: 'yes',
      });
      await Promise.all(browsers.map((browser) => browser.get(`/concerns/${id}`)));
      const acknowledged = await saveAtOnce(
        browsers.map((browser) => () => browser.post(`/concerns/${id}/acknowledge`, { version: '1' })),
      );
      expect(acknowledged.statuses, acknowledged.said).toEqual([303, 409]);
      expect(acknowledged.loser?.body).toContain('Someone else acknowledged or changed this concern');
      expect(await concernById(id)).toMatchObject({ status: 'acknowledged', version: 2 });
      expect(await auditCount('concern.acknowledged', id)).toBe(1);

      await Promise.all(browsers.map((browser) => browser.get(`/concerns/${id}`)));
      const actions = ['called_participant', 'arranged_visit'];
      const closed = await saveAtOnce(
        browsers.map(
          (browser, i) => () =>
            browser.post(`/concerns/${id}/close`, {
              version: '2',
              action: actions[i]!,
              note: `Browser ${String(i + 1)}`,
            }),
        ),
      );
      expect(closed.statuses, closed.said).toEqual([303, 409]);
      expect(closed.loser?.body).toContain('Someone else closed or changed this concern');
      const row = await concernById(id);
      expect(row).toMatchObject({ status: 'closed', version: 3 });
      expect(actions).toContain(row.action);
      expect(await auditCount('concern.closed', id)).toBe(1);
    }
  });
});

describe('who may see and answer', () => {
  it('hides a worker’s concern from another worker and from another team’s clinician', async () => {
    const id = await raise({ whatHappened: 'Private', urgency: 'urgent', participantKnows: 'yes' });
    expect((await rob.get(`/concerns/${id}`)).statusCode).toBe(404);
    expect((await rob.get('/concerns/mine')).body).not.toContain(id);
    expect((await clinicianSouth.get(`/concerns/${id}`)).statusCode).toBe(404);
    expect((await clinicianSouth.get('/concerns/inbox')).body).not.toContain(id);
    await clinicianSouth.get('/concerns/inbox');
    expect((await clinicianSouth.post(`/concerns/${id}/acknowledge`, { version: '1' })).statusCode).toBe(404);
    expect(
      (await clinicianSouth.post(`/concerns/${id}/close`, { version: '1', action: 'referred_on' }))
        .statusCode,
    ).toBe(404);
    expect((await concernById(id)).status).toBe('open');
  });

  it('lets the supervisor and the coordinator read a concern but not respond to it', async () => {
    const id = await raise({ whatHappened: 'Oversight', urgency: 'urgent', participantKnows: 'yes' });
    for (const client of [supervisor, coordinator]) {
      const page = await client.get(`/concerns/${id}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('>Acknowledge<');
      expect((await client.post(`/concerns/${id}/acknowledge`, { version: '1' })).statusCode).toBe(404);
      expect(
        (await client.post(`/concerns/${id}/close`, { version: '1', action: 'referred_on' })).statusCode,
      ).toBe(404);
      // The duty inbox is the team clinicians' own.
      expect((await client.get('/concerns/inbox')).statusCode).toBe(404);
    }
    expect((await concernById(id)).status).toBe('open');
  });
});

describe('the worker hears the reply', () => {
  const replyEmails = () =>
    queryRows<{ recipient: string; all: string }>(
      t.database,
      sql`SELECT recipient, personalisation::text AS "all" FROM notifications
          WHERE template = 'concern_reply' ORDER BY created_at`,
    );

  it('marks a clinician’s reply new in My concerns, the thread and the caseload (urgent first), and emails the worker naming nobody', async () => {
    const id = await raise({ whatHappened: 'Giving belongings away', urgency: 'urgent', participantKnows: 'yes' });
    const emailsBefore = (await replyEmails()).length;
    // Pat writing in their own thread tells nobody.
    await pat.get(`/concerns/${id}`);
    await pat.post(`/concerns/${id}/messages`, { submissionToken: randomUUID(), body: 'Any news?' });
    expect(await replyEmails()).toHaveLength(emailsBefore);
    expect((await pat.get('/concerns/mine')).body).not.toMatch(
      new RegExp(`data-concern-id="${id}"[^]*?New reply[^]*?</li>`),
    );

    t.clock.advance(60_000);
    await clinicianNorth.get(`/concerns/${id}`);
    const token = randomUUID();
    await clinicianNorth.post(`/concerns/${id}/messages`, { submissionToken: token, body: 'Visiting at 4' });
    await clinicianNorth.post(`/concerns/${id}/messages`, { submissionToken: token, body: 'Visiting at 4' });

    const emails = (await replyEmails()).slice(emailsBefore);
    expect(emails.map((email) => email.recipient)).toEqual([DEMO.workerPat]);
    expect(emails[0]!.all).toContain('Someone has replied to something you sent in Greenleaf.');
    for (const words of [participantName, 'Visiting at 4', 'Giving belongings', 'crisis', id]) {
      expect(emails[0]!.all).not.toContain(words);
    }

    const mine = await pat.get('/concerns/mine');
    const item = new RegExp(`data-concern-id="${id}"[^]*?</li>`).exec(mine.body)![0];
    expect(item).toContain('New reply');

    const caseload = await pat.get('/caseload');
    const todo = caseload.body.slice(caseload.body.indexOf('id="todo"'), caseload.body.indexOf('<h2>Participants'));
    expect(todo).toContain(`<a href="/concerns/${id}">The crisis team replied about an urgent concern: read it now</a>`);
    // Before every other prompt.
    expect(todo.indexOf('data-prompt="')).toBe(todo.indexOf('data-prompt="urgent_concern_reply"'));

    // Opening it shows which message is new, once.
    t.clock.advance(60_000);
    const page = await pat.get(`/concerns/${id}`);
    expect(page.body).toMatch(/<li class="app-message--new">[^]*?New<\/strong> <strong>[^<]+<\/strong>[^]*?Visiting at 4/);
    expect((page.body.match(/app-message--new/g) ?? []).length).toBe(1);
    expect((await pat.get(`/concerns/${id}`)).body).not.toContain('app-message--new');
    expect(new RegExp(`data-concern-id="${id}"[^]*?</li>`).exec((await pat.get('/concerns/mine')).body)![0]).not.toContain(
      'New reply',
    );
    expect((await pat.get('/caseload')).body).not.toContain(`href="/concerns/${id}"`);
  });

  it('tags the participant’s caseload card with open concerns and the most urgent one’s urgency, in words', async () => {
    const cardOf = (body: string) => {
      const start = body.indexOf(`href="/participants/${participantId}">${participantName}</a></h3>`);
      return body.slice(start, body.indexOf('</li>', start));
    };
    await pat.get(newUrl());
    await pat.post(newUrl(), {
      submissionToken: randomUUID(),
      whatHappened: 'On the roof',
      urgency: 'immediate',
      participantKnows: 'no',
    });
    await raise({ whatHappened: 'Not eating', urgency: 'urgent', participantKnows: 'yes' });
    const before = cardOf((await pat.get('/caseload')).body);
    expect(before).toMatch(/<strong class="nhsuk-tag nhsuk-tag--red app-concern-tag">\d+ open concerns: Immediate danger<\/strong>/);
    // Close every open one: the tag goes.
    for (const concern of await concernsOf(participantId)) {
      if (concern.status === 'closed') continue;
      await clinicianNorth.get(`/concerns/${concern.id}`);
      const closed = await clinicianNorth.post(`/concerns/${concern.id}/close`, {
        version: String(concern.version),
        action: 'called_participant',
      });
      expect(closed.statusCode).toBe(303);
    }
    expect(cardOf((await pat.get('/caseload')).body)).not.toContain('app-concern-tag');
    const id = await raise({ whatHappened: 'Quiet', urgency: 'routine', participantKnows: 'yes' });
    expect(cardOf((await pat.get('/caseload')).body)).toContain(
      '<strong class="nhsuk-tag nhsuk-tag--blue app-concern-tag">Open concern: Routine</strong>',
    );
    // The supervisor looking at Pat's caseload sees it too.
    const patId = await t.staffId(DEMO.workerPat);
    expect(cardOf((await supervisor.get(`/caseloads/${patId}`)).body)).toContain('Open concern: Routine');
    expect(id).toBeTruthy();
  });
});

describe('acting on a concern from its page', () => {
  it('gives the team’s clinician the participant’s NHS number, phone numbers to tap, their record and the worker’s email, audited', async () => {
    const id = await raise({ whatHappened: 'Not answering', urgency: 'urgent', participantKnows: 'yes' });
    const page = await clinicianNorth.get(`/concerns/${id}`);
    const contact = page.body.slice(page.body.indexOf('id="concern-contact"'));
    expect(contact).toContain(`<a href="/participants/${participantId}">${participantName}`);
    // Made with an NHS number and a mobile (no landline).
    expect(participant.nhsNumber).toBeTruthy();
    expect(contact).toContain(participant.nhsNumber!.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3'));
    expect(participant.mobile).toBeTruthy();
    expect(contact).toContain(`href="tel:${participant.mobile!.replace(/[^0-9+]/g, '')}"`);
    expect(contact).toContain(`href="mailto:${DEMO.workerPat}"`);
    // The record opens for them.
    expect((await clinicianNorth.get(`/participants/${participantId}`)).statusCode).toBe(200);
    const [audit] = await queryRows<{ detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'concern.viewed' AND entity_id = ${id}
          AND actor_id = ${await t.staffId(DEMO.clinicianNorth)} ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit!.detail).toMatchObject({ participantId, contactShown: true });
    // The worker and the supervisor read the concern without that block.
    expect((await pat.get(`/concerns/${id}`)).body).not.toContain('id="concern-contact"');
    expect((await supervisor.get(`/concerns/${id}`)).body).not.toContain('id="concern-contact"');
  });
});

describe('hostile input', () => {
  const body = hostileForm([...RAISE_FIELDS, 'version', 'action', 'note', 'body'], 'immediate', 'no_action');

  it('never answers with a server error, on any concern form', async () => {
    const id = await raise({ whatHappened: 'Hostile target', urgency: 'routine', participantKnows: 'yes' });
    await clinicianNorth.get(`/concerns/${id}`);
    await pat.get(newUrl());
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('concern', 'advice', 'other', ''), async (form, kind) => {
        const raised = await pat.post(`/participants/${participantId}/concerns/new?kind=${kind}`, form);
        expect([200, 303, 400, 404]).toContain(raised.statusCode);
        for (const path of ['acknowledge', 'close', 'messages']) {
          const response = await clinicianNorth.post(`/concerns/${id}/${path}`, form);
          expect([303, 400, 409]).toContain(response.statusCode);
        }
      }),
      { numRuns: 30 },
    );
    expect((await pat.get('/concerns/not-a-uuid')).statusCode).toBe(404);
    expect((await pat.get(`/concerns/${randomUUID()}`)).statusCode).toBe(404);
  });
});
