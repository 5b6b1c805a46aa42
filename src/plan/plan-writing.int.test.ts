/**
 * Adding a drawing, photo or voice note straight through the plan's writing service, as any
 * caller would, not through the upload page: the service cleans every file itself, so what
 * comes back has no location, camera or recorder details in it (hazard H16).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../platform/errors.ts';
import type { RequestContext } from '../policy/actor.ts';
import { mp4Voice, SECRETS } from '../test-support/audio-files.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { createTestApp, type TestApp } from '../test-support/test-app.ts';
import type { MediaKind } from './plan-entry.ts';

let t: TestApp;
let participantId: string;
let ctx: RequestContext;

const SECTION = 'recovery_means';

beforeAll(async () => {
  t = await createTestApp();
  const { participants } = await t.deps.services.demo.accounts();
  participantId = participants[0]!.id;
  const [row] = await queryRows<{ trustId: string; crisisTeamId: string }>(
    t.database,
    sql`SELECT trust_id AS "trustId", crisis_team_id AS "crisisTeamId" FROM participants WHERE id = ${participantId}`,
  );
  ctx = { actor: { kind: 'participant', id: participantId, displayName: 'Sam', ...row! }, ip: null };
});
afterAll(async () => {
  await t.close();
});

/** A phone photo with the camera's make and a GPS position in its EXIF. */
const photoWithGps = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a7ab0' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Phone 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 1234/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 3900/100',
      },
    })
    .toBuffer();

/** Adds the file through the service and reads back what is stored for it. */
async function addAndReadBack(kind: MediaKind, bytes: Buffer) {
  const entryId = randomUUID();
  const saved = await t.deps.services.planWriting.addMedia(ctx, participantId, SECTION, {
    entryId,
    saveId: randomUUID(),
    description: 'Something of mine',
    kind,
    bytes,
  });
  expect(saved).toMatchObject({ status: 'saved', entryId });
  const page = await t.deps.services.planReading.section(ctx, participantId, SECTION);
  const item = page.media.find((m) => m.id === entryId);
  if (!item) throw new Error('the added item is not on the section page');
  return t.deps.services.planReading.media(ctx, participantId, item.mediaId);
}

const mediaCount = () =>
  count(t.database, sql`SELECT count(*) AS n FROM plan_media WHERE participant_id = ${participantId}`);

describe('adding media through the writing service', () => {
  it('stores a photo without its GPS position or camera details', async () => {
    const input = await photoWithGps();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    expect(input.includes('TestCam')).toBe(true);

    const stored = await addAndReadBack('photo', input);
    expect(stored.contentType).toBe('image/jpeg');
    const after = await sharp(stored.bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(stored.bytes.includes('Exif')).toBe(false);
    expect(stored.bytes.includes('TestCam')).toBe(false);
  });

  it('stores a voice note without the location, names and notes recorded with it', async () => {
    const { bytes } = mp4Voice();
    // A GPS position and a title, recorded with it.
    expect(bytes.includes('+51.5074-000.1278')).toBe(true);
    expect(bytes.includes('Sam at home')).toBe(true);

    const stored = await addAndReadBack('voice', bytes);
    expect(stored.contentType).toBe('audio/mp4');
    for (const secret of SECRETS) expect(stored.bytes.includes(secret), secret).toBe(false);
  });

  it('refuses a file it cannot clean with a message for the file, storing nothing', async () => {
    const before = await mediaCount();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const added = t.deps.services.planWriting.addMedia(ctx, participantId, SECTION, {
      entryId: randomUUID(),
      saveId: randomUUID(),
      description: '',
      kind: 'photo',
      bytes: svg,
    });
    await expect(added).rejects.toBeInstanceOf(ValidationError);
    await expect(added).rejects.toMatchObject({
      fieldErrors: { file: 'The file must be a photo (JPG, PNG or WEBP)' },
    });
    expect(await mediaCount()).toBe(before);
  });
});
