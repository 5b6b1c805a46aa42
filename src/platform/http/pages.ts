/**
 * `?page=N` of a long list (platform/paging.ts): 1 when absent; a page that is not a whole
 * number from 1 is a malformed request (400).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseQuery } from './form-page.ts';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).optional() });

export function pageNumber(request: Pick<FastifyRequest, 'query'>): number {
  return parseQuery(request, pageQuery).page ?? 1;
}
