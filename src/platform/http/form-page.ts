/**
 * One shape for every question page: GET shows the form; POST parses the body, shows the form
 * again with the error summary (400, or the status `save` gives, such as 429 for a throttled
 * sign-in) when something needs correcting, and otherwise saves and redirects (303, so a
 * refresh does not post twice). Works without JavaScript: the form posts, the page comes back
 * with the person's own words in the boxes.
 *
 * Also the few safe readers of a request's body and query string, so routes never cast them.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ValidationError, type FieldErrors } from '../errors.ts';
import { errorList, type ErrorListItem } from './forms.ts';
import { seeOther } from './request-context.ts';

/** What a form posts once parsed by the body parser: text, or a list of text for repeated names. */
export type FormValues = Partial<Record<string, string | string[]>>;

/** Any parsed object as a record of unknowns; anything else (absent, a string, a number) as empty. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The posted body, ready to read field by field (absent or malformed bodies read as empty). */
export function bodyRecord(request: Pick<FastifyRequest, 'body'>): Record<string, unknown> {
  return asRecord(request.body);
}

/** Every posted value that is text or a list of text, unchanged; anything else is dropped. */
export function postedStrings(body: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(asRecord(body))) {
    if (typeof value === 'string') values[key] = value;
    else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return values;
}

export interface FormValuesOptions {
  /** Only these names are kept (the form's own boxes); by default every name but the CSRF token. */
  fields?: readonly string[];
  /** The longest text kept for one box: enough to show what was typed, never a hostile megabyte. */
  maxLength?: number;
  /**
   * Checkbox groups. One ticked box posts a string, several a list: both come back as a list.
   * Any other name posted more than once is dropped, as no text box can show a list.
   */
  lists?: readonly string[];
}

/** The most boxes of one checkbox group shown ticked again. */
const LIST_MAX = 10;

/** What to put back in the boxes when a form is shown again (text only, capped). */
export function formValues(body: unknown, options: FormValuesOptions = {}): FormValues {
  const { fields, maxLength = 2000, lists = [] } = options;
  const posted = postedStrings(body);
  const values: FormValues = {};
  for (const key of fields ?? Object.keys(posted)) {
    if (!fields && key === '_csrf') continue;
    const value = Object.hasOwn(posted, key) ? posted[key] : undefined;
    if (value === undefined) continue;
    if (lists.includes(key)) {
      values[key] = (Array.isArray(value) ? value : [value]).slice(0, LIST_MAX);
    } else if (typeof value === 'string') {
      values[key] = value.slice(0, maxLength);
    }
  }
  return values;
}

export interface ErrorSummary {
  /** Each field's message, shown beside it. */
  errors: FieldErrors;
  /** The error summary's list at the top of the page; absent when nothing is wrong. */
  errorList: ErrorListItem[] | undefined;
}

/**
 * The template's `errors` and `errorList` for a form: none when it is first shown; when shown
 * again, the messages in page order, each linking to its box (`anchors` maps a field to its id).
 */
export function errorSummary(
  errors: FieldErrors | undefined,
  fieldOrder: readonly string[],
  anchors: Record<string, string> = {},
): ErrorSummary {
  return { errors: errors ?? {}, errorList: errors ? errorList(errors, fieldOrder, anchors) : undefined };
}

/** The HTTP status of a form page: 400 when it is shown again with errors. */
export const formStatus = (errors: FieldErrors | undefined): 200 | 400 => (errors ? 400 : 200);

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/**
 * The status of a form shown again: 400 (something to correct) unless `save` says otherwise,
 * as a throttled sign-in does (429: wait, then try again) or an upload the server was too busy
 * to take (503).
 */
export type ShownAgainStatus = 400 | 429 | 503;

/** The form again, with these messages beside the boxes and this status (400 unless said). */
export interface ShowAgain {
  errors: FieldErrors;
  status?: ShownAgainStatus;
}

/**
 * Another answer than the form's own: a next step that is not a redirect (such as "enter the
 * code we sent you"), or JSON for a script. A function, called once `save` has finished, since a
 * reply (thenable) returned from `save` would be awaited as if it were a promise.
 */
export interface OtherAnswer {
  answer: () => unknown;
}

/**
 * What `save` decides: the path to go to next (a 303 redirect); the form again (`ShowAgain`),
 * for an outcome the service answers rather than throws (a wrong password, a throttled
 * sign-in); or `OtherAnswer`.
 */
export type SaveOutcome = string | ShowAgain | OtherAnswer;

/**
 * The POST half of a form page. Errors from parsing, a ValidationError from the service (a
 * rule only it can check), or a `ShowAgain` from `save` show the form again; otherwise `save`
 * says where to go next, or how else to answer.
 */
export async function submitForm<T>(
  reply: FastifyReply,
  form: Parsed<T>,
  steps: {
    save: (value: T) => Promise<SaveOutcome>;
    showAgain: (errors: FieldErrors, status: ShownAgainStatus) => unknown;
  },
): Promise<unknown> {
  if (!form.ok) return steps.showAgain(form.errors, 400);
  let outcome: SaveOutcome;
  try {
    outcome = await steps.save(form.value);
  } catch (error) {
    if (error instanceof ValidationError) return steps.showAgain(error.fieldErrors, 400);
    throw error;
  }
  if (typeof outcome === 'string') return seeOther(reply, outcome);
  if ('errors' in outcome) return steps.showAgain(outcome.errors, outcome.status ?? 400);
  return outcome.answer();
}

export interface ShownForm {
  /** What to put in the boxes; undefined when the page fills them from the record itself. */
  values: FormValues | undefined;
  /** Set when the form is shown again after a POST. */
  errors?: FieldErrors;
  /** The page's status: 200 when first shown, else the status it is shown again with. */
  status: 200 | ShownAgainStatus;
}

export interface FormPage<R, T> {
  path: string;
  /**
   * Who may post (`staffContext` or `participantContext`): checked before anything else on a
   * POST, so someone signed out gets the signed-out page whatever the post carries.
   */
  signedIn?: (request: FastifyRequest) => unknown;
  /** The route's own parameters and context (ids, who is asking), read before anything else. */
  route: (request: FastifyRequest) => R;
  render: (request: FastifyRequest, reply: FastifyReply, route: R, form: ShownForm) => unknown;
  /** What a new form starts with (by default nothing: the page fills its own defaults). */
  initialValues?: (request: FastifyRequest, route: R) => FormValues | undefined;
  /** Which posted values are shown again, and how long. */
  values?: FormValuesOptions;
  /**
   * The form carries a one-time submission token: a new form gets a fresh one, and a form shown
   * again keeps the one it was posted with (so a double submission still finds the first record).
   */
  submissionToken?: boolean;
  parse: (request: FastifyRequest, route: R) => Parsed<T>;
  /** Saves and answers where to redirect (or shows the form again: see `SaveOutcome`). */
  save: (route: R, value: T, request: FastifyRequest) => Promise<SaveOutcome>;
}

/** Registers GET and POST of one form page (see the module comment for the shape). */
export function registerFormPage<R, T>(app: FastifyInstance, page: FormPage<R, T>): void {
  const freshToken = (values: FormValues | undefined): FormValues | undefined =>
    page.submissionToken ? { submissionToken: randomUUID(), ...values } : values;

  app.get(page.path, (request, reply) => {
    const route = page.route(request);
    return page.render(request, reply, route, {
      values: freshToken(page.initialValues?.(request, route)),
      status: 200,
    });
  });

  app.post(page.path, (request, reply) => {
    page.signedIn?.(request);
    const route = page.route(request);
    const values = formValues(request.body, page.values);
    if (page.submissionToken && typeof values.submissionToken !== 'string')
      values.submissionToken = randomUUID();
    return submitForm(reply, page.parse(request, route), {
      save: (value) => page.save(route, value, request),
      showAgain: (errors, status) => page.render(request, reply, route, { values, errors, status }),
    });
  });
}

/** A request the service cannot make sense of: the error handler answers 400, never 500. */
export class BadRequestError extends Error {
  readonly statusCode = 400;
  constructor(message = 'Malformed request') {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** The query string parsed by its schema; a malformed one is a 400 page. */
export function parseQuery<S extends z.ZodType>(
  request: Pick<FastifyRequest, 'query'>,
  schema: S,
): z.infer<S> {
  const parsed = schema.safeParse(asRecord(request.query));
  if (!parsed.success) throw new BadRequestError('Malformed query string');
  return parsed.data;
}

/** One query-string value as text; absent, repeated (`?a=1&a=2`) or nested values read as undefined. */
export function queryText(request: Pick<FastifyRequest, 'query'>, name: string): string | undefined {
  const query = asRecord(request.query);
  if (!Object.hasOwn(query, name)) return undefined;
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A page's success banners, keyed by the `?done=` its redirects add: `noticeFor(key)` is the
 * banner for that key. Only the page's own keys show anything: `?done=constructor` or
 * `?done=__proto__` finds nothing, as a Map holds no inherited names.
 */
export function notices(messages: Record<string, string>): (key: unknown) => string | undefined {
  const banners = new Map(Object.entries(messages));
  return (key) => (typeof key === 'string' ? banners.get(key) : undefined);
}
