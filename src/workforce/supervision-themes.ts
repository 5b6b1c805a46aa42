/** The themes group supervision can be about, as data (`supervision-themes.json`), checked at start-up. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'supervision-themes.json');

const schema = z.strictObject({
  $comment: z.string().optional(),
  themes: z
    .array(z.string().trim().min(1).max(80))
    .min(1)
    .max(30)
    .refine((themes) => new Set(themes).size === themes.length, 'a theme appears twice'),
});

export function loadSupervisionThemes(file = FILE): string[] {
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')) as unknown);
  if (!parsed.success)
    throw new Error(`${file} is not valid: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data.themes;
}
