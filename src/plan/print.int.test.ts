/**
 * "Print and keep" through HTTP: the print view, the plan as a PDF to download (participant
 * and staff, audited), and the blank workbook that needs no sign-in.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aParticipant } from '../test-support/factories.ts';
import { formIds } from '../test-support/plan-forms.ts';

let t: TestApp;
let participantId: string;
let otherParticipantId: string;
let me: TestClient;
const dir = mkdtempSync(path.join(tmpdir(), 'plan-print-'));

async function participantClient(id: string): Promise<TestClient> {
  return t.signedInAsParticipant(id);
}

/** What a PDF viewer would show: its text and its document information. */
function readPdf(bytes: Buffer): { text: string; info: string } {
  const file = path.join(dir, `${randomUUID()}.pdf`);
  writeFileSync(file, bytes);
  return {
    text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '),
    info: execFileSync('pdfinfo', [file], { encoding: 'utf8' }),
  };
}

const audits = (action: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM audit_events WHERE action = ${action} AND entity_id = ${participantId}`,
  );

const WORDS = 'Walking the dog at dawn helps. Zoë says “keep going” – and £5 for the café.';

beforeAll(async () => {
  t = await createTestApp();
  participantId = (await aParticipant(t, { worker: DEMO.workerPat })).id;
  otherParticipantId = (await aParticipant(t, { worker: DEMO.workerRob })).id;
  me = await participantClient(participantId);
  const page = await me.get('/me/plan/moving_on');
  const saved = await me.post('/me/plan/moving_on/entries', {
    ...formIds(page.body, 'what_helped'),
    fieldKey: 'what_helped',
    kind: 'text',
    text: WORDS,
  });
  expect(saved.statusCode).toBe(303);
  // A photo, straight through the service (uploading is the media routes' business).
  const [row] = await queryRows<{ trustId: string; crisisTeamId: string }>(
    t.database,
    sql`SELECT trust_id AS "trustId", crisis_team_id AS "crisisTeamId" FROM participants WHERE id = ${participantId}`,
  );
  const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#1e8449' } })
    .jpeg()
    .toBuffer();
  const added = await t.deps.services.planWriting.addMedia(
    { actor: { kind: 'participant', id: participantId, displayName: 'Sam', ...row! }, ip: null },
    participantId,
    'recovery_means',
    {
      entryId: randomUUID(),
      saveId: randomUUID(),
      description: 'The view from my window',
      kind: 'photo',
      bytes: photo,
    },
  );
  expect(added.status).toBe('saved');
}, 60_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the print view', () => {
  it('shows my plan with my words, my photo, the crisis contacts and the ways to print', async () => {
    const before = await audits('plan.viewed');
    const page = await me.get('/me/plan/print');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      'Walking the dog at dawn helps. Zoë says “keep going” – and £5 for the café.',
    );
    expect(page.body).toMatch(/<img src="\/me\/plan\/media\/[0-9a-f-]{36}" alt="The view from my window"/);
    expect(page.body).toContain('If you need help now');
    expect(page.body).toContain('116 123');
    expect(page.body).toMatch(
      /<button type="button" class="nhsuk-button" data-print-button hidden>Print this page/,
    );
    expect(page.body).toContain('use your browser’s <strong>Print</strong> option');
    // No `download` attribute: the answer may be the "being prepared" page, to be shown, not saved.
    expect(page.body).toContain('<a href="/me/plan/pdf">Download as PDF</a>');
    // Fields with nothing in them get lines to write on, on paper.
    expect(page.body).toContain('Nothing written here yet.');
    expect(page.body).toContain('class="app-print-line"');
    expect(page.body).not.toMatch(/\sstyle="/);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(await audits('plan.viewed')).toBe(before + 1);
  });

  it('shows staff the plan they may see, and nobody else’s', async () => {
    const pat = await t.signedInAs(DEMO.workerPat);
    const page = await pat.get(`/participants/${participantId}/plan/print`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(WORDS);
    expect(page.body).toContain(`<a href="/participants/${participantId}/plan/pdf">`);
    expect((await pat.get(`/participants/${otherParticipantId}/plan/print`)).statusCode).toBe(404);
    expect((await pat.get('/participants/not-an-id/plan/print')).statusCode).toBe(404);
  });

  it('sends someone signed out to sign in', async () => {
    const response = await t.client().get('/me/plan/print');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toContain('/participant/sign-in');
  });
});

describe('downloading my plan as a PDF', () => {
  it('downloads a tagged PDF of my plan, with my words, not kept by any cache, and audited', async () => {
    const before = await audits('plan.downloaded');
    const response = await me.get('/me/plan/pdf');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="my-recovery-plan.pdf"');
    expect(response.headers['cache-control']).toContain('no-store');
    const { text, info } = readPdf(response.rawPayload);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(text).toContain(WORDS);
    expect(text).toContain('The view from my window');
    expect(text).toContain('116 123');
    expect(await audits('plan.downloaded')).toBe(before + 1);
  });

  it('lets the worker download it, and refuses a worker who is not theirs', async () => {
    const pat = await t.signedInAs(DEMO.workerPat);
    const response = await pat.get(`/participants/${participantId}/plan/pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="recovery-plan.pdf"');
    expect(readPdf(response.rawPayload).text).toContain(WORDS);
    const rob = await t.signedInAs(DEMO.workerRob);
    const refused = await rob.get(`/participants/${participantId}/plan/pdf`);
    expect(refused.statusCode).toBe(404);
    expect(refused.headers['content-type']).not.toBe('application/pdf');
  });

  it('still works for someone whose programme has ended: the plan is theirs to keep', async () => {
    const [ended] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT participant_id AS id FROM programme_endings LIMIT 1`,
    );
    expect(ended).toBeDefined();
    const them = await participantClient(ended!.id);
    expect((await them.get('/me/plan/print')).statusCode).toBe(200);
    const response = await them.get('/me/plan/pdf');
    expect(response.statusCode).toBe(200);
    expect(readPdf(response.rawPayload).info).toMatch(/Tagged:\s+yes/);
  });

  it('gives nothing to someone signed out', async () => {
    const response = await t.client().get('/me/plan/pdf');
    expect(response.statusCode).toBe(303);
    expect(response.headers['content-type']).not.toBe('application/pdf');
  });
});

describe('a PDF made once and sent again', () => {
  const sharingAll = (visibility: string) =>
    Object.fromEntries(
      t.deps.services.planTemplates.latest.sections
        .filter((s) => s.enabled)
        .map((s) => [`visibility-${s.key}`, visibility]),
    );

  it('is made again as soon as the plan or its sharing changes, or a new day begins', async () => {
    const pat = await t.signedInAs(DEMO.workerPat);
    const url = `/participants/${participantId}/plan/pdf`;
    const made = vi.spyOn(t.deps.services.planTasks, 'planPdf');
    try {
      await me.get('/me/plan/sharing');
      expect((await me.post('/me/plan/sharing', sharingAll('worker'))).statusCode).toBe(303);
      const first = await pat.get(url);
      expect(readPdf(first.rawPayload).text).toContain(WORDS);
      // Made now, or earlier in this file for this same version: either way, not made again.
      const madeSoFar = made.mock.calls.length;
      expect((await pat.get(url)).rawPayload.equals(first.rawPayload)).toBe(true);
      expect(made).toHaveBeenCalledTimes(madeSoFar);

      // The participant stops sharing: the copy made before must not be handed out.
      await me.get('/me/plan/sharing');
      const unshare = { ...sharingAll('worker'), 'visibility-moving_on': 'private' };
      expect((await me.post('/me/plan/sharing', unshare)).statusCode).toBe(303);
      const unshared = await pat.get(url);
      expect(readPdf(unshared.rawPayload).text).not.toContain(WORDS);
      expect(made).toHaveBeenCalledTimes(madeSoFar + 1);

      // Even a section with nothing written in it: its page must go too.
      expect(readPdf(unshared.rawPayload).text).toContain('Tackling problems');
      await me.get('/me/plan/sharing');
      expect(
        (await me.post('/me/plan/sharing', { ...unshare, 'visibility-tackling_problems': 'private' }))
          .statusCode,
      ).toBe(303);
      expect(readPdf((await pat.get(url)).rawPayload).text).not.toContain('Tackling problems');
      expect(made).toHaveBeenCalledTimes(madeSoFar + 2);

      t.clock.advance(24 * 3_600_000);
      const tomorrow = await t.signedInAs(DEMO.workerPat);
      expect((await tomorrow.get(url)).statusCode).toBe(200);
      expect(made).toHaveBeenCalledTimes(madeSoFar + 3);
    } finally {
      made.mockRestore();
    }
  });
});

describe('the blank workbook', () => {
  it('downloads without signing in, the same file every time', async () => {
    const first = await t.client().get('/plan/workbook.pdf');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.headers['content-disposition']).toBe('attachment; filename="recovery-plan-workbook.pdf"');
    const { text, info } = readPdf(first.rawPayload);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(text).toContain('Moving on after a crisis');
    expect(text).toContain('Their phone number:');
    expect(text).not.toContain('Walking the dog');
    const second = await t.client().get('/plan/workbook.pdf');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
  });
});
