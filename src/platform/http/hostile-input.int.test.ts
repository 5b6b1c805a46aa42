/**
 * Every form, fed malformed and hostile input: the answer is always a clear 4xx (or a
 * redirect back to sign-in), never a 500, and no record is created or changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../../test-support/test-app.ts';
import { queryRows } from '../../test-support/rows.ts';

let t: TestApp;
let coordinator: TestClient;
let participantId: string;
let staffId: string;
let teamId: string;

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'error' });
  coordinator = await t.signedInAs(DEMO.coordinator);
  participantId = (await queryRows<{ id: string }>(t.database, sql`SELECT id FROM participants LIMIT 1`))[0]!
    .id;
  staffId = await t.staffId(DEMO.workerNat);
  teamId = (await queryRows<{ id: string }>(t.database, sql`SELECT id FROM crisis_teams LIMIT 1`))[0]!.id;
});
afterAll(async () => {
  await t.close();
});

/** A fingerprint of every record people can change. */
async function records(): Promise<string> {
  const rows = await queryRows<Record<string, unknown>>(
    t.database,
    sql`SELECT
      (SELECT count(*) FROM participants) AS participants,
      (SELECT coalesce(sum(version), 0) FROM participants) AS participant_versions,
      (SELECT count(*) FROM allocations) AS allocations,
      (SELECT count(*) FROM allocations WHERE ended_at IS NOT NULL) AS ended,
      (SELECT count(*) FROM staff_users) AS staff,
      (SELECT coalesce(sum(version), 0) FROM staff_users) AS staff_versions,
      (SELECT count(*) FROM staff_users WHERE disabled_at IS NOT NULL) AS disabled,
      (SELECT md5(string_agg(coalesce(password_hash, '-'), ',' ORDER BY id)) FROM staff_users) AS passwords,
      (SELECT count(*) FROM staff_set_up_links) AS set_up_links,
      (SELECT count(*) FROM crisis_teams) AS teams,
      (SELECT coalesce(sum(version), 0) FROM crisis_teams) AS team_versions,
      (SELECT count(*) FROM programme_sessions) AS sessions,
      (SELECT coalesce(sum(version), 0) FROM programme_sessions) AS session_versions,
      (SELECT count(*) FROM staff_users WHERE away_from IS NOT NULL) AS away,
      (SELECT count(*) FROM allocations WHERE reallocation_requested_at IS NOT NULL) AS reallocation_requests,
      (SELECT count(*) FROM contact_attempts) AS contact_attempts,
      (SELECT count(*) FROM session_change_requests) AS change_requests`,
  );
  return JSON.stringify(rows[0]);
}

const hostile = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '\u0000',
    '../../etc/passwd',
    'x'.repeat(5000),
    '00000000-0000-0000-0000-000000000000',
    '-1',
    '1e308',
    'NaN',
    '{"$ne":null}',
  ),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);

const FIELDS = [
  'email',
  'password',
  'code',
  'contact',
  'returnTo',
  'peerWorkerId',
  'reason',
  'name',
  'phone',
  'fullName',
  'roles',
  'crisisTeamId',
  'caseloadLimit',
  'clearedForAllocation',
  'temporaryPassword',
  'version',
  'submissionToken',
  'plannedTime',
  'mode',
  'status',
  'durationMinutes',
  'sections',
  'awayFrom[day]',
  'awayFrom[month]',
  'awayFrom[year]',
  'awayUntil[day]',
  'message',
  'currentPassword',
  'newPassword',
  'confirmPassword',
];

const POSTS = () => [
  '/sign-in',
  '/sign-in/security-code',
  '/sign-in/set-up-authenticator',
  '/sign-in/new-password',
  '/account/password',
  `/account/set-up/${'A'.repeat(43)}`,
  '/participant/sign-in',
  '/participant/sign-in/code',
  '/session/extend',
  `/participants/${participantId}/allocate`,
  '/admin/teams/new',
  `/admin/teams/${teamId}/edit`,
  '/admin/staff/new',
  `/admin/staff/${staffId}/edit`,
  `/participants/${participantId}/sessions/new`,
  `/participants/${participantId}/sessions/past`,
  `/sessions/${participantId}/record`,
  `/caseloads/${staffId}/away`,
  `/caseloads/${staffId}/back`,
  `/participants/${participantId}/contacts/new`,
  `/participants/${participantId}/change-requests/${participantId}/resolve`,
];

describe('hostile input on every form', () => {
  it('never answers 500 and never changes a record', async () => {
    const before = await records();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POSTS()),
        fc.dictionary(fc.constantFrom(...FIELDS), hostile, { maxKeys: 6 }),
        async (url, fields) => {
          await coordinator.get('/help');
          const response = await coordinator.post(url, fields);
          expect(response.statusCode, `${url} ${JSON.stringify(fields).slice(0, 200)}`).toBeLessThan(500);
          expect([200, 303, 400, 401, 403, 404, 409, 413, 429]).toContain(response.statusCode);
        },
      ),
      { numRuns: 150 },
    );
    expect(await records()).toBe(before);
  });

  it('refuses bodies that are not forms, and ids that are not ids', async () => {
    // From a fresh address: the first test may have used up this one's sign-in rate limit.
    coordinator.ip = '198.51.100.200';
    const before = await records();
    await coordinator.get('/help');
    for (const url of POSTS()) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        cookies: Object.fromEntries(coordinator.cookies),
        headers: { 'content-type': 'text/xml', 'x-csrf-token': coordinator.csrfToken! },
        remoteAddress: coordinator.ip,
        payload: '<a>1</a>',
      });
      expect(response.statusCode, url).toBe(415);
    }
    for (const id of ['x', '1', "1' OR '1'='1", '%00', '..%2F..%2Fetc']) {
      expect((await coordinator.get(`/participants/${id}`)).statusCode).toBe(404);
      expect(
        (await coordinator.post(`/participants/${id}/allocate`, { peerWorkerId: staffId })).statusCode,
      ).toBe(404);
    }
    expect(await records()).toBe(before);
  });
});

describe('hostile query strings', () => {
  it('shows a success banner only for a page’s own keys, and never answers 500', async () => {
    const banners = (body: string) => body.split('nhsuk-notification-banner__content').length;
    const pages = [
      { page: `/participants/${participantId}`, own: 'allocated', text: 'Peer support worker allocated.' },
      { page: `/caseloads/${staffId}`, own: 'back', text: 'Marked as back.' },
      { page: '/admin/staff', own: 'updated', text: 'Account details updated' },
      { page: '/admin/teams', own: 'team-created', text: 'Crisis team added' },
    ];
    const hostileQueries = [
      ...['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '<b>x</b>'].map(
        (key) => `done=${encodeURIComponent(key)}`,
      ),
      'done[]=allocated',
      'done[a]=b',
      'done=allocated&done=back',
    ];
    for (const { page, own, text } of pages) {
      const plain = await coordinator.get(page);
      expect(plain.statusCode, page).toBe(200);
      const withOwn = await coordinator.get(`${page}?done=${own}`);
      expect(withOwn.body, page).toContain(text);
      expect(banners(withOwn.body), page).toBe(banners(plain.body) + 1);
      for (const query of hostileQueries) {
        const response = await coordinator.get(`${page}?${query}`);
        expect(response.statusCode, `${page}?${query}`).toBe(200);
        expect(banners(response.body), `${page}?${query}`).toBe(banners(plain.body));
        expect(response.body, `${page}?${query}`).not.toContain('[native code]');
      }
    }
  });

  it('answers a malformed query string with 400, not 500', async () => {
    // A repeated name is a list: not one month.
    expect((await coordinator.get('/concerns/overview?month=2025-07&month=2025-08')).statusCode).toBe(400);
    expect((await coordinator.get('/concerns/overview?month=1999-01')).statusCode).toBe(400);
    expect((await coordinator.get('/concerns/overview')).statusCode).toBe(200);
  });
});
