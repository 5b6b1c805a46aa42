import { and, asc, desc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { participants, planEntries, planMedia } from '../platform/database/schema.ts';

export interface RemovedMedia {
  entryId: string;
  mediaId: string;
  participantId: string;
  kind: 'drawing' | 'photo' | 'voice';
  byteSize: number;
  /** When its entry was removed (the entry's last change). */
  removedAt: Date;
}

export interface ItemsAndBytes {
  items: number;
  bytes: number;
}

export interface TrustStorage {
  /** In plans now. */
  inPlans: ItemsAndBytes;
  /** Removed, kept for the history period, then deleted. */
  removed: ItemsAndBytes;
  /** Deleted for good (their bytes are gone). */
  deleted: ItemsAndBytes;
  /** Plans holding anything. */
  plans: number;
}

export interface ParticipantStorage {
  participantId: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  items: number;
  bytes: number;
}

/** SQL only: how much the plans' drawings, photos and voice notes take, and deleting removed ones. */
export class MediaStorageRepository {
  /** Media whose entry was removed before `before` and whose bytes are still stored, oldest first. */
  async removedBefore(db: Db, before: Date, limit: number): Promise<RemovedMedia[]> {
    return db
      .select({
        entryId: planEntries.id,
        mediaId: planMedia.id,
        participantId: planMedia.participantId,
        kind: planMedia.kind,
        byteSize: planMedia.byteSize,
        removedAt: planEntries.updatedAt,
      })
      .from(planEntries)
      .innerJoin(planMedia, eq(planMedia.id, planEntries.mediaId))
      .where(
        and(
          eq(planEntries.kind, 'media'),
          eq(planEntries.removed, true),
          lt(planEntries.updatedAt, before),
          isNull(planMedia.deletedAt),
        ),
      )
      .orderBy(asc(planEntries.updatedAt))
      .limit(limit);
  }

  /** Deletes one item's bytes; false when they were already gone. */
  async deleteBytes(db: Db, mediaId: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(planMedia)
      .set({ bytes: null, deletedAt: at })
      .where(and(eq(planMedia.id, mediaId), isNull(planMedia.deletedAt)))
      .returning({ id: planMedia.id });
    return rows.length > 0;
  }

  async trustStorage(db: Db, trustId: string): Promise<TrustStorage> {
    const stored = isNull(planMedia.deletedAt);
    const [row] = await db
      .select({
        inPlansItems: sql<number>`count(*) FILTER (WHERE ${stored} AND NOT ${planEntries.removed})::int`,
        inPlansBytes: sql<string>`coalesce(sum(${planMedia.byteSize}) FILTER (WHERE ${stored} AND NOT ${planEntries.removed}), 0)::text`,
        removedItems: sql<number>`count(*) FILTER (WHERE ${stored} AND ${planEntries.removed})::int`,
        removedBytes: sql<string>`coalesce(sum(${planMedia.byteSize}) FILTER (WHERE ${stored} AND ${planEntries.removed}), 0)::text`,
        deletedItems: sql<number>`count(*) FILTER (WHERE ${isNotNull(planMedia.deletedAt)})::int`,
        deletedBytes: sql<string>`coalesce(sum(${planMedia.byteSize}) FILTER (WHERE ${isNotNull(planMedia.deletedAt)}), 0)::text`,
        plans: sql<number>`count(DISTINCT ${planMedia.participantId}) FILTER (WHERE ${stored})::int`,
      })
      .from(planMedia)
      .innerJoin(planEntries, eq(planEntries.mediaId, planMedia.id))
      .innerJoin(participants, eq(participants.id, planMedia.participantId))
      .where(eq(participants.trustId, trustId));
    return {
      inPlans: { items: row?.inPlansItems ?? 0, bytes: Number(row?.inPlansBytes ?? 0) },
      removed: { items: row?.removedItems ?? 0, bytes: Number(row?.removedBytes ?? 0) },
      deleted: { items: row?.deletedItems ?? 0, bytes: Number(row?.deletedBytes ?? 0) },
      plans: row?.plans ?? 0,
    };
  }

  /** The participants whose plans store the most bytes (removed items not yet deleted included). */
  async topParticipants(db: Db, trustId: string, limit: number): Promise<ParticipantStorage[]> {
    const bytes = sql<string>`sum(${planMedia.byteSize})`;
    const rows = await db
      .select({
        participantId: participants.id,
        givenName: participants.givenName,
        familyName: participants.familyName,
        preferredName: participants.preferredName,
        items: sql<number>`count(*) FILTER (WHERE NOT ${planEntries.removed})::int`,
        bytes: sql<string>`${bytes}::text`,
      })
      .from(planMedia)
      .innerJoin(planEntries, eq(planEntries.mediaId, planMedia.id))
      .innerJoin(participants, eq(participants.id, planMedia.participantId))
      .where(and(eq(participants.trustId, trustId), isNull(planMedia.deletedAt)))
      .groupBy(participants.id)
      .orderBy(desc(bytes), asc(participants.id))
      .limit(limit);
    return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
  }
}
