/**
 * Pictures as the PDF needs them (plan-pdf.ts): scaled down to print size, and flattened where
 * pdfkit would otherwise do the slow work in JavaScript.
 */
import sharp from 'sharp';
import { TEXT_WIDTH } from './pdf-writer.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/** The tallest a picture is drawn in the PDF, in points. */
export const MEDIA_MAX_HEIGHT = 270;
/**
 * The most pixels a picture needs on paper: the text width by the tallest a picture is drawn,
 * at 200 dpi (sharp on a home printer; photo labs print at 300). A stored photo is up to
 * 2000 px across and a megabyte or two: embedded as stored, six of them made an 11 MB PDF.
 */
const PRINT_DPI = 200;
const PRINT_PIXELS = {
  width: Math.floor((TEXT_WIDTH / 72) * PRINT_DPI),
  height: Math.floor((MEDIA_MAX_HEIGHT / 72) * PRINT_DPI),
};

/**
 * A picture as the PDF needs it: scaled down to print size, and a drawing with an alpha
 * channel (or interlaced) flattened onto white paper, since pdfkit would otherwise decode,
 * split and recompress every pixel in JavaScript. Done by libvips (its own threads). A picture
 * sharp cannot read is left as it is, and `figure` then says what it was instead.
 */
export async function printable(bytes: Buffer): Promise<Buffer> {
  const png = bytes.subarray(0, 4).equals(PNG_SIGNATURE);
  try {
    const image = sharp(bytes, { failOn: 'error' });
    const { width, height, hasAlpha, isProgressive } = await image.metadata();
    const tooBig = width > PRINT_PIXELS.width || height > PRINT_PIXELS.height;
    if (!tooBig && !(png && (hasAlpha || isProgressive))) return bytes;
    const fitted = image.resize({
      width: PRINT_PIXELS.width,
      height: PRINT_PIXELS.height,
      fit: 'inside',
      withoutEnlargement: true,
    });
    return await (
      png
        ? fitted.flatten({ background: '#ffffff' }).png({ compressionLevel: 6 })
        : fitted.jpeg({ quality: 80 })
    ).toBuffer();
  } catch {
    return bytes;
  }
}
