/**
 * Serious adverse events as data (`serious-adverse-events.json`, checked at start-up): the kinds
 * the trial reports (death and self-harm needing hospital care always, as the protocol has them;
 * a deployment declares others), and the clock: hours from the research team becoming aware of
 * one to its report to the sponsor (24), and how long before that the trial managers are warned.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { dataKey, loadDataFile, parseDataFile } from '../platform/data-file.ts';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'serious-adverse-events.json');
const PROTOCOL_KINDS = ['death', 'self_harm_hospital'];

const schema = z
  .strictObject({
    $comment: z.string().optional(),
    reportWithinHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 15),
    warnHoursBefore: z.number().int().min(0).max(24),
    kinds: z
      .array(z.strictObject({ key: dataKey, title: z.string().min(1).max(80), protocol: z.boolean() }))
      .min(1)
      .max(30),
  })
  .superRefine((file, ctx) => {
    const keys = file.kinds.map((k) => k.key);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice) ctx.addIssue({ code: 'custom', message: `kind "${twice}" appears twice` });
    for (const key of PROTOCOL_KINDS)
      if (!keys.includes(key))
        ctx.addIssue({ code: 'custom', message: `the protocol's kind "${key}" is missing` });
    if (file.warnHoursBefore >= file.reportWithinHours)
      ctx.addIssue({ code: 'custom', message: 'the warning must come before the report is due' });
  });

export type SeriousAdverseEvents = z.infer<typeof schema>;

export function loadSeriousAdverseEvents(file = FILE): SeriousAdverseEvents {
  return loadDataFile(schema, file);
}

export function parseSeriousAdverseEvents(json: unknown): SeriousAdverseEvents {
  return parseDataFile(schema, json, 'serious adverse events');
}

export const RELATEDNESS = ['not_related', 'unlikely', 'possibly', 'probably', 'definitely'] as const;
export type Relatedness = (typeof RELATEDNESS)[number];
export const RELATEDNESS_WORDS: Record<Relatedness, string> = {
  not_related: 'Not related to taking part',
  unlikely: 'Unlikely to be related',
  possibly: 'Possibly related',
  probably: 'Probably related',
  definitely: 'Definitely related',
};
export const EXPECTEDNESS = ['expected', 'unexpected'] as const;
export type Expectedness = (typeof EXPECTEDNESS)[number];

/** Related (possibly or more) and unexpected: reported to the ethics committee as well. */
export const relatedAndUnexpected = (relatedness: Relatedness, expectedness: Expectedness) =>
  expectedness === 'unexpected' && ['possibly', 'probably', 'definitely'].includes(relatedness);
