/**
 * QUALITY.md: "Printable plan (PDF) of a full workbook ≤ 500 ms". Renders a full plan (every
 * switched-on section filled, two photos and a drawing) in this process, a few times to warm
 * up and then `runs` times, and gives the median and 95th percentile. Part of `npm run bench`;
 * `node bench/plan-pdf.ts` runs it alone.
 */
import { renderPlanPdf } from '../src/plan/plan-pdf.ts';
import { loadPlanTemplates } from '../src/plan/plan-template.ts';
import { fullPlanDocument, sampleImages } from '../src/test-support/plan-documents.ts';

export const TARGET_PDF_MS = 500;

export interface PdfBench {
  runs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  bytes: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export async function benchPlanPdf(runs: number): Promise<PdfBench> {
  const plan = fullPlanDocument(loadPlanTemplates().latest, await sampleImages());
  for (let i = 0; i < 3; i++) await renderPlanPdf(plan);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    bytes = (await renderPlanPdf(plan)).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    runs,
    medianMs: percentile(times, 50),
    p95Ms: percentile(times, 95),
    maxMs: times[times.length - 1] ?? NaN,
    bytes,
  };
}

export function describePdfBench(result: PdfBench): { line: string; met: boolean } {
  const met = result.p95Ms <= TARGET_PDF_MS;
  return {
    met,
    line:
      `Printable plan (PDF, full plan with 2 photos and a drawing, ${(result.bytes / 1024).toFixed(0)} KB), ` +
      `${result.runs} renders in-process: median ${result.medianMs.toFixed(0)} ms, p95 ${result.p95Ms.toFixed(0)} ms, ` +
      `max ${result.maxMs.toFixed(0)} ms; QUALITY.md target ≤ ${TARGET_PDF_MS} ms ${met ? 'PASS' : 'MISS'}`,
  };
}

if (import.meta.main) {
  const runs = Number(process.env.BENCH_PDF_RUNS ?? 20);
  console.log(describePdfBench(await benchPlanPdf(runs)).line);
}
