/**
 * Checks and cleans a drawing, photo or voice note before anything stores it. Pure: bytes in,
 * cleaned bytes (or a message a person can act on) out; no database, no file names.
 *
 * - The real type comes from the bytes (magic numbers, then the decoder agrees): the file name
 *   and the browser's declared type are never trusted. SVG and anything else is refused.
 * - Images are decoded and re-encoded: EXIF orientation is applied, then the output carries no
 *   metadata at all (sharp writes none unless asked), so GPS position, camera serials and
 *   thumbnails are gone, and so is anything appended or hidden in the file (polyglots).
 * - A pixel flood (a small file claiming a huge canvas) is refused from its header, before any
 *   pixel is decoded; `limitInputPixels` is the second line.
 * - Voice notes cannot be re-encoded (there is no audio encoder in pure JavaScript), so their
 *   container is read whole and written again without its metadata (audio/: MP4 boxes, WebM
 *   elements, Ogg pages and comment headers): a GPS position, a name or a title recorded with
 *   it is gone. A container that is broken, or cannot be cleaned (video, sound kept in another
 *   file, an unknown format), is refused. The content type it is served with is ours, and it is
 *   served as a sandboxed download with nosniff (media.routes.ts).
 *
 * OWASP ASVS 5.0 V5 (file handling); OWASP File Upload Cheat Sheet.
 */
import type { MediaKind } from './plan-entry.ts';
import { cleanMp4 } from './audio/mp4.ts';
import { cleanOgg } from './audio/ogg.ts';
import { cleanWebm } from './audio/webm.ts';
import type SharpDefault from 'sharp';

type Sharp = typeof SharpDefault;

// libvips (~25 MB resident) loads with the first upload, not when the service starts.
let sharpModule: Promise<{ default: Sharp }> | undefined;
async function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp');
  return (await sharpModule).default;
}

export type MediaContentType = 'image/png' | 'image/jpeg' | 'audio/webm' | 'audio/ogg' | 'audio/mp4';

export type ProcessedMedia =
  | { ok: true; contentType: MediaContentType; bytes: Buffer; width: number | null; height: number | null }
  | { ok: false; message: string };

const MB = 1024 * 1024;

export const MEDIA_LIMITS = {
  photoBytes: 10 * MB,
  drawingBytes: 2 * MB,
  voiceBytes: 5 * MB,
  /** Decoded size: 40 megapixels is more than any phone camera, and ~160 MB of pixels at most. */
  inputPixels: 40_000_000,
  /** Longest side kept: enough to read handwriting in a photo, small enough to print and send. */
  longestSide: 2000,
  /** The largest single side a header may claim (a 1 × 40,000,000 image is also a flood). */
  inputSide: 20_000,
} as const;

export const MEDIA_MESSAGES = {
  empty: 'The selected file is empty',
  photoType: 'The file must be a photo (JPG, PNG or WEBP)',
  photoSize: 'The photo must be smaller than 10 MB',
  drawingType: 'The drawing must be a PNG image',
  drawingSize: 'The drawing must be smaller than 2 MB',
  pixels: 'The image is too big. Use a photo smaller than 40 megapixels',
  unreadable: 'The image could not be read. Try a different photo',
  voiceType: 'The voice note must be a recording made on this page (WebM, Ogg or MP4 audio)',
  voiceSize: 'The voice note must be smaller than 5 MB',
  voiceUnreadable: 'The voice note could not be read. Record it again',
} as const;

type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

/** What the first bytes say the file is. Only the formats we accept are recognised. */
function imageFormatOf(bytes: Buffer): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return 'webp';
  }
  const gif = bytes.toString('latin1', 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'gif';
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The audio container, from its magic bytes. */
export function audioTypeOf(bytes: Buffer): 'audio/webm' | 'audio/ogg' | 'audio/mp4' | undefined {
  if (bytes.length < 12) return undefined;
  // EBML header: WebM (what Chrome, Edge and Firefox record) is a Matroska profile.
  if (bytes.readUInt32BE(0) === 0x1a45dfa3) return 'audio/webm';
  if (bytes.toString('latin1', 0, 4) === 'OggS') return 'audio/ogg';
  // ISO base media: a box of type 'ftyp' first (what Safari records).
  if (bytes.toString('latin1', 4, 8) === 'ftyp') return 'audio/mp4';
  return undefined;
}

async function processImage(kind: 'drawing' | 'photo', bytes: Buffer): Promise<ProcessedMedia> {
  const isPhoto = kind === 'photo';
  const maxBytes = isPhoto ? MEDIA_LIMITS.photoBytes : MEDIA_LIMITS.drawingBytes;
  if (bytes.length > maxBytes) {
    return { ok: false, message: isPhoto ? MEDIA_MESSAGES.photoSize : MEDIA_MESSAGES.drawingSize };
  }
  const format = imageFormatOf(bytes);
  const accepted = isPhoto ? format !== undefined : format === 'png';
  if (!format || !accepted) {
    return { ok: false, message: isPhoto ? MEDIA_MESSAGES.photoType : MEDIA_MESSAGES.drawingType };
  }

  const options = {
    limitInputPixels: MEDIA_LIMITS.inputPixels,
    failOn: 'error',
    // Animated GIF and WebP: the first frame only.
    pages: 1,
  } as const;
  try {
    // Reads the header only: the claimed size is checked before a pixel is decoded.
    const sharp = await loadSharp();
    const header = await sharp(bytes, options).metadata();
    if (header.format !== format) {
      return { ok: false, message: isPhoto ? MEDIA_MESSAGES.photoType : MEDIA_MESSAGES.drawingType };
    }
    const width = header.width;
    const height = header.height;
    if (
      width * height > MEDIA_LIMITS.inputPixels ||
      width > MEDIA_LIMITS.inputSide ||
      height > MEDIA_LIMITS.inputSide
    ) {
      return { ok: false, message: MEDIA_MESSAGES.pixels };
    }
    const pipeline = sharp(bytes, options)
      // Turns the pixels as the camera's orientation tag says, so dropping the tag changes nothing.
      .rotate()
      .resize({
        width: MEDIA_LIMITS.longestSide,
        height: MEDIA_LIMITS.longestSide,
        fit: 'inside',
        withoutEnlargement: true,
      });
    // No withMetadata/keepExif: sharp writes no EXIF, XMP, IPTC or ICC profile by default.
    const encoded = isPhoto
      ? pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true })
      : pipeline.png({ compressionLevel: 9 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return {
      ok: true,
      contentType: isPhoto ? 'image/jpeg' : 'image/png',
      bytes: data,
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    const text = error instanceof Error ? error.message : '';
    if (/pixel limit/i.test(text)) return { ok: false, message: MEDIA_MESSAGES.pixels };
    return { ok: false, message: MEDIA_MESSAGES.unreadable };
  }
}

const CLEANERS = { 'audio/webm': cleanWebm, 'audio/ogg': cleanOgg, 'audio/mp4': cleanMp4 } as const;

function processVoice(bytes: Buffer): ProcessedMedia {
  if (bytes.length > MEDIA_LIMITS.voiceBytes) return { ok: false, message: MEDIA_MESSAGES.voiceSize };
  const contentType = audioTypeOf(bytes);
  if (!contentType) return { ok: false, message: MEDIA_MESSAGES.voiceType };
  const cleaned = CLEANERS[contentType](bytes);
  if (!cleaned.ok) return { ok: false, message: MEDIA_MESSAGES.voiceUnreadable };
  return { ok: true, contentType, bytes: cleaned.bytes, width: null, height: null };
}

/** Checks and cleans one upload. Never throws: anything it cannot accept is a message. */
export async function processUpload(kind: MediaKind, bytes: Buffer): Promise<ProcessedMedia> {
  if (bytes.length === 0) return { ok: false, message: MEDIA_MESSAGES.empty };
  switch (kind) {
    case 'photo':
    case 'drawing':
      return processImage(kind, bytes);
    case 'voice':
      return processVoice(bytes);
  }
}

/** The file extension for the server-chosen download name. */
export function extensionFor(contentType: string): string {
  switch (contentType) {
    case 'image/png':
      return 'png';
    case 'image/jpeg':
      return 'jpg';
    case 'audio/webm':
      return 'webm';
    case 'audio/ogg':
      return 'ogg';
    case 'audio/mp4':
      return 'm4a';
    default:
      return 'bin';
  }
}
