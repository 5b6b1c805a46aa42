/**
 * Acute-care episodes as data (`acute-care-episodes.json`, checked at start-up): the kinds the
 * trial records (the protocol's inpatient admission, crisis house, acute day unit and crisis team
 * re-referral always; a deployment adds others), each saying whether it counts toward the primary
 * outcome, and the sources the information may come from (hospital records, the participant…).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { dataKey, loadDataFile, parseDataFile } from '../platform/data-file.ts';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'acute-care-episodes.json');
const PROTOCOL_KINDS = ['inpatient_admission', 'crisis_house', 'acute_day_unit', 'crisis_team_re_referral'];

const entry = { key: dataKey, title: z.string().min(1).max(80) };

const schema = z
  .strictObject({
    $comment: z.string().optional(),
    kinds: z
      .array(z.strictObject({ ...entry, countsTowardPrimaryOutcome: z.boolean() }))
      .min(1)
      .max(30),
    sources: z.array(z.strictObject(entry)).min(1).max(30),
  })
  .superRefine((file, ctx) => {
    for (const [list, keys] of [
      ['kind', file.kinds.map((k) => k.key)],
      ['source', file.sources.map((s) => s.key)],
    ] as const) {
      const twice = keys.find((k, i) => keys.indexOf(k) !== i);
      if (twice) ctx.addIssue({ code: 'custom', message: `${list} "${twice}" appears twice` });
    }
    for (const key of PROTOCOL_KINDS)
      if (!file.kinds.some((k) => k.key === key))
        ctx.addIssue({ code: 'custom', message: `the protocol's kind "${key}" is missing` });
    if (!file.kinds.some((k) => k.countsTowardPrimaryOutcome))
      ctx.addIssue({ code: 'custom', message: 'at least one kind must count toward the primary outcome' });
  });

export type AcuteCareEpisodes = z.infer<typeof schema>;

export function loadAcuteCareEpisodes(file = FILE): AcuteCareEpisodes {
  return loadDataFile(schema, file);
}

export function parseAcuteCareEpisodes(json: unknown): AcuteCareEpisodes {
  return parseDataFile(schema, json, 'acute-care episodes');
}

/** The keys of the kinds that count toward the primary outcome. */
export const countingKinds = (episodes: AcuteCareEpisodes): ReadonlySet<string> =>
  new Set(episodes.kinds.filter((k) => k.countsTowardPrimaryOutcome).map((k) => k.key));
