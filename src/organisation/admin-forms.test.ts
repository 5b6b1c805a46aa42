/**
 * What the admin forms share: the record version an edit form carries, and success messages
 * that only ever show fixed text.
 */
import { describe, expect, it } from 'vitest';
import { noticeFor, parseVersion } from './admin-forms.ts';
import { STAFF_NOTICES } from './staff-admin.form.ts';

describe('edit form version', () => {
  it.each([
    [{ version: '3' }, 3],
    [{ version: ['3', '4'] }, undefined],
    [{ version: '-1' }, undefined],
    [{ version: '1e3' }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])('reads %o as %s', (body, expected) => {
    expect(parseVersion(body)).toBe(expected);
  });
});

describe('success messages', () => {
  it('shows only the fixed text for a known outcome', () => {
    expect(noticeFor(STAFF_NOTICES, { done: 'disabled' })).toBe(STAFF_NOTICES.disabled);
    expect(noticeFor(STAFF_NOTICES, { done: '<script>alert(1)</script>' })).toBeUndefined();
    expect(noticeFor(STAFF_NOTICES, { done: 'constructor' })).toBeUndefined();
    expect(noticeFor(STAFF_NOTICES, { done: ['disabled'] })).toBeUndefined();
  });
});
