/**
 * The training catalogue (issue 15, PRODUCT.md section 6): what a peer support worker is trained
 * in, as data (`training-catalogue.json`), checked when the service starts. Each item has its
 * hours, whether it is mandatory and how many months it stays current. A worker may take new
 * participants only while every mandatory item is current and their pre-employment checks are
 * complete (`readiness.ts`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadDataFile, parseDataFile } from '../platform/data-file.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const TRAINING_CATALOGUE_FILE = path.join(here, 'training-catalogue.json');

const key = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'keys are lower case letters, digits and _ (at most 40)');
const words = (max: number) => z.string().trim().min(1).max(max);

const itemSchema = z.strictObject({
  key,
  group: key,
  title: words(120),
  /** The matrix's column heading. */
  short: words(30),
  hours: z.number().positive().max(200),
  mandatory: z.boolean(),
  renewalMonths: z.number().int().min(1).max(120).nullable(),
});

export const catalogueSchema = z
  .strictObject({
    $comment: z.string().optional(),
    /** An item expiring within this many days is "due"; its reminder goes this long before. */
    dueSoonDays: z.number().int().min(1).max(180),
    groups: z
      .array(z.strictObject({ key, title: words(80) }))
      .min(1)
      .max(20),
    items: z.array(itemSchema).min(1).max(60),
  })
  .superRefine((catalogue, ctx) => {
    const keys = catalogue.items.map((item) => item.key);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice) ctx.addIssue({ code: 'custom', message: `item "${twice}" appears twice` });
    const groups = new Set(catalogue.groups.map((group) => group.key));
    for (const item of catalogue.items) {
      if (!groups.has(item.group))
        ctx.addIssue({ code: 'custom', message: `item "${item.key}" is in unknown group "${item.group}"` });
    }
    if (!catalogue.items.some((item) => item.mandatory))
      ctx.addIssue({ code: 'custom', message: 'at least one item must be mandatory' });
  });

export type TrainingCatalogue = z.infer<typeof catalogueSchema>;
export type TrainingItem = TrainingCatalogue['items'][number];

/** Reads and checks a catalogue; an invalid one stops the start, naming what is wrong. */
export function parseCatalogue(json: unknown, source = 'training catalogue'): TrainingCatalogue {
  return parseDataFile(catalogueSchema, json, source);
}

export function loadTrainingCatalogue(file = TRAINING_CATALOGUE_FILE): TrainingCatalogue {
  return loadDataFile(catalogueSchema, file);
}

/**
 * The pre-employment checks, recorded as dated facts (never documents). Fixed in code: they are
 * the NHS Employment Check Standards', not a trust's choice. An enhanced DBS check carries the
 * date the trust renews it by.
 */
export const CHECK_KINDS = ['dbs', 'references', 'right_to_work', 'occupational_health'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const CHECK_TITLES: Record<CheckKind, string> = {
  dbs: 'Enhanced DBS check',
  references: 'References',
  right_to_work: 'Right to work',
  occupational_health: 'Occupational health clearance',
};
