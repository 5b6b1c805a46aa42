/**
 * Cleans an MP4 (ISO base media file, ISO/IEC 14496-12) voice note, as Safari records it: the
 * box tree is read whole, and written again with only the boxes sound needs. Everything else
 * goes: `udta` (where phones put the GPS position, `©xyz`), `meta` (iTunes-style tags), `uuid`
 * (XMP), `free`/`skip` (hiding places), indexes (`sidx`, `mfra`), and any box we do not know.
 * The handler's name is emptied and creation times set to zero. Chunk offsets (`stco`, `co64`)
 * and fragment offsets (`tfhd`, `trun`) are moved to where the sound now is.
 *
 * Refused with a reason: anything truncated or inconsistent, a track that is not sound (video,
 * text), sound kept in another file (`dref` URLs), encrypted or unknown sample formats.
 */
import { cleanly, type Cleaned, Malformed, Refused } from './cleaned.ts';

interface Box {
  type: string;
  /** Where the box starts in the original file, and its whole size there. */
  start: number;
  size: number;
  header: number;
  children?: Box[];
}

/** Boxes that hold other boxes, and which of their children are kept. */
const KEEP: Record<string, readonly string[]> = {
  '': ['ftyp', 'styp', 'moov', 'moof', 'mdat'],
  moov: ['mvhd', 'trak', 'mvex'],
  trak: ['tkhd', 'edts', 'mdia'],
  edts: ['elst'],
  mdia: ['mdhd', 'hdlr', 'minf'],
  minf: ['smhd', 'dinf', 'stbl'],
  dinf: ['dref'],
  stbl: [
    'stsd',
    'stts',
    'ctts',
    'cslg',
    'stsc',
    'stsz',
    'stz2',
    'stco',
    'co64',
    'stss',
    'sdtp',
    'sbgp',
    'sgpd',
  ],
  mvex: ['mehd', 'trex'],
  moof: ['mfhd', 'traf'],
  traf: ['tfhd', 'tfdt', 'trun', 'sbgp', 'sgpd'],
};

/** Sample formats of sound a browser records or plays; anything else (encrypted `enca`…) is refused. */
const SOUND_FORMATS = new Set([
  'mp4a',
  'Opus',
  'fLaC',
  'alac',
  'ac-3',
  'ec-3',
  'lpcm',
  'ipcm',
  'sowt',
  'twos',
  '.mp3',
]);

function readBoxes(bytes: Buffer, from: number, to: number, parent: string): Box[] {
  const boxes: Box[] = [];
  let at = from;
  while (at < to) {
    if (to - at < 8) throw new Malformed('a box is cut short');
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (to - at < 16) throw new Malformed('a large box is cut short');
      const large = bytes.readBigUInt64BE(at + 8);
      if (large > BigInt(to - at)) throw new Malformed('a box is bigger than the file');
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      if (parent !== '') throw new Malformed('a box inside another runs to the end of the file');
      size = to - at;
    }
    if (type === 'uuid') header += 16;
    if (size < header || at + size > to) throw new Malformed(`the ${type} box does not fit`);
    const box: Box = { type, start: at, size, header };
    if (KEEP[type] && KEEP[parent]?.includes(type))
      box.children = readBoxes(bytes, at + header, at + size, type);
    boxes.push(box);
    at += size;
  }
  return boxes;
}

const find = (boxes: Box[] | undefined, type: string) => boxes?.filter((b) => b.type === type) ?? [];
const body = (bytes: Buffer, box: Box) => bytes.subarray(box.start + box.header, box.start + box.size);

/** What each kept box becomes: its children, or its (possibly rewritten) contents. */
interface Out {
  box: Box;
  children?: Out[];
  content?: Buffer;
  size: number;
}

function plan(bytes: Buffer, boxes: Box[], parent: string): Out[] {
  const kept = KEEP[parent] ?? [];
  return boxes
    .filter((box) => kept.includes(box.type))
    .map((box) => {
      if (box.children) {
        const children = plan(bytes, box.children, box.type);
        return { box, children, size: 8 + children.reduce((n, c) => n + c.size, 0) };
      }
      const content = rewrite(box.type, Buffer.from(body(bytes, box)));
      return { box, content, size: 8 + content.length };
    });
}

/** Leaf boxes that carry words or times: emptied. Offsets are fixed later, once all is placed. */
function rewrite(type: string, content: Buffer): Buffer {
  if (content.length < 4) throw new Malformed(`the ${type} box is too short`);
  const version = content[0];
  switch (type) {
    case 'hdlr':
      // version/flags, pre_defined, handler type, reserved ×3, then the name: kept empty.
      if (content.length < 24) throw new Malformed('the handler box is too short');
      return Buffer.concat([content.subarray(0, 24), Buffer.alloc(1)]);
    case 'mvhd':
    case 'tkhd':
    case 'mdhd': {
      // Creation and modification times, right after version/flags.
      const width = version === 1 ? 8 : 4;
      if (content.length < 4 + 2 * width) throw new Malformed(`the ${type} box is too short`);
      content.fill(0, 4, 4 + 2 * width);
      return content;
    }
    default:
      return content;
  }
}

function checkSound(bytes: Buffer, top: Box[]): void {
  const [moov, extra] = find(top, 'moov');
  if (!moov || extra) throw new Malformed('there must be exactly one movie box');
  const traks = find(moov.children, 'trak');
  if (traks.length === 0) throw new Malformed('there is no track');
  for (const trak of traks) {
    const mdia = find(trak.children, 'mdia')[0];
    const hdlr = find(mdia?.children, 'hdlr')[0];
    const handler = hdlr ? body(bytes, hdlr).toString('latin1', 8, 12) : '';
    if (handler !== 'soun') throw new Refused('a track is not sound');
    const minf = find(mdia?.children, 'minf')[0];
    const dref = find(find(minf?.children, 'dinf')[0]?.children, 'dref')[0];
    if (dref) checkDataReferences(body(bytes, dref));
    const stsd = find(find(minf?.children, 'stbl')[0]?.children, 'stsd')[0];
    if (!stsd) throw new Malformed('a track has no sample description');
    const description = body(bytes, stsd);
    if (description.length < 8) throw new Malformed('the sample description is too short');
    const count = description.readUInt32BE(4);
    if (count === 0) throw new Malformed('the sample description is empty');
    for (let i = 0, at = 8; i < count; i++) {
      const size = description.readUInt32BE(at);
      const format = description.toString('latin1', at + 4, at + 8);
      if (size < 8 || at + size > description.length) throw new Malformed('a sample entry does not fit');
      if (!SOUND_FORMATS.has(format)) throw new Refused(`sound stored as ${format} cannot be checked`);
      at += size;
    }
  }
  if (find(top, 'mdat').length === 0) throw new Malformed('there is no sound data');
}

/** Every data reference must say "in this file" (flag 1), not point at another. */
function checkDataReferences(dref: Buffer): void {
  if (dref.length < 8) throw new Malformed('the data references are cut short');
  const count = dref.readUInt32BE(4);
  let at = 8;
  for (let i = 0; i < count; i++) {
    if (dref.length - at < 12) throw new Malformed('a data reference is cut short');
    const size = dref.readUInt32BE(at);
    const flags = dref.readUInt32BE(at + 8) & 0xffffff;
    if (size < 12 || at + size > dref.length) throw new Malformed('a data reference does not fit');
    if ((flags & 1) !== 1) throw new Refused('the sound is kept in another file');
    at += size;
  }
}

/** Where every kept box starts in the new file, by its start in the old one. */
function place(outs: Out[], at: number, starts: Map<number, number>): void {
  for (const out of outs) {
    starts.set(out.box.start, at);
    if (out.children) place(out.children, at + 8, starts);
    at += out.size;
  }
}

/** The new position of a byte of the old file, which must lie in a box kept as it was. */
function mover(verbatim: Out[], starts: Map<number, number>) {
  return (old: number): number => {
    for (const out of verbatim) {
      const from = out.box.start + out.box.header;
      if (old >= from && old <= out.box.start + out.box.size) {
        return (starts.get(out.box.start) ?? 0) + 8 + (old - from);
      }
    }
    throw new Malformed('an offset points outside the sound data');
  };
}

function fixOffsets(outs: Out[], move: (old: number) => number, starts: Map<number, number>): void {
  for (const out of outs) {
    if (out.children) fixOffsets(out.children, move, starts);
    if (out.box.type === 'moof') fixFragment(out, move, starts.get(out.box.start) ?? 0);
    const c = out.content;
    if (!c || (out.box.type !== 'stco' && out.box.type !== 'co64')) continue;
    const wide = out.box.type === 'co64';
    const count = c.readUInt32BE(4);
    if (c.length < 8 + count * (wide ? 8 : 4)) throw new Malformed('the chunk offsets are cut short');
    for (let i = 0; i < count; i++) {
      const at = 8 + i * (wide ? 8 : 4);
      if (wide) c.writeBigUInt64BE(BigInt(move(Number(c.readBigUInt64BE(at)))), at);
      else c.writeUInt32BE(move(c.readUInt32BE(at)), at);
    }
  }
}

/** A fragment's sample data offsets: from its `moof` (the default), or absolute in `tfhd`. */
function fixFragment(moof: Out, move: (old: number) => number, newMoofStart: number): void {
  const trafs = (moof.children ?? []).filter((c) => c.box.type === 'traf');
  for (const traf of trafs) {
    const tfhd = traf.children?.find((c) => c.box.type === 'tfhd')?.content;
    if (!tfhd || tfhd.length < 8) throw new Malformed('a track fragment has no header');
    const flags = tfhd.readUInt32BE(0) & 0xffffff;
    const explicit = (flags & 0x1) !== 0;
    if (!explicit && (flags & 0x20000) === 0 && trafs.length > 1)
      throw new Refused('fragments with several tracks cannot be checked');
    const oldBase = explicit ? Number(tfhd.readBigUInt64BE(8)) : moof.box.start;
    const newBase = explicit ? move(oldBase) : newMoofStart;
    if (explicit) tfhd.writeBigUInt64BE(BigInt(newBase), 8);
    for (const trun of traf.children?.filter((c) => c.box.type === 'trun') ?? []) {
      const c = trun.content;
      if (!c || c.length < 8) throw new Malformed('a track run is cut short');
      if ((c.readUInt32BE(0) & 0x1) === 0) continue;
      c.writeInt32BE(move(oldBase + c.readInt32BE(8)) - newBase, 8);
    }
  }
}

function write(outs: Out[], into: Buffer, at: number): number {
  for (const out of outs) {
    into.writeUInt32BE(out.size, at);
    into.write(out.box.type, at + 4, 'latin1');
    if (out.children) write(out.children, into, at + 8);
    else out.content?.copy(into, at + 8);
    at += out.size;
  }
  return at;
}

export function cleanMp4(bytes: Buffer): Cleaned {
  return cleanly(() => {
    const top = readBoxes(bytes, 0, bytes.length, '');
    if (top[0]?.type !== 'ftyp') throw new Malformed('it does not start with a file type box');
    checkSound(bytes, top);
    const outs = plan(bytes, top, '');
    const starts = new Map<number, number>();
    place(outs, 0, starts);
    const move = mover(
      outs.filter((o) => o.box.type === 'mdat'),
      starts,
    );
    fixOffsets(outs, move, starts);
    const cleaned = Buffer.alloc(outs.reduce((n, o) => n + o.size, 0));
    write(outs, cleaned, 0);
    return cleaned;
  });
}
