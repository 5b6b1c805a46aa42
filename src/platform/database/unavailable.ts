/**
 * Whether a request failed because the database could not be reached or did not answer in
 * time (a silent host, a restart, a refused connection, a statement or transaction timeout),
 * rather than because of the request. Such a request is answered "try again shortly" (503).
 */
const UNAVAILABLE_SQLSTATE = [
  '08', // connection exception
  '53300', // too many connections
  '57014', // statement timeout (query_canceled)
  '57P01', // admin shutdown: a restart or pg_terminate_backend
  '57P02', // crash shutdown
  '57P03', // cannot connect now: starting up or shutting down
  '25P03', // idle-in-transaction timeout
];

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres says these in words, without a code. */
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 10; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      if (UNAVAILABLE_NODE_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE.some((prefix) => code.startsWith(prefix)))
        return true;
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((words) => message.includes(words)))
      return true;
    current = cause;
  }
  return false;
}
