/**
 * Staff list pages at national scale, one request at a time as a person opens them: after a
 * warm-up, `runs` sequential requests each, asking for compressed answers as a browser does,
 * timed to the last byte; then one more without `Accept-Encoding` for the page's full size.
 * Part of `BENCH_SCALE=national npm run bench`.
 */
import http from 'node:http';
import { BenchFailure } from './server.ts';

export interface PageToTime {
  path: string;
  /** Who is signed in, as the table shows it. */
  who: string;
  cookie: string;
}

export interface PageTiming extends PageToTime {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The HTML as rendered, and as sent to a browser asking for `br, gzip`. */
  bytes: number;
  compressedBytes: number;
  encoding: string;
}

interface Answer {
  status: number;
  encoding: string;
  bytes: number;
  ms: number;
}

function get(
  agent: http.Agent,
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(new URL(path, baseUrl), { agent, headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          encoding: response.headers['content-encoding'] ?? 'none',
          bytes,
          ms: performance.now() - started,
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** The value at quantile q of sorted values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

export async function timePages(
  baseUrl: string,
  pages: readonly PageToTime[],
  options: { runs: number; warmup: number; log: (line: string) => void },
): Promise<PageTiming[]> {
  // One connection, kept open between requests, as a browser keeps it.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    return await timeEach(agent, baseUrl, pages, options);
  } finally {
    agent.destroy();
  }
}

async function timeEach(
  agent: http.Agent,
  baseUrl: string,
  pages: readonly PageToTime[],
  options: { runs: number; warmup: number; log: (line: string) => void },
): Promise<PageTiming[]> {
  const timings: PageTiming[] = [];
  for (const page of pages) {
    const browser = { cookie: page.cookie, 'accept-encoding': 'br, gzip' };
    const check = (answer: Answer) => {
      if (answer.status !== 200)
        throw new BenchFailure(`GET ${page.path} as ${page.who} answered ${answer.status}`);
      return answer;
    };
    for (let i = 0; i < options.warmup; i++) check(await get(agent, baseUrl, page.path, browser));
    const answers: Answer[] = [];
    for (let i = 0; i < options.runs; i++) answers.push(check(await get(agent, baseUrl, page.path, browser)));
    const plain = check(await get(agent, baseUrl, page.path, { cookie: page.cookie }));
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    const last = answers.at(-1);
    const timing: PageTiming = {
      ...page,
      runs: answers.length,
      p50Ms: quantile(times, 0.5),
      p95Ms: quantile(times, 0.95),
      maxMs: times.at(-1) ?? NaN,
      bytes: plain.bytes,
      compressedBytes: last?.bytes ?? NaN,
      encoding: last?.encoding ?? 'none',
    };
    options.log(
      `  GET ${page.path} as ${page.who}: p50 ${timing.p50Ms.toFixed(0)} ms, p95 ${timing.p95Ms.toFixed(0)} ms, ` +
        `${timing.bytes} bytes (${timing.compressedBytes} ${timing.encoding})`,
    );
    timings.push(timing);
  }
  return timings;
}
