import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';
import { DAY, HOUR, MINUTE } from '../platform/clock.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

// Seeded participant #1 (Priya) has mobile +447700900001.
const MOBILE = '07700 900001';

async function latestCodeFor(recipient: string): Promise<string | undefined> {
  const rows = await queryRows<{ code: string }>(
    t.database,
    sql`SELECT personalisation->>'code' AS code FROM notifications WHERE recipient = ${recipient} ORDER BY created_at DESC LIMIT 1`,
  );
  return rows[0]?.code;
}

/** Asks for a code as a browser would, then lets the job queue send it (as the server does at once). */
async function requestCode(client: TestClient, contact: string) {
  await client.get('/participant/sign-in');
  const response = await client.post('/participant/sign-in', { contact });
  await t.runJobs();
  return response;
}

describe('participant sign-in with a one-time code', () => {
  it('sends a code that signs the participant in once', async () => {
    const client = t.client('198.51.100.1');
    const sent = await requestCode(client, MOBILE);
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Enter the code we sent you');
    const code = await latestCodeFor('+447700900001');
    expect(code).toMatch(/^\d{6}$/);
    const signedIn = await client.post('/participant/sign-in/code', { contact: MOBILE, code: code! });
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/me');
    const me = await client.get('/me');
    expect(me.body).toContain('Hello, Priya');
    expect(me.body).toContain('0113 496 0000');

    const again = t.client('198.51.100.2');
    await again.get('/participant/sign-in');
    const reused = await again.post('/participant/sign-in/code', { contact: MOBILE, code: code! });
    expect(reused.statusCode).toBe(400);
  });

  it('says the same thing for a number nobody has, and sends nothing', async () => {
    const before = await count(t.database, sql`SELECT count(*)::int AS n FROM notifications`);
    const response = await requestCode(t.client('198.51.100.3'), '07700 999999');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('If we have your details, we have sent a 6-digit code');
    const after = await count(t.database, sql`SELECT count(*)::int AS n FROM notifications`);
    expect(after).toBe(before);
  });

  it('sends no clinical words in the message', async () => {
    await requestCode(t.client('198.51.100.4'), '07700 900002');
    const rows = await queryRows<{ template: string; personalisation: Record<string, string> }>(
      t.database,
      sql`SELECT template, personalisation FROM notifications WHERE recipient = '+447700900002'`,
    );
    expect(rows[0]).toEqual({
      template: 'sign_in_code',
      personalisation: { code: expect.stringMatching(/^\d{6}$/) as unknown },
    });
  });

  it('refuses an expired code', async () => {
    const client = t.client('198.51.100.5');
    await requestCode(client, '07700 900003');
    const code = await latestCodeFor('+447700900003');
    t.clock.advance(11 * MINUTE);
    const response = await client.post('/participant/sign-in/code', { contact: '07700 900003', code: code! });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('has expired');
  });

  it('stops a code working after 5 wrong tries, even if the sixth is right', async () => {
    const client = t.client('198.51.100.6');
    await requestCode(client, '07700 900005');
    const code = await latestCodeFor('+447700900005');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const attacker = t.client(`203.0.113.${i + 10}`);
      await attacker.get('/participant/sign-in');
      expect(
        (await attacker.post('/participant/sign-in/code', { contact: '07700 900005', code: wrong }))
          .statusCode,
      ).toBe(400);
    }
    expect(
      (await client.post('/participant/sign-in/code', { contact: '07700 900005', code: code! })).statusCode,
    ).toBe(400);
  });

  it('makes one address wait after 3 requests for one number', async () => {
    const client = t.client('198.51.100.7');
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await requestCode(client, '07700 900006'));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    expect(responses[3]?.body).toContain('Too many attempts. Wait');
  });

  it('explains what to type when the contact is not a mobile or an email', async () => {
    const response = await requestCode(t.client('198.51.100.8'), '0113 496 0000');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter a UK mobile number');
  });
});

/** A page as anyone would read it: without this response's form token and script nonces. */
const pageText = (body: string) => body.replace(/(name="_csrf" value|nonce)="[^"]+"/g, '$1=""');

const codesSentTo = (recipient: string) =>
  count(
    t.database,
    sql`SELECT count(*)::int AS n FROM notifications WHERE recipient = ${recipient} AND template = 'sign_in_code'`,
  );

async function enterCode(client: TestClient, contact: string, code: string) {
  await client.get('/participant/sign-in');
  return client.post('/participant/sign-in/code', { contact, code });
}

describe('throttling that never locks the participant out', () => {
  it('lets the participant ask for their own code after 3 requests for their number from elsewhere', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await requestCode(t.client(`203.0.113.${i + 30}`), '07700 900012')).statusCode).toBe(200);
    }
    const own = t.client('198.51.100.12');
    const response = await requestCode(own, '07700 900012');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Enter the code we sent you');
    expect(await codesSentTo('+447700900012')).toBe(4);
    const code = await latestCodeFor('+447700900012');
    expect(
      (await own.post('/participant/sign-in/code', { contact: '07700 900012', code: code! })).statusCode,
    ).toBe(303);
  });

  it('sends one number at most 5 codes a day, silently: the sixth request looks the same and sends nothing', async () => {
    const pages: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await requestCode(t.client(`203.0.113.${i + 40}`), '07700 900013');
      expect(response.statusCode).toBe(200);
      pages.push(pageText(response.body));
    }
    expect(new Set(pages).size).toBe(1);
    expect(await codesSentTo('+447700900013')).toBe(5);
    // The next day's first request is sent.
    t.clock.advance(24 * HOUR + MINUTE);
    await requestCode(t.client('203.0.113.49'), '07700 900013');
    expect(await codesSentTo('+447700900013')).toBe(6);
  });

  it("never counts the participant's own sign-ins towards the day's limit", async () => {
    for (let i = 0; i < 7; i++) {
      const client = t.client(`198.51.100.${i + 60}`);
      await requestCode(client, '07700 900015');
      const code = await latestCodeFor('+447700900015');
      expect(
        (await client.post('/participant/sign-in/code', { contact: '07700 900015', code: code! })).statusCode,
      ).toBe(303);
      t.clock.advance(MINUTE);
    }
    expect(await codesSentTo('+447700900015')).toBe(7);
  });

  it('makes an address wait after 30 requests, whatever the numbers', async () => {
    // Straight to the service: the route's own per-minute limit would answer first.
    const outcomes: string[] = [];
    for (let i = 0; i < 31; i++) {
      const contact = { mobile: `+4477009${String(10_000 + i)}` };
      outcomes.push((await t.deps.services.participantSignIn.requestCode(contact, '203.0.113.77')).kind);
    }
    expect(outcomes.slice(0, 30).every((kind) => kind === 'accepted')).toBe(true);
    expect(outcomes[30]).toBe('throttled');
  });

  it('keeps an earlier code working when someone else asks for a new one', async () => {
    const own = t.client('198.51.100.16');
    await requestCode(own, '07700 900016');
    const code = await latestCodeFor('+447700900016');
    t.clock.advance(MINUTE);
    await requestCode(t.client('203.0.113.16'), '07700 900016');
    expect(await latestCodeFor('+447700900016')).not.toBe(code);
    expect(
      (await own.post('/participant/sign-in/code', { contact: '07700 900016', code: code! })).statusCode,
    ).toBe(303);
  });
});

describe('the same answer for every number (no enumeration)', () => {
  it('answers a known and an unknown number with the same page and the same work: no look-up and no message until the job runs', async () => {
    const lookups = vi.spyOn(ParticipantRepository.prototype, 'signInCandidates');
    const sends = vi.spyOn(t.deps.services.notifications, 'send');
    const counters = () => count(t.database, sql`SELECT count(*)::int AS n FROM sign_in_throttles`);
    try {
      const answers = [];
      for (const [ip, contact] of [
        ['198.51.100.90', '07700 900017'],
        ['198.51.100.91', '07700 999917'],
      ] as const) {
        const client = t.client(ip);
        await client.get('/participant/sign-in');
        const countersBefore = await counters();
        const jobsBefore = t.jobs.sent.length;
        const response = await client.post('/participant/sign-in', { contact });
        answers.push({
          status: response.statusCode,
          body: pageText(response.body).replace(contact, 'CONTACT'),
          // Two counters (this number from this address, this address) and one job, with nothing but the request.
          countersAdded: (await counters()) - countersBefore,
          jobs: t.jobs.sent
            .slice(jobsBefore)
            .map((job) => ({ name: job.name, fields: Object.keys(job.data) })),
        });
      }
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0]?.countersAdded).toBe(2);
      expect(answers[0]?.jobs).toEqual([
        { name: 'participant-sign-in.send-code', fields: ['contact', 'ip'] },
      ]);
      // Counts, not the calls: a call's arguments hold the whole database client, too big to print.
      expect(lookups.mock.calls.length).toBe(0);
      expect(sends.mock.calls.length).toBe(0);

      await t.runJobs();
      expect(lookups.mock.calls.length).toBe(2);
      expect(sends.mock.calls.length).toBe(1);
      expect(await codesSentTo('+447700900017')).toBe(1);
      expect(await codesSentTo('+447700999917')).toBe(0);
    } finally {
      lookups.mockRestore();
      sends.mockRestore();
    }
  });
});

describe('one contact, two people', () => {
  let clinician: TestClient;
  let northTeamId: string;
  beforeAll(async () => {
    clinician = await t.signedInAs(DEMO.clinicianNorth);
    const page = await clinician.get('/referrals/new');
    northTeamId =
      /name="crisisTeamId" type="radio" value="([0-9a-f-]{36})" checked/.exec(page.body)?.[1] ?? '';
  });

  /** A clinician refers someone new with this mobile, confirming they are a different person. */
  async function referWithMobile(mobile: string, familyName: string) {
    await clinician.get('/referrals/new');
    const response = await clinician.post('/referrals', {
      submissionToken: randomUUID(),
      givenName: 'New',
      familyName,
      'dateOfBirth[day]': '1',
      'dateOfBirth[month]': '2',
      'dateOfBirth[year]': '1990',
      mobile,
      contactMethods: 'sms',
      mayLeaveMessages: 'no',
      crisisTeamId: northTeamId,
      'dischargedOn[day]': '24',
      'dischargedOn[month]': '11',
      'dischargedOn[year]': '2026',
      dischargeDestination: 'gp',
      sharedContact: 'different',
    });
    expect(response.statusCode).toBe(303);
  }

  it('never signs the participant in as the new person referred with their mobile: nobody is signed in, they are told to contact their worker, and it is audited', async () => {
    await referWithMobile('07700 900018', 'Sharesmobile');
    const client = t.client('198.51.100.18');
    await requestCode(client, '07700 900018');
    const code = await latestCodeFor('+447700900018');
    const response = await enterCode(client, '07700 900018', code!);
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('We cannot sign you in with this mobile number');
    expect(response.body).toContain('Contact your peer support worker');
    expect(response.body).not.toContain('Sharesmobile');
    expect(response.body).not.toContain('Megan');
    expect((await client.get('/me')).statusCode).toBe(303);
    const refused = await queryRows<{ entity_id: string }>(
      t.database,
      sql`SELECT entity_id FROM audit_events WHERE action = 'participant.sign_in_refused'
          AND entity_id IN (SELECT id::text FROM participants WHERE mobile = '+447700900018')`,
    );
    expect(refused).toHaveLength(2);
  });

  it('decides who the code is for when it is used: a code sent before the number was shared signs no one in', async () => {
    const client = t.client('198.51.100.20');
    await requestCode(client, '07700 900020');
    const code = await latestCodeFor('+447700900020');
    await referWithMobile('07700 900020', 'Latershare');
    const response = await enterCode(client, '07700 900020', code!);
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('We cannot sign you in with this mobile number');
  });

  it('never lets a code made for one person sign in someone else who has the number now', async () => {
    const client = t.client('198.51.100.23');
    await requestCode(client, '07700 900023');
    const code = await latestCodeFor('+447700900023');
    // Behind the application's back: Ravi's number moves to Connor.
    await t.database.db.execute(sql`UPDATE participants SET mobile = NULL WHERE mobile = '+447700900023'`);
    await t.database.db.execute(
      sql`UPDATE participants SET mobile = '+447700900023' WHERE mobile = '+447700900025'`,
    );
    const response = await enterCode(client, '07700 900023', code!);
    expect(response.statusCode).toBe(400);
    expect((await client.get('/me')).statusCode).toBe(303);
  });

  it('tells someone whose email two participants share the same, by email', async () => {
    await t.database.db.execute(
      sql`UPDATE participants SET email = 'shared.inbox@example.com' WHERE mobile IN ('+447700900021', '+447700900022')`,
    );
    const client = t.client('198.51.100.21');
    await requestCode(client, 'Shared.Inbox@example.com');
    const code = await latestCodeFor('shared.inbox@example.com');
    const response = await enterCode(client, 'shared.inbox@example.com', code!);
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('We cannot sign you in with this email address');
  });
});

describe('sending the code through the message outbox', () => {
  async function outboxRowsFor(recipient: string) {
    return queryRows<{ state: string; code: string | null; attempts: number }>(
      t.database,
      sql`SELECT state, personalisation->>'code' AS code, attempts FROM message_outbox
          WHERE recipient = ${recipient} AND source_kind = 'sign-in-code' ORDER BY created_at`,
    );
  }

  it('sends the code at once and keeps no copy of it in the outbox once sent', async () => {
    await requestCode(t.client('198.51.100.108'), '07700 900008');
    expect(await latestCodeFor('+447700900008')).toMatch(/^\d{6}$/);
    expect(await outboxRowsFor('+447700900008')).toEqual([{ state: 'sent', code: null, attempts: 1 }]);
  });

  it('sends a code the provider refused at first a minute later, and it still signs the participant in', async () => {
    const sends = vi
      .spyOn(t.deps.services.notifications, 'send')
      .mockRejectedValueOnce(new Error('Notify answered 500'));
    try {
      const client = t.client('198.51.100.110');
      await requestCode(client, '07700 900010');
      expect(await codesSentTo('+447700900010')).toBe(0);
      expect((await outboxRowsFor('+447700900010'))[0]).toMatchObject({ state: 'queued', attempts: 1 });
      t.clock.advance(MINUTE);
      await t.deps.services.messageOutbox.dispatchDue();
      const code = await latestCodeFor('+447700900010');
      expect(await outboxRowsFor('+447700900010')).toEqual([{ state: 'sent', code: null, attempts: 2 }]);
      expect((await enterCode(client, '07700 900010', code!)).statusCode).toBe(303);
    } finally {
      sends.mockRestore();
    }
  });

  it('never sends a code after it has expired, nor keeps its text', async () => {
    const sends = vi
      .spyOn(t.deps.services.notifications, 'send')
      .mockRejectedValue(new Error('Notify answered 500'));
    try {
      await requestCode(t.client('198.51.100.111'), '07700 900011');
      for (const minutes of [1, 2, 4, 8]) {
        t.clock.advance(minutes * MINUTE);
        await t.deps.services.messageOutbox.dispatchDue();
      }
      expect(await outboxRowsFor('+447700900011')).toEqual([{ state: 'expired', code: null, attempts: 5 }]);
      expect(sends.mock.calls.filter(([sent]) => sent.template === 'sign_in_code')).toHaveLength(4);
      expect(await codesSentTo('+447700900011')).toBe(0);
    } finally {
      sends.mockRestore();
    }
  });
});

// Last in the file: it moves the clock on a month, past everything the tests above made.
describe('the nightly deletion of sign-in data past its retention', () => {
  const rowCount = (table: 'participant_sign_in_codes' | 'sign_in_throttles' | 'user_sessions') =>
    count(t.database, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);

  it('deletes codes, throttle counters and sessions 30 days past expiry, and keeps recent ones', async () => {
    expect(await rowCount('participant_sign_in_codes')).toBeGreaterThan(0);
    expect(await rowCount('sign_in_throttles')).toBeGreaterThan(0);
    expect(await rowCount('user_sessions')).toBeGreaterThan(0);

    t.clock.advance(31 * DAY);
    // A code requested now: one code, the request's two counters (number and address, address)
    // and the day's count of codes sent to the number.
    await requestCode(t.client('198.51.100.9'), '07700 900007');
    await t.deps.services.retention.deletePastRetention();

    expect(await rowCount('participant_sign_in_codes')).toBe(1);
    expect(await rowCount('sign_in_throttles')).toBe(3);
    expect(await rowCount('user_sessions')).toBe(0);
    const code = await latestCodeFor('+447700900007');
    const client = t.client('198.51.100.9');
    await client.get('/participant/sign-in');
    expect(
      (await client.post('/participant/sign-in/code', { contact: '07700 900007', code: code! })).statusCode,
    ).toBe(303);
  });
});
