/** Serious adverse events' rows, and who hears of their reporting clock. */
import { and, desc, eq, getTableColumns, gt, isNull, lte, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import {
  staffUsers,
  trialConsents,
  trialRandomisations,
  trialSaes,
  trialScreenings,
} from '../platform/database/schema.ts';

const recorder = alias(staffUsers, 'recorder');
const reporter = alias(staffUsers, 'reporter');

export type SaeRow = typeof trialSaes.$inferSelect;

export const SAE_TOKEN_KEY = 'trial_saes_submission_token_key';

export interface SaeListRow extends SaeRow {
  studyId: string;
  trustId: string;
  screeningId: string;
  recordedByName: string;
  reportedByName: string | null;
}

export interface ClockDue {
  id: string;
  trialId: string;
  studyId: string;
  reportBy: Date;
  trustId: string;
}

export class SaeRepository {
  async insert(db: Db, row: SaeRow): Promise<void> {
    await db.insert(trialSaes).values(row);
  }

  async byToken(db: Db, submissionToken: string): Promise<SaeRow | undefined> {
    const [row] = await db.select().from(trialSaes).where(eq(trialSaes.submissionToken, submissionToken));
    return row;
  }

  /** The trial's events, those still to report first (soonest due), then the latest reported. */
  async list(db: Db, trialId: string): Promise<SaeListRow[]> {
    return this.withStudy(db)
      .where(eq(trialSaes.trialId, trialId))
      .orderBy(
        sql`${trialSaes.reportedAt} IS NOT NULL`,
        sql`CASE WHEN ${trialSaes.reportedAt} IS NULL THEN ${trialSaes.reportBy} END`,
        desc(trialSaes.reportedAt),
      )
      .limit(200);
  }

  private withStudy(db: Db) {
    return db
      .select({
        ...getTableColumns(trialSaes),
        studyId: trialRandomisations.studyId,
        trustId: trialScreenings.trustId,
        screeningId: trialScreenings.id,
        recordedByName: recorder.fullName,
        reportedByName: reporter.fullName,
      })
      .from(trialSaes)
      .innerJoin(trialRandomisations, eq(trialRandomisations.id, trialSaes.randomisationId))
      .innerJoin(trialConsents, eq(trialConsents.id, trialRandomisations.consentId))
      .innerJoin(trialScreenings, eq(trialScreenings.id, trialConsents.screeningId))
      .innerJoin(recorder, eq(recorder.id, trialSaes.recordedBy))
      .leftJoin(reporter, eq(reporter.id, trialSaes.reportedBy));
  }

  async lock(db: Db, id: string): Promise<SaeListRow | undefined> {
    await db.execute(sql`SELECT 1 FROM trial_saes WHERE id = ${id} FOR UPDATE`);
    const [row] = await this.withStudy(db).where(eq(trialSaes.id, id));
    return row;
  }

  async markReported(db: Db, id: string, by: string, at: Date, sponsorReference: string): Promise<void> {
    await db
      .update(trialSaes)
      .set({ reportedAt: at, reportedBy: by, sponsorReference })
      .where(and(eq(trialSaes.id, id), isNull(trialSaes.reportedAt)));
  }

  /** Unreported events whose warning (or, with `overdue`, whose deadline) has come, not yet claimed. */
  async clockDue(db: Db, now: Date, warnHours: number, overdue: boolean): Promise<ClockDue[]> {
    const due = overdue
      ? and(lte(trialSaes.reportBy, now), isNull(trialSaes.overdueAt))
      : and(
          lte(trialSaes.reportBy, new Date(now.getTime() + warnHours * 3_600_000)),
          gt(trialSaes.reportBy, now),
          isNull(trialSaes.warnedAt),
        );
    // A locked trial's events change no more, their warnings included (H35).
    const open = sql`NOT EXISTS (SELECT 1 FROM trials t WHERE t.id = ${trialSaes.trialId} AND t.locked_at IS NOT NULL)`;
    return this.withStudy(db).where(and(isNull(trialSaes.reportedAt), due, open));
  }

  /** Claims the warning or the overdue notice of one event: true for the one caller that does. */
  async claim(db: Db, id: string, overdue: boolean, now: Date): Promise<boolean> {
    const rows = await rowsOf<{ id: string }>(
      db,
      overdue
        ? sql`UPDATE trial_saes SET overdue_at = ${now.toISOString()}::timestamptz
               WHERE id = ${id} AND overdue_at IS NULL AND reported_at IS NULL RETURNING id`
        : sql`UPDATE trial_saes SET warned_at = ${now.toISOString()}::timestamptz
               WHERE id = ${id} AND warned_at IS NULL AND reported_at IS NULL RETURNING id`,
    );
    return rows.length === 1;
  }

  /** The trial managers of every site of the trial, still with an account. */
  async trialManagers(db: Db, trialId: string): Promise<{ email: string; trustId: string }[]> {
    return rowsOf(
      db,
      sql`SELECT u.email, u.trust_id AS "trustId" FROM staff_users u
            JOIN trial_sites ts ON ts.trust_id = u.trust_id AND ts.trial_id = ${trialId}
           WHERE 'trial_manager' = ANY(u.roles) AND u.disabled_at IS NULL
           ORDER BY u.email`,
    );
  }
}
