/**
 * Sharing consent, through HTTP as a peer support worker would: recording the participant's
 * choice, the panel on their page with the history kept, validation, double submits, who may
 * record, the audit trail, and hostile input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { SharingConsentRepository } from './consent.repository.ts';
import { aParticipant } from '../test-support/factories.ts';

let t: TestApp;
let pat: TestClient;
let patsParticipant: string;
let robsParticipant: string;

const consentsOf = (participantId: string) =>
  queryRows<{ consent: string; scope: string | null }>(
    t.database,
    sql`SELECT consent, scope FROM sharing_consents WHERE participant_id = ${participantId} ORDER BY recorded_at`,
  );
const allConsents = () => count(t.database, sql`SELECT count(*) AS n FROM sharing_consents`);

async function record(client: TestClient, participantId: string, fields: Record<string, string>) {
  await client.get(`/participants/${participantId}/consent`);
  return client.post(`/participants/${participantId}/consent`, fields);
}

/** The "Sharing with the care team" part of the participant page. */
async function panelOf(client: TestClient, participantId: string): Promise<string> {
  const page = await client.get(`/participants/${participantId}`);
  expect(page.statusCode).toBe(200);
  const start = page.body.indexOf('id="sharing-consent"');
  expect(start).toBeGreaterThan(-1);
  return page.body.slice(start, page.body.indexOf('<h2', start + 10));
}

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
  // North-team participants of Pat's and Rob's made for these tests: nobody has asked them yet.
  patsParticipant = (await aParticipant(t, { worker: DEMO.workerPat })).id;
  robsParticipant = (await aParticipant(t, { worker: DEMO.workerRob })).id;
});
afterAll(async () => {
  await t.close();
});

describe('sharing consent', () => {
  it('shows "Not asked yet" and a link to record their choice for their worker, with the safety override explained', async () => {
    const panel = await panelOf(pat, patsParticipant);
    expect(panel).toContain('Not asked yet');
    expect(panel).toContain(`href="/participants/${patsParticipant}/consent"`);
    expect(panel).toContain('recorded as shared because of safety');
    const form = await pat.get(`/participants/${patsParticipant}/consent`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('id="safety-override"');
  });

  it('shows an error summary and saves nothing when no choice is made or the scope is too long', async () => {
    const before = await allConsents();
    const none = await record(pat, patsParticipant, { submissionToken: randomUUID(), scope: 'x' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('There is a problem');
    expect(none.body).toContain('href="#consent"');
    expect(none.body).toContain('Select whether they agree to you sharing with their care team');
    const long = await record(pat, patsParticipant, {
      submissionToken: randomUUID(),
      consent: 'yes',
      scope: 'a'.repeat(1001),
    });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('must be 1000 characters or fewer');
    expect(await allConsents()).toBe(before);
  });

  it('records "agreed" with its scope once even when the form is sent twice, audited, and shows it on the page', async () => {
    const fields = { submissionToken: randomUUID(), consent: 'yes', scope: 'How our meetings are going' };
    const first = await record(pat, patsParticipant, fields);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toContain(`/participants/${patsParticipant}?done=consent-recorded`);
    const again = await pat.post(`/participants/${patsParticipant}/consent`, fields);
    expect(again.statusCode).toBe(303);
    expect(await consentsOf(patsParticipant)).toEqual([
      { consent: 'yes', scope: 'How our meetings are going' },
    ]);
    const panel = await panelOf(pat, patsParticipant);
    expect(panel).toContain('Agreed on 26 November 2026');
    expect(panel).toContain('How our meetings are going');
    const audits = await queryRows<{ detail: Record<string, unknown>; actor_id: string }>(
      t.database,
      sql`SELECT detail, actor_id FROM audit_events WHERE action = 'consent.recorded' ORDER BY seq`,
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actor_id).toBe(await t.staffId(DEMO.workerPat));
    expect(audits[0]!.detail).toMatchObject({ participantId: patsParticipant, consent: 'yes' });
    // The audit holds the decision, never the participant's words.
    expect(JSON.stringify(audits[0]!.detail)).not.toContain('meetings');
  });

  it('keeps every earlier choice: the latest is in force, and the history lists the rest', async () => {
    t.clock.advance(20 * 60_000);
    const response = await record(pat, patsParticipant, {
      submissionToken: randomUUID(),
      consent: 'no',
      // A scope with "no" means nothing and is not kept.
      scope: 'ignored',
    });
    expect(response.statusCode).toBe(303);
    expect(await consentsOf(patsParticipant)).toEqual([
      { consent: 'yes', scope: 'How our meetings are going' },
      { consent: 'no', scope: null },
    ]);
    const latest = await new SharingConsentRepository().latest(t.database.db, patsParticipant);
    expect(latest?.consent).toBe('no');
    const panel = await panelOf(pat, patsParticipant);
    expect(panel).toContain('Does not agree');
    expect(panel).toContain('Earlier choices (1)');
    expect(panel).toContain('Agreed: How our meetings are going');
  });

  it('lets clinicians and supervisors read the panel but not record; other workers, clinicians elsewhere and the participant get 404', async () => {
    const clinician = await t.signedInAs(DEMO.clinicianNorth);
    const clinicianPanel = await panelOf(clinician, patsParticipant);
    expect(clinicianPanel).toContain('Does not agree');
    expect(clinicianPanel).not.toContain('Record their choice');
    const before = await allConsents();
    for (const email of [
      DEMO.workerRob,
      DEMO.clinicianNorth,
      DEMO.clinicianSouth,
      DEMO.supervisorNorth,
      DEMO.coordinator,
    ]) {
      const client = await t.signedInAs(email);
      expect((await client.get(`/participants/${patsParticipant}/consent`)).statusCode).toBe(404);
      await client.get('/help');
      const posted = await client.post(`/participants/${patsParticipant}/consent`, {
        submissionToken: randomUUID(),
        consent: 'yes',
      });
      expect(posted.statusCode).toBe(404);
    }
    const participant = t.client();
    await participant.get('/demo');
    await participant.post(`/demo/sign-in/participant/${patsParticipant}`, {});
    expect([303, 404]).toContain(
      (await participant.get(`/participants/${patsParticipant}/consent`)).statusCode,
    );
    // Pat cannot record for someone else's participant either.
    expect((await pat.get(`/participants/${robsParticipant}/consent`)).statusCode).toBe(404);
    expect(await allConsents()).toBe(before);
  });

  it('answers hostile input with 4xx and saves nothing', async () => {
    const before = await allConsents();
    await pat.get(`/participants/${patsParticipant}/consent`);
    const attempts: Record<string, string | string[]>[] = [
      { submissionToken: 'not-a-uuid', consent: 'yes' },
      { submissionToken: randomUUID(), consent: ['yes', 'no'] },
      { submissionToken: randomUUID(), consent: 'maybe' },
      { submissionToken: randomUUID(), consent: 'yes', scope: ['a', 'b'] },
      { submissionToken: randomUUID(), consent: 'yes', scope: 'x'.repeat(300_000) },
      { submissionToken: randomUUID(), consent: 'yes', scope: 'nul \u0000 byte' },
    ];
    for (const fields of attempts) {
      const response = await pat.post(`/participants/${patsParticipant}/consent`, fields);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    expect((await pat.get('/participants/not-a-uuid/consent')).statusCode).toBe(404);
    expect((await pat.get(`/participants/${randomUUID()}/consent`)).statusCode).toBe(404);
    expect(await allConsents()).toBe(before);
  });
});
