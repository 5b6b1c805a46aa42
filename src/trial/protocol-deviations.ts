/**
 * Protocol deviation kinds as data (`protocol-deviations.json`, checked at start-up): the trial
 * manager records each deviation as one of them. A deployment adds its own.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { dataKey, loadDataFile, parseDataFile } from '../platform/data-file.ts';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'protocol-deviations.json');

const schema = z
  .strictObject({
    $comment: z.string().optional(),
    version: z.number().int().min(1),
    kinds: z
      .array(
        z.strictObject({ key: dataKey, title: z.string().trim().min(1).max(100), namesArm: z.boolean() }),
      )
      .min(1)
      .max(40),
  })
  .superRefine((file, ctx) => {
    const keys = file.kinds.map((k) => k.key);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice) ctx.addIssue({ code: 'custom', message: `kind "${twice}" appears twice` });
  });

export type ProtocolDeviations = z.infer<typeof schema>;

export function loadProtocolDeviations(file = FILE): ProtocolDeviations {
  return loadDataFile(schema, file);
}

export function parseProtocolDeviations(json: unknown): ProtocolDeviations {
  return parseDataFile(schema, json, 'protocol deviations');
}
