/**
 * An error as the log may keep it: never a query's values. Drizzle's query error carries them
 * (`params`, and in its message and stack "params: …"), and a driver's error can repeat them
 * (`detail`: "Key (email)=(…) already exists", `where`, an `internalQuery`), so a session's
 * note or a contact reached the log. The statement text, SQLSTATE code, constraint, table and
 * column stay: they say what failed without saying what anyone wrote.
 */
/** Fields of a driver's error that can hold a row's values. */
const VALUE_FIELDS = ['params', 'detail', 'where', 'internalQuery', 'parameters'] as const;

/** The stack's frames alone: its first line repeats the message. */
function frames(error: Error): string[] {
  return (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
}

/** What the log keeps of one error: type, message, stack and its own fields, without values. */
function serialize(error: Error, seen: Set<Error>): Record<string, unknown> {
  seen.add(error);
  const out: Record<string, unknown> = {
    type: error.constructor.name,
    message: error.message,
    stack: error.stack,
  };
  for (const key of Object.keys(error)) {
    if ((VALUE_FIELDS as readonly string[]).includes(key) || key === 'cause') continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value instanceof Error || typeof value === 'function') continue;
    out[key] = value;
  }
  const query = (error as { query?: unknown }).query;
  if (typeof query === 'string' && 'params' in error) {
    const message = `Failed query: ${query}`;
    // The stack starts with the original message, values and all: only its frames are kept.
    out.message = message;
    out.stack = [`${error.name}: ${message}`, ...frames(error)].join('\n');
  }
  // A data exception names the value it could not take: 'invalid input syntax for type uuid: "…"'.
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('22')) {
    out.message = error.message.replace(/:\s.*$/s, '');
    out.stack = [`${error.name}: ${String(out.message)}`, ...frames(error)].join('\n');
  }
  if (error.cause instanceof Error && !seen.has(error.cause)) out.cause = serialize(error.cause, seen);
  return out;
}

/** The log's `err` serializer: an error without the values of any query it ran. */
export function loggableError(error: unknown): unknown {
  return error instanceof Error ? serialize(error, new Set()) : error;
}
