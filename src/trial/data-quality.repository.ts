/** Data queries, their replies, and protocol deviations: rows only. */
import { and, asc, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/database/database.ts';
import {
  staffUsers,
  trialConsents,
  trialDataQueries,
  trialDataQueryReplies,
  trialDeviations,
  trialExportVerifications,
  trialRandomisations,
  trialSaes,
  trialScreenings,
  trials,
} from '../platform/database/schema.ts';
import type { QueryableRecord } from './query-fields.ts';

export type DataQueryRow = typeof trialDataQueries.$inferSelect;
export type DataQueryReplyRow = typeof trialDataQueryReplies.$inferSelect;
export type DeviationRow = typeof trialDeviations.$inferSelect;

export const QUERY_TOKEN_KEY = 'trial_data_queries_submission_token_key';
export const DEVIATION_TOKEN_KEY = 'trial_deviations_submission_token_key';

export interface DataQueryListRow extends DataQueryRow {
  studyId: string;
  trustId: string;
  raisedByName: string;
}

export interface DataQueryReplyView extends DataQueryReplyRow {
  writtenByName: string;
}

export interface DeviationListRow extends DeviationRow {
  studyId: string | null;
  recordedByName: string;
}

const raiser = alias(staffUsers, 'raiser');
const recorder = alias(staffUsers, 'recorder');

export class DataQualityRepository {
  /** The randomised person with this study id in this trial: where they were screened, and the values a query may be on. */
  async queryable(
    db: Db,
    trialId: string,
    studyId: string,
  ): Promise<(QueryableRecord & { randomisationId: string; trustId: string }) | undefined> {
    const [row] = await db
      .select({
        randomisationId: trialRandomisations.id,
        trustId: trialScreenings.trustId,
        studyId: trialRandomisations.studyId,
        screenedOn: trialScreenings.screenedOn,
        yearOfBirth: trialScreenings.yearOfBirth,
        consentTakenOn: trialConsents.takenOn,
        consentDocumentVersion: trialConsents.documentVersion,
        randomisedAt: trialRandomisations.randomisedAt,
      })
      .from(trialRandomisations)
      .innerJoin(trialConsents, eq(trialConsents.id, trialRandomisations.consentId))
      .innerJoin(trialScreenings, eq(trialScreenings.id, trialConsents.screeningId))
      .where(and(eq(trialRandomisations.trialId, trialId), eq(trialRandomisations.studyId, studyId)));
    return row;
  }

  async insertQuery(db: Db, row: DataQueryRow): Promise<void> {
    await db.insert(trialDataQueries).values(row);
  }

  async queryByToken(db: Db, token: string): Promise<DataQueryRow | undefined> {
    const [row] = await db.select().from(trialDataQueries).where(eq(trialDataQueries.submissionToken, token));
    return row;
  }

  private queriesWithStudy(db: Db) {
    return db
      .select({
        ...getTableColumns(trialDataQueries),
        studyId: trialRandomisations.studyId,
        trustId: trialScreenings.trustId,
        raisedByName: raiser.fullName,
      })
      .from(trialDataQueries)
      .innerJoin(trialRandomisations, eq(trialRandomisations.id, trialDataQueries.randomisationId))
      .innerJoin(trialConsents, eq(trialConsents.id, trialRandomisations.consentId))
      .innerJoin(trialScreenings, eq(trialScreenings.id, trialConsents.screeningId))
      .innerJoin(raiser, eq(raiser.id, trialDataQueries.raisedBy));
  }

  /**
   * The trial's queries: open ones first, oldest first (the longest waiting at the top), then
   * answered ones, then the most recently closed. Nothing in the order depends on the arm.
   */
  async listQueries(db: Db, trialId: string): Promise<DataQueryListRow[]> {
    return this.queriesWithStudy(db)
      .where(eq(trialDataQueries.trialId, trialId))
      .orderBy(
        sql`CASE ${trialDataQueries.status} WHEN 'open' THEN 0 WHEN 'answered' THEN 1 ELSE 2 END`,
        sql`CASE WHEN ${trialDataQueries.status} <> 'closed' THEN ${trialDataQueries.openSince} END`,
        desc(trialDataQueries.closedAt),
        asc(trialDataQueries.id),
      )
      .limit(500);
  }

  async countOpenQueries(db: Db, trialId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(trialDataQueries)
      .where(and(eq(trialDataQueries.trialId, trialId), sql`${trialDataQueries.status} <> 'closed'`));
    return row?.n ?? 0;
  }

  /** One query, its row locked for the rest of the transaction. */
  async lockQuery(db: Db, id: string): Promise<DataQueryListRow | undefined> {
    await db.execute(sql`SELECT 1 FROM trial_data_queries WHERE id = ${id} FOR UPDATE`);
    const [row] = await this.queriesWithStudy(db).where(eq(trialDataQueries.id, id));
    return row;
  }

  async query(db: Db, id: string): Promise<DataQueryListRow | undefined> {
    const [row] = await this.queriesWithStudy(db).where(eq(trialDataQueries.id, id));
    return row;
  }

  async replies(db: Db, queryId: string): Promise<DataQueryReplyView[]> {
    return db
      .select({ ...getTableColumns(trialDataQueryReplies), writtenByName: staffUsers.fullName })
      .from(trialDataQueryReplies)
      .innerJoin(staffUsers, eq(staffUsers.id, trialDataQueryReplies.writtenBy))
      .where(eq(trialDataQueryReplies.queryId, queryId))
      .orderBy(asc(trialDataQueryReplies.writtenAt), asc(trialDataQueryReplies.id));
  }

  async replyByToken(db: Db, token: string): Promise<DataQueryReplyRow | undefined> {
    const [row] = await db
      .select()
      .from(trialDataQueryReplies)
      .where(eq(trialDataQueryReplies.submissionToken, token));
    return row;
  }

  async insertReply(db: Db, row: DataQueryReplyRow): Promise<void> {
    await db.insert(trialDataQueryReplies).values(row);
  }

  async setQueryStatus(
    db: Db,
    id: string,
    change:
      | { status: 'answered' }
      | { status: 'open'; openSince: Date }
      | { status: 'closed'; closedBy: string; closedAt: Date },
  ): Promise<void> {
    await db.update(trialDataQueries).set(change).where(eq(trialDataQueries.id, id));
  }

  /** The trial's row, locked for the rest of the transaction. */
  async lockTrialRow(db: Db, trialId: string): Promise<{ lockedAt: Date | null } | undefined> {
    const [row] = await db
      .select({ lockedAt: trials.lockedAt })
      .from(trials)
      .where(eq(trials.id, trialId))
      .for('update');
    return row;
  }

  async setLocked(db: Db, trialId: string, by: string, at: Date): Promise<void> {
    await db
      .update(trials)
      .set({ lockedAt: at, lockedBy: by })
      .where(and(eq(trials.id, trialId), isNull(trials.lockedAt)));
  }

  async lockerName(db: Db, staffId: string): Promise<string | undefined> {
    const [row] = await db
      .select({ name: staffUsers.fullName })
      .from(staffUsers)
      .where(eq(staffUsers.id, staffId));
    return row?.name;
  }

  /** Serious adverse events of the trial whose report to the sponsor is not recorded yet. */
  async countUnreportedSaes(db: Db, trialId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(trialSaes)
      .where(and(eq(trialSaes.trialId, trialId), isNull(trialSaes.reportedAt)));
    return row?.n ?? 0;
  }

  /** When this sign-in session last gave a fresh authenticator code for the exports, by this member of staff. */
  async exportVerifiedAt(db: Db, sessionIdHash: string, staffId: string): Promise<Date | undefined> {
    const [row] = await db
      .select({ at: trialExportVerifications.verifiedAt })
      .from(trialExportVerifications)
      .where(
        and(
          eq(trialExportVerifications.sessionIdHash, sessionIdHash),
          eq(trialExportVerifications.staffId, staffId),
        ),
      );
    return row?.at;
  }

  async setExportVerified(db: Db, sessionIdHash: string, staffId: string, at: Date): Promise<void> {
    await db
      .insert(trialExportVerifications)
      .values({ sessionIdHash, staffId, verifiedAt: at })
      .onConflictDoUpdate({
        target: trialExportVerifications.sessionIdHash,
        set: { staffId, verifiedAt: at },
      });
  }

  async insertDeviation(db: Db, row: DeviationRow): Promise<void> {
    await db.insert(trialDeviations).values(row);
  }

  async deviationByToken(db: Db, token: string): Promise<DeviationRow | undefined> {
    const [row] = await db.select().from(trialDeviations).where(eq(trialDeviations.submissionToken, token));
    return row;
  }

  /** The trial's deviations, the latest first. */
  async listDeviations(db: Db, trialId: string): Promise<DeviationListRow[]> {
    return db
      .select({
        ...getTableColumns(trialDeviations),
        studyId: trialRandomisations.studyId,
        recordedByName: recorder.fullName,
      })
      .from(trialDeviations)
      .leftJoin(trialRandomisations, eq(trialRandomisations.id, trialDeviations.randomisationId))
      .innerJoin(recorder, eq(recorder.id, trialDeviations.recordedBy))
      .where(eq(trialDeviations.trialId, trialId))
      .orderBy(desc(trialDeviations.occurredOn), desc(trialDeviations.recordedAt))
      .limit(500);
  }
}
