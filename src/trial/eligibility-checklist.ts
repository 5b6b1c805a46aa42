/**
 * The trial's eligibility checklist as data (`eligibility.json`), checked when the service
 * starts: the protocol's four criteria (adults 18 and over, discharged from a crisis resolution
 * team, with capacity to consent, not already in the programme, PRODUCT.md section 7) must be
 * there, and a deployment adds its own exclusions. Each is a yes/no question: an inclusion must
 * be answered yes, an exclusion no.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { dataKey, loadDataFile, parseDataFile } from '../platform/data-file.ts';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'eligibility.json');

/** The protocol's criteria, which no deployment may drop or turn round. */
export const REQUIRED_CRITERIA = {
  aged_18_or_over: 'inclusion',
  discharged_from_crt: 'inclusion',
  has_capacity: 'inclusion',
  already_in_programme: 'exclusion',
} as const;

const words = (max: number) => z.string().trim().min(1).max(max);

const schema = z
  .strictObject({
    $comment: z.string().optional(),
    version: z.number().int().min(1),
    criteria: z
      .array(
        z.strictObject({
          key: dataKey,
          kind: z.enum(['inclusion', 'exclusion']),
          question: words(120),
          hint: words(200).optional(),
          /** The reason shown when the criterion is not met ("Under 18"). */
          notMet: words(80),
        }),
      )
      .min(1)
      .max(20),
  })
  .superRefine((checklist, ctx) => {
    const keys = checklist.criteria.map((c) => c.key);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice) ctx.addIssue({ code: 'custom', message: `criterion "${twice}" appears twice` });
    for (const [key, kind] of Object.entries(REQUIRED_CRITERIA)) {
      const found = checklist.criteria.find((c) => c.key === key);
      if (!found) ctx.addIssue({ code: 'custom', message: `the protocol's criterion "${key}" is missing` });
      else if (found.kind !== kind)
        ctx.addIssue({ code: 'custom', message: `criterion "${key}" must be an ${kind}` });
    }
  });

export type EligibilityChecklist = z.infer<typeof schema>;
export type Criterion = EligibilityChecklist['criteria'][number];

export function loadEligibilityChecklist(file = FILE): EligibilityChecklist {
  return loadDataFile(schema, file);
}

/** The same check, for a checklist held in memory (tests). */
export function parseEligibilityChecklist(json: unknown): EligibilityChecklist {
  return parseDataFile(schema, json, 'eligibility checklist');
}
