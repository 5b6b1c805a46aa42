/**
 * Fidelity to the programme's values (issue 15, part 6): the items and scale a worker and their
 * supervisor rate together at a 1:1, as data (`fidelity.json`), checked at start-up; and the
 * sums for a worker over time and a team in aggregate (pure, unit-tested).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { dataKey, loadDataFile, ratingScale } from '../platform/data-file.ts';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fidelity.json');
const key = dataKey;

const schema = z
  .strictObject({
    $comment: z.string().optional(),
    scale: ratingScale(7),
    groups: z
      .array(z.strictObject({ key, title: z.string().trim().min(1).max(80) }))
      .min(1)
      .max(5),
    items: z
      .array(z.strictObject({ key, group: key, title: z.string().trim().min(1).max(160) }))
      .min(1)
      .max(20),
  })
  .superRefine((f, ctx) => {
    const keys = f.items.map((i) => i.key);
    if (new Set(keys).size !== keys.length)
      ctx.addIssue({ code: 'custom', message: 'an item appears twice' });
    const groups = new Set(f.groups.map((g) => g.key));
    for (const item of f.items)
      if (!groups.has(item.group))
        ctx.addIssue({ code: 'custom', message: `item "${item.key}" is in unknown group "${item.group}"` });
    const values = f.scale.map((s) => s.value);
    if (new Set(values).size !== values.length)
      ctx.addIssue({ code: 'custom', message: 'a scale value appears twice' });
  });

export type Fidelity = z.infer<typeof schema>;

export function loadFidelity(file = FILE): Fidelity {
  return loadDataFile(schema, file);
}

export interface Rating {
  itemKey: string;
  score: number;
}

/** The mean of the scores given, to one decimal place; null when none were. */
export function meanScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  return Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10;
}

/**
 * Below this many rated 1:1s, or this many different workers rated, a team's figure is not shown:
 * too few to say anything, and too near a person (one worker's three 1:1s would be theirs alone).
 */
export const TEAM_MINIMUM = 3;

/** Per item, a team's mean over the 1:1s rated, or null (suppressed) below TEAM_MINIMUM. */
export function teamMeans(
  fidelity: Fidelity,
  ratings: readonly { sessionId: string; workerId: string; itemKey: string; score: number }[],
): { itemKey: string; mean: number | null; sessions: number }[] {
  return fidelity.items.map((item) => {
    const mine = ratings.filter((r) => r.itemKey === item.key);
    const sessions = new Set(mine.map((r) => r.sessionId)).size;
    const workers = new Set(mine.map((r) => r.workerId)).size;
    const tooFew = sessions < TEAM_MINIMUM || workers < TEAM_MINIMUM;
    return { itemKey: item.key, sessions, mean: tooFew ? null : meanScore(mine.map((r) => r.score)) };
  });
}
