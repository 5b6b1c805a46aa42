import { desc, eq } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { sharingConsents, staffUsers } from '../platform/database/schema.ts';

export type SharingConsentRow = typeof sharingConsents.$inferSelect;
export type SharingConsentChoice = SharingConsentRow['consent'];

/** Every decision the participant made about sharing, newest first; the first is in force. */
export class SharingConsentRepository {
  async insert(db: Db, row: SharingConsentRow): Promise<void> {
    await db.insert(sharingConsents).values(row);
  }

  async bySubmissionToken(db: Db, token: string): Promise<SharingConsentRow | undefined> {
    const [row] = await db.select().from(sharingConsents).where(eq(sharingConsents.submissionToken, token));
    return row;
  }

  /** The decision in force: the one recorded last. */
  async latest(db: Db, participantId: string): Promise<SharingConsentRow | undefined> {
    const [row] = await db
      .select()
      .from(sharingConsents)
      .where(eq(sharingConsents.participantId, participantId))
      .orderBy(desc(sharingConsents.recordedAt), desc(sharingConsents.id))
      .limit(1);
    return row;
  }

  async history(db: Db, participantId: string): Promise<(SharingConsentRow & { recordedByName: string })[]> {
    const rows = await db
      .select({ consent: sharingConsents, recordedByName: staffUsers.fullName })
      .from(sharingConsents)
      .innerJoin(staffUsers, eq(staffUsers.id, sharingConsents.recordedBy))
      .where(eq(sharingConsents.participantId, participantId))
      .orderBy(desc(sharingConsents.recordedAt), desc(sharingConsents.id));
    return rows.map((row) => ({ ...row.consent, recordedByName: row.recordedByName }));
  }
}
