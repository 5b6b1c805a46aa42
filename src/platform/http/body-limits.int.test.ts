/**
 * Bodies built to exhaust the server rather than fill in a form: nesting thousands deep, tens
 * of thousands of fields. Each is refused with a 4xx before anything walks it, signed in or
 * not, before the CSRF check, and nothing is logged as an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { createTestApp, DEMO, TestClient, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
let app: FastifyInstance;
let worker: TestClient;
const lines: string[] = [];

beforeAll(async () => {
  // The production logger, writing to memory: a refused body must not log an error or a stack.
  t = await createTestApp({}, { log: (line) => lines.push(line) });
  app = t.app;
  worker = new TestClient(app);
  await worker.get('/demo');
  await worker.post(`/demo/sign-in/staff/${await t.staffId(DEMO.workerPat)}`, {});
  await worker.get('/help');
});
afterAll(async () => {
  await t.close();
});

const URLS = [
  '/sign-in',
  '/participant/sign-in',
  '/me/plan/moving_on/entries',
  '/referrals',
  '/session/extend',
];

const errorsLogged = () =>
  lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50 || line.includes('"stack"'));

/** Nesting `depth` deep, as arrays, objects or both. */
const nested = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 33, max: 200 }), fc.integer({ min: 5_000, max: 40_000 })),
    shape: fc.constantFrom('array', 'object', 'mixed'),
  })
  .map(({ depth, shape }) => {
    const open = (i: number) => (shape === 'array' || (shape === 'mixed' && i % 2) ? '[' : '{"a":');
    const close = (i: number) => (shape === 'array' || (shape === 'mixed' && i % 2) ? ']' : '}');
    let head = '';
    let tail = '';
    for (let i = 0; i < depth; i++) {
      head += open(i);
      tail = close(i) + tail;
    }
    return `${head}"x"${tail}`;
  });

// Each request from its own address: the sign-in pages' rate limits would answer 429 first.
let requests = 0;
const nextAddress = () => {
  requests += 1;
  return `10.0.${Math.floor(requests / 250)}.${(requests % 250) + 1}`;
};

async function send(
  url: string,
  contentType: string,
  payload: string,
  who: 'anonymous' | 'worker',
): Promise<{ statusCode: number; body: string }> {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': contentType, accept: 'text/html' },
    cookies: who === 'worker' ? Object.fromEntries(worker.cookies) : {},
    remoteAddress: nextAddress(),
    payload,
  });
}

describe('bodies built to exhaust the server', () => {
  it('refuses JSON nested deeper than 32 levels with 400, never 500, logging no error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...URLS),
        nested,
        fc.constantFrom('anonymous', 'worker'),
        async (url, body, who) => {
          const response = await send(url, 'application/json', body, who);
          expect(response.statusCode, `${url} ${body.slice(0, 40)}`).toBe(400);
          expect(response.body).toContain('Sorry, there is a problem with this request');
        },
      ),
      { numRuns: 40 },
    );
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses JSON with more than 1,000 fields with 413, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...URLS),
        fc.integer({ min: 1_001, max: 20_000 }),
        fc.constantFrom('object', 'array'),
        async (url, fields, shape) => {
          const items = Array.from({ length: fields }, (_, i) => (shape === 'object' ? `"k${i}":1` : '1'));
          const body = shape === 'object' ? `{${items.join(',')}}` : `[${items.join(',')}]`;
          const response = await send(url, 'application/json', body, 'anonymous');
          expect(response.statusCode, `${url} ${fields}`).toBe(413);
        },
      ),
      { numRuns: 25 },
    );
    expect(errorsLogged()).toEqual([]);
  });

  it('refuses a form with more than 1,000 fields with 413, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...URLS),
        fc.integer({ min: 1_001, max: 60_000 }),
        fc.constantFrom('same', 'distinct', 'bracketed'),
        fc.constantFrom('anonymous', 'worker'),
        async (url, fields, names, who) => {
          const name = (i: number) =>
            names === 'same' ? 'a' : names === 'distinct' ? `k${i}` : `a${'[b]'.repeat(i % 50)}`;
          const body = Array.from({ length: fields }, (_, i) => `${name(i)}=1`).join('&');
          const response = await send(
            url,
            'application/x-www-form-urlencoded',
            body.slice(0, 250 * 1024),
            who,
          );
          expect(response.statusCode, `${url} ${fields} ${names}`).toBe(413);
        },
      ),
      { numRuns: 25 },
    );
    expect(errorsLogged()).toEqual([]);
  });

  it('answers a script with JSON saying what was wrong', async () => {
    const deep = await app.inject({
      method: 'POST',
      url: '/me/plan/moving_on/entries',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      payload: '['.repeat(10_000) + ']'.repeat(10_000),
    });
    expect(deep.statusCode).toBe(400);
    expect(deep.json()).toEqual({ status: 'bad_request' });
  });

  it('still reads JSON and forms within the limits, strings full of brackets included', async () => {
    await worker.get('/help');
    const within = await app.inject({
      method: 'POST',
      url: '/session/extend',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': worker.csrfToken!,
      },
      cookies: Object.fromEntries(worker.cookies),
      payload: JSON.stringify({ note: '[[[[{{{{'.repeat(500), list: Array.from({ length: 900 }, () => 1) }),
    });
    expect(within.statusCode).toBe(200);
    expect(within.json()).toEqual({ signedIn: true });
  });
});
