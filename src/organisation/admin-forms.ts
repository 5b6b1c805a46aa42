/**
 * What the admin pages' forms share: reading posted values that may hold anything, and the
 * record version an edit form carries. Each resource's own form and view models are beside it
 * (team-admin.form.ts, staff-admin.form.ts).
 */
import { asRecord } from '../platform/http/form-page.ts';

export const asString = (value: unknown): string => (typeof value === 'string' ? value : '');
export const asStrings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((item) => typeof item === 'string')
      : [];

export const collapseSpaces = (value: string) => value.replace(/\s+/g, ' ');

/** The record version an edit form carries in a hidden field; undefined when missing or tampered with. */
export function parseVersion(body: unknown): number | undefined {
  const value = asRecord(body).version;
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
