/**
 * The deployment's data files (the training catalogue, the appointment criteria, fidelity items,
 * supervision themes): JSON checked against its schema when the service starts. A file that does
 * not fit stops the start, naming the file and every problem, rather than running on a half-read
 * rule.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export function parseDataFile<S extends z.ZodType>(schema: S, json: unknown, source: string): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`,
    );
    throw new Error(`${source} is not valid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export function loadDataFile<S extends z.ZodType>(schema: S, file: string): z.infer<S> {
  return parseDataFile(schema, JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
}

/** A key in a data file: lower case letters, digits and _, at most 40 (what records point at). */
export const dataKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/);

/** A declared rating scale: each point a whole number with its words ("Good evidence"). */
export const ratingScale = (most: number) =>
  z
    .array(
      z.strictObject({ value: z.number().int().min(0).max(10), label: z.string().trim().min(1).max(30) }),
    )
    .min(2)
    .max(most);
