/**
 * The trial's CONSORT flow diagram, drawn live on the server as SVG: boxes down the page from
 * everyone assessed for eligibility, with those excluded (and why) in a box to the side, to
 * those enrolled and, once people are randomised, each arm's column. No script; the SVG is
 * `aria-hidden` because the same figures are in a table beside it. Narrow enough to read on a
 * 320 px phone (boxes wrap their words).
 */

export interface FlowLine {
  label: string;
  people: number;
}

export interface ArmColumn {
  title: string;
  lines: FlowLine[];
}

export interface ConsortFlow {
  assessed: number;
  excluded: { people: number; lines: FlowLine[] };
  /** The box below the exclusions: consented, or randomised once that exists. */
  enrolled: { title: string; people: number };
  /** Each arm's boxes, from allocation to analysis; empty before anyone is randomised. */
  arms: ArmColumn[];
}

const WIDTH = 340;
const FONT = 11;
const LINE = 14;
const PAD = 6;
const GAP = 18;
const TEXT = '#212b32';
const BORDER = '#425563';

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
const people = (n: number) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'person' : 'people'}`;

/** Words wrapped to lines of at most `chars` characters (a long word keeps its own line). */
export function wrap(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  svg: string;
}

function box(x: number, y: number, width: number, paragraphs: { text: string; bold?: boolean }[]): Box {
  const chars = Math.floor((width - 2 * PAD) / (FONT * 0.55));
  const rows = paragraphs.flatMap((p) =>
    wrap(p.text, chars).map((line) => ({ line, bold: p.bold === true })),
  );
  const height = rows.length * LINE + 2 * PAD;
  const text = rows
    .map(
      (r, i) =>
        `<text x="${String(x + PAD)}" y="${String(y + PAD + (i + 1) * LINE - 3)}" font-size="${String(FONT)}"${r.bold ? ' font-weight="600"' : ''} fill="${TEXT}">${escapeXml(r.line)}</text>`,
    )
    .join('');
  return {
    x,
    y,
    width,
    height,
    svg: `<rect x="${String(x)}" y="${String(y)}" width="${String(width)}" height="${String(height)}" fill="#fff" stroke="${BORDER}"/>${text}`,
  };
}

const arrow = (x1: number, y1: number, x2: number, y2: number) =>
  `<line x1="${String(x1)}" y1="${String(y1)}" x2="${String(x2)}" y2="${String(y2)}" stroke="${BORDER}" stroke-width="1.5" marker-end="url(#consort-arrow)"/>`;

export function consortDiagram(flow: ConsortFlow): string {
  const mainWidth = 150;
  const sideX = mainWidth + 30;
  const sideWidth = WIDTH - sideX;
  const parts: string[] = [];

  const assessed = box(0, 0, mainWidth, [
    { text: 'Assessed for eligibility', bold: true },
    { text: people(flow.assessed) },
  ]);
  parts.push(assessed.svg);
  const excluded = box(sideX, assessed.height + GAP / 2, sideWidth, [
    { text: 'Excluded', bold: true },
    { text: people(flow.excluded.people) },
    ...flow.excluded.lines.map((l) => ({ text: `${l.label}: ${l.people.toLocaleString('en-GB')}` })),
  ]);
  parts.push(excluded.svg);
  const branchY = excluded.y + LINE + PAD;
  const enrolledY = Math.max(excluded.y + excluded.height, branchY) + GAP;
  const enrolled = box(0, enrolledY, mainWidth, [
    { text: flow.enrolled.title, bold: true },
    { text: people(flow.enrolled.people) },
  ]);
  parts.push(enrolled.svg);
  const middle = mainWidth / 2;
  parts.push(arrow(middle, assessed.height, middle, enrolledY));
  parts.push(arrow(middle, branchY, sideX, branchY));

  let bottom = enrolled.y + enrolled.height;
  if (flow.arms.length > 0) {
    const columnWidth = (WIDTH - GAP * (flow.arms.length - 1)) / flow.arms.length;
    const top = bottom + 2 * GAP;
    // One line down from the enrolled, across to every arm, and an arrow down into each.
    const branch = bottom + GAP;
    const centres = flow.arms.map((_, i) => i * (columnWidth + GAP) + columnWidth / 2);
    const line = (x1: number, y1: number, x2: number, y2: number) =>
      `<line x1="${String(x1)}" y1="${String(y1)}" x2="${String(x2)}" y2="${String(y2)}" stroke="${BORDER}" stroke-width="1.5"/>`;
    parts.push(line(middle, bottom, middle, branch));
    parts.push(line(Math.min(middle, ...centres), branch, Math.max(middle, ...centres), branch));
    flow.arms.forEach((arm, i) => {
      const x = i * (columnWidth + GAP);
      let y = top;
      parts.push(arrow(x + columnWidth / 2, branch, x + columnWidth / 2, top));
      const heading = box(x, y, columnWidth, [{ text: arm.title, bold: true }]);
      parts.push(heading.svg);
      y += heading.height;
      for (const line of arm.lines) {
        const next = box(x, y + GAP, columnWidth, [{ text: line.label }, { text: people(line.people) }]);
        parts.push(arrow(x + columnWidth / 2, y, x + columnWidth / 2, y + GAP));
        parts.push(next.svg);
        y = next.y + next.height;
      }
      bottom = Math.max(bottom, y);
    });
  }
  const height = bottom + 2;
  const marker = `<defs><marker id="consort-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${BORDER}"/></marker></defs>`;
  return `<svg class="app-consort" viewBox="-1 -1 ${String(WIDTH + 2)} ${String(height + 2)}" width="100%" aria-hidden="true" focusable="false">${marker}${parts.join('')}</svg>`;
}
