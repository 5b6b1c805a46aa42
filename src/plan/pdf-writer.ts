/**
 * The drawing kit behind the printable plan and the blank workbook (`plan-pdf.ts`): an A4,
 * tagged PDF (PDF/UA-style structure: headings, paragraphs, lists, figures with alternative
 * text; decoration and ruled lines marked as artifacts so screen readers skip them), large
 * type and the green leaf. pdfkit's structure API runs each element's drawing in a closure;
 * artifacts must be drawn outside those closures (pdfkit closes open content when an artifact
 * starts), so every method here draws its decoration first and its words second.
 */
import PDFDocument from 'pdfkit';
import { cleanText, FONTS, fontRuns } from './pdf-fonts.ts';

export const COLOURS = {
  green: '#007f3b',
  text: '#212b32',
  secondary: '#4c6272',
  rule: '#aeb7bd',
  pale: '#e8f1ec',
  white: '#ffffff',
} as const;

export const SIZES = { h1: 30, h2: 24, h3: 17, body: 14, small: 12 } as const;

export interface TextStyle {
  size?: number;
  bold?: boolean;
  colour?: string;
  /** Left edge; the page's left margin if not given. */
  x?: number;
  width?: number;
  gapAfter?: number;
  align?: 'left' | 'center' | 'right';
}

export type Struct = PDFKit.PDFStructureElement;

interface OpenedImage {
  width: number;
  height: number;
  embed(doc: PDFKit.PDFDocument): void;
}

export interface WriterOptions {
  title: string;
  author: string;
  subject: string;
  /** Words in the page footer, beside the page number. */
  footer: string;
  /** The document stops with PdfTooLongError when it would have more pages than this. */
  maxPages?: number;
}

/** A4 in points, and the margins every page has. */
export const PAGE = { width: 595.28, height: 841.89, margins: { top: 60, bottom: 76, left: 62, right: 62 } };
/** The width words and pictures may use. */
export const TEXT_WIDTH = PAGE.width - PAGE.margins.left - PAGE.margins.right;

export class PdfTooLongError extends Error {
  readonly maxPages: number;
  constructor(maxPages: number) {
    super(`the PDF would have more than ${maxPages} pages`);
    this.name = 'PdfTooLongError';
    this.maxPages = maxPages;
  }
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly root: Struct;
  readonly #footer: string;
  readonly #chunks: Buffer[] = [];
  readonly #done: Promise<Buffer>;

  constructor(options: WriterOptions) {
    this.#footer = options.footer;
    this.doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margins: PAGE.margins,
      tagged: true,
      pdfVersion: '1.7',
      lang: 'en-GB',
      displayTitle: true,
      bufferPages: true,
      info: { Title: options.title, Author: options.author, Subject: options.subject, Creator: 'Greenleaf' },
    });
    this.#done = new Promise((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => this.#chunks.push(chunk));
      this.doc.on('end', () => {
        resolve(Buffer.concat(this.#chunks));
      });
      this.doc.on('error', reject);
    });
    // Words that overflow a page start the next one inside pdfkit: counted as each page is added.
    const maxPages = options.maxPages;
    if (maxPages !== undefined) {
      let pages = 1;
      this.doc.on('pageAdded', () => {
        if (++pages > maxPages) throw new PdfTooLongError(maxPages);
      });
    }
    // pdfkit takes a fontkit font as it is (its type definitions only list files and bytes).
    for (const [name, font] of Object.entries(FONTS)) this.doc.registerFont(name, font as unknown as Buffer);
    this.doc.font('regular').fontSize(SIZES.body).fillColor(COLOURS.text);
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
  }

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
  }

  space(points: number): void {
    this.doc.y += points;
  }

  /** Draws words (already inside a structure element's closure), font by font. */
  words(text: string, style: TextStyle = {}): void {
    const { doc } = this;
    const runs = fontRuns(text, style.bold ?? false).filter((r) => r.text.length > 0);
    if (runs.length === 0) return;
    const x = style.x ?? this.left;
    doc.fontSize(style.size ?? SIZES.body).fillColor(style.colour ?? COLOURS.text);
    runs.forEach((run, i) => {
      doc.font(run.font);
      const options = {
        width: style.width ?? this.width - (x - this.left),
        continued: i < runs.length - 1,
        lineGap: 4,
        align: style.align ?? 'left',
      };
      if (i === 0) doc.text(run.text, x, doc.y, options);
      else doc.text(run.text, options);
    });
    doc.x = this.left;
  }

  /** One tagged block of words (P, H1, H2, H3, Lbl…), added to `parent`. */
  block(parent: Struct, type: string, text: string, style: TextStyle = {}): void {
    if (cleanText(text).trim() === '') return;
    parent.add(
      this.doc.struct(type, {}, () => {
        this.words(text, style);
      }),
    );
    this.space(style.gapAfter ?? 8);
  }

  heading(parent: Struct, level: 1 | 2 | 3, text: string, options: { leaf?: boolean } = {}): void {
    const size = level === 1 ? SIZES.h1 : level === 2 ? SIZES.h2 : SIZES.h3;
    this.ensureSpace(size * 1.4 + 70);
    let x = this.left;
    if (options.leaf) {
      this.leaf(this.left, this.doc.y - 2, size * 1.3);
      x += size * 1.3 + 10;
    }
    this.block(parent, `H${level}`, text, {
      size,
      bold: true,
      colour: level === 3 ? COLOURS.text : COLOURS.green,
      x,
      gapAfter: level === 1 ? 14 : level === 2 ? 10 : 4,
    });
  }

  /** A list (L > LI > LBody) with bullets drawn as artifacts; a note goes under its item, smaller. */
  list(parent: Struct, items: { text: string; note?: string | undefined }[], style: TextStyle = {}): void {
    const list = this.doc.struct('L');
    parent.add(list);
    for (const item of items) {
      this.ensureSpace(item.note ? 44 : 24);
      const li = this.doc.struct('LI');
      list.add(li);
      this.artifact(() => {
        this.doc.circle(this.left + 8, this.doc.y + 10, 3.5).fill(COLOURS.green);
      });
      li.add(
        this.doc.struct('LBody', {}, () => {
          this.words(item.text, { ...style, x: this.left + 22 });
          if (item.note) {
            this.space(2);
            this.words(item.note, { size: SIZES.small, colour: COLOURS.secondary, x: this.left + 22 });
          }
        }),
      );
      li.end();
      this.space(6);
    }
    list.end();
    this.space(4);
  }

  /** Decoration a screen reader should skip. */
  artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout'): void {
    this.doc.save();
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
    this.doc.restore();
  }

  /** Blank ruled lines, to finish by hand. */
  ruledLines(count: number, options: { x?: number; width?: number; gap?: number } = {}): void {
    const gap = options.gap ?? 30;
    const x = options.x ?? this.left;
    const width = options.width ?? this.width - (x - this.left);
    for (let drawn = 0; drawn < count;) {
      this.ensureSpace(gap + 4);
      const fit = Math.min(count - drawn, Math.floor((this.bottom - this.doc.y) / gap));
      const top = this.doc.y;
      this.artifact(() => {
        for (let i = 1; i <= fit; i++) {
          this.doc
            .moveTo(x, top + i * gap)
            .lineTo(x + width, top + i * gap)
            .lineWidth(0.75)
            .stroke(COLOURS.rule);
        }
      });
      this.doc.y = top + fit * gap + 10;
      drawn += fit;
    }
  }

  /** An empty rounded box, for a drawing or a photo stuck in by hand. */
  blankBox(height: number): void {
    this.ensureSpace(height + 10);
    const top = this.doc.y;
    this.artifact(() => {
      this.doc
        .roundedRect(this.left, top, this.width, height, 8)
        .lineWidth(1)
        .dash(5, { space: 4 })
        .stroke(COLOURS.rule)
        .undash();
    });
    this.doc.y = top + height + 12;
  }

  /** A tick box drawn as a shape (no font has to have ☐ or ☑): empty, or ticked. */
  tickBox(x: number, y: number, ticked: boolean): void {
    this.artifact(() => {
      const size = 14;
      this.doc.roundedRect(x, y, size, size, 2).lineWidth(1.5).stroke(COLOURS.text);
      if (ticked) {
        this.doc
          .moveTo(x + 3, y + 7.5)
          .lineTo(x + 6, y + 11)
          .lineTo(x + 11.5, y + 3)
          .lineWidth(2.2)
          .lineCap('round')
          .lineJoin('round')
          .stroke(COLOURS.green);
      }
    });
  }

  /** The green leaf: two curves, a midrib and a stalk, in a `size`-point square. */
  leaf(x: number, y: number, size: number): void {
    const at = (fx: number, fy: number): [number, number] => [x + fx * size, y + fy * size];
    this.artifact(() => {
      const { doc } = this;
      doc
        .moveTo(...at(0.16, 0.84))
        .bezierCurveTo(...at(0.04, 0.42), ...at(0.42, 0.06), ...at(0.94, 0.06))
        .bezierCurveTo(...at(0.98, 0.56), ...at(0.62, 0.92), ...at(0.16, 0.84))
        .fill(COLOURS.green);
      doc
        .moveTo(...at(0.2, 0.8))
        .bezierCurveTo(...at(0.42, 0.54), ...at(0.62, 0.34), ...at(0.86, 0.14))
        .lineWidth(Math.max(1, size / 30))
        .lineCap('round')
        .stroke(COLOURS.white);
      doc
        .moveTo(...at(0.2, 0.8))
        .lineTo(...at(0.06, 0.96))
        .lineWidth(Math.max(1.2, size / 22))
        .lineCap('round')
        .stroke(COLOURS.green);
    });
  }

  /**
   * An image scaled to fit the text width and `maxHeight`, tagged as a Figure with its words.
   * Returns false (drawing nothing) when the bytes are not an image pdfkit can read, so one bad
   * picture never stops the rest of the plan printing.
   */
  figure(parent: Struct, bytes: Buffer, alt: string, size: { maxHeight: number; keepWith: number }): boolean {
    let image: OpenedImage;
    try {
      // pdfkit's own openImage (not in its type definitions) reads the size and embeds it once.
      image = (this.doc as unknown as { openImage(src: Buffer): OpenedImage }).openImage(bytes);
      image.embed(this.doc);
    } catch {
      return false;
    }
    const width = this.width;
    const ratio = image.width > 0 && image.height > 0 ? image.width / image.height : 4 / 3;
    const height = Math.min(size.maxHeight, width / ratio);
    // Room for what must stay on the same page: a heading before, a caption after.
    this.ensureSpace(height + 12 + size.keepWith);
    const top = this.doc.y;
    const options = {
      alt,
      placement: 'Block',
      bbox: [this.left, top, this.left + width, top + height],
    };
    parent.add(
      this.doc.struct('Figure', options, () => {
        this.doc.image(image as unknown as Buffer, this.left, top, { fit: [width, height], align: 'center' });
      }),
    );
    this.doc.y = top + height + 10;
    return true;
  }

  /** Page numbers on every page (artifacts), then the finished file. */
  async finish(): Promise<Buffer> {
    const { doc } = this;
    this.root.end();
    const range = doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      const bottomMargin = doc.page.margins.bottom;
      // Writing inside the bottom margin would otherwise start a new page.
      doc.page.margins.bottom = 0;
      const y = doc.page.height - 48;
      this.artifact(() => {
        doc
          .moveTo(this.left, y - 10)
          .lineTo(this.left + this.width, y - 10)
          .lineWidth(0.5)
          .stroke(COLOURS.rule);
        doc.font('regular').fontSize(SIZES.small).fillColor(COLOURS.secondary);
        doc.text(this.#footer, this.left, y, { width: this.width, lineBreak: false });
        doc.text(`Page ${i + 1} of ${range.count}`, this.left, y, {
          width: this.width,
          align: 'right',
          lineBreak: false,
        });
      }, 'Pagination');
      doc.page.margins.bottom = bottomMargin;
    }
    doc.end();
    return this.#done;
  }
}
