import { describe, expect, it } from 'vitest';
import { mean, median, quantile } from './statistics.ts';

describe('summaries of numbers', () => {
  it('the median is the middle value, or halfway between the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('quartiles interpolate between neighbours', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('the mean of none is none', () => {
    expect(mean([2, 4, 9])).toBe(5);
    expect(mean([])).toBeNull();
  });
});
