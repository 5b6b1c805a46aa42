/**
 * Drawings, photos and voice notes through HTTP, as a participant and their worker would add
 * them (the photo form without JavaScript; drawings and voice notes as the page's scripts send
 * them), and as an attacker would try: hostile files, oversized and broken bodies, a missing
 * CSRF token, someone else's media. Every refusal is a clear 4xx that stores nothing.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WorkersBusyError } from '../platform/workers/worker-pool.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { aParticipant } from '../test-support/factories.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { multipart, postUpload, type Upload } from '../test-support/uploads.ts';
import { MEDIA_MESSAGES } from './media-processing.ts';
import { mp4Voice, oggVoice, SECRETS, webmVoice } from '../test-support/audio-files.ts';

let t: TestApp;
let sam: TestClient;
let other: TestClient;
let pat: TestClient;
let rob: TestClient;
let samId: string;

const SECTION = 'recovery_means';
const OWN = `/me/plan/${SECTION}`;
const staffBase = () => `/participants/${samId}/plan`;

const post = (
  client: TestClient,
  url: string,
  fields: Record<string, string>,
  files: Upload[] = [],
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> => postUpload(t, client, url, fields, files, headers);

const fresh = (client: TestClient, kind = 'photo', extra: Record<string, string> = {}) => ({
  _csrf: client.csrfToken ?? '',
  kind,
  entryId: randomUUID(),
  saveId: randomUUID(),
  description: '',
  ...extra,
});

const jpegWithGps = () =>
  sharp({ create: { width: 120, height: 80, channels: 3, background: '#3a7' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 1234/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 0/1',
      },
    })
    .toBuffer();
const photo = async (bytes?: Buffer): Promise<Upload> => ({
  bytes: bytes ?? (await jpegWithGps()),
  name: 'holiday.jpg',
  type: 'image/jpeg',
});
const svg: Upload = {
  bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'),
  name: 'innocent.jpg',
  type: 'image/jpeg',
};
const { bytes: webm, frames } = webmVoice();

const mediaCount = () =>
  count(t.database, sql`SELECT count(*) AS n FROM plan_media WHERE participant_id = ${samId}`);
const mediaIdOf = async (entryId: string) =>
  (
    await queryRows<{ media_id: string }>(
      t.database,
      sql`SELECT media_id FROM plan_entries WHERE id = ${entryId}`,
    )
  )[0]?.media_id;
const storedBytes = async (mediaId: string) =>
  Buffer.from(
    (
      await queryRows<{ bytes: Uint8Array }>(
        t.database,
        sql`SELECT bytes FROM plan_media WHERE id = ${mediaId}`,
      )
    )[0]!.bytes,
  );

async function signInParticipant(id: string): Promise<TestClient> {
  const client = await t.signedInAsParticipant(id);
  await client.get(OWN);
  return client;
}

/** The error summary's items: link target and words. */
const summaryOf = (body: string) =>
  [...body.matchAll(/<li>\s*<a href="(#[^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]?.trim()]);

beforeAll(async () => {
  // Many uploads by one person in a minute here: the per-person limit has its own test below.
  t = await createTestApp({ PLAN_UPLOADS_PER_MINUTE: '10000' });
  const allocated = [
    await aParticipant(t, { worker: DEMO.workerPat }),
    await aParticipant(t, { worker: DEMO.workerPat }),
  ];
  samId = allocated[0]!.id;
  sam = await signInParticipant(samId);
  other = await signInParticipant(allocated[1]!.id);
  pat = await t.signedInAs(DEMO.workerPat);
  rob = await t.signedInAs(DEMO.workerRob);
  await pat.get(`${staffBase()}/${SECTION}`);
});
afterAll(async () => {
  await t.close();
});

describe('adding a photo without JavaScript', () => {
  it('stores it without its GPS position and shows it on the section, described in words', async () => {
    const fields = fresh(sam, 'photo', { description: 'The view from my walk' });
    const response = await post(sam, `${OWN}/media`, fields, [await photo()]);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${OWN}?saved=${fields.entryId}#entry-${fields.entryId}`);

    const mediaId = await mediaIdOf(fields.entryId);
    expect(mediaId).toBeDefined();
    const stored = await storedBytes(mediaId!);
    const meta = await sharp(stored).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(stored.includes('TestCam')).toBe(false);

    const page = await sam.get(OWN);
    expect(page.body).toContain(`id="entry-${fields.entryId}"`);
    expect(page.body).toContain(`src="/me/plan/media/${mediaId!}" alt="The view from my walk"`);
  });

  it('serves it only as an inert, uncached image with a name the server chose', async () => {
    const fields = fresh(sam);
    await post(sam, `${OWN}/media`, fields, [await photo()]);
    const mediaId = await mediaIdOf(fields.entryId);
    const served = await sam.get(`/me/plan/media/${mediaId!}`);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(served.headers['cache-control']).toBe('private, no-store');
    expect(served.headers['content-disposition']).toBe('inline; filename="photo.jpg"');
    expect((await sharp(served.rawPayload).metadata()).exif).toBeUndefined();
  });

  it('saves a form sent twice (a double click) once', async () => {
    const before = await mediaCount();
    const fields = fresh(sam);
    const first = await post(sam, `${OWN}/media`, fields, [await photo()]);
    const again = await post(sam, `${OWN}/media`, fields, [await photo()]);
    expect([first.statusCode, again.statusCode]).toEqual([303, 303]);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await mediaCount()).toBe(before + 1);
  });

  it('refuses an SVG with a script (named .jpg) with a clear error summary, and stores nothing', async () => {
    const before = await mediaCount();
    const response = await post(sam, `${OWN}/media`, fresh(sam, 'photo', { description: 'kept words' }), [
      svg,
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<title>Error: Add a photo');
    expect(summaryOf(response.body)).toEqual([['#media-photo-file', MEDIA_MESSAGES.photoType]]);
    expect(response.body).toContain('id="media-photo-file-error"');
    expect(response.body).toContain('kept words</textarea>');
    expect(response.body).not.toContain('alert(document.cookie)');
    expect(await mediaCount()).toBe(before);
  });

  it('asks for a file when none was chosen, and refuses a description that is too long', async () => {
    const empty = await post(sam, `${OWN}/media`, fresh(sam), [
      { bytes: Buffer.alloc(0), name: '', type: 'application/octet-stream' },
    ]);
    expect(empty.statusCode).toBe(400);
    expect(summaryOf(empty.body)[0]?.[1]).toBe('Choose a photo to add');
    const missing = await post(sam, `${OWN}/media`, fresh(sam));
    expect(summaryOf(missing.body)[0]?.[1]).toBe('Choose a photo to add');
    const long = await post(sam, `${OWN}/media`, fresh(sam, 'photo', { description: 'x'.repeat(1001) }), [
      await photo(),
    ]);
    expect(long.statusCode).toBe(400);
    expect(summaryOf(long.body)).toEqual([['#media-photo-description', 'Must be 1000 characters or fewer']]);
  });
});

describe('hostile uploads', () => {
  it('refuses a file over 10 MB with a clear page, not a server error', async () => {
    const before = await mediaCount();
    const huge = Buffer.alloc(10 * 1024 * 1024 + 10, 0x41);
    huge.set([0xff, 0xd8, 0xff, 0xe0]);
    const response = await post(sam, `${OWN}/media`, fresh(sam), [
      { bytes: huge, name: 'big.jpg', type: 'image/jpeg' },
    ]);
    expect(response.statusCode).toBe(413);
    expect(summaryOf(response.body)).toEqual([['#media-photo-file', 'The file must be smaller than 10 MB']]);
    const json = await post(
      sam,
      `${OWN}/media`,
      fresh(sam),
      [{ bytes: huge, name: 'big.jpg', type: 'image/jpeg' }],
      {
        accept: 'application/json',
      },
    );
    expect(json.statusCode).toBe(413);
    expect(json.json()).toEqual({
      status: 'invalid',
      errors: { file: 'The file must be smaller than 10 MB' },
    });
    expect(await mediaCount()).toBe(before);
  });

  it('refuses a pixel flood and two files at once', async () => {
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const flood = Buffer.from(tiny);
    flood.writeUInt32BE(60_000, 16);
    flood.writeUInt32BE(60_000, 20);
    const { crc32 } = await import('node:zlib');
    flood.writeUInt32BE(crc32(flood.subarray(12, 29)) >>> 0, 29);
    const response = await post(sam, `${OWN}/media`, fresh(sam), [
      { bytes: flood, name: 'a.png', type: 'image/png' },
    ]);
    expect(response.statusCode).toBe(400);
    expect(summaryOf(response.body)[0]?.[1]).toBe(MEDIA_MESSAGES.pixels);
    const two = await post(sam, `${OWN}/media`, fresh(sam), [await photo(), await photo()]);
    expect(two.statusCode).toBe(413);
    expect(summaryOf(two.body)[0]?.[1]).toBe('Add one file at a time');
  });

  it('keeps nothing of a polyglot but the picture', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    const fields = fresh(sam);
    const polyglot = Buffer.concat([jpeg, Buffer.from('<html><script>alert(1)</script></html>')]);
    const response = await post(sam, `${OWN}/media`, fields, [
      { bytes: polyglot, name: 'x.html', type: 'text/html' },
    ]);
    expect(response.statusCode).toBe(303);
    const stored = await storedBytes((await mediaIdOf(fields.entryId))!);
    expect(stored.includes('<script')).toBe(false);
  });

  it('answers a broken multipart body, or NUL in a field, with 400 and stores nothing', async () => {
    const before = await mediaCount();
    const { payload, contentType } = await multipart(fresh(sam), [await photo()]);
    const cut = await t.app.inject({
      method: 'POST',
      url: `${OWN}/media`,
      cookies: Object.fromEntries(sam.cookies),
      headers: { 'content-type': contentType },
      payload: payload.subarray(0, payload.length - 300),
    });
    expect(cut.statusCode).toBe(400);
    const noBoundary = await t.app.inject({
      method: 'POST',
      url: `${OWN}/media`,
      cookies: Object.fromEntries(sam.cookies),
      headers: { 'content-type': 'multipart/form-data' },
      payload: 'hello',
    });
    expect(noBoundary.statusCode).toBe(400);
    const nul = await post(sam, `${OWN}/media`, fresh(sam, 'photo', { description: 'a\u0000b' }), [
      await photo(),
    ]);
    expect(nul.statusCode).toBe(400);
    expect(await mediaCount()).toBe(before);
  });

  it('never answers random fields and bytes with a server error', async () => {
    const before = await mediaCount();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('photo', 'drawing', 'voice', 'svg', ''),
        fc.string({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 512 }),
        fc.boolean(),
        async (kind, description, bytes, json) => {
          const response = await post(
            sam,
            `${OWN}/media`,
            fresh(sam, kind, { description }),
            [{ bytes: Buffer.from(bytes), name: 'f', type: 'image/png' }],
            json ? { accept: 'application/json' } : {},
          );
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 25 },
    );
    expect(await mediaCount()).toBe(before);
  });
});

describe('CSRF and sign-in', () => {
  it('refuses an upload without the form token (403) and stores nothing', async () => {
    const before = await mediaCount();
    const fields = fresh(sam);
    const noToken = await post(sam, `${OWN}/media`, { ...fields, _csrf: '' }, [await photo()]);
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('This form has expired');
    const json = await post(sam, `${OWN}/media`, { ...fresh(sam), _csrf: 'forged' }, [await photo()], {
      accept: 'application/json',
    });
    expect(json.statusCode).toBe(403);
    expect(json.json()).toEqual({ status: 'expired_form' });
    expect(await mediaCount()).toBe(before);
  });

  it('answers someone signed out with 401 before reading what they sent', async () => {
    const anonymous = t.client();
    // Over the size limit: read, it would be refused as too large (413).
    const huge = Buffer.alloc(11 * 1024 * 1024, 0x41);
    const page = await post(anonymous, `${OWN}/media`, fresh(sam), [
      { bytes: huge, name: 'a.jpg', type: 'image/jpeg' },
    ]);
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('You have been signed out');
    const json = await post(anonymous, `${OWN}/media`, fresh(sam), [await photo()], {
      accept: 'application/json',
    });
    expect(json.statusCode).toBe(401);
    expect(json.json()).toEqual({ status: 'signed_out' });
    // Staff cannot use the participant's own address, nor a participant the staff one.
    const staffAtOwn = await post(pat, `${OWN}/media`, fresh(pat), [await photo()], {
      accept: 'application/json',
    });
    expect(staffAtOwn.statusCode).toBe(401);
  });
});

describe('drawings and voice notes, as the page scripts send them', () => {
  it('saves a drawing (JSON answer, token in the header) and serves it as PNG', async () => {
    const drawing = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const { _csrf: token, ...fields } = fresh(sam, 'drawing', { description: 'A tree' });
    const response = await post(
      sam,
      `${OWN}/media`,
      fields,
      [{ bytes: drawing, name: 'drawing.png', type: 'image/png' }],
      {
        accept: 'application/json',
        'x-csrf-token': token,
      },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'saved',
      entryId: fields.entryId,
      revision: 1,
      duplicate: false,
    });
    const served = await sam.get(`/me/plan/media/${(await mediaIdOf(fields.entryId))!}`);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['content-disposition']).toBe('inline; filename="drawing.png"');
  });

  it('refuses a JPEG sent as a drawing, in JSON', async () => {
    const response = await post(sam, `${OWN}/media`, fresh(sam, 'drawing'), [await photo()], {
      accept: 'application/json',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ status: 'invalid', errors: { file: MEDIA_MESSAGES.drawingType } });
  });

  it('saves a voice note, shows a player for it, and serves byte ranges for audio players', async () => {
    const fields = fresh(sam, 'voice', { description: 'How my week went' });
    const response = await post(
      sam,
      `${OWN}/media`,
      fields,
      [{ bytes: webm, name: 'voice.webm', type: 'audio/webm' }],
      {
        accept: 'application/json',
      },
    );
    expect(response.statusCode).toBe(200);
    const mediaId = (await mediaIdOf(fields.entryId))!;
    const page = await sam.get(OWN);
    expect(page.body).toContain(`src="/me/plan/media/${mediaId}" aria-label="How my week went"`);
    const whole = await sam.get(`/me/plan/media/${mediaId}`);
    expect(whole.headers['content-type']).toBe('audio/webm');
    for (const frame of frames) expect(whole.rawPayload.includes(frame)).toBe(true);
    expect(whole.rawPayload.includes('LOCATION')).toBe(false);
    const part = await sam.get(`/me/plan/media/${mediaId}`, { range: 'bytes=0-3' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-3/${String(whole.rawPayload.length)}`);
    expect([...part.rawPayload]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    const beyond = await sam.get(`/me/plan/media/${mediaId}`, { range: 'bytes=9999-' });
    expect(beyond.statusCode).toBe(416);
  });
});

describe('what a voice note carries', () => {
  it('keeps no GPS position or tags from an MP4, and serves it only as a sandboxed download', async () => {
    const { bytes, samples } = mp4Voice();
    expect(bytes.includes('+51.5074-000.1278')).toBe(true);
    const fields = fresh(sam, 'voice', { description: 'Recorded on my iPhone' });
    const response = await post(
      sam,
      `${OWN}/media`,
      fields,
      [{ bytes, name: 'voice.m4a', type: 'audio/mp4' }],
      {
        accept: 'application/json',
      },
    );
    expect(response.statusCode).toBe(200);
    const mediaId = (await mediaIdOf(fields.entryId))!;
    const stored = await storedBytes(mediaId);
    for (const secret of SECRETS) expect(stored.includes(secret), secret).toBe(false);
    const served = await pat.get(`${staffBase()}/media/${mediaId}`);
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.includes('+51.5074')).toBe(false);
    expect(served.rawPayload.includes(samples[0]!)).toBe(true);
    expect(served.headers['content-type']).toBe('audio/mp4');
    expect(served.headers['content-disposition']).toBe('attachment; filename="voice.m4a"');
    expect(served.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(served.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a truncated or broken recording with a clear message, storing nothing', async () => {
    const before = await mediaCount();
    const { bytes } = mp4Voice();
    for (const broken of [bytes.subarray(0, bytes.length - 7), oggVoice({ soundWithHeaders: true }).bytes]) {
      const response = await post(
        sam,
        `${OWN}/media`,
        fresh(sam, 'voice'),
        [{ bytes: broken, name: 'voice', type: 'audio/mp4' }],
        { accept: 'application/json' },
      );
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        status: 'invalid',
        errors: { file: MEDIA_MESSAGES.voiceUnreadable },
      });
    }
    expect(await mediaCount()).toBe(before);
  });
});

describe('who may add and see media', () => {
  it('lets their worker add a photo in a shared section and see it, audited; nobody else', async () => {
    const fields = fresh(pat, 'photo', { description: 'Added with Sam' });
    const added = await post(pat, `${staffBase()}/${SECTION}/media`, fields, [await photo()]);
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(
      `${staffBase()}/${SECTION}?saved=${fields.entryId}#entry-${fields.entryId}`,
    );
    const mediaId = (await mediaIdOf(fields.entryId))!;

    const audited = () =>
      count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'plan.media_viewed' AND detail->>'mediaId' = ${mediaId}`,
      );
    const before = await audited();
    const seen = await pat.get(`${staffBase()}/media/${mediaId}`);
    expect(seen.statusCode).toBe(200);
    expect(await audited()).toBe(before + 1);
    // The participant sees what their worker added.
    expect((await sam.get(`/me/plan/media/${mediaId}`)).statusCode).toBe(200);

    // Another participant, through their own address; another worker; a made-up id.
    expect((await other.get(`/me/plan/media/${mediaId}`)).statusCode).toBe(404);
    expect((await rob.get(`${staffBase()}/media/${mediaId}`)).statusCode).toBe(404);
    expect((await sam.get(`/me/plan/media/${randomUUID()}`)).statusCode).toBe(404);
    expect((await sam.get('/me/plan/media/not-an-id')).statusCode).toBe(404);
    const robAdds = await post(rob, `${staffBase()}/${SECTION}/media`, fresh(rob), [await photo()]);
    expect(robAdds.statusCode).toBe(404);
  });
});

describe('a limit on uploads', () => {
  it('says to try again in a minute (503) when every worker is busy and the queue is full, storing nothing', async () => {
    const before = await mediaCount();
    const busy = vi
      .spyOn(t.deps.services.planTasks, 'processUpload')
      .mockRejectedValue(new WorkersBusyError());
    try {
      const page = await post(sam, `${OWN}/media`, fresh(sam, 'photo', { description: 'kept' }), [
        await photo(),
      ]);
      expect(page.statusCode).toBe(503);
      expect(page.headers['retry-after']).toBe('60');
      expect(summaryOf(page.body)[0]?.[1]).toBe(
        'A lot of files are being added at the moment, so this one was not. Try again in a minute',
      );
      expect(page.body).toContain('kept</textarea>');
      const json = await post(
        sam,
        `${OWN}/media`,
        fresh(sam, 'voice'),
        [{ bytes: webm, name: 'v.webm', type: 'audio/webm' }],
        {
          accept: 'application/json',
        },
      );
      expect(json.statusCode).toBe(503);
      expect(json.json()).toMatchObject({ status: 'invalid' });
    } finally {
      busy.mockRestore();
    }
    expect(await mediaCount()).toBe(before);
  });

  it('refuses a person more uploads a minute than the limit, with 429, and counts each person apart', async () => {
    const limited = await createTestApp({ PLAN_UPLOADS_PER_MINUTE: '3' });
    try {
      const [first, second] = (
        await queryRows<{ id: string }>(
          limited.database,
          sql`SELECT a.participant_id AS id FROM allocations a WHERE a.ended_at IS NULL ORDER BY a.allocated_at LIMIT 2`,
        )
      ).map((r) => r.id);
      const one = await limited.signedInAsParticipant(first ?? '');
      const two = await limited.signedInAsParticipant(second ?? '');
      await one.get(OWN);
      await two.get(OWN);
      const send = (client: TestClient) =>
        limited.app.inject({
          method: 'POST',
          url: `${OWN}/media`,
          cookies: Object.fromEntries(client.cookies),
          headers: { accept: 'application/json', 'x-csrf-token': client.csrfToken ?? '' },
          payload: 'not multipart',
        });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await send(one)).statusCode);
      // The first three are read (and refused as not a form); the fourth is not read at all.
      expect(answers.every((status) => status !== 429)).toBe(true);
      const fourth = await send(one);
      expect(fourth.statusCode).toBe(429);
      expect(fourth.json()).toEqual({ status: 'too_many' });
      // Someone else is not held up by them.
      expect((await send(two)).statusCode).not.toBe(429);
    } finally {
      await limited.close();
    }
  });
});
