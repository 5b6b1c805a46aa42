import { and, asc, desc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  auditEvents,
  planEntries,
  planEntryRevisions,
  planMedia,
  planSectionSharing,
  participants,
  programmeEndings,
  programmeSessions,
  recoveryPlans,
  staffUsers,
} from '../platform/database/schema.ts';
import type { Visibility } from './plan-template.ts';

export type RecoveryPlanRow = typeof recoveryPlans.$inferSelect;
export type PlanEntryRow = typeof planEntries.$inferSelect;
export type PlanEntryRevisionRow = typeof planEntryRevisions.$inferSelect;
export type PlanMediaRow = typeof planMedia.$inferSelect;
export type NewPlanMedia = typeof planMedia.$inferInsert;
export type PlanMediaInfo = Omit<PlanMediaRow, 'bytes'>;

export interface PlanView {
  occurredAt: Date;
  actorId: string | null;
  actorName: string | null;
  detail: Record<string, unknown>;
}

/** SQL only: the plan, its sharing choices, its entries with every revision, and its media. */
export class PlanRepository {
  async find(db: Db, participantId: string): Promise<RecoveryPlanRow | undefined> {
    const [row] = await db.select().from(recoveryPlans).where(eq(recoveryPlans.participantId, participantId));
    return row;
  }

  /** Starts the plan once; a second caller (a race, a retry) finds the first one's. */
  async start(
    db: Db,
    plan: RecoveryPlanRow,
    sharing: { sectionKey: string; visibility: Visibility }[],
  ): Promise<{ started: boolean; plan: RecoveryPlanRow }> {
    const inserted = await db.insert(recoveryPlans).values(plan).onConflictDoNothing().returning();
    if (inserted.length > 0 && sharing.length > 0) {
      await db
        .insert(planSectionSharing)
        .values(sharing.map((s) => ({ participantId: plan.participantId, ...s, changedAt: plan.startedAt })))
        .onConflictDoNothing();
    }
    const row = inserted[0] ?? (await this.find(db, plan.participantId));
    if (!row) throw new Error('recovery plan vanished while it was being started');
    return { started: inserted.length > 0, plan: row };
  }

  /** Holds the plan for the rest of the transaction: saves to one plan take turns. */
  async lock(db: Db, participantId: string): Promise<void> {
    await db
      .select({ participantId: recoveryPlans.participantId })
      .from(recoveryPlans)
      .where(eq(recoveryPlans.participantId, participantId))
      .for('update');
  }

  /** The participant answered "who can see my plan" for the first time. */
  async recordSharingChosen(db: Db, participantId: string, at: Date): Promise<void> {
    await db
      .update(participants)
      .set({ planSharingChosenAt: at })
      .where(and(eq(participants.id, participantId), isNull(participants.planSharingChosenAt)));
  }

  async sharing(db: Db, participantId: string): Promise<Map<string, Visibility>> {
    const rows = await db
      .select({ sectionKey: planSectionSharing.sectionKey, visibility: planSectionSharing.visibility })
      .from(planSectionSharing)
      .where(eq(planSectionSharing.participantId, participantId));
    return new Map(rows.map((r) => [r.sectionKey, r.visibility]));
  }

  async setSharing(
    db: Db,
    participantId: string,
    sectionKey: string,
    visibility: Visibility,
    changedAt: Date,
  ): Promise<void> {
    await db
      .insert(planSectionSharing)
      .values({ participantId, sectionKey, visibility, changedAt })
      .onConflictDoUpdate({
        target: [planSectionSharing.participantId, planSectionSharing.sectionKey],
        set: { visibility, changedAt },
      });
  }

  /** Live entries of the given sections (all sections when omitted), oldest first. */
  async entries(db: Db, participantId: string, sectionKeys?: readonly string[]): Promise<PlanEntryRow[]> {
    if (sectionKeys?.length === 0) return [];
    return db
      .select()
      .from(planEntries)
      .where(
        and(
          eq(planEntries.participantId, participantId),
          eq(planEntries.removed, false),
          sectionKeys ? inArray(planEntries.sectionKey, [...sectionKeys]) : undefined,
        ),
      )
      .orderBy(asc(planEntries.createdAt), asc(planEntries.id));
  }

  /** How many live entries the sections have, and when any of them last changed (as text). */
  async changes(
    db: Db,
    participantId: string,
    sectionKeys: readonly string[],
  ): Promise<{ live: number; lastChange: string | null }> {
    if (sectionKeys.length === 0) return { live: 0, lastChange: null };
    const [row] = await db
      .select({
        live: sql<number>`count(*) FILTER (WHERE NOT ${planEntries.removed})::int`,
        lastChange: sql<string | null>`max(${planEntries.updatedAt})::text`,
      })
      .from(planEntries)
      .where(
        and(eq(planEntries.participantId, participantId), inArray(planEntries.sectionKey, [...sectionKeys])),
      );
    return { live: row?.live ?? 0, lastChange: row?.lastChange ?? null };
  }

  /** Which sections have anything written in them. */
  async sectionsWithEntries(db: Db, participantId: string): Promise<Set<string>> {
    const rows = await db
      .selectDistinct({ sectionKey: planEntries.sectionKey })
      .from(planEntries)
      .where(and(eq(planEntries.participantId, participantId), eq(planEntries.removed, false)));
    return new Set(rows.map((r) => r.sectionKey));
  }

  /** One entry, locked for the rest of the transaction so two saves take turns. */
  async entryForUpdate(db: Db, entryId: string): Promise<PlanEntryRow | undefined> {
    const [row] = await db.select().from(planEntries).where(eq(planEntries.id, entryId)).for('update');
    return row;
  }

  async entry(db: Db, entryId: string): Promise<PlanEntryRow | undefined> {
    const [row] = await db.select().from(planEntries).where(eq(planEntries.id, entryId));
    return row;
  }

  async insertEntry(db: Db, row: PlanEntryRow): Promise<void> {
    await db.insert(planEntries).values(row);
  }

  async updateEntry(
    db: Db,
    entryId: string,
    changes: Pick<
      PlanEntryRow,
      'content' | 'removed' | 'revision' | 'writtenByKind' | 'writtenBy' | 'updatedAt'
    >,
  ): Promise<void> {
    await db.update(planEntries).set(changes).where(eq(planEntries.id, entryId));
  }

  async insertRevision(db: Db, row: PlanEntryRevisionRow): Promise<void> {
    await db.insert(planEntryRevisions).values(row);
  }

  async revisionBySaveId(db: Db, saveId: string): Promise<PlanEntryRevisionRow | undefined> {
    const [row] = await db.select().from(planEntryRevisions).where(eq(planEntryRevisions.saveId, saveId));
    return row;
  }

  async revisions(db: Db, entryId: string): Promise<PlanEntryRevisionRow[]> {
    return db
      .select()
      .from(planEntryRevisions)
      .where(eq(planEntryRevisions.entryId, entryId))
      .orderBy(desc(planEntryRevisions.revision));
  }

  async insertMedia(db: Db, row: NewPlanMedia): Promise<void> {
    await db.insert(planMedia).values(row);
  }

  async media(db: Db, mediaId: string): Promise<PlanMediaRow | undefined> {
    const [row] = await db.select().from(planMedia).where(eq(planMedia.id, mediaId));
    return row;
  }

  /** Media without their bytes, for pages and documents. */
  async mediaInfo(db: Db, mediaIds: readonly string[]): Promise<Map<string, PlanMediaInfo>> {
    if (mediaIds.length === 0) return new Map();
    const { bytes: _bytes, ...columns } = getTableColumns(planMedia);
    const rows = await db
      .select(columns)
      .from(planMedia)
      .where(inArray(planMedia.id, [...mediaIds]));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The stored bytes of one of a participant's media (what another's plan holds is never read). */
  async mediaBytes(db: Db, participantId: string, mediaId: string): Promise<Buffer | undefined> {
    const [row] = await db
      .select({ bytes: planMedia.bytes })
      .from(planMedia)
      .where(and(eq(planMedia.participantId, participantId), eq(planMedia.id, mediaId)));
    return row?.bytes ?? undefined;
  }

  /** What the plan holds: its media items now, and every byte still stored (removed ones too). */
  async mediaUsage(db: Db, participantId: string): Promise<{ items: number; bytes: number }> {
    const [items] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(planEntries)
      .where(
        and(
          eq(planEntries.participantId, participantId),
          eq(planEntries.kind, 'media'),
          eq(planEntries.removed, false),
        ),
      );
    const [bytes] = await db
      .select({ n: sql<string>`coalesce(sum(${planMedia.byteSize}), 0)::text` })
      .from(planMedia)
      .where(and(eq(planMedia.participantId, participantId), isNull(planMedia.deletedAt)));
    return { items: items?.n ?? 0, bytes: Number(bytes?.n ?? 0) };
  }

  /** The entry a media item belongs to (its section decides who may see it). */
  async entryForMedia(db: Db, mediaId: string): Promise<PlanEntryRow | undefined> {
    const [row] = await db.select().from(planEntries).where(eq(planEntries.mediaId, mediaId));
    return row;
  }

  /** Names of staff who wrote entries, for "written by … on your behalf". */
  async staffNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .select({ id: staffUsers.id, fullName: staffUsers.fullName })
      .from(staffUsers)
      .where(inArray(staffUsers.id, [...ids]));
    return new Map(rows.map((r) => [r.id, r.fullName]));
  }

  /** Every read of the plan by someone other than the participant, newest first. */
  async viewsByOthers(db: Db, participantId: string, limit: number): Promise<PlanView[]> {
    return db
      .select({
        occurredAt: auditEvents.occurredAt,
        actorId: auditEvents.actorId,
        actorName: staffUsers.fullName,
        detail: auditEvents.detail,
      })
      .from(auditEvents)
      .leftJoin(staffUsers, eq(staffUsers.id, auditEvents.actorId))
      .where(
        and(
          eq(auditEvents.entityType, 'recovery_plan'),
          eq(auditEvents.entityId, participantId),
          eq(auditEvents.actorType, 'staff'),
          inArray(auditEvents.action, ['plan.viewed', 'plan.media_viewed', 'plan.downloaded']),
        ),
      )
      .orderBy(desc(auditEvents.seq))
      .limit(limit);
  }

  async programmeEnded(db: Db, participantId: string): Promise<boolean> {
    const [row] = await db
      .select({ participantId: programmeEndings.participantId })
      .from(programmeEndings)
      .where(eq(programmeEndings.participantId, participantId));
    return row !== undefined;
  }

  /** Recorded sessions at which each section was worked on (for the worker's section page). */
  async sessionsWorkedOn(db: Db, participantId: string, sectionKey: string): Promise<Date[]> {
    const rows = await db
      .select({ at: programmeSessions.plannedAt })
      .from(programmeSessions)
      .where(
        and(
          eq(programmeSessions.participantId, participantId),
          eq(programmeSessions.status, 'attended'),
          sql`${sectionKey} = ANY(${programmeSessions.sections})`,
        ),
      )
      .orderBy(desc(programmeSessions.plannedAt));
    return rows.map((r) => r.at);
  }
}
