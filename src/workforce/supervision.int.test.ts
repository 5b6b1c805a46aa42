/**
 * Supervision through HTTP: who is overdue (against the targets, from a new starter's first
 * day), a 1:1 recorded by the worker's supervisor and read only by the two of them (the
 * coordinator sees that it happened), group supervision with its warning when notes might name
 * someone, audit, and hostile input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aParticipant, aTrust, aWorker } from '../test-support/factories.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { DAY } from '../platform/clock.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';
import { GROUP_VALUES, ONE_TO_ONE_VALUES } from './supervision.form.ts';

let t: TestApp;
let sunita: TestClient;

const today = () => ukToday(t.clock.now());
const dateFields = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return { [`${name}[day]`]: day!, [`${name}[month]`]: month!, [`${name}[year]`]: year! };
};
/** The row of one worker on the supervision page. */
const rowOf = (body: string, name: string) => body.split('<tr').find((row) => row.includes(name)) ?? '';
/** A worker's "Next 1:1" and "Next group" cells on the supervision page. */
const dueCells = (body: string, name: string) => {
  const cells = rowOf(body, name).split('<td');
  return { oneToOne: cells[4] ?? '', group: cells[6] ?? '' };
};

async function recordOneToOne(client: TestClient, workerId: string, fields: Record<string, string> = {}) {
  await client.get(`/supervision/workers/${workerId}/one-to-one`);
  return client.post(`/supervision/workers/${workerId}/one-to-one`, {
    submissionToken: randomUUID(),
    ...dateFields('heldOn', today()),
    durationMinutes: '60',
    notes: 'Talked about endings',
    action1: 'Plan the ending sessions early',
    ...dateFields('action1Due', addDays(today(), 7)),
    ...fields,
  });
}

beforeAll(async () => {
  t = await createTestApp();
});
beforeEach(async () => {
  t.clock.set(TEST_NOW);
  sunita = await t.signedInAs(DEMO.supervisorNorth);
});
afterAll(async () => {
  await t.close();
});

describe('who is due for supervision', () => {
  it('counts a new starter from their first day, shows them overdue after the target, and not once a 1:1 is recorded', async () => {
    const worker = await aWorker(t, { team: 'north', with: { createdAt: new Date(TEST_NOW) } });
    expect(rowOf((await sunita.get('/supervision')).body, worker.fullName)).not.toContain('Overdue');

    t.clock.set(new Date(Date.parse(TEST_NOW) + 31 * DAY));
    sunita = await t.signedInAs(DEMO.supervisorNorth);
    const page = await sunita.get('/supervision');
    expect(page.statusCode).toBe(200);
    expect(dueCells(page.body, worker.fullName).oneToOne).toContain('Overdue');
    expect(dueCells(page.body, worker.fullName).group).toContain('Overdue');
    expect(page.body).toMatch(/[0-9]+ of [0-9]+ workers are overdue for 1:1 supervision/);

    const recorded = await recordOneToOne(sunita, worker.id, {
      ...dateFields('nextOn', addDays(today(), 28)),
    });
    expect(recorded.statusCode).toBe(303);
    const after = dueCells((await sunita.get('/supervision')).body, worker.fullName);
    expect(after.oneToOne).toContain('(booked)');
    expect(after.oneToOne).not.toContain('Overdue');
    // The group is still overdue: only the 1:1 was recorded.
    expect(after.group).toContain('Overdue');
  });
});

describe('1:1 supervision', () => {
  it('is recorded by the worker’s supervisor and read only by the two of them; the coordinator sees the date', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const recorded = await recordOneToOne(sunita, worker.id, { notes: 'Private words between us' });
    expect(recorded.statusCode).toBe(303);
    const url = recorded.headers.location!.split('?')[0]!;
    expect((await sunita.get(url)).body).toContain('Private words between us');
    const workerClient = await t.signedInAs(worker.email);
    const own = await workerClient.get(url);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Plan the ending sessions early');
    expect((await workerClient.get('/supervision/mine')).body).toContain('with Sunita Supervisor');

    for (const email of [
      DEMO.coordinator,
      DEMO.supervisorSouth,
      DEMO.workerPat,
      DEMO.clinicianNorth,
      DEMO.analyst,
    ]) {
      expect((await (await t.signedInAs(email)).get(url)).statusCode, email).toBe(404);
    }
    const overview = await (await t.signedInAs(DEMO.coordinator)).get('/supervision');
    expect(rowOf(overview.body, worker.fullName)).toContain(
      new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'Europe/London',
      }).format(new Date(TEST_NOW)),
    );
    expect(overview.body).not.toContain('Private words between us');
    const sessionId = url.split('/').pop()!;
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'supervision.viewed' AND entity_id = ${sessionId}`,
      ),
    ).toBe(2);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'supervision.recorded' AND entity_id = ${sessionId}`,
      ),
    ).toBe(1);
  });

  it('only the worker’s supervisors of now may record one; the same form twice is one 1:1', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const south = await t.signedInAs(DEMO.supervisorSouth);
    expect((await south.get(`/supervision/workers/${worker.id}/one-to-one`)).statusCode).toBe(404);
    expect(
      (await (await t.signedInAs(DEMO.coordinator)).get(`/supervision/workers/${worker.id}/one-to-one`))
        .statusCode,
    ).toBe(404);
    const token = randomUUID();
    expect((await recordOneToOne(sunita, worker.id, { submissionToken: token })).statusCode).toBe(303);
    expect((await recordOneToOne(sunita, worker.id, { submissionToken: token })).statusCode).toBe(303);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM supervision_sessions WHERE worker_id = ${worker.id}`,
      ),
    ).toBe(1);
  });

  it('explains a missing date, an action without its due date and a next 1:1 before this one', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const response = await recordOneToOne(sunita, worker.id, {
      'heldOn[day]': '',
      'heldOn[month]': '',
      'heldOn[year]': '',
      'action1Due[day]': '',
      'action1Due[month]': '',
      'action1Due[year]': '',
      ...dateFields('nextOn', addDays(today(), -3)),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter the date it was held');
    expect(response.body).toContain('Enter the date this action is due');
  });
});

describe('group supervision', () => {
  it('warns, without blocking, when notes carry an NHS number or the name of someone an attendee supports', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const participant = await aParticipant(t, { worker: worker.email });
    const [{ family_name: familyName } = { family_name: '' }] = await queryRows<{ family_name: string }>(
      t.database,
      sql`SELECT family_name FROM participants WHERE id = ${participant.id}`,
    );
    await sunita.get('/supervision/group');
    const fields = {
      submissionToken: randomUUID(),
      ...dateFields('heldOn', today()),
      durationMinutes: '90',
      facilitator: 'Recovery College',
      attendeeIds: [worker.id],
      themes: ['Boundaries and disclosure'],
      otherTheme: '',
      notes: `Talked about the ${familyName} family and 943 476 5919`,
    };
    const warned = await sunita.post('/supervision/group', fields);
    expect(warned.statusCode).toBe(400);
    expect(warned.body).toContain(
      'These notes may identify someone: what looks like an NHS number and the name',
    );
    expect(warned.body).toContain('Save anyway');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM supervision_attendees WHERE worker_id = ${worker.id}`,
      ),
    ).toBe(0);

    const saved = await sunita.post('/supervision/group', { ...fields, confirmed: 'yes' });
    expect(saved.statusCode).toBe(303);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM supervision_attendees WHERE worker_id = ${worker.id}`,
      ),
    ).toBe(1);
    const own = await (await t.signedInAs(worker.email)).get('/supervision/mine');
    expect(own.body).toContain('Boundaries and disclosure');
    // Workers see the themes of a group, not its notes.
    expect(own.body).not.toContain('943 476 5919');
  });

  it('saves notes that name nobody without asking, and refuses attendees from another trust', async () => {
    const worker = await aWorker(t, { team: 'north' });
    await sunita.get('/supervision/group');
    const base = {
      submissionToken: randomUUID(),
      ...dateFields('heldOn', today()),
      durationMinutes: '60',
      facilitator: 'Sunita',
      attendeeIds: [worker.id],
      notes: 'Looking after ourselves after hard sessions',
    };
    expect((await sunita.post('/supervision/group', base)).statusCode).toBe(303);
    const stranger = randomUUID();
    const refused = await sunita.post('/supervision/group', {
      ...base,
      submissionToken: randomUUID(),
      attendeeIds: [stranger],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Select the peer support workers who attended');
  });
});

describe('hostile input', () => {
  it('never answers a 1:1 or group form with a server error', async () => {
    const worker = await aWorker(t, { team: 'north' });
    await sunita.get('/supervision/group');
    await fc.assert(
      fc.asyncProperty(
        hostileForm(ONE_TO_ONE_VALUES.fields ?? []),
        hostileForm(GROUP_VALUES.fields ?? []),
        async (one, group) => {
          expect([303, 400]).toContain(
            (await sunita.post(`/supervision/workers/${worker.id}/one-to-one`, one)).statusCode,
          );
          expect([303, 400]).toContain((await sunita.post('/supervision/group', group)).statusCode);
        },
      ),
      { numRuns: 30 },
    );
    expect((await sunita.get('/supervision/one-to-one/not-an-id')).statusCode).toBe(404);
    expect((await sunita.get(`/supervision/one-to-one/${randomUUID()}`)).statusCode).toBe(404);
  });
});

describe('"by the next supervision"', () => {
  it('names the day the worker’s next 1:1 is booked for, on the concern and advice forms', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const participant = await aParticipant(t, { worker: worker.email });
    const next = addDays(today(), 12);
    await recordOneToOne(sunita, worker.id, { ...dateFields('nextOn', next) });
    const client = await t.signedInAs(worker.email);
    const day = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${next}T12:00:00Z`));
    for (const kind of ['advice', 'concern']) {
      const form = await client.get(`/participants/${participant.id}/concerns/new?kind=${kind}`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain(`Your next 1:1 supervision is due ${day}`);
    }
  });
});

describe('the supervisor’s prompt', () => {
  it('lists the workers they supervise who are overdue at the top of their caseloads page', async () => {
    const worker = await aWorker(t, {
      team: 'north',
      with: { createdAt: new Date(Date.parse(TEST_NOW) - 60 * DAY) },
    });
    const page = await sunita.get('/caseloads');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Supervision overdue');
    expect(page.body).toMatch(new RegExp(`${worker.fullName}: 1:1 was due`));
    // Another team's supervisor is not prompted about them.
    expect((await (await t.signedInAs(DEMO.supervisorSouth)).get('/caseloads')).body).not.toContain(
      worker.fullName + ':',
    );
  });
});

describe('a worker’s own targets', () => {
  it('are set by the coordinator and move when they are due; out-of-range days are explained', async () => {
    const worker = await aWorker(t, { team: 'north', with: { createdAt: new Date(TEST_NOW) } });
    const coordinator = await t.signedInAs(DEMO.coordinator);
    const url = `/supervision/workers/${worker.id}/targets`;
    expect((await coordinator.get(url)).statusCode).toBe(200);
    expect((await sunita.get(url)).statusCode).toBe(404);
    const refused = await coordinator.post(url, { oneToOneEveryDays: '3', groupEveryDays: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('1:1 supervision every must be a number of days from 7 to 180');
    expect((await coordinator.post(url, { oneToOneEveryDays: '7', groupEveryDays: '' })).statusCode).toBe(
      303,
    );
    t.clock.set(new Date(Date.parse(TEST_NOW) + 8 * DAY));
    sunita = await t.signedInAs(DEMO.supervisorNorth);
    expect(dueCells((await sunita.get('/supervision')).body, worker.fullName).oneToOne).toContain('Overdue');
  });
});

describe('fidelity to the programme’s values', () => {
  it('is rated together at a 1:1, shown to the pair, charted for the worker, and only in aggregate for a team', async () => {
    const worker = await aWorker(t, { team: 'north' });
    const bad = await recordOneToOne(sunita, worker.id, { fidelity_reciprocity: '9' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose one of the answers, or leave it');
    const recorded = await recordOneToOne(sunita, worker.id, {
      fidelity_reciprocity: '4',
      fidelity_person_centred: '2',
    });
    expect(recorded.statusCode).toBe(303);
    const view = await sunita.get(recorded.headers.location!.split('?')[0]!);
    expect(view.body).toContain('Reciprocity and mutuality: learning went both ways');
    expect(view.body).toContain('Fully');
    const mine = await (await t.signedInAs(worker.email)).get('/supervision/mine');
    expect(mine.body).toContain('<svg class="app-chart"');
    expect(mine.body).toMatch(/Average<\/th><td class="nhsuk-table__cell">3<\/td>/);
    // The team's figures never single out one worker: under three rated 1:1s they are withheld.
    const trust = await aTrust(t);
    const lone = await (await t.signedInAs(trust.coordinator)).get('/supervision');
    expect(lone.body).toContain('No 1:1s rated in the last 6 months');
  });
});
