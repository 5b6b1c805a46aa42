/**
 * A small line chart of a worker's mean fidelity score at each rated 1:1, drawn on the server as
 * SVG (no script), with the numbers also in a table beside it for anyone who cannot see it. The
 * SVG is decorative for screen readers (`aria-hidden`), as the table carries the same figures.
 */
export interface ChartPoint {
  label: string;
  value: number;
}

const WIDTH = 300;
const HEIGHT = 120;
const PAD = 24;

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function fidelityChart(points: readonly ChartPoint[], min: number, max: number): string {
  if (points.length === 0 || max <= min) return '';
  const x = (i: number) =>
    points.length === 1 ? WIDTH / 2 : PAD + (i * (WIDTH - 2 * PAD)) / (points.length - 1);
  const y = (v: number) => HEIGHT - PAD - ((v - min) * (HEIGHT - 2 * PAD)) / (max - min);
  // The first and last labels are kept inside the box.
  const anchor = (i: number) =>
    points.length === 1 ? 'middle' : i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points
    .map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="4" fill="#005eb8"/>`)
    .join('');
  const labels = points
    .map(
      (p, i) =>
        `<text x="${x(i).toFixed(1)}" y="${String(HEIGHT - 4)}" font-size="10" text-anchor="${anchor(i)}" fill="#4c6272">${escapeXml(p.label)}</text>`,
    )
    .join('');
  const axis = `<line x1="${String(PAD)}" y1="${y(min).toFixed(1)}" x2="${String(WIDTH - PAD)}" y2="${y(min).toFixed(1)}" stroke="#aeb7bd"/><line x1="${String(PAD)}" y1="${y(max).toFixed(1)}" x2="${String(WIDTH - PAD)}" y2="${y(max).toFixed(1)}" stroke="#d8dde0"/>`;
  return `<svg class="app-chart" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" width="100%" role="img" aria-hidden="true" focusable="false">${axis}<polyline points="${line}" fill="none" stroke="#005eb8" stroke-width="2"/>${dots}${labels}</svg>`;
}
