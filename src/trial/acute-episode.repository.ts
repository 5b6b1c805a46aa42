/** Acute-care episodes' rows, and the randomised participant (by study id) they are about. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/database/database.ts';
import {
  staffUsers,
  trialAcuteEpisodes,
  trialConsents,
  trialRandomisations,
  trialScreenings,
  trialWithdrawals,
} from '../platform/database/schema.ts';
import type { WithdrawalScope } from './withdrawal-scopes.ts';

export type EpisodeRow = typeof trialAcuteEpisodes.$inferSelect;

export const EPISODE_TOKEN_KEY = 'trial_acute_episodes_submission_token_key';

/** A randomised participant as the episodes pages know them: no arm. */
export interface EpisodeSubject {
  randomisationId: string;
  studyId: string;
  trustId: string;
  consentedOn: string;
  randomisedAt: Date;
  withdrawals: { scope: WithdrawalScope; withdrawnOn: string }[];
}

export interface EpisodeListRow extends EpisodeRow {
  recordedByName: string;
  changedByName: string | null;
}

export type EpisodeChange = Pick<EpisodeRow, 'kind' | 'startedOn' | 'endedOn' | 'source' | 'notes'>;

const recorder = alias(staffUsers, 'recorder');
const changer = alias(staffUsers, 'changer');

export class AcuteEpisodeRepository {
  /** The randomised participant of the trial with this study id, if there is one. */
  async subject(db: Db, trialId: string, studyId: string): Promise<EpisodeSubject | undefined> {
    const [row] = await db
      .select({
        randomisationId: trialRandomisations.id,
        studyId: trialRandomisations.studyId,
        trustId: trialScreenings.trustId,
        consentedOn: trialConsents.takenOn,
        randomisedAt: trialRandomisations.randomisedAt,
        consentId: trialConsents.id,
      })
      .from(trialRandomisations)
      .innerJoin(trialConsents, eq(trialConsents.id, trialRandomisations.consentId))
      .innerJoin(trialScreenings, eq(trialScreenings.id, trialConsents.screeningId))
      .where(and(eq(trialRandomisations.trialId, trialId), eq(trialRandomisations.studyId, studyId)));
    if (!row) return undefined;
    const withdrawals = await db
      .select({ scope: trialWithdrawals.scope, withdrawnOn: trialWithdrawals.withdrawnOn })
      .from(trialWithdrawals)
      .where(eq(trialWithdrawals.consentId, row.consentId));
    const { consentId: _consentId, ...subject } = row;
    return { ...subject, withdrawals };
  }

  async insert(db: Db, row: EpisodeRow): Promise<void> {
    await db.insert(trialAcuteEpisodes).values(row);
  }

  async byToken(db: Db, submissionToken: string): Promise<EpisodeRow | undefined> {
    const [row] = await db
      .select()
      .from(trialAcuteEpisodes)
      .where(eq(trialAcuteEpisodes.submissionToken, submissionToken));
    return row;
  }

  /** A participant's episodes, the earliest first. */
  async list(db: Db, randomisationId: string): Promise<EpisodeListRow[]> {
    return db
      .select({
        id: trialAcuteEpisodes.id,
        trialId: trialAcuteEpisodes.trialId,
        randomisationId: trialAcuteEpisodes.randomisationId,
        kind: trialAcuteEpisodes.kind,
        startedOn: trialAcuteEpisodes.startedOn,
        endedOn: trialAcuteEpisodes.endedOn,
        source: trialAcuteEpisodes.source,
        notes: trialAcuteEpisodes.notes,
        recordedBy: trialAcuteEpisodes.recordedBy,
        recordedAt: trialAcuteEpisodes.recordedAt,
        changedBy: trialAcuteEpisodes.changedBy,
        changedAt: trialAcuteEpisodes.changedAt,
        version: trialAcuteEpisodes.version,
        submissionToken: trialAcuteEpisodes.submissionToken,
        recordedByName: recorder.fullName,
        changedByName: changer.fullName,
      })
      .from(trialAcuteEpisodes)
      .innerJoin(recorder, eq(recorder.id, trialAcuteEpisodes.recordedBy))
      .leftJoin(changer, eq(changer.id, trialAcuteEpisodes.changedBy))
      .where(eq(trialAcuteEpisodes.randomisationId, randomisationId))
      .orderBy(asc(trialAcuteEpisodes.startedOn), asc(trialAcuteEpisodes.recordedAt), asc(trialAcuteEpisodes.id));
  }

  /** Locks an episode's row until the transaction ends, and reads it. */
  async lock(db: Db, id: string): Promise<EpisodeRow | undefined> {
    await db.execute(sql`SELECT 1 FROM trial_acute_episodes WHERE id = ${id} FOR UPDATE`);
    const [row] = await db.select().from(trialAcuteEpisodes).where(eq(trialAcuteEpisodes.id, id));
    return row;
  }

  /** Changes an episode if it is still at `version`; false when someone changed it first. */
  async change(db: Db, id: string, version: number, change: EpisodeChange, by: string, at: Date): Promise<boolean> {
    const updated = await db
      .update(trialAcuteEpisodes)
      .set({ ...change, changedBy: by, changedAt: at, version: version + 1 })
      .where(and(eq(trialAcuteEpisodes.id, id), eq(trialAcuteEpisodes.version, version)))
      .returning({ id: trialAcuteEpisodes.id });
    return updated.length === 1;
  }
}
