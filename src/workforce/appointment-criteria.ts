/**
 * The criteria an appointment panel scores against (issue 15, part 1), as data
 * (`appointment-criteria.json`), checked at start-up: the six essential requirements and any
 * desirable ones a trust adds, on a declared scale. A criterion asking for a clinical
 * qualification or registration is refused: peer support workers are appointed on lived
 * experience, never on a clinical qualification.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { dataKey, loadDataFile, parseDataFile, ratingScale } from '../platform/data-file.ts';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'appointment-criteria.json');
const key = dataKey;
const CLINICAL = /qualif|registered|registration|\bdegree\b|nmc|hcpc|diploma/i;

const schema = z
  .strictObject({
    $comment: z.string().optional(),
    scale: ratingScale(6),
    criteria: z
      .array(z.strictObject({ key, essential: z.boolean(), title: z.string().trim().min(1).max(160) }))
      .min(1)
      .max(20),
  })
  .superRefine((c, ctx) => {
    const keys = c.criteria.map((i) => i.key);
    if (new Set(keys).size !== keys.length)
      ctx.addIssue({ code: 'custom', message: 'a criterion appears twice' });
    for (const criterion of c.criteria)
      if (CLINICAL.test(criterion.title))
        ctx.addIssue({
          code: 'custom',
          message: `criterion "${criterion.key}" asks for a qualification or registration: peer support workers are never asked for one`,
        });
    if (!c.criteria.some((i) => i.essential))
      ctx.addIssue({ code: 'custom', message: 'at least one criterion must be essential' });
  });

export type AppointmentCriteria = z.infer<typeof schema>;

export function parseAppointmentCriteria(
  json: unknown,
  source = 'appointment criteria',
): AppointmentCriteria {
  return parseDataFile(schema, json, source);
}

export function loadAppointmentCriteria(file = FILE): AppointmentCriteria {
  return loadDataFile(schema, file);
}
