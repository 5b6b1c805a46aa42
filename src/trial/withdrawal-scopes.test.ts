import { describe, expect, it } from 'vitest';
import { widerScopes, widestScope } from './withdrawal-scopes.ts';

describe('withdrawal scopes', () => {
  it('offers every scope first, then only wider ones, and none after withdrawal from their data', () => {
    expect(widerScopes(null)).toEqual(['intervention', 'follow_up', 'data']);
    expect(widerScopes('intervention')).toEqual(['follow_up', 'data']);
    expect(widerScopes('follow_up')).toEqual(['data']);
    expect(widerScopes('data')).toEqual([]);
  });

  it('finds the widest of several withdrawals, whatever their order', () => {
    expect(widestScope([])).toBeNull();
    expect(widestScope(['follow_up', 'intervention'])).toBe('follow_up');
    expect(widestScope(['intervention', 'data', 'follow_up'])).toBe('data');
  });
});
