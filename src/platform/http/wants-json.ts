import type { FastifyRequest } from 'fastify';

/**
 * Whether the request asks for JSON first (the plan's autosave and uploads, sent by script):
 * such a request gets its answer, and its errors, as JSON instead of a page.
 */
export const wantsJson = (request: FastifyRequest) =>
  (request.headers.accept ?? '').split(',')[0]?.trim() === 'application/json';
