import { describe, expect, it } from 'vitest';
import { quotaProblem, sizeWords } from './media-quota.ts';

const quota = { maxItems: 3, maxBytes: 10 * 1024 * 1024, removedDays: 30 };

describe('how much a plan may hold', () => {
  it('lets a file in while the plan has room for it', () => {
    expect(quotaProblem({ items: 2, bytes: 9 * 1024 * 1024 }, 1024 * 1024, quota)).toBeUndefined();
  });

  it('refuses one more item than the limit, saying what to do', () => {
    expect(quotaProblem({ items: 3, bytes: 0 }, 10, quota)).toBe(
      'This plan already has 3 drawings, photos and voice notes, the most it can hold. Remove one you no longer need, then add this one',
    );
  });

  it('refuses a file that would take the plan past its bytes, saying when removed space comes back', () => {
    expect(quotaProblem({ items: 0, bytes: 9.5 * 1024 * 1024 }, 1024 * 1024, quota)).toBe(
      'There is not enough room left in this plan for this file (each plan can hold 10 MB). Remove something you no longer need: its space is free again 30 days after you remove it',
    );
  });

  it('says sizes as people read them', () => {
    expect(sizeWords(3_355_443)).toBe('3.2 MB');
    expect(sizeWords(200 * 1024)).toBe('0.2 MB');
    expect(sizeWords(50 * 1024)).toBe('50 KB');
    expect(sizeWords(1)).toBe('1 KB');
  });
});
