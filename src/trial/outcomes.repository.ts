/** What outcomes by arm are computed from, and data monitoring committee reports' rows. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import { trialDmcReports } from '../platform/database/schema.ts';
import type { OutcomeData } from './outcomes-by-arm.ts';

export type DmcReportRow = typeof trialDmcReports.$inferSelect;

export const DMC_TOKEN_KEY = 'trial_dmc_reports_submission_token_key';

const asDate = (value: Date | string) => new Date(value);

export class OutcomesRepository {
  /** Every randomisation of the trial with its arm, episodes and withdrawals. */
  async outcomeData(db: Db, trialId: string): Promise<OutcomeData> {
    const randomisations = await rowsOf<{ id: string; arm: 'intervention' | 'control'; randomisedAt: Date | string }>(
      db,
      sql`SELECT id, arm, randomised_at AS "randomisedAt" FROM trial_randomisations WHERE trial_id = ${trialId}`,
    );
    const episodes = await rowsOf<{ randomisationId: string; kind: string; startedOn: string; recordedAt: Date | string }>(
      db,
      sql`SELECT randomisation_id AS "randomisationId", kind, started_on::text AS "startedOn",
                 coalesce(changed_at, recorded_at) AS "recordedAt"
            FROM trial_acute_episodes WHERE trial_id = ${trialId}`,
    );
    const withdrawals = await rowsOf<{
      randomisationId: string;
      scope: 'intervention' | 'follow_up' | 'data';
      withdrawnOn: string;
      recordedAt: Date | string;
    }>(
      db,
      sql`SELECT r.id AS "randomisationId", w.scope, w.withdrawn_on::text AS "withdrawnOn", w.recorded_at AS "recordedAt"
            FROM trial_withdrawals w JOIN trial_randomisations r ON r.consent_id = w.consent_id
           WHERE r.trial_id = ${trialId}`,
    );
    return {
      randomisations: randomisations.map((r) => ({ ...r, randomisedAt: asDate(r.randomisedAt) })),
      episodes: episodes.map((e) => ({ ...e, recordedAt: asDate(e.recordedAt) })),
      withdrawals: withdrawals.map((w) => ({ ...w, recordedAt: asDate(w.recordedAt) })),
    };
  }

  async insertDmcReport(db: Db, row: DmcReportRow): Promise<void> {
    await db.insert(trialDmcReports).values(row);
  }

  async dmcReportByToken(db: Db, submissionToken: string): Promise<DmcReportRow | undefined> {
    const [row] = await db
      .select()
      .from(trialDmcReports)
      .where(eq(trialDmcReports.submissionToken, submissionToken));
    return row;
  }

  async dmcReport(db: Db, trialId: string, id: string): Promise<DmcReportRow | undefined> {
    const [row] = await db
      .select()
      .from(trialDmcReports)
      .where(and(eq(trialDmcReports.trialId, trialId), eq(trialDmcReports.id, id)));
    return row;
  }

  /** The trial's reports, the latest asked for first. */
  async dmcReports(db: Db, trialId: string): Promise<DmcReportRow[]> {
    return db
      .select()
      .from(trialDmcReports)
      .where(eq(trialDmcReports.trialId, trialId))
      .orderBy(desc(trialDmcReports.requestedAt));
  }
}
