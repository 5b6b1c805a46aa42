/**
 * The report's charts, drawn on the server as SVG: no script, no chart library, readable on a
 * 320 px phone. Each sits beside a table holding the same numbers, which is what a screen reader
 * reads (the SVG is `aria-hidden`), so the chart is for those who would rather look.
 */
import type { Figure, MonthRow } from './service-report.ts';

const BLUE = '#005eb8';
const PALE = '#d8dde0';
const TEXT = '#212b32';
const SECONDARY = '#4c6272';
const RED = '#d5281b';

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
const px = (n: number) => n.toFixed(1);

const svg = (width: number, height: number, body: string) =>
  `<svg class="app-chart" viewBox="0 0 ${String(width)} ${String(height)}" width="100%" aria-hidden="true" focusable="false">${body}</svg>`;

/**
 * The engagement funnel: one bar per step, its length the share of everyone referred, with the
 * step's name above it and its count and percentage at its end.
 */
export function funnelChart(steps: readonly Figure[]): string {
  const first = steps[0];
  if (!first || first.d === 0) return '';
  const width = 320;
  const barHeight = 18;
  const rowHeight = 44;
  const labelWidth = 96;
  const barSpace = width - labelWidth;
  const body = steps
    .map((step, i) => {
      const top = i * rowHeight;
      const length = Math.max(1, (barSpace * step.n) / first.d);
      const share = step.percent === null ? '' : ` (${String(step.percent)}%)`;
      return (
        `<text x="0" y="${px(top + 13)}" font-size="12" fill="${TEXT}">${escapeXml(step.label)}</text>` +
        `<rect x="0" y="${px(top + 18)}" width="${px(barSpace)}" height="${String(barHeight)}" fill="${PALE}"/>` +
        `<rect x="0" y="${px(top + 18)}" width="${px(length)}" height="${String(barHeight)}" fill="${BLUE}"/>` +
        `<text x="${px(barSpace + 6)}" y="${px(top + 32)}" font-size="12" fill="${TEXT}">${step.n.toLocaleString('en-GB')}${share}</text>`
      );
    })
    .join('');
  return svg(width, steps.length * rowHeight, body);
}

/**
 * Waits over time: for each month of referrals, a bar for the median working days from referral
 * to a worker, and a dashed line at the target.
 */
export function waitsChart(months: readonly MonthRow[], targetWorkingDays: number): string {
  if (months.length === 0) return '';
  const width = 320;
  const height = 170;
  const left = 26;
  const bottom = 28;
  const top = 10;
  const plotHeight = height - bottom - top;
  const highest = Math.max(targetWorkingDays + 1, ...months.map((m) => m.medianWorkingDays ?? 0));
  const y = (days: number) => top + plotHeight - (plotHeight * days) / highest;
  const slot = (width - left) / months.length;
  const labelEvery = months.length > 8 ? 2 : 1;
  const bars = months
    .map((m, i) => {
      const x = left + i * slot;
      const label =
        i % labelEvery === 0
          ? `<text x="${px(x + slot / 2)}" y="${String(height - 14)}" font-size="10" text-anchor="middle" fill="${SECONDARY}">${escapeXml(m.label.slice(0, 3))}</text>` +
            (i === 0 || m.month.endsWith('-01')
              ? `<text x="${px(x + slot / 2)}" y="${String(height - 2)}" font-size="10" text-anchor="middle" fill="${SECONDARY}">${m.month.slice(0, 4)}</text>`
              : '')
          : '';
      if (m.medianWorkingDays === null) return label;
      const barTop = y(m.medianWorkingDays);
      return (
        `<rect x="${px(x + slot * 0.15)}" y="${px(barTop)}" width="${px(slot * 0.7)}" height="${px(top + plotHeight - barTop)}" fill="${BLUE}"/>` +
        label
      );
    })
    .join('');
  const axis =
    `<line x1="${String(left)}" y1="${px(top + plotHeight)}" x2="${String(width)}" y2="${px(top + plotHeight)}" stroke="${SECONDARY}"/>` +
    `<text x="${String(left - 4)}" y="${px(top + plotHeight)}" font-size="10" text-anchor="end" fill="${SECONDARY}">0</text>` +
    `<text x="${String(left - 4)}" y="${px(y(highest) + 8)}" font-size="10" text-anchor="end" fill="${SECONDARY}">${String(Math.ceil(highest))}</text>`;
  const targetLine =
    `<line x1="${String(left)}" y1="${px(y(targetWorkingDays))}" x2="${String(width)}" y2="${px(y(targetWorkingDays))}" stroke="${RED}" stroke-width="2" stroke-dasharray="6 4"/>` +
    `<text x="${String(width)}" y="${px(y(targetWorkingDays) - 4)}" font-size="10" text-anchor="end" fill="${RED}">Target: ${String(targetWorkingDays)}</text>`;
  return svg(width, height, axis + bars + targetLine);
}
