/**
 * The versions of the participant information sheet and consent form the ethics committee
 * approved (`consent-documents.json`), checked at start-up. Consent is recorded against a
 * version in use; superseded ones stay listed so that consents taken with them still say so.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadDataFile, parseDataFile } from '../platform/data-file.ts';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'consent-documents.json');

const schema = z
  .strictObject({
    $comment: z.string().optional(),
    versions: z
      .array(
        z.strictObject({
          version: z.string().regex(/^[0-9A-Za-z.-]{1,20}$/),
          approvedOn: z.iso.date(),
          inUse: z.boolean(),
        }),
      )
      .min(1)
      .max(30),
  })
  .superRefine((documents, ctx) => {
    const versions = documents.versions.map((d) => d.version);
    const twice = versions.find((v, i) => versions.indexOf(v) !== i);
    if (twice) ctx.addIssue({ code: 'custom', message: `version "${twice}" appears twice` });
    if (!documents.versions.some((d) => d.inUse))
      ctx.addIssue({ code: 'custom', message: 'at least one version must be in use' });
  });

export type ConsentDocuments = z.infer<typeof schema>;

export function loadConsentDocuments(file = FILE): ConsentDocuments {
  return loadDataFile(schema, file);
}

/**
 * The control group's workbook versions (`workbook-versions.json`): approved documents too, in
 * the same shape, a posting recorded against one in use.
 */
export function loadWorkbookVersions(
  file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workbook-versions.json'),
): ConsentDocuments {
  return loadDataFile(schema, file);
}

export function parseConsentDocuments(json: unknown): ConsentDocuments {
  return parseDataFile(schema, json, 'consent documents');
}

/** The versions consent may be recorded against now, newest approval first. */
export function versionsInUse(documents: ConsentDocuments): ConsentDocuments['versions'] {
  return documents.versions.filter((d) => d.inUse).sort((a, b) => b.approvedOn.localeCompare(a.approvedOn));
}
