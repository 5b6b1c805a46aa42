/**
 * Messages not delivered (issue 11): a message the provider refuses on every try is given up
 * on, and the coordinator finds it on "Messages not delivered" with what it was, who it was
 * for, how often it was tried and why it failed in plain words. Nobody else may open the
 * list, and reading it is audited.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../platform/clock.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { createTestApp, DEMO, type TestApp } from '../test-support/test-app.ts';

/** A provider that refuses every message, as GOV.UK Notify does a number it cannot use. */
const refusing: NotificationSender = {
  send: () => Promise.reject(new Error('Notify answered 400: phone_number Not a UK mobile number')),
  deliveryStatus: () => Promise.resolve('failed'),
  findSent: () => Promise.resolve(undefined),
};

const PAGE = '/admin/messages/not-delivered';
let t: TestApp;
let trustId: string;

const enqueue = (
  to: string,
  overrides: {
    safety?: boolean;
    channel?: 'sms' | 'email';
    template?: 'session_reminder' | 'concern_escalation';
    crisisTeamId?: string;
  } = {},
) =>
  t.database.db.transaction((tx) =>
    t.deps.services.messageOutbox.enqueue(tx, {
      channel: overrides.channel ?? 'sms',
      to,
      template: overrides.template ?? 'session_reminder',
      personalisation: {},
      source: { kind: 'test', id: to },
      safety: overrides.safety ?? false,
      trustId,
      crisisTeamId: overrides.crisisTeamId ?? null,
    }),
  );

/** Tries every due message until the outbox gives up on them. */
async function sendUntilGivenUp(): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await t.deps.services.messageOutbox.dispatchDue();
    t.clock.advance(HOUR);
  }
}

beforeAll(async () => {
  t = await createTestApp({}, { sender: refusing });
  const [coordinator] = await queryRows<{ trust_id: string }>(
    t.database,
    sql`SELECT trust_id FROM staff_users WHERE email = ${DEMO.coordinator}`,
  );
  trustId = coordinator?.trust_id ?? '';
  await enqueue('07700 900123');
  await enqueue('duty.north@example.nhs.uk', {
    channel: 'email',
    template: 'concern_escalation',
    safety: true,
  });
  // An escalation to the North team's clinician (the team has no duty email): their inbox says so.
  await enqueue(DEMO.clinicianNorth, { channel: 'email', template: 'concern_escalation', safety: true });
  // An escalation about a North concern to someone outside the team (the coordinator): North's
  // inbox says so too, though neither the address nor a duty email ties it to the team.
  const [north] = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT id FROM crisis_teams WHERE name LIKE 'North%'`,
  );
  await enqueue(DEMO.coordinator, {
    channel: 'email',
    template: 'concern_escalation',
    safety: true,
    crisisTeamId: north?.id ?? '',
  });
  await sendUntilGivenUp();
  // Twelve rounds of retries on a fresh test app: slow on a loaded machine.
}, 180_000);
afterAll(async () => {
  await t.close();
});

const rowsOf = (body: string) =>
  [...(body.split('<tbody')[1] ?? '').matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<span class="nhsuk-table__heading"[^>]*>[\s\S]*?<\/span>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );

describe('messages not delivered', () => {
  it('lists the messages the provider refused after every retry, for the coordinator', async () => {
    const given = await queryRows<{ state: string; attempts: number }>(
      t.database,
      sql`SELECT state, attempts FROM message_outbox WHERE source_kind = 'test'`,
    );
    expect(given.map((row) => row.state)).toEqual([
      'not_delivered',
      'not_delivered',
      'not_delivered',
      'not_delivered',
    ]);

    const coordinator = await t.signedInAs(DEMO.coordinator);
    const teams = await coordinator.get('/admin/teams');
    expect(teams.body).toContain(`href="${PAGE}"`);
    const page = await coordinator.get(PAGE);
    expect(page.statusCode).toBe(200);
    const rows = rowsOf(page.body);
    const attempts = String(given[0]?.attempts);
    // The four above, and the demo's two (src/messages/demo-undelivered.ts).
    expect(rows).toHaveLength(6);
    expect(rows.find((row) => row.includes('07700 900123'))).toMatch(
      new RegExp(`Session reminder \\(text\\) 07700 900123 ${attempts} The mobile number was not accepted`),
    );
    expect(rows.find((row) => row.includes('duty.north'))).toMatch(
      /Safety concern escalation \(email\) Safety duty\.north@example\.nhs\.uk/,
    );
    // Only the safety message carries the tag.
    expect(rows.find((row) => row.includes('07700 900123'))).not.toContain(' Safety ');
  });

  it('records who read the list, and which messages it showed', async () => {
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'messages.not_delivered_viewed'`,
    );
    const coordinator = await t.signedInAs(DEMO.coordinator);
    await coordinator.get(PAGE);
    const [event] = await queryRows<{ actor_id: string; detail: { messages: string[] } }>(
      t.database,
      sql`SELECT actor_id, detail FROM audit_events WHERE action = 'messages.not_delivered_viewed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'messages.not_delivered_viewed'`,
      ),
    ).toBe(before + 1);
    expect(event?.actor_id).toBe(await t.staffId(DEMO.coordinator));
    const ids = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM message_outbox WHERE state = 'not_delivered'`,
    );
    expect([...(event?.detail.messages ?? [])].sort()).toEqual(ids.map((row) => row.id).sort());
    expect(ids).toHaveLength(6);
  });

  it('is not for anyone else', async () => {
    for (const email of [DEMO.supervisorNorth, DEMO.workerPat, DEMO.clinicianNorth, DEMO.analyst]) {
      const client = await t.signedInAs(email);
      const response = await client.get(PAGE);
      expect([403, 404]).toContain(response.statusCode);
      expect(response.body).not.toContain('07700 900123');
    }
  });
});

describe('the duty inbox', () => {
  it('tells the team’s clinicians which of their safety messages could not be delivered', async () => {
    const north = await t.signedInAs(DEMO.clinicianNorth);
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'messages.not_delivered_viewed' AND entity_type = 'crisis_team'`,
    );
    const inbox = await north.get('/concerns/inbox');
    expect(inbox.statusCode).toBe(200);
    const notice =
      /<div class="nhsuk-warning-callout" id="safety-not-delivered">([\s\S]*?)<\/div>/.exec(
        inbox.body,
      )?.[1] ?? '';
    // Theirs, and the demo's (src/messages/demo-undelivered.ts).
    expect(notice).toContain('3 safety messages could not be delivered');
    expect(notice).toContain(
      `Safety concern escalation (email) to <span class="app-break-anywhere">${DEMO.clinicianNorth}</span>`,
    );
    expect(notice).toContain(
      `Safety concern escalation (email) to <span class="app-break-anywhere">${DEMO.coordinator}</span>`,
    );
    // Not the reminder, nor another team's.
    expect(notice).not.toContain('07700 900123');
    expect(notice).not.toContain('duty.north@example.nhs.uk');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'messages.not_delivered_viewed' AND entity_type = 'crisis_team'`,
      ),
    ).toBe(before + 1);

    const south = await t.signedInAs(DEMO.clinicianSouth);
    const southInbox = await south.get('/concerns/inbox');
    expect(southInbox.statusCode).toBe(200);
    expect(southInbox.body).not.toContain('safety-not-delivered');
  });
});
