/**
 * The fonts of the plan's PDFs, and which of them draws each character of a person's words.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);
const fontFile = (spec: string) => readFileSync(require.resolve(spec));

/*
 * Atkinson Hyperlegible (Braille Institute, designed for low-vision readers) covers Latin with
 * accents, curly quotes and £. DejaVu Sans draws what it lacks (Greek, Cyrillic, Arabic, Hebrew,
 * many symbols), so a person's own words in their own script still print. Parsed once per
 * process and handed to pdfkit as fontkit fonts (each document still embeds its own subset):
 * parsing them for every document was a third of a PDF's time.
 */
const openFont = (spec: string) => fontkit.create(fontFile(spec)) as fontkit.Font;
export const FONTS = {
  regular: openFont(
    '@expo-google-fonts/atkinson-hyperlegible/400Regular/AtkinsonHyperlegible_400Regular.ttf',
  ),
  bold: openFont('@expo-google-fonts/atkinson-hyperlegible/700Bold/AtkinsonHyperlegible_700Bold.ttf'),
  fallback: openFont('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  fallbackBold: openFont('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};
const coverage = { primary: FONTS.regular, fallback: FONTS.fallback };

/** What stands in for a character no font here can draw (an emoji, most often). */
const UNDRAWABLE = '\uFFFD';

export interface Run {
  font: 'regular' | 'bold' | 'fallback' | 'fallbackBold';
  text: string;
}

/** Control characters pdfkit cannot place; line breaks and tabs stay. */
export const cleanText = (text: string) =>
  // Matching control characters is the point of this pattern, hence the rule is off for it.
  // eslint-disable-next-line no-control-regex
  text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');

/** Splits words into runs by which font can draw them. */
export function fontRuns(text: string, bold: boolean): Run[] {
  const runs: Run[] = [];
  const push = (font: Run['font'], chars: string) => {
    const last = runs[runs.length - 1];
    if (last?.font === font) last.text += chars;
    else runs.push({ font, text: chars });
  };
  let lastWasUndrawable = false;
  for (const char of cleanText(text)) {
    const cp = char.codePointAt(0) ?? 0;
    if (char === '\n' || char === '\t' || coverage.primary.hasGlyphForCodePoint(cp)) {
      push(bold ? 'bold' : 'regular', char);
      lastWasUndrawable = false;
    } else if (coverage.fallback.hasGlyphForCodePoint(cp)) {
      push(bold ? 'fallbackBold' : 'fallback', char);
      lastWasUndrawable = false;
    } else if (!lastWasUndrawable) {
      // One mark for a whole emoji sequence (joiners, skin tones, variation selectors).
      push(bold ? 'fallbackBold' : 'fallback', UNDRAWABLE);
      lastWasUndrawable = true;
    }
  }
  return runs;
}
