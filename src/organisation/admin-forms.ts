/**
 * What the admin pages' forms share: reading a posted body or query string that may hold
 * anything, the record version an edit form carries, and the fixed success messages. Each
 * resource's own form and view models are beside it (team-admin.form.ts, staff-admin.form.ts).
 */
export type Body = Record<string, unknown>;
export const asBody = (body: unknown): Body =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Body) : {};
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
  const value = asBody(body).version;
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/** The fixed success message for `?done=…`; the query string never puts its own words on the page. */
export function noticeFor(notices: Readonly<Record<string, string>>, query: unknown): string | undefined {
  const done = asBody(query).done;
  return typeof done === 'string' && Object.hasOwn(notices, done) ? notices[done] : undefined;
}
