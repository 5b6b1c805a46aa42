/**
 * Voice notes built byte by byte for the container cleaners' tests: an MP4 (as Safari records,
 * plain or fragmented) with a GPS position and tags, a WebM (as Chrome records: unknown-size
 * segment and clusters) with tags, a title and a named track, and an Ogg Opus or Vorbis stream
 * with comments. Each comes with the sound bytes it carries, to check they survive cleaning.
 */
import { oggCrc } from '../plan/audio/ogg.ts';

export const SECRETS = ['+51.5074-000.1278', 'Sam at home', 'hidden note', 'SoundHandler', 'My phone'];

// ── MP4 ────────────────────────────────────────────────────────────────────────────────────

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const latin = (s: string) => Buffer.from(s, 'latin1');

export function box(type: string, ...parts: Buffer[]): Buffer {
  const content = Buffer.concat(parts);
  return Buffer.concat([u32(8 + content.length), latin(type), content]);
}
const full = (type: string, version: number, flags: number, ...parts: Buffer[]) =>
  box(type, u32((version << 24) | flags), ...parts);

export interface Mp4Options {
  /** Where the movie box goes relative to the sound. */
  layout?: 'moov-first' | 'mdat-first' | 'fragmented';
  handler?: string;
  sampleFormat?: string;
  /** A data reference that points at another file. */
  externalData?: boolean;
}

/** Two AAC-like samples, "frame one" and "frame two", in an MP4 full of metadata. */
export function mp4Voice(options: Mp4Options = {}): { bytes: Buffer; samples: Buffer[] } {
  const layout = options.layout ?? 'moov-first';
  const samples = [Buffer.from('frame one: sound'), Buffer.from('frame two: more sound')];
  const sound = Buffer.concat(samples);
  const gps = box('\xa9xyz', u16(18), u16(0x15c7), latin('+51.5074-000.1278/'));
  const tags = full(
    'meta',
    0,
    0,
    full('hdlr', 0, 0, u32(0), latin('mdir'), Buffer.alloc(12), Buffer.alloc(1)),
    box('ilst', box('\xa9nam', box('data', u32(1), u32(0), latin('Sam at home')))),
  );
  const matrix = Buffer.alloc(36);
  const mvhd = full(
    'mvhd',
    0,
    0,
    u32(3_800_000_000),
    u32(3_800_000_001),
    u32(48_000),
    u32(2048),
    u32(0x10000),
    u16(0x100),
    Buffer.alloc(10),
    matrix,
    Buffer.alloc(24),
    u32(2),
  );
  const tkhd = full(
    'tkhd',
    0,
    3,
    u32(3_800_000_000),
    u32(3_800_000_001),
    u32(1),
    u32(0),
    u32(2048),
    Buffer.alloc(8),
    u16(0),
    u16(0),
    u16(0x100),
    u16(0),
    matrix,
    u32(0),
    u32(0),
  );
  const mdhd = full(
    'mdhd',
    0,
    0,
    u32(3_800_000_000),
    u32(3_800_000_001),
    u32(48_000),
    u32(2048),
    u16(0x55c4),
    u16(0),
  );
  const hdlr = full(
    'hdlr',
    0,
    0,
    u32(0),
    latin(options.handler ?? 'soun'),
    Buffer.alloc(12),
    latin('SoundHandler\0'),
  );
  const dref = full(
    'dref',
    0,
    0,
    u32(1),
    options.externalData ? full('url ', 0, 0, latin('file:///elsewhere.m4a\0')) : full('url ', 0, 1),
  );
  const esds = full('esds', 0, 0, Buffer.from([0x03, 0x19, 0x00, 0x01, 0x00, 0x04, 0x11, 0x40, 0x15]));
  const entry = box(
    options.sampleFormat ?? 'mp4a',
    Buffer.alloc(6),
    u16(1),
    Buffer.alloc(8),
    u16(1),
    u16(16),
    u16(0),
    u16(0),
    u32((48_000 << 16) >>> 0),
    esds,
  );
  const fragmented = layout === 'fragmented';
  const stbl = (chunkOffset: number) =>
    box(
      'stbl',
      full('stsd', 0, 0, u32(1), entry),
      full('stts', 0, 0, ...(fragmented ? [u32(0)] : [u32(1), u32(2), u32(1024)])),
      full('stsc', 0, 0, ...(fragmented ? [u32(0)] : [u32(1), u32(1), u32(2), u32(1)])),
      full('stsz', 0, 0, u32(0), ...(fragmented ? [u32(0)] : [u32(2), ...samples.map((s) => u32(s.length))])),
      full('stco', 0, 0, ...(fragmented ? [u32(0)] : [u32(1), u32(chunkOffset)])),
    );
  const moov = (chunkOffset: number) =>
    box(
      'moov',
      mvhd,
      box(
        'trak',
        tkhd,
        box(
          'mdia',
          mdhd,
          hdlr,
          box('minf', full('smhd', 0, 0, u32(0)), box('dinf', dref), stbl(chunkOffset)),
        ),
        box('udta', gps),
      ),
      ...(fragmented ? [box('mvex', full('trex', 0, 0, u32(1), u32(1), u32(0), u32(0), u32(0)))] : []),
      box('udta', gps, tags),
    );
  const ftyp = box('ftyp', latin(fragmented ? 'iso5' : 'M4A '), u32(0), latin('isomiso2'));
  const hidden = box('free', latin('hidden note'));
  const mdat = box('mdat', sound);
  if (layout === 'mdat-first') {
    const offset = ftyp.length + 8;
    return { bytes: Buffer.concat([ftyp, mdat, hidden, moov(offset)]), samples };
  }
  if (!fragmented) {
    const offset = ftyp.length + moov(0).length + hidden.length + 8;
    return { bytes: Buffer.concat([ftyp, moov(offset), hidden, mdat]), samples };
  }
  // A fragment whose sample data offset counts from its moof (default-base-is-moof), with junk between.
  const moof = (dataOffset: number) =>
    box(
      'moof',
      full('mfhd', 0, 0, u32(1)),
      box(
        'traf',
        full('tfhd', 0, 0x020000, u32(1)),
        full('tfdt', 0, 0, u32(0)),
        full('trun', 0, 0x000201, u32(2), u32(dataOffset), ...samples.map((s) => u32(s.length))),
      ),
    );
  const dataOffset = moof(0).length + hidden.length + 8;
  return { bytes: Buffer.concat([ftyp, moov(0), moof(dataOffset), hidden, mdat, box('udta', gps)]), samples };
}

// ── WebM ───────────────────────────────────────────────────────────────────────────────────

function idBytes(id: number): Buffer {
  const length = id > 0xffffff ? 4 : id > 0xffff ? 3 : id > 0xff ? 2 : 1;
  const b = Buffer.alloc(length);
  b.writeUIntBE(id, 0, length);
  return b;
}
/** An element with its size as an 8-byte VINT, or of unknown size. */
export function ebml(id: number, content: Buffer | Buffer[], unknownSize = false): Buffer {
  const data = Array.isArray(content) ? Buffer.concat(content) : content;
  const size = Buffer.alloc(8);
  if (unknownSize) size.fill(0xff, 1);
  else size.writeUIntBE(data.length, 2, 6);
  size[0] = 0x01;
  return Buffer.concat([idBytes(id), size, data]);
}
const ebmlUint = (id: number, n: number) => ebml(id, Buffer.from([n]));
const ebmlText = (id: number, s: string) => ebml(id, Buffer.from(s, 'utf8'));

/** A SimpleBlock for track 1 at `timecode`, carrying `frame`. */
const simpleBlock = (timecode: number, frame: string) =>
  ebml(0xa3, Buffer.concat([Buffer.from([0x81]), u16(timecode), Buffer.from([0x80]), Buffer.from(frame)]));

export function webmVoice(options: { trackType?: number; docType?: string } = {}): {
  bytes: Buffer;
  frames: string[];
} {
  const frames = ['opus frame one', 'opus frame two', 'opus frame three'];
  const header = ebml(0x1a45dfa3, [
    ebmlUint(0x4286, 1),
    ebmlUint(0x42f7, 1),
    ebmlUint(0x42f2, 4),
    ebmlUint(0x42f3, 8),
    ebmlText(0x4282, options.docType ?? 'webm'),
    ebmlUint(0x4287, 4),
    ebmlUint(0x4285, 2),
  ]);
  const info = ebml(0x1549a966, [
    ebml(0x2ad7b1, Buffer.from([0x0f, 0x42, 0x40])),
    ebmlText(0x4d80, 'Chrome'),
    ebmlText(0x5741, 'Chrome'),
    ebmlText(0x7ba9, 'Sam at home'),
    ebml(0x4461, Buffer.alloc(8, 1)),
  ]);
  const tracks = ebml(
    0x1654ae6b,
    ebml(0xae, [
      ebmlUint(0xd7, 1),
      ebmlUint(0x73c5, 7),
      ebmlUint(0x83, options.trackType ?? 2),
      ebmlText(0x86, options.trackType === 1 ? 'V_VP8' : 'A_OPUS'),
      ebmlText(0x536e, 'My phone'),
      ebml(0x63a2, Buffer.from('OpusHead\x01\x01')),
      ebml(0xe1, [ebml(0xb5, Buffer.from([0x40, 0xe7, 0x70, 0x00])), ebmlUint(0x9f, 1)]),
    ]),
  );
  const tags = ebml(
    0x1254c367,
    ebml(0x7373, ebml(0x67c8, [ebmlText(0x45a3, 'LOCATION'), ebmlText(0x4487, '+51.5074-000.1278')])),
  );
  const clusters = [
    ebml(
      0x1f43b675,
      [ebmlUint(0xe7, 0), simpleBlock(0, frames[0] ?? ''), simpleBlock(20, frames[1] ?? '')],
      true,
    ),
    ebml(
      0x1f43b675,
      [ebmlUint(0xe7, 40), ebml(0xec, Buffer.from('hidden note')), simpleBlock(0, frames[2] ?? '')],
      true,
    ),
  ];
  const seekHead = ebml(0x114d9b74, ebml(0x4dbb, [ebml(0x53ab, idBytes(0x1549a966)), ebmlUint(0x53ac, 0)]));
  const segment = ebml(
    0x18538067,
    [seekHead, info, tracks, clusters[0] ?? Buffer.alloc(0), tags, clusters[1] ?? Buffer.alloc(0)],
    true,
  );
  return { bytes: Buffer.concat([header, segment]), frames };
}

// ── Ogg ────────────────────────────────────────────────────────────────────────────────────

interface OggPageSpec {
  headerType: number;
  granule: number;
  segments: number[];
  body: Buffer;
}

function oggPage(spec: OggPageSpec, serial: number, sequence: number): Buffer {
  const header = Buffer.alloc(27 + spec.segments.length);
  header.write('OggS', 0, 'latin1');
  header[5] = spec.headerType;
  header.writeBigInt64LE(BigInt(spec.granule), 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = spec.segments.length;
  Buffer.from(spec.segments).copy(header, 27);
  const page = Buffer.concat([header, spec.body]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

const lacing = (size: number) => [...Array<number>(Math.floor(size / 255)).fill(255), size % 255];

/** Pages for one packet (granule 0), split over pages of at most 255 segments. */
function packetPages(packet: Buffer, headerType: number): OggPageSpec[] {
  const segments = lacing(packet.length);
  const pages: OggPageSpec[] = [];
  for (let i = 0, at = 0; i < segments.length; i += 255) {
    const chunk = segments.slice(i, i + 255);
    const size = chunk.reduce((n, s) => n + s, 0);
    pages.push({
      headerType: i === 0 ? headerType : 1,
      granule: 0,
      segments: chunk,
      body: packet.subarray(at, at + size),
    });
    at += size;
  }
  return pages;
}

function comments(prefix: string, list: string[], framing: boolean): Buffer {
  const vendor = Buffer.from('My phone recorder');
  const parts = [Buffer.from(prefix, 'latin1'), Buffer.alloc(4), vendor, Buffer.alloc(4)];
  parts[1]?.writeUInt32LE(vendor.length);
  parts[3]?.writeUInt32LE(list.length);
  for (const c of list) {
    const b = Buffer.from(c);
    const l = Buffer.alloc(4);
    l.writeUInt32LE(b.length);
    parts.push(l, b);
  }
  if (framing) parts.push(Buffer.from([1]));
  return Buffer.concat(parts);
}

export function oggVoice(
  options: { codec?: 'opus' | 'vorbis'; picture?: boolean; soundWithHeaders?: boolean } = {},
): {
  bytes: Buffer;
  packets: Buffer[];
} {
  const codec = options.codec ?? 'opus';
  const serial = 0x1234abcd;
  const tags = [
    'LOCATION=+51.5074-000.1278',
    'TITLE=Sam at home',
    ...(options.picture ? [`METADATA_BLOCK_PICTURE=${'A'.repeat(70_000)}`] : []),
  ];
  const id =
    codec === 'opus'
      ? Buffer.concat([
          Buffer.from('OpusHead', 'latin1'),
          Buffer.from([1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0]),
        ])
      : Buffer.concat([Buffer.from('\x01vorbis', 'latin1'), Buffer.alloc(23, 2)]);
  const headers =
    codec === 'opus'
      ? [comments('OpusTags', tags, false)]
      : [
          comments('\x03vorbis', tags, true),
          Buffer.concat([Buffer.from('\x05vorbis', 'latin1'), Buffer.alloc(40, 5)]),
        ];
  const packets = [Buffer.from('sound packet one'), Buffer.alloc(600, 7), Buffer.from('sound packet three')];
  const specs: OggPageSpec[] = [{ headerType: 2, granule: 0, segments: lacing(id.length), body: id }];
  if (options.soundWithHeaders) {
    const both = [...headers, packets[0] ?? Buffer.alloc(0)];
    specs.push({
      headerType: 0,
      granule: 0,
      segments: both.flatMap((p) => lacing(p.length)),
      body: Buffer.concat(both),
    });
  } else {
    for (const header of headers) specs.push(...packetPages(header, 0));
    specs.push({
      headerType: 0,
      granule: 960,
      segments: lacing(packets[0]?.length ?? 0),
      body: packets[0] ?? Buffer.alloc(0),
    });
  }
  specs.push({
    headerType: 0,
    granule: 1920,
    segments: lacing(packets[1]?.length ?? 0),
    body: packets[1] ?? Buffer.alloc(0),
  });
  specs.push({
    headerType: 4,
    granule: 2880,
    segments: lacing(packets[2]?.length ?? 0),
    body: packets[2] ?? Buffer.alloc(0),
  });
  return { bytes: Buffer.concat(specs.map((s, i) => oggPage(s, serial, i))), packets };
}
