/**
 * Unicode direction controls in what people type. A right-to-left override (U+202E) in a name
 * reverses everything after it on the line, so a caseload or a list of staff can be made to
 * read differently from what it holds. No keyboard types these controls by accident: they are
 * taken out of every form as it arrives (app.ts) and out of every value a page shows
 * (`isolateUserText`, for anything stored before). Right-to-left names stay as typed, and are
 * isolated so they cannot reorder the words around them.
 */

/** Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). The marks LRM/RLM stay. */
const CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const RTL_SCRIPTS =
  '\\p{Script=Hebrew}\\p{Script=Arabic}\\p{Script=Syriac}\\p{Script=Thaana}\\p{Script=Nko}' +
  '\\p{Script=Samaritan}\\p{Script=Mandaic}\\p{Script=Adlam}\\p{Script=Hanifi_Rohingya}';
const RTL_LETTER = new RegExp(`[${RTL_SCRIPTS}]`, 'v');
const LTR_LETTER = new RegExp(`[\\p{L}--[${RTL_SCRIPTS}]]`, 'v');
/** Anything this module changes: a control, or a right-to-left letter. Most text has neither. */
const NEEDS_WORK = new RegExp(`[\\u202A-\\u202E\\u2066-\\u2069${RTL_SCRIPTS}]`, 'v');

/** First strong isolate … pop directional isolate: `<bdi>` as characters, valid in any attribute too. */
const FSI = '\u2068';
const PDI = '\u2069';

export function stripDirectionControls(text: string): string {
  return NEEDS_WORK.test(text) ? text.replace(CONTROLS, '') : text;
}

/**
 * Text as a page may show it: without direction controls, and, when it is right-to-left words
 * only (a name, a place), isolated like `<bdi>`. Text mixing in left-to-right words ("محمد's
 * recovery plan") is a sentence of ours around a name: isolating all of it would lay the
 * sentence out right to left, so it is only cleaned.
 */
export function isolateText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  const clean = text.replace(CONTROLS, '');
  return RTL_LETTER.test(clean) && !LTR_LETTER.test(clean) ? `${FSI}${clean}${PDI}` : clean;
}

const MAX_DEPTH = 40;

/**
 * A page's view with every string passed through `isolateText`, copied only where something
 * changed: the view models are our own, often shared (the plan template), and never mutated.
 */
export function isolateUserText<T>(view: T): T {
  return isolate(view, 0) as T;
}

function isolate(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return isolateText(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    let copy: unknown[] | undefined;
    items.forEach((item, index) => {
      const next = isolate(item, depth + 1);
      if (next !== item) (copy ??= [...items])[index] = next;
    });
    return copy ?? items;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = isolate(item, depth + 1);
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}
