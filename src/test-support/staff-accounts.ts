/**
 * Staff account journeys the identity tests share, taken through the whole app as people take
 * them: the coordinator creates an account, its owner signs in (choosing a new password and
 * setting up an authenticator app when asked), and the emails the owner would receive.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { currentTotp } from '../identity/totp.ts';
import { queryRows } from './rows.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from './test-app.ts';

export const TEMPORARY_PASSWORD = 'lantern meadow compass 71';

export interface AccountsApp {
  t: TestApp;
  /** Signed in as the demo coordinator, who creates the accounts. */
  coordinator: TestClient;
}

/**
 * For a test file about staff accounts: an app made before its tests, with the coordinator
 * signed in, and closed after them. Its fields are there inside tests and hooks, not before.
 */
export function accountsApp(): AccountsApp {
  const app = {} as AccountsApp;
  beforeAll(async () => {
    app.t = await createTestApp();
    app.coordinator = await app.t.signedInAs(DEMO.coordinator);
  });
  afterAll(async () => {
    await app.t.close();
  });
  return app;
}

/** A made-up work email no other test uses. */
export const newStaffEmail = (): string => `new.starter.${randomUUID().slice(0, 8)}@nhs.test`;

/** As the signed-in coordinator: creates a supervisor account and returns its id. */
export async function createAccount(
  coordinator: TestClient,
  email: string,
  temporaryPassword = TEMPORARY_PASSWORD,
): Promise<string> {
  await coordinator.get('/admin/staff/new');
  const response = await coordinator.post('/admin/staff/new', {
    fullName: 'Robin Newcomer',
    email,
    roles: ['supervisor'],
    crisisTeamId: 'none',
    temporaryPassword,
  });
  expect(response.statusCode).toBe(303);
  return /\/admin\/staff\/([0-9a-f-]{36})/.exec(response.headers.location!)![1]!;
}

/** The first step of staff sign-in: email and password. */
export async function passwordStep(
  client: TestClient,
  email: string,
  password: string,
): Promise<LightMyRequestResponse> {
  await client.get('/sign-in');
  return client.post('/sign-in', { email, password });
}

/** The setup key the set-up page shows this sign-in attempt, as a person would type it. */
export async function shownSecret(client: TestClient): Promise<string> {
  const page = await client.get('/sign-in/set-up-authenticator');
  expect(page.statusCode).toBe(200);
  return /class="app-code">([A-Z2-7 ]+)</.exec(page.body)![1]!.replace(/ /g, '');
}

/** Finishes setting up an authenticator app with the key this attempt is shown; returns the key. */
export async function enrol(t: TestApp, client: TestClient): Promise<string> {
  const secret = await shownSecret(client);
  const done = await client.post('/sign-in/set-up-authenticator', {
    code: currentTotp(secret, t.clock.now()),
  });
  expect(done.statusCode).toBe(303);
  return secret;
}

/** Chooses a new password on the page that asks for one after a temporary password. */
export async function chooseNewPassword(
  client: TestClient,
  password: string,
): Promise<LightMyRequestResponse> {
  await client.get('/sign-in/new-password');
  return client.post('/sign-in/new-password', { newPassword: password, confirmPassword: password });
}

/** The emails sent to this address with this template, oldest first, as the outbox kept them. */
export async function emailsTo(t: TestApp, to: string, template: string): Promise<Record<string, string>[]> {
  const rows = await queryRows<{ personalisation: Record<string, string> }>(
    t.database,
    sql`SELECT personalisation FROM notifications
        WHERE recipient = ${to} AND template = ${template} ORDER BY created_at, id`,
  );
  return rows.map((row) => row.personalisation);
}

/** Every email this address was sent, as text (what a person would read). */
export async function everyEmailTo(t: TestApp, to: string): Promise<string> {
  const rows = await queryRows<{ personalisation: unknown }>(
    t.database,
    sql`SELECT personalisation FROM notifications WHERE recipient = ${to}`,
  );
  return JSON.stringify(rows);
}

export interface AuditedEvent {
  action: string;
  actorId: string | null;
  detail: Record<string, unknown>;
}

/** The audit events about one staff account, in the order they were written. */
export async function auditedEvents(t: TestApp, staffId: string): Promise<AuditedEvent[]> {
  return queryRows<AuditedEvent>(
    t.database,
    sql`SELECT action, actor_id AS "actorId", detail FROM audit_events
        WHERE entity_type = 'staff' AND entity_id = ${staffId} ORDER BY seq`,
  );
}
