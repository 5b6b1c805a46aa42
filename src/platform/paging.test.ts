import { describe, expect, it } from 'vitest';
import { pageOf } from './paging.ts';

const numbers = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('a long list a page at a time', () => {
  it('gives each page its items, where it starts and ends, and its neighbours', () => {
    expect(pageOf(numbers(120), 1, 50)).toMatchObject({
      items: numbers(50),
      number: 1,
      count: 3,
      total: 120,
      previous: null,
      next: 2,
      from: 1,
      to: 50,
    });
    const last = pageOf(numbers(120), 3, 50);
    expect(last).toMatchObject({ number: 3, previous: 2, next: null, from: 101, to: 120 });
    expect(last.items).toEqual(numbers(120).slice(100));
  });

  it('shows the last page for one past the end, and one empty page for an empty list', () => {
    expect(pageOf(numbers(60), 9, 50)).toMatchObject({ number: 2, from: 51, to: 60 });
    expect(pageOf([], 1, 50)).toMatchObject({
      items: [],
      number: 1,
      count: 1,
      total: 0,
      previous: null,
      next: null,
      from: 0,
      to: 0,
    });
  });
});
