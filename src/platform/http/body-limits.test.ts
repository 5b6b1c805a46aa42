import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BodyShapeError,
  bodyStrings,
  checkJsonShape,
  MAX_DEPTH,
  MAX_FIELDS,
  parseFormBody,
} from './body-limits.ts';

const status = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error instanceof BodyShapeError ? error.statusCode : String(error);
  }
};

describe('checkJsonShape', () => {
  it('accepts any JSON a form or script could send: small and shallow', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value);
        fc.pre(text.split(',').length < MAX_FIELDS);
        expect(status(() => { checkJsonShape(text); })).toBe('accepted');
      }),
    );
  });

  it('refuses nesting deeper than the limit, however it is built, with 400', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_DEPTH + 1, max: 100_000 }),
        fc.constantFrom('[', '{"a":', '{"[":['),
        (depth, open) => {
          expect(status(() => { checkJsonShape(open.repeat(depth)); })).toBe(400);
        },
      ),
    );
  });

  it('does not count brackets, commas or escaped quotes inside strings', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('[', '{', ',', '"', '\\', 'a'), maxLength: 5000 }),
        (words) => {
          expect(status(() => { checkJsonShape(JSON.stringify({ words })); })).toBe('accepted');
        },
      ),
    );
  });

  it('refuses more than the field limit with 413', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_FIELDS + 1, max: 50_000 }), (fields) => {
        expect(status(() => { checkJsonShape(`[${'1,'.repeat(fields - 1)}1]`); })).toBe(413);
      }),
      { numRuns: 20 },
    );
    expect(status(() => { checkJsonShape(`[${'1,'.repeat(MAX_FIELDS - 1)}1]`); })).toBe('accepted');
  });
});

describe('parseFormBody', () => {
  it('reads a form as flat names and values', () => {
    expect({ ...parseFormBody('a=b+c&a=d&x%5By%5D=1&empty=') }).toEqual({
      a: ['b c', 'd'],
      'x[y]': '1',
      empty: '',
    });
  });

  it('refuses more than the field limit with 413, and takes exactly the limit', () => {
    const form = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=1`).join('&');
    expect(Object.keys(parseFormBody(form(MAX_FIELDS)))).toHaveLength(MAX_FIELDS);
    expect(status(() => parseFormBody(form(MAX_FIELDS + 1)))).toBe(413);
    expect(status(() => parseFormBody('&'.repeat(100_000)))).toBe(413);
  });
});

describe('bodyStrings', () => {
  it('finds every string, however nested, and lets each be replaced', () => {
    const body = { a: 'one', b: ['two', { c: 'three', d: 4 }], e: null, f: Buffer.from('not text') };
    for (const item of bodyStrings(body)) item.set(item.value.toUpperCase());
    expect(body).toEqual({ a: 'ONE', b: ['TWO', { c: 'THREE', d: 4 }], e: null, f: Buffer.from('not text') });
  });

  it('walks a body nested far past any limit without overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(status(() => [...bodyStrings(deep)])).toBe(413);
  });
});
