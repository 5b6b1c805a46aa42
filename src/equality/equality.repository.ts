import { and, eq } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { equalityMonitoring } from '../platform/database/schema.ts';
import type { EqualityAnswers } from './equality-fields.ts';

export type EqualityRow = typeof equalityMonitoring.$inferSelect;

/** Who recorded the answers last (NULL: the participant) and when. */
export interface Recorded {
  recordedBy: string | null;
  recordedAt: Date;
}

/** A participant's equality monitoring answers: at most one row each, changed under its version. */
export class EqualityRepository {
  async find(db: Db, participantId: string): Promise<EqualityRow | undefined> {
    const [row] = await db
      .select()
      .from(equalityMonitoring)
      .where(eq(equalityMonitoring.participantId, participantId));
    return row;
  }

  /** Only what a worker needs to run sessions: the first language and whether an interpreter is needed. */
  async language(
    db: Db,
    participantId: string,
  ): Promise<Pick<EqualityAnswers, 'firstLanguage' | 'firstLanguageName' | 'interpreterNeeded'> | undefined> {
    const [row] = await db
      .select({
        firstLanguage: equalityMonitoring.firstLanguage,
        firstLanguageName: equalityMonitoring.firstLanguageName,
        interpreterNeeded: equalityMonitoring.interpreterNeeded,
      })
      .from(equalityMonitoring)
      .where(eq(equalityMonitoring.participantId, participantId));
    return row;
  }

  async insert(
    db: Db,
    row: { participantId: string; trustId: string } & EqualityAnswers & Recorded,
  ): Promise<void> {
    await db.insert(equalityMonitoring).values({ ...row, version: 1 });
  }

  /** Optimistic update: false when the row changed since `version` was read. */
  async update(
    db: Db,
    participantId: string,
    version: number,
    values: EqualityAnswers & Recorded,
  ): Promise<boolean> {
    const updated = await db
      .update(equalityMonitoring)
      .set({ ...values, version: version + 1 })
      .where(
        and(eq(equalityMonitoring.participantId, participantId), eq(equalityMonitoring.version, version)),
      )
      .returning({ version: equalityMonitoring.version });
    return updated.length === 1;
  }
}
