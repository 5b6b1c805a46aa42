import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatNhsNumber, parseNhsNumber } from './nhs-number.ts';

describe('NHS number', () => {
  it('accepts a valid number written with spaces or hyphens', () => {
    expect(parseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(parseNhsNumber('943-476-5919')).toBe('9434765919');
  });

  it('refuses a number whose check digit is wrong', () => {
    expect(parseNhsNumber('9434765918')).toBeUndefined();
  });

  it('refuses numbers whose check digit would be 10', () => {
    // 1000000010: weighted sum 10 → 11 - 10 = 1 ... find one that yields 10 by search instead of guessing.
    const withTen = Array.from({ length: 2000 }, (_, i) => String(1_000_000_000 + i * 10).slice(0, 9)).find(
      (nine) => {
        let sum = 0;
        for (let i = 0; i < 9; i++) sum += Number(nine.charAt(i)) * (10 - i);
        return 11 - (sum % 11) === 10;
      },
    );
    expect(withTen).toBeDefined();
    for (let last = 0; last <= 9; last++) expect(parseNhsNumber(`${withTen}${last}`)).toBeUndefined();
  });

  it('refuses anything that is not ten digits', () => {
    expect(parseNhsNumber('943476591')).toBeUndefined();
    expect(parseNhsNumber('94347659190')).toBeUndefined();
    expect(parseNhsNumber('943476591a')).toBeUndefined();
    expect(parseNhsNumber('')).toBeUndefined();
  });

  it('exactly one final digit makes any nine digits valid, or none does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (nine) => {
        const valid = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].filter((d) =>
          parseNhsNumber(nine + d),
        );
        expect(valid.length).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('formats as 3 3 4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });
});
