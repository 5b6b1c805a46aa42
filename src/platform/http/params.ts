import { z } from 'zod';
import { NotFoundError } from '../errors.ts';
import { asRecord } from './form-page.ts';

const uuid = z.uuid();

/** A record id from the URL; anything that is not a UUID is simply not found. */
export function idParam(params: unknown, name: string): string {
  const value = asRecord(params)[name];
  const parsed = uuid.safeParse(value);
  if (!parsed.success) throw new NotFoundError('page');
  return parsed.data;
}
