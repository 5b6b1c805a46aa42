import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  programmeEndingShares,
  programmeEndings,
  programmeSessions,
  staffUsers,
} from '../platform/database/schema.ts';

export type EndingRow = typeof programmeEndings.$inferSelect;
export type NewEnding = typeof programmeEndings.$inferInsert;
export type EndingReason = EndingRow['reason'];
export type ShareConsent = EndingRow['shareConsent'];
export type EndingShareRow = typeof programmeEndingShares.$inferSelect;
export type RecipientKind = EndingShareRow['recipientKind'];

/** What an edit of the ending changes: everything but who it belongs to. */
export type EndingChanges = Omit<EndingRow, 'participantId' | 'version'>;

export class EndingRepository {
  async find(db: Db, participantId: string): Promise<EndingRow | undefined> {
    const [row] = await db
      .select()
      .from(programmeEndings)
      .where(eq(programmeEndings.participantId, participantId));
    return row;
  }

  /** The ending with the name of who wrote it. */
  async findWithRecorder(
    db: Db,
    participantId: string,
  ): Promise<(EndingRow & { recordedByName: string }) | undefined> {
    const [row] = await db
      .select({ ending: programmeEndings, recordedByName: staffUsers.fullName })
      .from(programmeEndings)
      .innerJoin(staffUsers, eq(staffUsers.id, programmeEndings.recordedBy))
      .where(eq(programmeEndings.participantId, participantId));
    return row ? { ...row.ending, recordedByName: row.recordedByName } : undefined;
  }

  async insert(db: Db, row: NewEnding): Promise<void> {
    await db.insert(programmeEndings).values(row);
  }

  /** Saves an edit only if nobody changed the ending since `version` was read. */
  async update(db: Db, participantId: string, version: number, changes: EndingChanges): Promise<boolean> {
    const rows = await db
      .update(programmeEndings)
      .set({ ...changes, version: version + 1 })
      .where(and(eq(programmeEndings.participantId, participantId), eq(programmeEndings.version, version)))
      .returning({ participantId: programmeEndings.participantId });
    return rows.length === 1;
  }

  /** Marks a session as the one planned as the programme's ending, or not. */
  async markEndingSession(db: Db, sessionId: string, isEnding = true): Promise<void> {
    await db.update(programmeSessions).set({ isEnding }).where(eq(programmeSessions.id, sessionId));
  }

  /** The ending moved: the participant's other still-planned sessions are not the ending any more. */
  async clearOtherPlannedEndings(db: Db, participantId: string, sessionId: string): Promise<void> {
    await db
      .update(programmeSessions)
      .set({ isEnding: false })
      .where(
        and(
          eq(programmeSessions.participantId, participantId),
          eq(programmeSessions.status, 'planned'),
          eq(programmeSessions.isEnding, true),
          ne(programmeSessions.id, sessionId),
        ),
      );
  }

  /**
   * Of these participants, the ones whose programme has ended (for lists that keep ended
   * participants apart from active ones, such as the caseload).
   */
  async endedParticipantIds(db: Db, participantIds: readonly string[]): Promise<Set<string>> {
    if (participantIds.length === 0) return new Set();
    const rows = await db
      .select({ participantId: programmeEndings.participantId })
      .from(programmeEndings)
      .where(inArray(programmeEndings.participantId, [...participantIds]));
    return new Set(rows.map((row) => row.participantId));
  }

  /** Who the summary was sent to, oldest first, with who sent it. */
  async shares(db: Db, participantId: string): Promise<(EndingShareRow & { sharedByName: string })[]> {
    const rows = await db
      .select({ share: programmeEndingShares, sharedByName: staffUsers.fullName })
      .from(programmeEndingShares)
      .innerJoin(staffUsers, eq(staffUsers.id, programmeEndingShares.sharedBy))
      .where(eq(programmeEndingShares.participantId, participantId))
      .orderBy(asc(programmeEndingShares.sharedAt));
    return rows.map((row) => ({ ...row.share, sharedByName: row.sharedByName }));
  }

  async sharedWithCrisisTeam(db: Db, participantId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: programmeEndingShares.id })
      .from(programmeEndingShares)
      .where(
        and(
          eq(programmeEndingShares.participantId, participantId),
          eq(programmeEndingShares.recipientKind, 'crisis_team'),
        ),
      )
      .limit(1);
    return row !== undefined;
  }

  async sharesByTokens(db: Db, tokens: readonly string[]): Promise<EndingShareRow[]> {
    if (tokens.length === 0) return [];
    return db
      .select()
      .from(programmeEndingShares)
      .where(inArray(programmeEndingShares.submissionToken, [...tokens]));
  }

  async insertShare(db: Db, row: EndingShareRow): Promise<void> {
    await db.insert(programmeEndingShares).values(row);
  }

  async setShareNotification(db: Db, shareId: string, notificationId: string): Promise<void> {
    await db
      .update(programmeEndingShares)
      .set({ notificationId })
      .where(eq(programmeEndingShares.id, shareId));
  }
}
