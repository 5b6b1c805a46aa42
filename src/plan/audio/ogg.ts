/**
 * Cleans an Ogg voice note (Opus, as Firefox records it, or Vorbis): every page is read and its
 * checksum checked, the stream's comment header (where a recorder or an editor puts the title,
 * a location, a name, even a picture) is replaced by an empty one ("greenleaf" as the vendor),
 * and the pages are written again: the headers on new pages, the sound pages as they were,
 * numbered on from there, each with its checksum made again. RFC 3533 (Ogg), RFC 7845 (Opus in
 * Ogg), the Vorbis I specification (comment header).
 *
 * Refused: a broken or truncated page, a wrong checksum, more than one stream, a codec other
 * than Opus or Vorbis, or sound that starts on the same page as the headers end (the
 * specifications forbid it, and it could not be separated from them).
 */
import { cleanly, type Cleaned, Malformed, Refused } from './cleaned.ts';

interface Page {
  headerType: number;
  granule: Buffer;
  serial: number;
  lacing: number[];
  body: Buffer;
}

const CAPTURE = Buffer.from('OggS', 'latin1');

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, starting at zero). */
export function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
  return crc;
}

function readPages(bytes: Buffer): Page[] {
  const pages: Page[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 27 || !bytes.subarray(at, at + 4).equals(CAPTURE))
      throw new Malformed('a page does not start where it should');
    if (bytes[at + 4] !== 0) throw new Malformed('an unknown Ogg version');
    const count = bytes[at + 26] ?? 0;
    const lacing = [...bytes.subarray(at + 27, at + 27 + count)];
    const bodySize = lacing.reduce((n, l) => n + l, 0);
    const end = at + 27 + count + bodySize;
    if (lacing.length < count || end > bytes.length) throw new Malformed('a page is cut short');
    const page = Buffer.from(bytes.subarray(at, end));
    const stored = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    if (oggCrc(page) !== stored) throw new Malformed('a page checksum is wrong');
    pages.push({
      headerType: bytes[at + 5] ?? 0,
      granule: Buffer.from(bytes.subarray(at + 6, at + 14)),
      serial: bytes.readUInt32LE(at + 14),
      lacing,
      body: Buffer.from(bytes.subarray(at + 27 + count, end)),
    });
    at = end;
  }
  return pages;
}

function writePage(page: Page, sequence: number): Buffer {
  const header = Buffer.alloc(27 + page.lacing.length);
  CAPTURE.copy(header, 0);
  header[5] = page.headerType;
  page.granule.copy(header, 6);
  header.writeUInt32LE(page.serial, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = page.lacing.length;
  Buffer.from(page.lacing).copy(header, 27);
  const whole = Buffer.concat([header, page.body]);
  whole.writeUInt32LE(oggCrc(whole), 22);
  return whole;
}

/** Splits pages into packets, noting the page on which each packet ends. */
function packetsOf(pages: Page[], limit: number): { packets: Buffer[]; lastPage: number; endsPage: boolean } {
  const packets: Buffer[] = [];
  let current: Buffer[] = [];
  for (let p = 0; p < pages.length; p++) {
    const page = pages[p];
    if (!page) break;
    let offset = 0;
    for (let s = 0; s < page.lacing.length; s++) {
      const size = page.lacing[s] ?? 0;
      current.push(page.body.subarray(offset, offset + size));
      offset += size;
      if (size < 255) {
        packets.push(Buffer.concat(current));
        current = [];
        if (packets.length === limit) return { packets, lastPage: p, endsPage: s === page.lacing.length - 1 };
      }
    }
  }
  throw new Malformed('the stream ends inside its headers');
}

/** Pages for packets that start on a fresh page, granule position zero (header pages). */
function paginate(packets: Buffer[], serial: number): Page[] {
  const pages: Page[] = [];
  let page: Page | undefined;
  const open = (continued: boolean) => {
    page = {
      headerType: continued ? 1 : 0,
      granule: Buffer.alloc(8),
      serial,
      lacing: [],
      body: Buffer.alloc(0),
    };
    pages.push(page);
    return page;
  };
  for (const packet of packets) {
    let rest = packet;
    let continued = false;
    for (;;) {
      let current = page ?? open(false);
      if (current.lacing.length === 255) current = open(continued);
      const size = Math.min(255, rest.length);
      current.lacing.push(size);
      current.body = Buffer.concat([current.body, rest.subarray(0, size)]);
      rest = rest.subarray(size);
      continued = true;
      if (size < 255) break;
    }
  }
  return pages;
}

function emptyComments(codec: 'opus' | 'vorbis'): Buffer {
  const vendor = Buffer.from('greenleaf', 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(vendor.length);
  const none = Buffer.alloc(4);
  if (codec === 'opus') return Buffer.concat([Buffer.from('OpusTags', 'latin1'), length, vendor, none]);
  // Vorbis: packet type 3, "vorbis", the comments, then the framing bit.
  return Buffer.concat([Buffer.from('\x03vorbis', 'latin1'), length, vendor, none, Buffer.from([1])]);
}

export function cleanOgg(bytes: Buffer): Cleaned {
  return cleanly(() => {
    const pages = readPages(bytes);
    const [first] = pages;
    if (!first || (first.headerType & 0x03) !== 0x02) throw new Malformed('the stream has no beginning');
    if (pages.some((p) => p.serial !== first.serial)) throw new Refused('there is more than one stream');
    const eos = pages.findIndex((p) => (p.headerType & 0x04) !== 0);
    if (eos !== -1 && eos !== pages.length - 1) throw new Malformed('pages follow the end of the stream');
    const id = first.body;
    const codec =
      id.subarray(0, 8).toString('latin1') === 'OpusHead'
        ? 'opus'
        : id.subarray(0, 7).toString('latin1') === '\x01vorbis'
          ? 'vorbis'
          : undefined;
    if (!codec) throw new Refused('only Opus and Vorbis sound can be checked');
    // The identification header alone on the first page; then comments (and Vorbis's setup).
    const headerCount = codec === 'opus' ? 2 : 3;
    const { packets, lastPage, endsPage } = packetsOf(pages, headerCount);
    const [idPacket, comments, setup] = packets;
    if (!idPacket || !packetsOf([first], 1).endsPage)
      throw new Malformed('the first page must hold the identification header alone');
    const expected = codec === 'opus' ? 'OpusTags' : '\x03vorbis';
    if (comments?.subarray(0, expected.length).toString('latin1') !== expected)
      throw new Malformed('the comment header is missing');
    if (codec === 'vorbis' && setup?.subarray(0, 7).toString('latin1') !== '\x05vorbis')
      throw new Malformed('the setup header is missing');
    if (!endsPage) throw new Refused('the sound starts on a page with the headers');

    const headerPages = paginate(
      codec === 'opus' ? [emptyComments(codec)] : [emptyComments(codec), setup ?? Buffer.alloc(0)],
      first.serial,
    );
    const sound = pages.slice(lastPage + 1);
    if (((sound[0]?.headerType ?? 0) & 0x01) !== 0) throw new Malformed('the sound continues a header');
    const all = [first, ...headerPages, ...sound];
    return Buffer.concat(all.map((page, sequence) => writePage(page, sequence)));
  });
}
