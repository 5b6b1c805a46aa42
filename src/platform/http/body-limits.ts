/**
 * What a request body may look like before anything walks it. Nesting thousands deep or tens of
 * thousands of fields is no person's form: each is refused from the raw text, before the parser
 * builds it and before any check recurses into it (a recursive walk of deep JSON overflowed the
 * stack: a 500 for anyone, before the CSRF check). Every later walk is iterative too.
 */
import { parse as parseQueryString } from 'node:querystring';
import type { FastifyInstance } from 'fastify';
import fastifyFormbody from '@fastify/formbody';

/** Deeper than any form or script of ours sends (a goal's steps are 4 levels). */
export const MAX_DEPTH = 32;
/** Far more fields than the longest form has; counted across the whole body. */
export const MAX_FIELDS = 1000;

export class BodyShapeError extends Error {
  readonly statusCode: 400 | 413;
  constructor(message: string, statusCode: 400 | 413) {
    super(message);
    this.name = 'BodyShapeError';
    this.statusCode = statusCode;
  }
}

const tooDeep = () => new BodyShapeError(`request body nested deeper than ${MAX_DEPTH}`, 400);
const tooManyFields = () => new BodyShapeError(`request body has more than ${MAX_FIELDS} fields`, 413);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/**
 * Checks JSON text's nesting and size in one pass, without parsing it: brackets inside strings
 * do not count. Malformed text passes here and is refused by the parser.
 */
export function checkJsonShape(text: string): void {
  let depth = 0;
  let separators = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > MAX_DEPTH) throw tooDeep();
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
    else if (c === COMMA && ++separators >= MAX_FIELDS) throw tooManyFields();
  }
}

/** Parses a urlencoded form once its fields are counted. Forms are flat: `a[b]` is one name. */
export function parseFormBody(text: string): Record<string, string | string[] | undefined> {
  let fields = text.length > 0 ? 1 : 0;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) {
    if (++fields > MAX_FIELDS) throw tooManyFields();
  }
  return parseQueryString(text, '&', '=', { maxKeys: 0 });
}

/** Forms counted before parsing, and Fastify's own JSON parser after a look at the raw text. */
export async function registerBodyParsers(app: FastifyInstance, bodyLimit: number): Promise<void> {
  await app.register(fastifyFormbody, { bodyLimit, parser: parseFormBody });
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    try {
      checkJsonShape(body as string);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    void parseJson(request, body as string, done);
  });
}

/**
 * Every string in a parsed body, without recursion, at most `MAX_FIELDS` (and a little) of them:
 * bodies reach here through the parsers above, so this bound is a second line, not the first.
 */
export function* bodyStrings(body: unknown): Generator<{ value: string; set: (next: string) => void }> {
  const pending: { holder: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const visit = (holder: Record<string, unknown> | unknown[]) => {
    if (Array.isArray(holder)) holder.forEach((_, index) => pending.push({ holder, key: index }));
    else for (const key of Object.keys(holder)) pending.push({ holder, key });
  };
  if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return;
  visit(body as Record<string, unknown>);
  let seen = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (++seen > MAX_FIELDS * 4) throw tooManyFields();
    const { holder, key } = next;
    const value = (holder as Record<string | number, unknown>)[key];
    if (typeof value === 'string') {
      yield {
        value,
        set: (next) => {
          (holder as Record<string | number, unknown>)[key] = next;
        },
      };
    } else if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
      visit(value as Record<string, unknown>);
    }
  }
}
