/**
 * The service's one logger, made by the composition root and handed to Fastify and to every
 * service that logs: no module makes its own.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type LoggerOptions } from 'pino';
import { loggableError } from './database/loggable-error.ts';

/** A pino logger, as Fastify types the one it is given. */
export type Logger = FastifyBaseLogger;

/** What a service that only reports failures needs of the logger. */
export type ErrorLog = Pick<Logger, 'error'>;

/** Addresses that are themselves a secret (a set-up link, a calendar invitation): logged without it. */
export function redactedUrl(url: string): string {
  return url.replace(/^(\/account\/set-up\/|\/calendar\/)[^/?#]+/, '$1[redacted]');
}

/** Log lines never carry cookies, tokens, passwords, codes or what people wrote. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    // Fastify's own request serializer, with the address's secrets taken out.
    serializers: {
      err: loggableError,
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactedUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket.remotePort,
      }),
    },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        'req.body',
        '*.password',
        '*.code',
        '*.token',
        '*.nhsNumber',
      ],
      censor: '[redacted]',
    },
  };
}

/** JSON lines on stdout, or on `destination` (tests read them from memory). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
