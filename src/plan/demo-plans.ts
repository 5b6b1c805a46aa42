/**
 * Writes the demo recovery plans (their content is in demo-plan-content.ts) for
 * src/demo/seed.ts: each entry with its revisions, and the drawings, photos and voice notes.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { PlanTemplates } from './plan-template.ts';
import type { PlanRepository } from './plan.repository.ts';
import { demoMedia } from './demo-media.ts';
import { MEDIA_FIELD } from './plan-entry.ts';
import { DEMO_PLANS } from './demo-plan-content.ts';

const DAY = 86_400_000;

/** Writes the demo plans through the repository, each entry with its revisions, as saving would. */
export async function seedDemoPlans(
  tx: Db,
  plans: PlanRepository,
  templates: PlanTemplates,
  allocated: readonly { index: number; participantId: string; workerId: string; allocatedAt: Date }[],
  now: Date,
): Promise<void> {
  const template = templates.latest;
  for (const demo of DEMO_PLANS) {
    const person = allocated.find((p) => p.index === demo.index);
    if (!person) continue;
    const at = (day: number) =>
      new Date(Math.min(person.allocatedAt.getTime() + day * DAY, now.getTime() - 3_600_000));
    const startedAt = at(Math.min(...demo.entries.map((e) => e.day)));
    await plans.start(
      tx,
      { participantId: person.participantId, templateVersion: template.version, startedAt },
      template.sections.map((s) => ({
        sectionKey: s.key,
        visibility: demo.sharing[s.key] ?? s.defaultSharing,
      })),
    );
    for (const item of demo.entries) {
      const field = template.sections
        .find((s) => s.key === item.section)
        ?.fields.find((f) => f.key === item.field);
      if (!field) throw new Error(`Demo plan: no field ${item.section}.${item.field} in the template`);
      const writer = {
        writtenByKind: item.by,
        writtenBy: item.by === 'participant' ? person.participantId : person.workerId,
      };
      const versions = [...(item.earlier ?? []), item.entry.content];
      const id = randomUUID();
      const lastAt = at(item.day + versions.length - 1);
      await plans.insertEntry(tx, {
        id,
        participantId: person.participantId,
        sectionKey: item.section,
        fieldKey: item.field,
        kind: item.entry.kind,
        content: item.entry.content,
        mediaId: null,
        removed: false,
        revision: versions.length,
        ...writer,
        createdAt: at(item.day),
        updatedAt: lastAt,
      });
      for (const [n, content] of versions.entries()) {
        await plans.insertRevision(tx, {
          entryId: id,
          revision: n + 1,
          content,
          removed: false,
          change: 'written',
          ...writer,
          writtenAt: at(item.day + n),
          saveId: randomUUID(),
        });
      }
    }
    if (demo.media?.length) {
      const made = await demoMedia();
      for (const item of demo.media) {
        const media = made[item.kind];
        const mediaId = randomUUID();
        const id = randomUUID();
        const writtenAt = at(item.day);
        const writer = { writtenByKind: 'participant' as const, writtenBy: person.participantId };
        const content = { kind: item.kind, description: item.description };
        await plans.insertMedia(tx, {
          id: mediaId,
          participantId: person.participantId,
          kind: item.kind,
          contentType: media.contentType,
          bytes: media.bytes,
          byteSize: media.bytes.length,
          width: media.width,
          height: media.height,
          createdByKind: 'participant',
          createdBy: person.participantId,
          createdAt: writtenAt,
        });
        await plans.insertEntry(tx, {
          id,
          participantId: person.participantId,
          sectionKey: item.section,
          fieldKey: MEDIA_FIELD,
          kind: 'media',
          content,
          mediaId,
          removed: false,
          revision: 1,
          ...writer,
          createdAt: writtenAt,
          updatedAt: writtenAt,
        });
        await plans.insertRevision(tx, {
          entryId: id,
          revision: 1,
          content,
          removed: false,
          change: 'written',
          ...writer,
          writtenAt,
          saveId: randomUUID(),
        });
      }
    }
  }
}
