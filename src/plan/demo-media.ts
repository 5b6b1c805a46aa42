/**
 * The demo plan's drawing, photo and voice note, made in code (no files to ship): a drawing of
 * a sun over hills, a "photo" of a sunset over the sea, and one second of quiet as an Ogg Opus
 * voice note. Each goes through the same checks and cleaning as an upload.
 */
import { oggCrc } from './audio/ogg.ts';
import { processUpload, type MediaContentType } from './media-processing.ts';
import type { MediaKind } from './plan-entry.ts';

const DRAWING_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320">
  <rect width="480" height="320" fill="#ffffff"/>
  <circle cx="370" cy="80" r="42" fill="none" stroke="#ffb81c" stroke-width="8"/>
  <path d="M370 20v-14M370 154v-14M310 80h-14M444 80h-14" stroke="#ffb81c" stroke-width="6" stroke-linecap="round"/>
  <path d="M0 250 Q100 150 200 240 T400 230 L480 210" fill="none" stroke="#007f3b" stroke-width="8" stroke-linecap="round"/>
  <path d="M60 300 C120 270 180 300 240 285 S360 270 440 295" fill="none" stroke="#005eb8" stroke-width="6" stroke-linecap="round"/>
  <circle cx="150" cy="205" r="10" fill="#212b32"/>
  <path d="M150 215v40M150 230l-18 12M150 230l18 12M150 255l-14 26M150 255l14 26" stroke="#212b32" stroke-width="6" stroke-linecap="round"/>
</svg>`;

const PHOTO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2c3e73"/><stop offset="0.6" stop-color="#f08a4b"/><stop offset="1" stop-color="#ffd27f"/>
    </linearGradient>
    <linearGradient id="sea" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#1d5c8c"/><stop offset="1" stop-color="#0b2a45"/>
    </linearGradient>
  </defs>
  <rect width="640" height="300" fill="url(#sky)"/>
  <circle cx="320" cy="300" r="70" fill="#ffdd66"/>
  <rect y="300" width="640" height="180" fill="url(#sea)"/>
  <path d="M0 420 Q160 380 320 420 T640 410 V480 H0 Z" fill="#d9c48f"/>
</svg>`;

/** One Ogg page: the header, its segment table and its body, with the page's checksum. */
function oggPage(headerType: number, granule: number, sequence: number, packets: Buffer[]): Buffer {
  const segments = packets.flatMap((p) => [...Array<number>(Math.floor(p.length / 255)).fill(255), p.length % 255]);
  const header = Buffer.alloc(27 + segments.length);
  header.write('OggS', 0, 'latin1');
  header[5] = headerType;
  header.writeBigInt64LE(BigInt(granule), 6);
  header.writeUInt32LE(0x6772656e, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = segments.length;
  Buffer.from(segments).copy(header, 27);
  const page = Buffer.concat([header, ...packets]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

/** One second of silence in Ogg Opus (RFC 7845): 50 frames of 20 ms, mono, 48 kHz. */
export function quietVoiceNote(): Buffer {
  const preSkip = 312;
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1; // version
  head[9] = 1; // channels
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48_000, 12);
  const vendor = Buffer.from('Greenleaf demo');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'latin1');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  // A CELT-only, fullband, 20 ms frame that decodes to silence.
  const frames = Array.from({ length: 50 }, () => Buffer.from([0xf8, 0xff, 0xfe]));
  return Buffer.concat([
    oggPage(2, 0, 0, [head]),
    oggPage(0, 0, 1, [tags]),
    oggPage(4, preSkip + frames.length * 960, 2, frames),
  ]);
}

async function svgToPng(svg: string): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function svgToJpeg(svg: string): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

export interface DemoMedia {
  kind: MediaKind;
  contentType: MediaContentType;
  bytes: Buffer;
  width: number | null;
  height: number | null;
}

/** The three demo items, each checked and cleaned as an upload would be. */
export async function demoMedia(): Promise<Record<MediaKind, DemoMedia>> {
  const made = {
    drawing: await svgToPng(DRAWING_SVG),
    photo: await svgToJpeg(PHOTO_SVG),
    voice: quietVoiceNote(),
  };
  const result = {} as Record<MediaKind, DemoMedia>;
  for (const kind of ['drawing', 'photo', 'voice'] as const) {
    const processed = await processUpload(kind, made[kind]);
    if (!processed.ok) throw new Error(`Demo ${kind} was refused: ${processed.message}`);
    result[kind] = { kind, ...processed };
  }
  return result;
}
