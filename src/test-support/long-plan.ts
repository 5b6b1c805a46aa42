/**
 * A recovery plan with a lot in it, written straight through the plan's repository: for the
 * tests and the bench that make its PDF. By default the hostile review's plan: 120 list items
 * and 6 camera-sized photos.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Db } from '../platform/database/database.ts';
import { PlanRepository } from '../plan/plan.repository.ts';
import type { PlanTemplate } from '../plan/plan-template.ts';
import { MEDIA_FIELD } from '../plan/plan-entry.ts';

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

export async function seedLongPlan(
  db: Db,
  template: PlanTemplate,
  participantId: string,
  options: { items: number; photos: number; at: Date },
): Promise<void> {
  const plans = new PlanRepository();
  const sections = template.sections.filter((s) => s.enabled);
  await plans.start(
    db,
    { participantId, templateVersion: template.version, startedAt: options.at },
    sections.map((s) => ({ sectionKey: s.key, visibility: 'worker' as const })),
  );
  const lists = sections.flatMap((s) =>
    s.fields.filter((f) => f.kind === 'list').map((f) => ({ section: s.key, field: f.key })),
  );
  const writer = { writtenByKind: 'participant' as const, writtenBy: participantId };
  const write = async (
    section: string,
    field: string,
    kind: 'list_item' | 'media',
    content: object,
    mediaId: string | null,
  ) => {
    const id = randomUUID();
    const at = new Date(options.at.getTime() + Math.random() * 1000);
    const body = content as Record<string, unknown>;
    await plans.insertEntry(db, {
      id,
      participantId,
      sectionKey: section,
      fieldKey: field,
      kind,
      content: body,
      mediaId,
      removed: false,
      revision: 1,
      ...writer,
      createdAt: at,
      updatedAt: at,
    });
    await plans.insertRevision(db, {
      entryId: id,
      revision: 1,
      content: body,
      removed: false,
      change: 'written',
      ...writer,
      writtenAt: at,
      saveId: randomUUID(),
    });
  };
  for (let i = 0; i < options.items; i++) {
    const list = lists[i % lists.length];
    if (list) await write(list.section, list.field, 'list_item', { text: `${String(i + 1)}. ${ITEM}` }, null);
  }
  const photo = options.photos > 0 ? await cameraPhoto() : undefined;
  const section = sections[1]?.key ?? sections[0]?.key ?? 'moving_on';
  for (let i = 0; photo && i < options.photos; i++) {
    const mediaId = randomUUID();
    await plans.insertMedia(db, {
      id: mediaId,
      participantId,
      kind: 'photo',
      contentType: 'image/jpeg',
      bytes: photo,
      byteSize: photo.length,
      width: 2000,
      height: 1500,
      createdByKind: 'participant',
      createdBy: participantId,
      createdAt: options.at,
    });
    await write(
      section,
      MEDIA_FIELD,
      'media',
      { kind: 'photo', description: `Photo ${String(i + 1)}` },
      mediaId,
    );
  }
}
