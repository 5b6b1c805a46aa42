/**
 * A session record when the database fails under it: the error reaches the log without a word
 * anyone wrote, and two saves at the same moment end in one save and one conflict page.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';
import { aParticipant } from '../test-support/factories.ts';

let t: TestApp;
let pat: TestClient;
let participantId: string;
const logLines: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'info' }, { log: (line) => logLines.push(line) });
  pat = await t.signedInAs(DEMO.workerPat);
  // One of Pat's participants, made for this file with no sessions yet (discharged 22 days ago).
  participantId = (await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 22 })).id;
});
afterAll(async () => {
  await t.close();
});

const sessionsNow = () =>
  queryRows<{ id: string; version: number }>(
    t.database,
    sql`SELECT id, version FROM programme_sessions WHERE participant_id = ${participantId}`,
  );

/** Books a session yesterday at 10:00 and returns its id and version. */
async function pastSession(): Promise<{ id: string; version: number }> {
  const before = new Set((await sessionsNow()).map((s) => s.id));
  await pat.get(`/participants/${participantId}/sessions/new`);
  const response = await pat.post(`/participants/${participantId}/sessions/new`, {
    submissionToken: randomUUID(),
    'plannedOn[day]': '25',
    'plannedOn[month]': '11',
    'plannedOn[year]': '2026',
    plannedTime: '10:00',
    mode: 'phone',
  });
  expect(response.statusCode).toBe(303);
  const created = (await sessionsNow()).find((s) => !before.has(s.id));
  return { id: created?.id ?? '', version: created?.version ?? 0 };
}

const attended = (version: number, note: string) => ({
  version: String(version),
  status: 'attended',
  durationMinutes: '50',
  sections: ['moving_on'],
  storySharing: 'no',
  note,
});

describe('a database error while a session record is saved', () => {
  it('is logged with the statement and constraint, never the note or any other value', async () => {
    const session = await pastSession();
    const note = 'Told me about the argument with her sister on Tuesday';
    // The database refuses this note, as a full disk or a broken constraint would.
    await t.database.execScript(
      "ALTER TABLE programme_sessions ADD CONSTRAINT refuse_this_note CHECK (note IS NULL OR note NOT LIKE '%sister%')",
    );
    try {
      logLines.length = 0;
      await pat.get(`/sessions/${session.id}/record`);
      const response = await pat.post(`/sessions/${session.id}/record`, attended(session.version, note));
      expect(response.statusCode).toBe(500);
      const log = logLines.join('');
      expect(log).toContain('unhandled error');
      expect(log).toContain('refuse_this_note');
      expect(log).toContain('Failed query');
      expect(log).not.toContain('sister');
      expect(log).not.toContain('argument');
      expect(log).not.toMatch(/params/);
    } finally {
      await t.database.execScript('ALTER TABLE programme_sessions DROP CONSTRAINT refuse_this_note');
    }
  });
});

describe('two saves of one session record at the same moment', () => {
  it(
    'save one and answer the other with the conflict page, never a server error',
    { timeout: 60_000 },
    async () => {
      const outcomes: number[][] = [];
      for (let pair = 0; pair < 6; pair++) {
        const session = await pastSession();
        await pat.get(`/sessions/${session.id}/record`);
        const both = await Promise.all(
          ['First browser', 'Second browser'].map((who) =>
            pat.post(`/sessions/${session.id}/record`, attended(session.version, `${who} saved this`)),
          ),
        );
        outcomes.push(both.map((response) => response.statusCode).sort());
        expect(
          outcomes.at(-1),
          both
            .map((r) => /nhsuk-error-summary__list[\s\S]{0,400}/.exec(r.body)?.[0] ?? r.body.slice(0, 200))
            .join('\n'),
        ).toEqual([303, 409]);
        const conflict = both.find((response) => response.statusCode === 409);
        expect(conflict?.body).toContain('Someone else changed this');
        const revisions = await queryRows<{ n: number }>(
          t.database,
          sql`SELECT count(*)::int AS n FROM programme_session_revisions WHERE session_id = ${session.id}`,
        );
        expect(revisions[0]?.n).toBe(1);
      }
      expect(outcomes).toEqual(Array.from({ length: 6 }, () => [303, 409]));
    },
  );
});
