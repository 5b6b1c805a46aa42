/**
 * Cleans a WebM (Matroska, EBML) voice note, as Chrome, Edge and Firefox record it: the element
 * tree is read whole, and written again with only what sound needs. Gone: Tags (where a location
 * or a name would be), Attachments, Chapters, the segment's title and date, track names, the
 * app names (replaced by "greenleaf"), Void and CRC elements, block additions, and the indexes
 * that point at byte positions (SeekHead, Cues, cluster positions), which no longer hold.
 * Clusters of unknown size (how MediaRecorder streams them) are closed by the next top-level
 * element, as the Matroska specification says, and written back with their sizes.
 *
 * Refused: anything truncated or inconsistent, a DocType other than webm/matroska, any track
 * that is not sound.
 */
import { cleanly, type Cleaned, Malformed, Refused } from './cleaned.ts';

const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  DocTypeVersion: 0x4287,
  DocTypeReadVersion: 0x4285,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Duration: 0x4489,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackType: 0x83,
  CodecID: 0x86,
  Audio: 0xe1,
  Cluster: 0x1f43b675,
  BlockGroup: 0xa0,
} as const;

/** Segment children: an unknown-size Cluster ends where the next one of these begins. */
const TOP_LEVEL = new Set([
  0x114d9b74,
  ID.Info,
  ID.Tracks,
  ID.Cluster,
  0x1c53bb6b,
  0x1254c367,
  0x1941a469,
  0x1043a770,
  ID.EBML,
  ID.Segment,
]);

/** What is kept inside each element we write again (anything else is dropped). */
const KEEP_IN: Record<number, ReadonlySet<number>> = {
  [ID.Tracks]: new Set([ID.TrackEntry]),
  [ID.TrackEntry]: new Set([
    0xd7,
    0x73c5,
    ID.TrackType,
    0xb9,
    0x88,
    0x55aa,
    0x9c,
    0x23e383,
    0x234e7a,
    ID.CodecID,
    0x63a2,
    0x56aa,
    0x56bb,
    ID.Audio,
    0x22b59c,
    0x22b59d,
    0x55ee,
  ]),
  [ID.Audio]: new Set([0xb5, 0x78b5, 0x9f, 0x6264]),
  // Timestamp, SimpleBlock, BlockGroup.
  [ID.Cluster]: new Set([0xe7, 0xa3, ID.BlockGroup]),
  // Block, BlockDuration, ReferenceBlock, DiscardPadding.
  [ID.BlockGroup]: new Set([0xa1, 0x9b, 0xfb, 0x75a2]),
};

interface Element {
  id: number;
  /** Where its data starts and ends in the original file. */
  from: number;
  to: number;
}

const UNKNOWN = -1;

function readVint(bytes: Buffer, at: number, keepMarker: boolean): { value: number; length: number } {
  const first = bytes[at];
  if (first === undefined) throw new Malformed('an element is cut short');
  const length = Math.clz32(first) - 23;
  if (length < 1 || length > 8 || at + length > bytes.length)
    throw new Malformed('an element header is broken');
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const next = bytes[at + i] ?? 0;
    value = value * 256 + next;
    allOnes &&= next === 0xff;
  }
  if (keepMarker && length > 4) throw new Malformed('an element ID is too long');
  return { value: !keepMarker && allOnes ? UNKNOWN : value, length };
}

/** The elements between `from` and `to`; an unknown size runs to the next top-level element. */
function children(bytes: Buffer, from: number, to: number): Element[] {
  const found: Element[] = [];
  let at = from;
  while (at < to) {
    const id = readVint(bytes, at, true);
    const size = readVint(bytes, at + id.length, false);
    const start = at + id.length + size.length;
    let end: number;
    if (size.value === UNKNOWN) {
      if (id.value !== ID.Cluster && id.value !== ID.Segment)
        throw new Malformed('only clusters may be of unknown size');
      end = id.value === ID.Segment ? to : clusterEnd(bytes, start, to);
    } else {
      end = start + size.value;
    }
    if (end > to) throw new Malformed('an element runs past its end');
    found.push({ id: id.value, from: start, to: end });
    at = end;
  }
  return found;
}

function clusterEnd(bytes: Buffer, from: number, to: number): number {
  let at = from;
  while (at < to) {
    const id = readVint(bytes, at, true);
    if (TOP_LEVEL.has(id.value)) return at;
    const size = readVint(bytes, at + id.length, false);
    if (size.value === UNKNOWN) throw new Malformed('a block of unknown size');
    const end = at + id.length + size.length + size.value;
    if (end > to) throw new Malformed('a block runs past the end of the file');
    at = end;
  }
  return to;
}

// ── Writing ──────────────────────────────────────────────────────────────────────────────

function encodeId(id: number): Buffer {
  const length = id > 0xffffff ? 4 : id > 0xffff ? 3 : id > 0xff ? 2 : 1;
  const out = Buffer.alloc(length);
  out.writeUIntBE(id, 0, length);
  return out;
}

function encodeSize(size: number): Buffer {
  let length = 1;
  while (size >= 2 ** (7 * length) - 1) length++;
  if (length > 8) throw new Malformed('an element is too big');
  const out = Buffer.alloc(length);
  out.writeUIntBE(size, 0, Math.min(length, 6));
  if (length > 6) throw new Malformed('an element is too big');
  out[0] = (out[0] ?? 0) | (0x80 >> (length - 1));
  return out;
}

const element = (id: number, ...content: Buffer[]) => {
  const data = Buffer.concat(content);
  return Buffer.concat([encodeId(id), encodeSize(data.length), data]);
};
const uint = (id: number, value: number) => {
  const data = Buffer.alloc(8);
  data.writeBigUInt64BE(BigInt(value));
  let skip = 0;
  while (skip < 7 && data[skip] === 0) skip++;
  return element(id, data.subarray(skip));
};
const text = (id: number, value: string) => element(id, Buffer.from(value, 'utf8'));
const readUint = (bytes: Buffer, e: Element) => {
  if (e.to - e.from > 6 || e.to <= e.from) throw new Malformed('a number is too long');
  return bytes.readUIntBE(e.from, e.to - e.from);
};

/** An element written again with only the children we keep, recursively. */
function kept(bytes: Buffer, e: Element): Buffer {
  const keep = KEEP_IN[e.id];
  if (!keep) return element(e.id, bytes.subarray(e.from, e.to));
  const inner = children(bytes, e.from, e.to)
    .filter((c) => keep.has(c.id))
    .map((c) => kept(bytes, c));
  return element(e.id, ...inner);
}

function info(bytes: Buffer, e: Element): Buffer {
  const parts = children(bytes, e.from, e.to);
  const scale = parts.find((c) => c.id === ID.TimestampScale);
  const duration = parts.find((c) => c.id === ID.Duration);
  return element(
    ID.Info,
    uint(ID.TimestampScale, scale ? readUint(bytes, scale) : 1_000_000),
    ...(duration ? [element(ID.Duration, bytes.subarray(duration.from, duration.to))] : []),
    text(ID.MuxingApp, 'greenleaf'),
    text(ID.WritingApp, 'greenleaf'),
  );
}

function checkTracks(bytes: Buffer, tracks: Element): void {
  const entries = children(bytes, tracks.from, tracks.to).filter((c) => c.id === ID.TrackEntry);
  if (entries.length === 0) throw new Malformed('there is no track');
  for (const entry of entries) {
    const parts = children(bytes, entry.from, entry.to);
    const type = parts.find((c) => c.id === ID.TrackType);
    const codec = parts.find((c) => c.id === ID.CodecID);
    if (!type || readUint(bytes, type) !== 2) throw new Refused('a track is not sound');
    if (!codec || !bytes.toString('latin1', codec.from, codec.to).startsWith('A_'))
      throw new Refused('a track is not sound');
  }
}

export function cleanWebm(bytes: Buffer): Cleaned {
  return cleanly(() => {
    const top = children(bytes, 0, bytes.length);
    const [header, segment, ...rest] = top;
    if (header?.id !== ID.EBML || segment?.id !== ID.Segment || rest.some((e) => e.id === ID.Segment))
      throw new Malformed('it is not one EBML header and one segment');
    const headerParts = children(bytes, header.from, header.to);
    const docType = headerParts.find((c) => c.id === ID.DocType);
    const docTypeName = docType ? bytes.toString('latin1', docType.from, docType.to).replace(/\0+$/, '') : '';
    if (docTypeName !== 'webm' && docTypeName !== 'matroska') throw new Malformed('it is not WebM');
    const version = (id: number, otherwise: number) => {
      const found = headerParts.find((c) => c.id === id);
      return found ? readUint(bytes, found) : otherwise;
    };

    const parts = children(bytes, segment.from, segment.to);
    const infos = parts.filter((c) => c.id === ID.Info);
    const tracks = parts.filter((c) => c.id === ID.Tracks);
    const clusters = parts.filter((c) => c.id === ID.Cluster);
    const [infoElement] = infos;
    const [trackElement] = tracks;
    if (!infoElement || infos.length > 1 || !trackElement || tracks.length > 1)
      throw new Malformed('there must be one Info and one Tracks');
    if (clusters.length === 0) throw new Malformed('there is no sound');
    checkTracks(bytes, trackElement);

    const newHeader = element(
      ID.EBML,
      uint(0x4286, 1),
      uint(0x42f7, 1),
      uint(0x42f2, 4),
      uint(0x42f3, 8),
      text(ID.DocType, docTypeName),
      uint(ID.DocTypeVersion, version(ID.DocTypeVersion, 4)),
      uint(ID.DocTypeReadVersion, version(ID.DocTypeReadVersion, 2)),
    );
    const body = [
      info(bytes, infoElement),
      kept(bytes, trackElement),
      ...clusters.map((c) => kept(bytes, c)),
    ];
    return Buffer.concat([newHeader, element(ID.Segment, ...body)]);
  });
}
