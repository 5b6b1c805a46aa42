/** The themes group supervision can be about, as data (`supervision-themes.json`), checked at start-up. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadDataFile } from '../platform/data-file.ts';

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
  return loadDataFile(schema, file).themes;
}
