/**
 * Recovery plans written straight through the plan's repository, for the tests and the bench
 * that make their PDFs: the full plan of `plan-documents.ts` (every section filled, two photos
 * and a drawing) and long plans like the hostile review's (120 list items, 6 camera photos).
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Db } from '../platform/database/database.ts';
import { PlanRepository } from '../plan/plan.repository.ts';
import type { PlanDocument } from '../plan/plan-document.ts';
import { MEDIA_FIELD, type EntryContent } from '../plan/plan-entry.ts';
import type { PlanTemplate } from '../plan/plan-template.ts';
import { fullPlanDocument, sampleImages } from './plan-documents.ts';

const ITEM =
  'Going for a walk by the canal first thing, before the day gets busy, and ringing my sister ' +
  'when I get back so somebody knows how I am doing. ';

/** A photo the size phones take after our re-encoding (2000 × 1500), full of detail. */
export async function cameraPhoto(): Promise<Buffer> {
  return sharp({
    create: {
      width: 2000,
      height: 1500,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  })
    .jpeg({ quality: 80, mozjpeg: true })
    .toBuffer();
}

/** Writes every entry and picture of a document into the participant's plan (every section shared with their worker). */
export async function writePlanDocument(
  db: Db,
  template: PlanTemplate,
  participantId: string,
  doc: PlanDocument,
  at: Date,
): Promise<void> {
  const plans = new PlanRepository();
  await plans.start(
    db,
    { participantId, templateVersion: template.version, startedAt: at },
    template.sections.map((s) => ({ sectionKey: s.key, visibility: 'worker' as const })),
  );
  const writer = { writtenByKind: 'participant' as const, writtenBy: participantId };
  let order = 0;
  const write = async (section: string, field: string, entry: EntryContent, mediaId: string | null) => {
    const id = randomUUID();
    const when = new Date(at.getTime() + order++);
    const content = entry.content as Record<string, unknown>;
    await plans.insertEntry(db, {
      id,
      participantId,
      sectionKey: section,
      fieldKey: field,
      kind: entry.kind,
      content,
      mediaId,
      removed: false,
      revision: 1,
      ...writer,
      createdAt: when,
      updatedAt: when,
    });
    await plans.insertRevision(db, {
      entryId: id,
      revision: 1,
      content,
      removed: false,
      change: 'written',
      ...writer,
      writtenAt: when,
      saveId: randomUUID(),
    });
  };
  for (const section of doc.sections) {
    for (const field of section.fields) {
      for (const { entry } of field.entries) await write(section.key, field.key, entry, null);
    }
    for (const media of section.media) {
      if (!media.bytes) continue;
      const mediaId = randomUUID();
      await plans.insertMedia(db, {
        id: mediaId,
        participantId,
        kind: media.kind,
        contentType: media.contentType,
        bytes: media.bytes,
        byteSize: media.bytes.length,
        width: media.width,
        height: media.height,
        createdByKind: 'participant',
        createdBy: participantId,
        createdAt: at,
      });
      await write(
        section.key,
        MEDIA_FIELD,
        { kind: 'media', content: { kind: media.kind, description: media.description } },
        mediaId,
      );
    }
  }
}

/** The full plan: every section of the template filled, two photos and a drawing. */
export async function seedFullPlan(db: Db, template: PlanTemplate, participantId: string, at: Date) {
  await writePlanDocument(db, template, participantId, fullPlanDocument(template, await sampleImages()), at);
}

/** A long plan: the full plan, `items` more list items and `photos` camera photos. */
export async function seedLongPlan(
  db: Db,
  template: PlanTemplate,
  participantId: string,
  options: { items: number; photos: number; at: Date },
): Promise<void> {
  const doc = fullPlanDocument(template, await sampleImages());
  const lists = doc.sections.flatMap((s) => s.fields.filter((f) => f.kind === 'list'));
  for (let i = 0; i < options.items; i++) {
    lists[i % lists.length]?.entries.push({
      id: randomUUID(),
      entry: { kind: 'list_item', content: { text: `${String(i + 1)}. ${ITEM}` } },
      writtenBy: { kind: 'participant', name: 'you' },
      updatedAt: options.at,
    });
  }
  const photo = await cameraPhoto();
  const [first] = doc.sections;
  for (let i = 0; first && i < options.photos; i++) {
    first.media.push({
      id: randomUUID(),
      mediaId: randomUUID(),
      kind: 'photo',
      description: `Photo ${String(i + 1)}`,
      contentType: 'image/jpeg',
      width: 2000,
      height: 1500,
      bytes: photo,
      writtenBy: { kind: 'participant', name: 'you' },
      updatedAt: options.at,
    });
  }
  await writePlanDocument(db, template, participantId, doc, options.at);
}
