/**
 * What the admin forms share: the record version an edit form carries, and success messages
 * that only ever show fixed text.
 */
import { describe, expect, it } from 'vitest';
import { notices } from '../platform/http/form-page.ts';
import { parseVersion } from './admin-forms.ts';
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
    const noticeFor = notices(STAFF_NOTICES);
    expect(noticeFor('disabled')).toBe(STAFF_NOTICES.disabled);
    expect(noticeFor('<script>alert(1)</script>')).toBeUndefined();
    expect(noticeFor('constructor')).toBeUndefined();
    expect(noticeFor(['disabled'])).toBeUndefined();
  });
});
