/**
 * Randomisation's rows: each stratum's allocation sequence and the randomisations made from it.
 * The sequence is read only by `nextSlot`, inside the randomising transaction.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import { trialAllocationSlots, trialRandomisations } from '../platform/database/schema.ts';
import type { Arm } from './randomisation.ts';

export type RandomisationRow = typeof trialRandomisations.$inferSelect;

export const RANDOMISATION_KEYS = [
  'trial_randomisations_submission_token_key',
  'trial_randomisations_consent_id_key',
];

export interface StratumBalance {
  crisisTeamId: string;
  teamName: string;
  intervention: number;
  control: number;
}

/** One arm from allocation to analysis, for the CONSORT diagram (counts only, never outcomes). */
export interface ArmFlow {
  arm: Arm;
  randomised: number;
  /** Withdrew at all: every scope includes the intervention. */
  withdrewFromIntervention: number;
  /** Withdrew from further follow-up, or from any use of their data. */
  withdrewFromFollowUp: number;
  /** Withdrew from any use of their data: left out of the analysis. */
  withdrewData: number;
  /** With at least one follow-up time point done. */
  followedUp: number;
}

export class RandomisationRepository {
  /**
   * Waits for any other randomisation in the trial to finish: study numbers and each stratum's
   * next slot are then read by one transaction at a time.
   */
  async lockTrial(db: Db, trialId: string): Promise<void> {
    await db.execute(sql`SELECT pg_advisory_xact_lock(7318016, hashtext(${trialId}))`);
  }

  /** The stratum's first slot nobody has been given, if any is left. */
  async nextSlot(
    db: Db,
    trialId: string,
    crisisTeamId: string,
  ): Promise<{ position: number; arm: Arm } | undefined> {
    const [slot] = await rowsOf<{ position: number; arm: Arm }>(
      db,
      sql`SELECT s.position, s.arm FROM trial_allocation_slots s
           WHERE s.trial_id = ${trialId} AND s.crisis_team_id = ${crisisTeamId}
             AND NOT EXISTS (SELECT 1 FROM trial_randomisations r
                              WHERE r.trial_id = s.trial_id AND r.crisis_team_id = s.crisis_team_id
                                AND r.position = s.position)
           ORDER BY s.position LIMIT 1`,
    );
    return slot;
  }

  async lastPosition(db: Db, trialId: string, crisisTeamId: string): Promise<number> {
    const [row] = await rowsOf<{ last: number }>(
      db,
      sql`SELECT coalesce(max(position), 0)::int AS last FROM trial_allocation_slots
           WHERE trial_id = ${trialId} AND crisis_team_id = ${crisisTeamId}`,
    );
    return row?.last ?? 0;
  }

  async addSlots(
    db: Db,
    rows: { trialId: string; crisisTeamId: string; position: number; arm: Arm; madeAt: Date }[],
  ): Promise<void> {
    if (rows.length > 0) await db.insert(trialAllocationSlots).values(rows);
  }

  async nextStudyNumber(db: Db, trialId: string): Promise<number> {
    const [row] = await rowsOf<{ next: number }>(
      db,
      sql`SELECT coalesce(max(study_number), 0)::int + 1 AS next FROM trial_randomisations WHERE trial_id = ${trialId}`,
    );
    return row?.next ?? 1;
  }

  async insert(db: Db, row: RandomisationRow): Promise<void> {
    await db.insert(trialRandomisations).values(row);
  }

  async forConsent(db: Db, consentId: string): Promise<RandomisationRow | undefined> {
    const [row] = await db
      .select()
      .from(trialRandomisations)
      .where(eq(trialRandomisations.consentId, consentId));
    return row;
  }

  async byToken(db: Db, submissionToken: string): Promise<RandomisationRow | undefined> {
    const [row] = await db
      .select()
      .from(trialRandomisations)
      .where(eq(trialRandomisations.submissionToken, submissionToken));
    return row;
  }

  /** How many in each arm, per stratum (crisis team), in team order. */
  async balance(db: Db, trialId: string): Promise<StratumBalance[]> {
    return rowsOf<StratumBalance>(
      db,
      sql`SELECT r.crisis_team_id AS "crisisTeamId", t.name AS "teamName",
                 count(*) FILTER (WHERE r.arm = 'intervention')::int AS intervention,
                 count(*) FILTER (WHERE r.arm = 'control')::int AS control
            FROM trial_randomisations r JOIN crisis_teams t ON t.id = r.crisis_team_id
           WHERE r.trial_id = ${trialId}
           GROUP BY r.crisis_team_id, t.name
           ORDER BY t.name`,
    );
  }

  /** Each arm's flow from allocation to analysis: withdrawals by their widest scope, follow-ups done. */
  async armFlow(db: Db, trialId: string): Promise<ArmFlow[]> {
    return rowsOf<ArmFlow>(
      db,
      sql`SELECT r.arm, count(*)::int AS randomised,
                 count(*) FILTER (WHERE w.widest >= 1)::int AS "withdrewFromIntervention",
                 count(*) FILTER (WHERE w.widest >= 2)::int AS "withdrewFromFollowUp",
                 count(*) FILTER (WHERE w.widest = 3)::int AS "withdrewData",
                 count(*) FILTER (WHERE EXISTS (SELECT 1 FROM trial_follow_ups f
                                                 WHERE f.randomisation_id = r.id AND f.outcome = 'done'))::int AS "followedUp"
            FROM trial_randomisations r
            LEFT JOIN LATERAL (
              SELECT max(CASE ws.scope WHEN 'intervention' THEN 1 WHEN 'follow_up' THEN 2 ELSE 3 END) AS widest
                FROM trial_withdrawals ws WHERE ws.consent_id = r.consent_id
            ) w ON true
           WHERE r.trial_id = ${trialId}
           GROUP BY r.arm
           ORDER BY r.arm DESC`,
    );
  }

  async count(db: Db, trialId: string): Promise<number> {
    const [row] = await rowsOf<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM trial_randomisations WHERE trial_id = ${trialId}`,
    );
    return row?.n ?? 0;
  }
}
