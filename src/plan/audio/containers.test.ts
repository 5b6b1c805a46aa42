/**
 * The voice note cleaners (security hardening item 10): an MP4 kept a GPS atom and served it to
 * staff, because only the first bytes were checked. Each container is now read whole and written
 * again without its metadata, its sound untouched; broken or truncated files are refused, and
 * no input at all makes a cleaner throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mp4Voice, oggVoice, SECRETS, webmVoice } from '../../test-support/audio-files.ts';
import type { Cleaned } from './cleaned.ts';
import { cleanMp4 } from './mp4.ts';
import { cleanOgg, oggCrc } from './ogg.ts';
import { cleanWebm } from './webm.ts';

const cleaned = (result: Cleaned): Buffer => {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.bytes;
};
const keepsNoSecret = (bytes: Buffer) => {
  for (const secret of SECRETS) expect(bytes.includes(secret), `still holds "${secret}"`).toBe(false);
  expect(bytes.includes('\xa9xyz', 'latin1')).toBe(false);
};

// ── Independent readers, so the tests do not trust the cleaners' own parsing ─────────────────

interface Mp4Box {
  type: string;
  start: number;
  size: number;
}
function mp4Boxes(bytes: Buffer, from = 0, to = bytes.length): Mp4Box[] {
  const boxes: Mp4Box[] = [];
  for (let at = from; at < to;) {
    const size = bytes.readUInt32BE(at);
    boxes.push({ type: bytes.toString('latin1', at + 4, at + 8), start: at, size });
    expect(size).toBeGreaterThanOrEqual(8);
    at += size;
    expect(at).toBeLessThanOrEqual(to);
  }
  return boxes;
}
function mp4Path(bytes: Buffer, path: string[]): Mp4Box {
  let boxes = mp4Boxes(bytes);
  let found: Mp4Box | undefined;
  for (const type of path) {
    found = boxes.find((b) => b.type === type);
    if (!found) throw new Error(`no ${type} box`);
    boxes = ['moov', 'trak', 'mdia', 'minf', 'stbl', 'moof', 'traf', 'dinf'].includes(type)
      ? mp4Boxes(bytes, found.start + 8, found.start + found.size)
      : [];
  }
  if (!found) throw new Error('empty path');
  return found;
}

describe('an MP4 voice note (Safari)', () => {
  it('comes back without its GPS position, tags, handler name or hidden boxes, its sound where stco says', () => {
    const { bytes, samples } = mp4Voice();
    expect(bytes.includes('+51.5074-000.1278')).toBe(true);
    const out = cleaned(cleanMp4(bytes));
    keepsNoSecret(out);
    expect(mp4Boxes(out).map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat']);
    expect(
      mp4Boxes(
        out,
        8 + mp4Path(out, ['moov']).start,
        mp4Path(out, ['moov']).start + mp4Path(out, ['moov']).size,
      ).map((b) => b.type),
    ).toEqual(['mvhd', 'trak']);
    const stco = mp4Path(out, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stco']);
    const offset = out.readUInt32BE(stco.start + 16);
    expect(out.subarray(offset, offset + (samples[0]?.length ?? 0))).toEqual(samples[0]);
    // Creation and modification times are gone too.
    const mvhd = mp4Path(out, ['moov', 'mvhd']);
    expect(out.readUInt32BE(mvhd.start + 12)).toBe(0);
  });

  it('moves the chunk offset when the movie box comes after the sound', () => {
    const { bytes, samples } = mp4Voice({ layout: 'mdat-first' });
    const out = cleaned(cleanMp4(bytes));
    keepsNoSecret(out);
    const offset = out.readUInt32BE(
      mp4Path(out, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stco']).start + 16,
    );
    expect(out.subarray(offset, offset + (samples[0]?.length ?? 0))).toEqual(samples[0]);
  });

  it('keeps a fragmented recording playable: the run’s data offset follows the sound', () => {
    const { bytes, samples } = mp4Voice({ layout: 'fragmented' });
    const out = cleaned(cleanMp4(bytes));
    keepsNoSecret(out);
    expect(mp4Boxes(out).map((b) => b.type)).toEqual(['ftyp', 'moov', 'moof', 'mdat']);
    const moof = mp4Path(out, ['moof']);
    const trun = mp4Path(out, ['moof', 'traf', 'trun']);
    const dataOffset = out.readInt32BE(trun.start + 16);
    expect(
      out.subarray(moof.start + dataOffset, moof.start + dataOffset + (samples[0]?.length ?? 0)),
    ).toEqual(samples[0]);
  });

  it('refuses video, sound kept in another file, unknown sample formats and a file cut short', () => {
    expect(cleanMp4(mp4Voice({ handler: 'vide' }).bytes).ok).toBe(false);
    expect(cleanMp4(mp4Voice({ externalData: true }).bytes).ok).toBe(false);
    expect(cleanMp4(mp4Voice({ sampleFormat: 'enca' }).bytes).ok).toBe(false);
    const { bytes } = mp4Voice();
    expect(cleanMp4(bytes.subarray(0, bytes.length - 5)).ok).toBe(false);
    expect(cleanMp4(bytes.subarray(0, 40)).ok).toBe(false);
  });
});

describe('a WebM voice note (Chrome, Edge, Firefox)', () => {
  it('comes back without tags, title, date, track name or void elements, every frame kept in order', () => {
    const { bytes, frames } = webmVoice();
    const out = cleaned(cleanWebm(bytes));
    keepsNoSecret(out);
    expect(out.includes('LOCATION')).toBe(false);
    expect(out.includes('Chrome')).toBe(false);
    const at = frames.map((f) => out.indexOf(f));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Written with known sizes: the segment's size is what follows its header.
    const segment = out.indexOf(Buffer.from([0x18, 0x53, 0x80, 0x67]));
    const sizeByte = out[segment + 4] ?? 0;
    const sizeLength = Math.clz32(sizeByte) - 23;
    let size = sizeByte & (0xff >> sizeLength);
    for (let i = 1; i < sizeLength; i++) size = size * 256 + (out[segment + 4 + i] ?? 0);
    expect(segment + 4 + sizeLength + size).toBe(out.length);
    // Cleaning it again changes nothing: what we wrote is what we read.
    expect(cleaned(cleanWebm(out))).toEqual(out);
  });

  it('refuses a video track, another document type and a file cut short', () => {
    expect(cleanWebm(webmVoice({ trackType: 1 }).bytes).ok).toBe(false);
    expect(cleanWebm(webmVoice({ docType: 'mkv3d' }).bytes).ok).toBe(false);
    const { bytes } = webmVoice();
    expect(cleanWebm(bytes.subarray(0, bytes.length - 3)).ok).toBe(false);
  });
});

/** Reads pages and packets independently, checking every checksum and sequence number. */
function oggPackets(bytes: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  let current: Buffer[] = [];
  for (let at = 0, sequence = 0; at < bytes.length; sequence++) {
    expect(bytes.toString('latin1', at, at + 4)).toBe('OggS');
    expect(bytes.readUInt32LE(at + 18)).toBe(sequence);
    const count = bytes[at + 26] ?? 0;
    const lacing = [...bytes.subarray(at + 27, at + 27 + count)];
    const end = at + 27 + count + lacing.reduce((n, l) => n + l, 0);
    const page = Buffer.from(bytes.subarray(at, end));
    const crc = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    expect(oggCrc(page)).toBe(crc);
    let offset = at + 27 + count;
    for (const l of lacing) {
      current.push(bytes.subarray(offset, offset + l));
      offset += l;
      if (l < 255) {
        packets.push(Buffer.concat(current));
        current = [];
      }
    }
    at = end;
  }
  return packets;
}

describe('an Ogg voice note (Firefox)', () => {
  it('comes back with an empty comment header and the same sound, pages renumbered with good checksums', () => {
    const { bytes, packets } = oggVoice({ picture: true });
    const out = cleaned(cleanOgg(bytes));
    keepsNoSecret(out);
    const read = oggPackets(out);
    expect(read[0]?.subarray(0, 8).toString('latin1')).toBe('OpusHead');
    expect(read[1]).toEqual(
      Buffer.concat([
        Buffer.from('OpusTags'),
        Buffer.from([9, 0, 0, 0]),
        Buffer.from('greenleaf'),
        Buffer.alloc(4),
      ]),
    );
    expect(read.slice(2)).toEqual(packets);
    expect(out.length).toBeLessThan(bytes.length - 70_000);
  });

  it('cleans Vorbis too, keeping its setup header', () => {
    const { bytes, packets } = oggVoice({ codec: 'vorbis' });
    const read = oggPackets(cleaned(cleanOgg(bytes)));
    expect(read[1]?.subarray(0, 7).toString('latin1')).toBe('\x03vorbis');
    expect(read[1]?.includes('LOCATION')).toBe(false);
    expect(read[2]?.subarray(0, 7).toString('latin1')).toBe('\x05vorbis');
    expect(read.slice(3)).toEqual(packets);
  });

  it('refuses a wrong checksum, sound on the headers’ page and a file cut short', () => {
    const { bytes } = oggVoice();
    const tampered = Buffer.from(bytes);
    const last = tampered.length - 1;
    tampered.writeUInt8(tampered.readUInt8(last) ^ 0xff, last);
    expect(cleanOgg(tampered).ok).toBe(false);
    expect(cleanOgg(oggVoice({ soundWithHeaders: true }).bytes).ok).toBe(false);
    expect(cleanOgg(bytes.subarray(0, bytes.length - 4)).ok).toBe(false);
  });
});

describe('hostile and broken files', () => {
  const samples = [
    { clean: cleanMp4, bytes: mp4Voice().bytes },
    { clean: cleanMp4, bytes: mp4Voice({ layout: 'fragmented' }).bytes },
    { clean: cleanWebm, bytes: webmVoice().bytes },
    { clean: cleanOgg, bytes: oggVoice({ codec: 'vorbis' }).bytes },
  ];

  it('never throws on a file cut anywhere, and never lets a secret through', () => {
    for (const { clean, bytes } of samples) {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (length) => {
          const result = clean(bytes.subarray(0, length));
          if (result.ok) keepsNoSecret(result.bytes);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('never throws on bytes changed at random, and never lets a secret through', () => {
    for (const { clean, bytes } of samples) {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({ at: fc.nat({ max: bytes.length - 1 }), value: fc.integer({ min: 0, max: 255 }) }),
            {
              minLength: 1,
              maxLength: 6,
            },
          ),
          (changes) => {
            const hostile = Buffer.from(bytes);
            for (const { at, value } of changes) hostile[at] = value;
            const result = clean(hostile);
            if (result.ok) keepsNoSecret(result.bytes);
          },
        ),
        { numRuns: 200 },
      );
    }
  });

  it('never throws on random bytes behind the right first bytes', () => {
    const starts = [
      mp4Voice().bytes.subarray(0, 8),
      Buffer.from([0x1a, 0x45, 0xdf, 0xa3]),
      Buffer.from('OggS\0\x02'),
    ];
    const cleaners = [cleanMp4, cleanWebm, cleanOgg];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.uint8Array({ maxLength: 400 }), (which, rest) => {
        const result = cleaners[which]?.(Buffer.concat([starts[which] ?? Buffer.alloc(0), rest]));
        expect(result?.ok === true || result?.ok === false).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
