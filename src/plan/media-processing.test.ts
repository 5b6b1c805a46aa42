/**
 * Uploads a person might send, and ones an attacker might: what comes out must be a clean,
 * re-encoded image with no location in it, or a plain message saying what to do instead.
 */
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MEDIA_KINDS } from './plan-entry.ts';
import { MEDIA_MESSAGES, processUpload, type ProcessedMedia } from './media-processing.ts';
import { mp4Voice, oggVoice, SECRETS, webmVoice } from '../test-support/audio-files.ts';

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#2a7ab0' } });

/** A phone photo: taken on its side (orientation 6), with the camera's make and a GPS position. */
const photoWithGps = () =>
  solid(64, 48)
    .jpeg()
    .withMetadata({ orientation: 6 })
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

/** The GPSInfo tag (0x8825) in either byte order. */
const hasGpsTag = (exif: Buffer) =>
  exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));

function accepted(result: ProcessedMedia) {
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result;
}

/** A PNG's header rewritten to claim another size (with its checksum fixed, so it parses). */
function pngClaiming(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)) >>> 0, 29);
  return out;
}

describe('photos', () => {
  it('removes GPS position and every other metadata, keeping the picture the right way up', async () => {
    const input = await photoWithGps();
    const before = await sharp(input).metadata();
    expect(before.exif && hasGpsTag(before.exif)).toBe(true);
    expect(before.orientation).toBe(6);

    const result = accepted(await processUpload('photo', input));
    const after = await sharp(result.bytes).metadata();
    expect(result.contentType).toBe('image/jpeg');
    expect(after.format).toBe('jpeg');
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(result.bytes.includes('Exif')).toBe(false);
    expect(result.bytes.includes('TestCam')).toBe(false);
    // Orientation 6 means "turn 90°": the stored pixels are already turned.
    expect([result.width, result.height]).toEqual([48, 64]);
    expect([after.width, after.height]).toEqual([48, 64]);
  });

  it('accepts PNG, WebP and the first frame of a GIF, and stores each as JPEG', async () => {
    for (const input of [
      await solid(30, 20).png().toBuffer(),
      await solid(30, 20).webp().toBuffer(),
      await solid(30, 20).gif().toBuffer(),
    ]) {
      const result = accepted(await processUpload('photo', input));
      expect(result.contentType).toBe('image/jpeg');
      expect((await sharp(result.bytes).metadata()).format).toBe('jpeg');
      expect([result.width, result.height]).toEqual([30, 20]);
    }
  });

  it('makes a large photo fit in 2000 pixels and never enlarges a small one', async () => {
    const big = accepted(await processUpload('photo', await solid(4000, 3000).jpeg().toBuffer()));
    expect([big.width, big.height]).toEqual([2000, 1500]);
    const small = accepted(await processUpload('photo', await solid(300, 200).jpeg().toBuffer()));
    expect([small.width, small.height]).toEqual([300, 200]);
  });

  it('refuses an SVG, even one named and declared as a JPEG, with a plain message', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    expect(await processUpload('photo', svg)).toEqual({ ok: false, message: MEDIA_MESSAGES.photoType });
    expect(await processUpload('drawing', svg)).toEqual({ ok: false, message: MEDIA_MESSAGES.drawingType });
  });

  it('refuses other kinds of file: HTML, PDF, TIFF, an empty file', async () => {
    const refusals = [
      Buffer.from('<!doctype html><script>alert(1)</script>'),
      Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'),
      await solid(10, 10).tiff().toBuffer(),
    ];
    for (const bytes of refusals) {
      expect(await processUpload('photo', bytes)).toEqual({ ok: false, message: MEDIA_MESSAGES.photoType });
    }
    expect(await processUpload('photo', Buffer.alloc(0))).toEqual({
      ok: false,
      message: MEDIA_MESSAGES.empty,
    });
  });

  it('refuses a file over 10 MB before reading it', async () => {
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1);
    huge.set([0xff, 0xd8, 0xff, 0xe0]);
    expect(await processUpload('photo', huge)).toEqual({ ok: false, message: MEDIA_MESSAGES.photoSize });
  });

  it('refuses a pixel flood (a tiny file claiming a huge picture) from its header', async () => {
    const tiny = await solid(1, 1).png().toBuffer();
    for (const [width, height] of [
      [50_000, 50_000],
      [7_000, 7_000],
      [1, 30_000],
    ] as const) {
      const flood = pngClaiming(tiny, width, height);
      expect(flood.length).toBeLessThan(200);
      expect(await processUpload('photo', flood)).toEqual({ ok: false, message: MEDIA_MESSAGES.pixels });
    }
  });

  it('refuses a truncated or corrupt image as unreadable', async () => {
    const jpeg = await solid(200, 200).jpeg().toBuffer();
    const truncated = jpeg.subarray(0, 200);
    expect(await processUpload('photo', truncated)).toEqual({
      ok: false,
      message: MEDIA_MESSAGES.unreadable,
    });
  });
});

describe('polyglots: files that are also something else', () => {
  it('drops HTML and script appended to a JPEG', async () => {
    const payload = '<html><script>alert(document.cookie)</script></html>';
    const polyglot = Buffer.concat([await solid(20, 20).jpeg().toBuffer(), Buffer.from(payload)]);
    const result = accepted(await processUpload('photo', polyglot));
    expect(result.bytes.includes('<script')).toBe(false);
    expect(result.bytes.includes('alert')).toBe(false);
  });

  it('drops a zip archive appended to a PNG, and script in its text chunks', async () => {
    const zip = Buffer.concat([
      Buffer.from('PK\u0003\u0004'),
      Buffer.from('evil.js'),
      Buffer.alloc(40, 7),
      Buffer.from('PK\u0005\u0006'),
    ]);
    const png = await solid(20, 20)
      .png()
      .withMetadata()
      .withExif({ IFD0: { ImageDescription: '<script>alert(1)</script>' } })
      .toBuffer();
    const polyglot = Buffer.concat([png, zip]);
    for (const kind of ['photo', 'drawing'] as const) {
      const result = accepted(await processUpload(kind, polyglot));
      expect(result.bytes.includes('PK\u0003\u0004')).toBe(false);
      expect(result.bytes.includes('evil.js')).toBe(false);
      expect(result.bytes.includes('<script')).toBe(false);
    }
  });

  it('drops HTML hidden in a JPEG comment', async () => {
    const jpeg = await solid(20, 20).jpeg().toBuffer();
    const comment = Buffer.from('<script>alert(1)</script>');
    const segment = Buffer.alloc(4);
    segment.writeUInt16BE(0xfffe, 0);
    segment.writeUInt16BE(comment.length + 2, 2);
    // After the SOI marker: FFD8, then the comment segment, then the rest.
    const withComment = Buffer.concat([jpeg.subarray(0, 2), segment, comment, jpeg.subarray(2)]);
    expect((await sharp(withComment).metadata()).format).toBe('jpeg');
    const result = accepted(await processUpload('photo', withComment));
    expect(result.bytes.includes('<script')).toBe(false);
  });
});

describe('drawings', () => {
  it('accepts a PNG drawing, keeps it PNG (and its transparency) and strips metadata', async () => {
    const drawing = await sharp({
      create: { width: 600, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .withMetadata()
      .withExif({ IFD0: { Software: 'Evil' } })
      .toBuffer();
    const result = accepted(await processUpload('drawing', drawing));
    const after = await sharp(result.bytes).metadata();
    expect(result.contentType).toBe('image/png');
    expect(after.format).toBe('png');
    expect(after.hasAlpha).toBe(true);
    expect(after.exif).toBeUndefined();
    expect([result.width, result.height]).toEqual([600, 400]);
  });

  it('refuses a drawing that is a JPEG or over 2 MB, and keeps big ones within 2000 pixels', async () => {
    const jpeg = await solid(20, 20).jpeg().toBuffer();
    expect(await processUpload('drawing', jpeg)).toEqual({ ok: false, message: MEDIA_MESSAGES.drawingType });
    const huge = Buffer.alloc(2 * 1024 * 1024 + 1);
    huge.set(await solid(1, 1).png().toBuffer());
    expect(await processUpload('drawing', huge)).toEqual({ ok: false, message: MEDIA_MESSAGES.drawingSize });
    const wide = accepted(await processUpload('drawing', await solid(3000, 1000).png().toBuffer()));
    expect([wide.width, wide.height]).toEqual([2000, 667]);
  });
});

describe('voice notes', () => {
  const webm = Buffer.concat([
    Buffer.from([0x1a, 0x45, 0xdf, 0xa3]),
    Buffer.from('\u0093B\u0082\u0084webm'),
    Buffer.alloc(64),
  ]);
  const ogg = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60)]);
  const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypM4A '), Buffer.alloc(60)]);

  it('recognises WebM, Ogg and MP4 audio by their first bytes, and keeps them cleaned of their metadata', async () => {
    const cleanedWebm = accepted(await processUpload('voice', webmVoice().bytes));
    expect(cleanedWebm).toMatchObject({ contentType: 'audio/webm', width: null, height: null });
    expect(accepted(await processUpload('voice', oggVoice().bytes))).toMatchObject({
      contentType: 'audio/ogg',
    });
    expect(accepted(await processUpload('voice', mp4Voice().bytes))).toMatchObject({
      contentType: 'audio/mp4',
    });
    for (const secret of SECRETS) expect(cleanedWebm.bytes.includes(secret)).toBe(false);
  });

  it('refuses a container that only starts like one, with a message to record again', async () => {
    for (const bytes of [webm, ogg, mp4]) {
      expect(await processUpload('voice', bytes)).toEqual({
        ok: false,
        message: MEDIA_MESSAGES.voiceUnreadable,
      });
    }
  });

  it('refuses anything else, and recordings over 5 MB', async () => {
    for (const bytes of [Buffer.from('ID3\u0003 an mp3 file........'), await solid(4, 4).png().toBuffer()]) {
      expect(await processUpload('voice', bytes)).toEqual({ ok: false, message: MEDIA_MESSAGES.voiceType });
    }
    const huge = Buffer.concat([ogg, Buffer.alloc(5 * 1024 * 1024)]);
    expect(await processUpload('voice', huge)).toEqual({ ok: false, message: MEDIA_MESSAGES.voiceSize });
  });
});

describe('hostile bytes', () => {
  const kind = fc.constantFrom(...MEDIA_KINDS);
  const refusedWithMessage = (result: ProcessedMedia) =>
    !result.ok && typeof result.message === 'string' && result.message.length > 0;

  it('answers random bytes with a message, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(kind, fc.uint8Array({ maxLength: 2048 }), async (k, bytes) => {
        const buffer = Buffer.from(bytes);
        // Random bytes can begin like real audio; that case has its own tests above.
        fc.pre(k !== 'voice' || buffer.length < 12 || buffer.readUInt32BE(0) !== 0x1a45dfa3);
        fc.pre(k !== 'voice' || buffer.toString('latin1', 0, 4) !== 'OggS');
        fc.pre(k !== 'voice' || buffer.toString('latin1', 4, 8) !== 'ftyp');
        expect(refusedWithMessage(await processUpload(k, buffer))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('answers a real image signature followed by garbage with a message, never an exception', async () => {
    const signatures = [
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '),
      Buffer.from('GIF89a'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('photo' as const, 'drawing' as const),
        fc.constantFrom(...signatures),
        fc.uint8Array({ maxLength: 1024 }),
        async (k, signature, tail) => {
          const result = await processUpload(k, Buffer.concat([signature, Buffer.from(tail)]));
          expect(refusedWithMessage(result)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
