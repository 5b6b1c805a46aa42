/** SQL for the trial, its sites, the screening log, consent and withdrawals. */
import { and, asc, count, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/database/database.ts';
import {
  crisisTeams,
  staffUsers,
  trialConsents,
  trialScreenings,
  trialSites,
  trials,
  trialWithdrawals,
  trusts,
} from '../platform/database/schema.ts';
import type { ScreeningGroup } from './trial-counts.ts';
import { WITHDRAWAL_SCOPES, type WithdrawalScope } from './withdrawal-scopes.ts';

export type TrialRow = typeof trials.$inferSelect;
export type ScreeningRow = typeof trialScreenings.$inferSelect;
export type ConsentRow = typeof trialConsents.$inferSelect;
export type WithdrawalRow = typeof trialWithdrawals.$inferSelect;

/** The unique keys a form sent twice meets. */
export const SCREENING_TOKEN_KEY = 'trial_screenings_submission_token_key';
export const CONSENT_KEYS = [
  'trial_consents_submission_token_key',
  'trial_consents_screening_id_key',
] as const;
export const WITHDRAWAL_KEYS = [
  'trial_withdrawals_submission_token_key',
  'trial_withdrawals_consent_id_scope_key',
] as const;

export interface SiteTeam {
  id: string;
  name: string;
  trustId: string;
  trustName: string;
}

/** One line of the screening log. */
export interface ScreeningLogRow {
  id: string;
  screenedOn: string;
  initials: string;
  yearOfBirth: number;
  crisisTeamName: string;
  eligible: boolean;
  reasons: string[];
  approach: ScreeningRow['approach'];
  widestWithdrawal: WithdrawalScope | null;
}

/** A screening with the names the page shows. */
export interface ScreeningDetail extends ScreeningRow {
  crisisTeamName: string;
  trustName: string;
  screenedByName: string;
  approachRecordedByName: string | null;
}

export interface ConsentDetail extends ConsentRow {
  takenByName: string;
}

export interface WithdrawalDetail extends WithdrawalRow {
  recordedByName: string;
}

const screener = alias(staffUsers, 'screener');
const approachRecorder = alias(staffUsers, 'approach_recorder');

/**
 * Each consent's widest withdrawal, as its place in WITHDRAWAL_SCOPES counted from 1 (the
 * scopes in order, narrowest first), to join a screening's consent to.
 */
function widestWithdrawals(db: Db) {
  return db
    .select({
      consentId: trialWithdrawals.consentId,
      rank: sql<number>`max(array_position(ARRAY['intervention', 'follow_up', 'data']::text[], ${trialWithdrawals.scope}))::int`.as(
        'rank',
      ),
    })
    .from(trialWithdrawals)
    .groupBy(trialWithdrawals.consentId)
    .as('widest');
}

const scopeAt = (rank: number | null): WithdrawalScope | null =>
  rank === null ? null : (WITHDRAWAL_SCOPES[rank - 1] ?? null);

export class TrialRepository {
  /**
   * The deployment's trial: the most recently opened. One runs at a time; an earlier one, once
   * completed and locked, stays for its statistician (`trialsAtSite`).
   */
  async theTrial(db: Db): Promise<TrialRow | undefined> {
    const [row] = await db.select().from(trials).orderBy(desc(trials.openedAt), asc(trials.id)).limit(1);
    return row;
  }

  /** Every trial the trust takes part in, the most recently opened first. */
  async trialsAtSite(db: Db, trustId: string): Promise<TrialRow[]> {
    return db
      .select(getTableColumns(trials))
      .from(trials)
      .innerJoin(trialSites, eq(trialSites.trialId, trials.id))
      .where(eq(trialSites.trustId, trustId))
      .orderBy(desc(trials.openedAt), asc(trials.id));
  }

  async insertTrial(db: Db, row: typeof trials.$inferInsert): Promise<void> {
    await db.insert(trials).values(row);
  }

  /** Every trust of the deployment, by name: the sites a trial may have. */
  async trusts(db: Db): Promise<{ id: string; name: string }[]> {
    return db.select({ id: trusts.id, name: trusts.name }).from(trusts).orderBy(asc(trusts.name));
  }

  async insertSite(db: Db, trialId: string, trustId: string): Promise<void> {
    await db.insert(trialSites).values({ trialId, trustId });
  }

  async siteTrustIds(db: Db, trialId: string): Promise<string[]> {
    const rows = await db
      .select({ trustId: trialSites.trustId })
      .from(trialSites)
      .where(eq(trialSites.trialId, trialId));
    return rows.map((row) => row.trustId);
  }

  /** Every crisis team of every site, by trust then team name. */
  async siteTeams(db: Db, trialId: string): Promise<SiteTeam[]> {
    return db
      .select({
        id: crisisTeams.id,
        name: crisisTeams.name,
        trustId: crisisTeams.trustId,
        trustName: trusts.name,
      })
      .from(trialSites)
      .innerJoin(trusts, eq(trusts.id, trialSites.trustId))
      .innerJoin(crisisTeams, eq(crisisTeams.trustId, trialSites.trustId))
      .where(eq(trialSites.trialId, trialId))
      .orderBy(asc(trusts.name), asc(crisisTeams.name));
  }

  async insertScreening(db: Db, row: ScreeningRow): Promise<void> {
    await db.insert(trialScreenings).values(row);
  }

  async screeningByToken(db: Db, submissionToken: string): Promise<ScreeningRow | undefined> {
    const [row] = await db
      .select()
      .from(trialScreenings)
      .where(eq(trialScreenings.submissionToken, submissionToken));
    return row;
  }

  async screening(db: Db, trialId: string, id: string): Promise<ScreeningDetail | undefined> {
    const [row] = await db
      .select({
        screening: trialScreenings,
        crisisTeamName: crisisTeams.name,
        trustName: trusts.name,
        screenedByName: screener.fullName,
        approachRecordedByName: approachRecorder.fullName,
      })
      .from(trialScreenings)
      .innerJoin(crisisTeams, eq(crisisTeams.id, trialScreenings.crisisTeamId))
      .innerJoin(trusts, eq(trusts.id, trialScreenings.trustId))
      .innerJoin(screener, eq(screener.id, trialScreenings.screenedBy))
      .leftJoin(approachRecorder, eq(approachRecorder.id, trialScreenings.approachRecordedBy))
      .where(and(eq(trialScreenings.trialId, trialId), eq(trialScreenings.id, id)));
    if (!row) return undefined;
    return {
      ...row.screening,
      crisisTeamName: row.crisisTeamName,
      trustName: row.trustName,
      screenedByName: row.screenedByName,
      approachRecordedByName: row.approachRecordedByName,
    };
  }

  /** Locks the screening's row until the transaction ends: one outcome of an approach at a time. */
  async lockScreening(db: Db, id: string): Promise<void> {
    await db.execute(sql`SELECT 1 FROM ${trialScreenings} WHERE ${trialScreenings.id} = ${id} FOR UPDATE`);
  }

  async countScreenings(db: Db, trialId: string): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(trialScreenings)
      .where(eq(trialScreenings.trialId, trialId));
    return row?.n ?? 0;
  }

  /** A page of the screening log, the most recently screened first. */
  async screeningLog(db: Db, trialId: string, limit: number, offset: number): Promise<ScreeningLogRow[]> {
    const widest = widestWithdrawals(db);
    const rows = await db
      .select({
        id: trialScreenings.id,
        screenedOn: trialScreenings.screenedOn,
        initials: trialScreenings.initials,
        yearOfBirth: trialScreenings.yearOfBirth,
        crisisTeamName: crisisTeams.name,
        eligible: trialScreenings.eligible,
        reasons: trialScreenings.ineligibleReasons,
        approach: trialScreenings.approach,
        rank: widest.rank,
      })
      .from(trialScreenings)
      .innerJoin(crisisTeams, eq(crisisTeams.id, trialScreenings.crisisTeamId))
      .leftJoin(trialConsents, eq(trialConsents.screeningId, trialScreenings.id))
      .leftJoin(widest, eq(widest.consentId, trialConsents.id))
      .where(eq(trialScreenings.trialId, trialId))
      .orderBy(desc(trialScreenings.screenedOn), desc(trialScreenings.screenedAt), asc(trialScreenings.id))
      .limit(limit)
      .offset(offset);
    return rows.map(({ rank, ...row }) => ({ ...row, widestWithdrawal: scopeAt(rank) }));
  }

  /** Records what happened when an eligible person was approached, if nothing was recorded yet. */
  async setApproach(
    db: Db,
    id: string,
    approach: NonNullable<ScreeningRow['approach']>,
    reason: string | null,
    by: string,
    at: Date,
  ): Promise<boolean> {
    const updated = await db
      .update(trialScreenings)
      .set({ approach, approachReason: reason, approachRecordedBy: by, approachRecordedAt: at })
      .where(
        and(eq(trialScreenings.id, id), eq(trialScreenings.eligible, true), isNull(trialScreenings.approach)),
      )
      .returning({ id: trialScreenings.id });
    return updated.length === 1;
  }

  /** Screenings grouped by what happened to them, for the trial's counts. */
  async screeningGroups(db: Db, trialId: string): Promise<ScreeningGroup[]> {
    const widest = widestWithdrawals(db);
    const rows = await db
      .select({
        eligible: trialScreenings.eligible,
        reasons: trialScreenings.ineligibleReasons,
        approach: trialScreenings.approach,
        rank: widest.rank,
        people: sql<number>`count(*)::int`,
      })
      .from(trialScreenings)
      .leftJoin(trialConsents, eq(trialConsents.screeningId, trialScreenings.id))
      .leftJoin(widest, eq(widest.consentId, trialConsents.id))
      .where(eq(trialScreenings.trialId, trialId))
      .groupBy(
        trialScreenings.eligible,
        trialScreenings.ineligibleReasons,
        trialScreenings.approach,
        widest.rank,
      );
    return rows.map(({ rank, ...row }) => ({ ...row, widestWithdrawal: scopeAt(rank) }));
  }

  async insertConsent(db: Db, row: ConsentRow): Promise<void> {
    await db.insert(trialConsents).values(row);
  }

  async consentByToken(db: Db, submissionToken: string): Promise<ConsentRow | undefined> {
    const [row] = await db
      .select()
      .from(trialConsents)
      .where(eq(trialConsents.submissionToken, submissionToken));
    return row;
  }

  async consentForScreening(db: Db, screeningId: string): Promise<ConsentDetail | undefined> {
    const [row] = await db
      .select({ consent: trialConsents, takenByName: staffUsers.fullName })
      .from(trialConsents)
      .innerJoin(staffUsers, eq(staffUsers.id, trialConsents.takenBy))
      .where(eq(trialConsents.screeningId, screeningId));
    return row && { ...row.consent, takenByName: row.takenByName };
  }

  async withdrawals(db: Db, consentId: string): Promise<WithdrawalDetail[]> {
    const rows = await db
      .select({ withdrawal: trialWithdrawals, recordedByName: staffUsers.fullName })
      .from(trialWithdrawals)
      .innerJoin(staffUsers, eq(staffUsers.id, trialWithdrawals.recordedBy))
      .where(eq(trialWithdrawals.consentId, consentId))
      .orderBy(asc(trialWithdrawals.recordedAt));
    return rows.map((row) => ({ ...row.withdrawal, recordedByName: row.recordedByName }));
  }

  async withdrawalByToken(db: Db, submissionToken: string): Promise<WithdrawalRow | undefined> {
    const [row] = await db
      .select()
      .from(trialWithdrawals)
      .where(eq(trialWithdrawals.submissionToken, submissionToken));
    return row;
  }

  async insertWithdrawal(db: Db, row: WithdrawalRow): Promise<void> {
    await db.insert(trialWithdrawals).values(row);
  }
}
