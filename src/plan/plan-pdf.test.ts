import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entry, fullPlanDocument, media, PAT, sampleImages } from '../test-support/plan-documents.ts';
import type { PlanDocument } from './plan-document.ts';
import { PdfTooLongError, renderPlanPdf, renderWorkbookPdf } from './plan-pdf.ts';
import { loadPlanTemplates } from './plan-template.ts';

// Poppler reads the PDF as a person's viewer would: its text, its tags and its pages as images.
const dir = mkdtempSync(path.join(tmpdir(), 'plan-pdf-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
function save(pdf: Buffer): string {
  const file = path.join(dir, `plan-${++files}.pdf`);
  writeFileSync(file, pdf);
  return file;
}
const poppler = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });
const textOf = (file: string) => poppler('pdftotext', '-enc', 'UTF-8', file, '-').replace(/\s+/g, ' ');
const infoOf = (file: string) => poppler('pdfinfo', file);
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(infoOf(file))?.[1]);

/** Renders every page at 50 dpi, as the check does, and returns the PNG files. */
function pagesOf(file: string): string[] {
  const prefix = file.replace(/\.pdf$/, '-page');
  poppler('pdftoppm', '-r', '50', '-png', file, prefix);
  const base = path.basename(prefix);
  return readdirSync(dir)
    .filter((f) => f.startsWith(base) && f.endsWith('.png'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** How far from plain white a page is: 0 for a blank page. */
async function inkOn(png: string): Promise<number> {
  const { channels } = await sharp(png).stats();
  return Math.max(...channels.slice(0, 3).map((c) => c.stdev));
}

const templates = loadPlanTemplates();
let images: { photo: Buffer; drawing: Buffer };
let full: PlanDocument;
let fullFile: string;

beforeAll(async () => {
  images = await sampleImages();
  full = fullPlanDocument(templates.latest, images);
  fullFile = save(await renderPlanPdf(full));
}, 20_000);

describe('the printable plan', () => {
  it('is a tagged PDF 1.7 with the plan as its title, in British English', () => {
    const info = infoOf(fullFile);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Title:\s+Sam’s recovery plan/);
    expect(info).toMatch(/PDF version:\s+1\.7/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const raw = poppler('pdfinfo', '-struct', fullFile);
    for (const tag of ['Document', 'H1', 'H2', 'H3', 'P', 'L', 'LI', 'LBody', 'Figure']) {
      expect(raw, tag).toContain(tag);
    }
  });

  it('marks its catalogue as tagged, with a structure tree and the title shown by viewers', async () => {
    const pdf = await renderPlanPdf(full);
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toMatch(/\/Marked true/);
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toContain('/DisplayDocTitle true');
    expect(raw).toContain('/Lang (en-GB)');
  });

  it('gives each picture its words as alternative text, or says what it is', async () => {
    const struct = poppler('pdfinfo', '-struct', fullFile);
    expect(struct.match(/Figure/g)).toHaveLength(3);
    // Figure elements carry /Alt (plain ASCII here, so stored as a literal string).
    const raw = (await renderPlanPdf(full)).toString('latin1');
    expect([...raw.matchAll(/\/Alt \(([^)]*)\)/g)].map((m) => m[1])).toEqual([
      'A path up a hill towards the sun',
      'The view from the allotment',
      'Photo',
    ]);
  });

  it('contains the participant’s own words, accents, curly quotes and £ included', () => {
    const text = textOf(fullFile);
    expect(text).toContain('Sam’s recovery plan');
    expect(text).toContain('I felt “flat” most days');
    expect(text).toContain('Café mornings with Zoë and Siân');
    expect(text).toContain('£3.50');
    for (const section of full.sections) expect(text).toContain(section.title);
  });

  it('shows lists, goals with their steps and progress, supporters and services', () => {
    const text = textOf(fullFile);
    expect(text).toContain('A walk by the canal before breakfast');
    expect(text).toContain('Go back to the allotment');
    expect(text).toContain('How it is going: Getting there');
    expect(text).toContain('Ring the allotment secretary (done)');
    expect(text).toContain('Plant the broad beans');
    expect(text).not.toContain('Plant the broad beans (done)');
    expect(text).toContain('Jo (my sister)');
    expect(text).toContain('How to reach them 07700 900123');
    expect(text).toContain('Riverside Recovery College');
  });

  it('says when the peer support worker wrote something on the participant’s behalf', () => {
    expect(textOf(fullFile)).toContain('Written by Pat Jones (peer support worker) on your behalf');
  });

  it('lists voice notes to listen to in the app', () => {
    expect(textOf(fullFile)).toContain('Voice note (listen in the app) What a good day sounds like');
  });

  it('gives the crisis contacts on the cover and at the end', () => {
    const first = poppler('pdftotext', '-f', '1', '-l', '1', fullFile, '-');
    const last = poppler('pdftotext', '-f', String(pageCount(fullFile)), fullFile, '-');
    for (const page of [first, last]) {
      expect(page).toContain('Riverside Crisis Team: 0300 123 4567');
      expect(page).toContain('call 999');
      expect(page).toContain('Samaritans, free, any time: 116 123');
    }
  });

  it('numbers every page', () => {
    const count = pageCount(fullFile);
    expect(count).toBeGreaterThan(full.sections.length);
    const text = textOf(fullFile);
    for (let page = 1; page <= count; page++) expect(text).toContain(`Page ${page} of ${count}`);
  });

  // Every page drawn as an image by poppler: seconds on a busy machine.
  it('renders pages that are not blank, with the photos and the drawing embedded', async () => {
    const pngs = pagesOf(fullFile);
    expect(pngs).toHaveLength(pageCount(fullFile));
    for (const png of pngs) expect(await inkOn(png), png).toBeGreaterThan(5);
    const list = poppler('pdfimages', '-list', fullFile).trim().split('\n').slice(2);
    expect(list.length).toBeGreaterThanOrEqual(3);
  }, 20_000);

  it('leaves ruled space to write by hand where a field is empty', async () => {
    const section = full.sections[0]!;
    const empty: PlanDocument = {
      ...full,
      sections: [{ ...section, fields: section.fields.map((f) => ({ ...f, entries: [] })), media: [] }],
    };
    const filled: PlanDocument = { ...full, sections: [{ ...section, media: [] }] };
    const emptyFile = save(await renderPlanPdf(empty));
    expect(textOf(emptyFile)).toContain('Nothing written here yet. You can write here by hand.');
    expect(textOf(save(await renderPlanPdf(filled)))).not.toContain('Nothing written here yet');
    // The lines are drawn on the section's page (page 2), in the rule colour.
    const png = pagesOf(emptyFile)[1]!;
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    let ruleRows = 0;
    for (let y = 0; y < info.height; y++) {
      let grey = 0;
      for (let x = 0; x < info.width; x++) {
        const i = (y * info.width + x) * info.channels;
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
        if (r < 235 && Math.abs(r - g) < 12 && Math.abs(g - b) < 12) grey++;
      }
      if (grey > info.width * 0.6) ruleRows++;
    }
    expect(ruleRows).toBeGreaterThanOrEqual(10);
  });

  it('still renders words in scripts and emoji the main font cannot draw', async () => {
    const section = full.sections[0]!;
    const words = 'Καλημέρα φίλε. Привет. مرحبا. שלום. I feel 😀👍🏽 today.';
    const doc: PlanDocument = {
      ...full,
      sections: [
        {
          ...section,
          media: [],
          fields: [
            { ...section.fields[0]!, entries: [entry({ kind: 'text', content: { text: words } }, PAT)] },
          ],
        },
      ],
    };
    const file = save(await renderPlanPdf(doc));
    const text = textOf(file);
    expect(text).toContain('Καλημέρα φίλε');
    expect(text).toContain('Привет');
    expect(text).toContain('I feel');
    expect(text).toContain('today.');
    expect(pageCount(file)).toBeGreaterThan(1);
  });

  it('does not fail on a picture without its size, a picture it cannot read, or an empty plan', async () => {
    const section = full.sections[0]!;
    const doc: PlanDocument = {
      ...full,
      sections: [{ ...section, media: [media('drawing', images.drawing, '', null)] }],
    };
    const file = save(await renderPlanPdf(doc));
    expect(textOf(file)).toContain('Drawings, photos and voice notes');
    const broken: PlanDocument = {
      ...full,
      sections: [
        {
          ...section,
          media: [media('photo', Buffer.from('not an image'), 'Broken', [4, 3]), full.sections[1]!.media[0]!],
        },
      ],
    };
    const brokenFile = save(await renderPlanPdf(broken));
    expect(textOf(brokenFile)).toContain('Photo (see it in the app) Broken');
    expect(textOf(brokenFile)).toContain('A path up a hill towards the sun');
    expect(poppler('pdfinfo', '-struct', brokenFile).match(/Figure/g)).toHaveLength(1);
    const none = save(await renderPlanPdf({ ...full, sections: [] }));
    expect(pageCount(none)).toBeGreaterThanOrEqual(1);
    expect(textOf(none)).toContain('116 123');
  });
});

describe('limits on a big plan', () => {
  /** The size of each image embedded in the PDF, as pdfimages lists them. */
  const embeddedSizes = (file: string) =>
    poppler('pdfimages', '-list', file)
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(/\s+/).slice(3, 5).map(Number));

  it('embeds photos at print size (200 dpi across the page), not as stored', async () => {
    const camera = await sharp({
      create: {
        width: 2000,
        height: 1500,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .jpeg({ quality: 80 })
      .toBuffer();
    const section = full.sections[0]!;
    const doc: PlanDocument = {
      ...full,
      sections: [{ ...section, media: [media('photo', camera, 'A busy street', [2000, 1500])] }],
    };
    const pdf = await renderPlanPdf(doc);
    const [size] = embeddedSizes(save(pdf));
    // 471 points of text width at 200 dpi is 1309 pixels; the picture is at most 270 points high.
    expect(size![0]).toBeLessThanOrEqual(1309);
    expect(size![1]).toBeLessThanOrEqual(750);
    expect(pdf.length).toBeLessThan(camera.length);
  }, 20_000);

  it('stops at the page limit instead of making an endless PDF', async () => {
    const section = full.sections[0]!;
    const long = section.fields.map((field) => ({
      ...field,
      entries: Array.from({ length: 40 }, () =>
        entry({ kind: 'text', content: { text: 'Words. '.repeat(60) } }),
      ),
    }));
    const doc: PlanDocument = { ...full, sections: [{ ...section, fields: long }] };
    await expect(renderPlanPdf(doc, { maxPages: 5 })).rejects.toBeInstanceOf(PdfTooLongError);
    expect(pageCount(save(await renderPlanPdf(full, { maxPages: 100 })))).toBeLessThanOrEqual(100);
  }, 20_000);
});

describe('the blank workbook', () => {
  let file: string;
  beforeAll(async () => {
    file = save(await renderWorkbookPdf(templates.latest));
  });

  it('is tagged, titled and A4', () => {
    const info = infoOf(file);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Title:\s+My recovery plan: workbook/);
    expect(info).toMatch(/\(A4\)/);
  });

  it('has every section switched on, with its purpose, prompts, and each field’s label and hint', () => {
    const text = textOf(file);
    for (const section of templates.latest.sections.filter((s) => s.enabled)) {
      expect(text).toContain(section.title);
      expect(text).toContain(section.purpose.replace(/\s+/g, ' '));
      for (const prompt of section.prompts) expect(text).toContain(prompt);
      for (const field of section.fields) {
        expect(text).toContain(field.label);
        if (field.hint) expect(text).toContain(field.hint);
      }
    }
  });

  it('leaves out sections switched off', () => {
    const off = templates.latest.sections.filter((s) => !s.enabled);
    expect(off.length).toBeGreaterThan(0);
    const text = textOf(file);
    for (const section of off) expect(text).not.toContain(section.title);
  });

  it('has the information pages, and space to write your own crisis team’s number', () => {
    const text = textOf(file);
    for (const page of templates.latest.info) expect(text).toContain(page.title);
    expect(text).toContain('My crisis team:');
    expect(text).toContain('Their phone number:');
    expect(text).toContain('Samaritans, free, any time: 116 123');
    expect(text).toContain('Draw or stick a photo here');
  });

  it('keeps each supporter and local service card on one page', () => {
    const labels = new Set(['Name', 'How they help', 'What they offer', 'How to reach them']);
    // pdftotext ends each page with a form feed.
    const pages = poppler('pdftotext', '-enc', 'UTF-8', file, '-').split('\f');
    expect(pages.length).toBeGreaterThanOrEqual(pageCount(file));
    for (const [index, page] of pages.entries()) {
      const n = index + 1;
      const lines = page
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => labels.has(line));
      // Whole cards only: Name, then what they offer (or how they help), then how to reach them.
      expect(lines.length % 3, `page ${String(n)}: ${lines.join(', ')}`).toBe(0);
      if (page.includes('Local services and groups')) expect(lines, `page ${String(n)}`).toContain('What they offer');
      lines.forEach((line, i) => {
        if (i % 3 === 0) expect(line, `page ${String(n)}`).toBe('Name');
        if (i % 3 === 2) expect(line, `page ${String(n)}`).toBe('How to reach them');
      });
    }
  });

  it('puts Shout and NHS 111 inside the "If you need help now" box, as the help page lists them', async () => {
    const text = textOf(file);
    expect(text).toContain('Shout, free, any time: text SHOUT to 85258');
    // Where "111" is printed on the last page, the box's pale green is behind it.
    const last = pageCount(file);
    const words = poppler('pdftotext', '-bbox', '-f', String(last), '-l', String(last), file, '-');
    const box = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">111<\/word>/.exec(words);
    expect(box).not.toBeNull();
    const [, , yMin, yMax] = box!.map(Number);
    const png = pagesOf(file).at(-1)!;
    const scale = 50 / 72;
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const y = Math.round(((yMin! + yMax!) / 2) * scale);
    const x = Math.round((62 + 14) * scale);
    const at = (y * info.width + x) * info.channels;
    // #e8f1ec, the box's fill, not the page's white.
    expect([data[at], data[at + 1], data[at + 2]]).toEqual([0xe8, 0xf1, 0xec]);
  }, 20_000);

  // Every page drawn as an image by poppler: seconds on a busy machine.
  it('renders every page with something on it', async () => {
    const pngs = pagesOf(file);
    expect(pngs).toHaveLength(pageCount(file));
    for (const png of pngs) expect(await inkOn(png), png).toBeGreaterThan(5);
  }, 20_000);
});
