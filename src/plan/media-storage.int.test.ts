/**
 * Storage of drawings, photos and voice notes (security hardening item 9): a participant could
 * upload about 150 MB a minute with no end, and removing a voice note kept its bytes for ever.
 * Now each plan has a limit on items and bytes with a clear message (with and without
 * JavaScript), removed items are deleted for good after the history period by the nightly job
 * (audited, and the entry's history says so), and the coordinator sees the storage in use.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../platform/clock.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { aParticipant } from '../test-support/factories.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { postUpload } from '../test-support/uploads.ts';
import { PlanRepository } from './plan.repository.ts';

let t: TestApp;
let samId: string;
let sam: TestClient;
let full: TestClient;
let fullId: string;

const SECTION = 'recovery_means';
const OWN = `/me/plan/${SECTION}`;
const MB = 1024 * 1024;

const photo = async (colour = '#3a7') => ({
  bytes: await sharp({ create: { width: 60, height: 40, channels: 3, background: colour } })
    .jpeg()
    .toBuffer(),
  name: 'photo.jpg',
  type: 'image/jpeg',
});
const fields = (client: TestClient, description = '') => ({
  _csrf: client.csrfToken ?? '',
  kind: 'photo',
  entryId: randomUUID(),
  saveId: randomUUID(),
  description,
});
const addPhoto = async (client: TestClient, json = true, description = '') => {
  const sent = fields(client, description);
  const response = await postUpload(
    t,
    client,
    `${OWN}/media`,
    sent,
    [await photo()],
    json ? { accept: 'application/json' } : {},
  );
  return { response, entryId: sent.entryId };
};
const summaryOf = (body: string) =>
  [...body.matchAll(/<li>\s*<a href="(#[^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]?.trim()]);
const mediaOf = async (entryId: string) =>
  (
    await queryRows<{ id: string; deleted_at: Date | null; has_bytes: boolean }>(
      t.database,
      sql`SELECT m.id, m.deleted_at, m.bytes IS NOT NULL AS has_bytes FROM plan_media m JOIN plan_entries e ON e.media_id = m.id WHERE e.id = ${entryId}`,
    )
  )[0]!;
const deletions = (mediaId: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM audit_events WHERE action = 'plan.media_deleted' AND actor_type = 'system' AND detail->>'mediaId' = ${mediaId}`,
  );
/** Moves the clock on; sign-in sessions end with it, so Sam signs in again. */
const later = async (days: number) => {
  t.clock.advance(days * DAY);
  sam = await t.signedInAsParticipant(samId);
  await sam.get(OWN);
};
const remove = async (client: TestClient, entryId: string) => {
  const page = await client.get(OWN);
  const form = page.body.slice(page.body.indexOf(`/entries/${entryId}/remove`));
  const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '';
  const removed = await client.post(`${OWN}/entries/${entryId}/remove`, {
    entryId,
    baseRevision: value('baseRevision'),
    saveId: value('saveId'),
  });
  expect(removed.statusCode).toBe(303);
};

beforeAll(async () => {
  t = await createTestApp({
    PLAN_UPLOADS_PER_MINUTE: '10000',
    PLAN_MEDIA_MAX_ITEMS: '3',
    PLAN_MEDIA_MAX_MB: '10',
    PLAN_REMOVED_MEDIA_DAYS: '30',
  });
  samId = (await aParticipant(t, { worker: DEMO.workerPat })).id;
  fullId = (await aParticipant(t, { worker: DEMO.workerPat })).id;
  sam = await t.signedInAsParticipant(samId);
  await sam.get(OWN);
  full = await t.signedInAsParticipant(fullId);
  await full.get(OWN);
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe('how much a plan may hold', () => {
  it('refuses one item too many with a clear message, in JSON and on the page, storing nothing', async () => {
    for (let i = 0; i < 3; i++) expect((await addPhoto(full)).response.statusCode).toBe(200);
    const stored = () =>
      count(t.database, sql`SELECT count(*) AS n FROM plan_media WHERE participant_id = ${fullId}`);
    const before = await stored();
    const message =
      'This plan already has 3 drawings, photos and voice notes, the most it can hold. Remove one you no longer need, then add this one';
    const json = await addPhoto(full);
    expect(json.response.statusCode).toBe(400);
    expect(json.response.json()).toEqual({ status: 'invalid', errors: { file: message } });
    const page = await addPhoto(full, false, 'kept words');
    expect(page.response.statusCode).toBe(400);
    expect(summaryOf(page.response.body)).toEqual([['#media-photo-file', message]]);
    expect(page.response.body).toContain('kept words</textarea>');
    expect(await stored()).toBe(before);
  });

  it('counts what a removed item stored until it is deleted, then lets the plan use that space again', async () => {
    // Sam's plan stores one item, counted as nearly 10 MB (the limit here), which Sam removes.
    const { entryId } = await addPhoto(sam);
    const mediaId = (await mediaOf(entryId)).id;
    await t.database.db.execute(
      sql`UPDATE plan_media SET byte_size = ${10 * MB - 100} WHERE id = ${mediaId}`,
    );
    await remove(sam, entryId);
    expect(await new PlanRepository().mediaUsage(t.database.db, samId)).toEqual({
      items: 0,
      bytes: 10 * MB - 100,
    });
    const refused = await addPhoto(sam);
    expect(refused.response.statusCode).toBe(400);
    expect(refused.response.json()).toEqual({
      status: 'invalid',
      errors: {
        file: 'There is not enough room left in this plan for this file (each plan can hold 10 MB). Remove something you no longer need: its space is free again 30 days after you remove it',
      },
    });
    await later(31);
    expect(await t.deps.services.mediaStorage.deleteRemoved()).toBeGreaterThanOrEqual(1);
    expect((await addPhoto(sam)).response.statusCode).toBe(200);
  });
});

describe('removed media, after the history period', () => {
  it('keeps a removed photo for 30 days, then deletes its bytes once, audited, and the history says so', async () => {
    const { entryId } = await addPhoto(sam, true, 'The view from the bridge');
    const { id: mediaId } = await mediaOf(entryId);
    await remove(sam, entryId);
    await later(29);
    await t.deps.services.mediaStorage.deleteRemoved();
    expect(await mediaOf(entryId)).toMatchObject({ deleted_at: null, has_bytes: true });

    await later(2);
    await t.deps.services.mediaStorage.deleteRemoved();
    await t.deps.services.mediaStorage.deleteRemoved();
    const gone = await mediaOf(entryId);
    expect(gone.has_bytes).toBe(false);
    expect(gone.deleted_at).not.toBeNull();
    expect(await deletions(mediaId)).toBe(1);

    const history = await sam.get(`${OWN}/entries/${entryId}/history`);
    expect(history.statusCode).toBe(200);
    expect(history.body).toMatch(
      /The file was deleted for good on \d+ \w+ \d{4}\. Removed drawings, photos and voice notes are kept for 30 days/,
    );
    expect(history.body).toContain('The view from the bridge');
    expect(history.body).not.toContain('Use this version');
    const revision = /name="saveId" value="([^"]+)"/.exec(history.body)?.[1] ?? randomUUID();
    const restore = await sam.post(`${OWN}/entries/${entryId}/restore`, {
      entryId,
      saveId: revision,
      baseRevision: '2',
      revision: '1',
    });
    expect(restore.statusCode).toBe(404);
    expect((await sam.get(`/me/plan/media/${mediaId}`)).statusCode).toBe(404);
  });

  it('keeps a photo brought back within the period', async () => {
    const { entryId } = await addPhoto(sam);
    await remove(sam, entryId);
    const history = await sam.get(`${OWN}/entries/${entryId}/history`);
    const value = (name: string) =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(history.body)?.[1] ?? '';
    const restored = await sam.post(`${OWN}/entries/${entryId}/restore`, {
      entryId,
      saveId: value('saveId'),
      baseRevision: value('baseRevision'),
      revision: value('revision'),
    });
    expect(restored.statusCode).toBe(303);
    await later(40);
    await t.deps.services.mediaStorage.deleteRemoved();
    expect(await mediaOf(entryId)).toMatchObject({ deleted_at: null, has_bytes: true });
  });
});

describe('the storage page', () => {
  it('shows the coordinator the trust’s storage and the plans using most, without what they hold; audited', async () => {
    const coordinator = await t.signedInAs(DEMO.coordinator);
    const audited = () =>
      count(t.database, sql`SELECT count(*) AS n FROM audit_events WHERE action = 'plan.storage_viewed'`);
    const before = await audited();
    const page = await coordinator.get('/admin/storage');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Storage used by recovery plans</h1>');
    expect(page.body).toContain('Removed, waiting to be deleted');
    expect(page.body).toContain('Each plan can hold up to 3 items and 10 MB.');
    expect(page.body).toContain(`<a href="/participants/${fullId}">`);
    expect(page.body).not.toContain('/plan/media/');
    expect(page.body).not.toContain('The view from the bridge');
    expect(await audited()).toBe(before + 1);
    const teams = await coordinator.get('/admin/teams');
    expect(teams.body).toContain('<a href="/admin/storage">Storage used by recovery plans</a>');
    for (const email of [DEMO.workerPat, DEMO.supervisorNorth, DEMO.clinicianNorth]) {
      expect((await (await t.signedInAs(email)).get('/admin/storage')).statusCode).toBe(403);
    }
    expect((await sam.get('/admin/storage')).statusCode).toBeGreaterThanOrEqual(300);
  });
});
