/**
 * What the recovery plan's entry forms post, for the plan tests: the hidden ids a section page
 * gives each field's form, ids for a new entry or for another save of one, and the fields of a
 * text answer or a list item.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';

/** Which entry a save is for, the save's own id (for exactly-once) and the revision it builds on. */
export interface EntryIds {
  entryId: string;
  saveId: string;
  baseRevision: string;
}

/** The hidden ids of the form for one field on a section page. */
export function formIds(html: string, fieldKey: string): EntryIds {
  const start = html.indexOf(`name="fieldKey" value="${fieldKey}"`);
  expect(start).toBeGreaterThan(-1);
  const form = html.slice(html.lastIndexOf('<form', start), html.indexOf('</form>', start));
  const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '';
  return { entryId: value('entryId'), saveId: value('saveId'), baseRevision: value('baseRevision') };
}

/** Ids for an entry nobody has saved yet. */
export const newIds = (): EntryIds => ({ entryId: randomUUID(), saveId: randomUUID(), baseRevision: '0' });

/** Ids for a new save of an entry, made on top of its revision `baseRevision`. */
export const revising = (entryId: string, baseRevision: number | string) => ({
  entryId,
  saveId: randomUUID(),
  baseRevision: String(baseRevision),
});

/** A text answer to one field, as posted. */
export const textAnswer = (fieldKey: string, words: string) => ({ fieldKey, kind: 'text', text: words });

/** An item of a list field, as posted. */
export const listItem = (fieldKey: string, words: string) => ({ fieldKey, kind: 'list_item', text: words });
