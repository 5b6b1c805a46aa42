/**
 * A randomised person's participant record: finding it to link, the intervention withheld from
 * it, and the control group's workbook posted. SQL only.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import {
  participants,
  staffUsers,
  trialRandomisations,
  trialWorkbookPostings,
} from '../platform/database/schema.ts';

export type WorkbookPostingRow = typeof trialWorkbookPostings.$inferSelect;
export type InterventionWithheld = 'trial_control' | 'trial_withdrawn';

export const WORKBOOK_TOKEN_KEY = 'trial_workbook_postings_submission_token_key';

/** A participant record as linking needs it: who, where, and what of the programme they have had. */
export interface LinkCandidate {
  id: string;
  trustId: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  nhsNumber: string | null;
  interventionWithheld: InterventionWithheld | null;
  allocated: boolean;
  sessions: number;
  linkedStudyId: string | null;
}

export interface WorkbookPosting extends WorkbookPostingRow {
  postedByName: string;
}

export class TrialParticipantsRepository {
  /** The record with this NHS number at one of `trustIds`, with what linking must know of it. */
  async byNhsNumber(db: Db, trustIds: readonly string[], nhsNumber: string): Promise<LinkCandidate | undefined> {
    if (trustIds.length === 0) return undefined;
    const [row] = await rowsOf<LinkCandidate>(
      db,
      sql`SELECT p.id, p.trust_id AS "trustId", p.given_name AS "givenName", p.family_name AS "familyName",
                 p.date_of_birth::text AS "dateOfBirth", p.nhs_number AS "nhsNumber",
                 p.intervention_withheld AS "interventionWithheld",
                 EXISTS (SELECT 1 FROM allocations a WHERE a.participant_id = p.id AND a.ended_at IS NULL) AS allocated,
                 (SELECT count(*)::int FROM programme_sessions s WHERE s.participant_id = p.id) AS sessions,
                 (SELECT r.study_id FROM trial_randomisations r WHERE r.participant_id = p.id) AS "linkedStudyId"
            FROM participants p
           WHERE p.nhs_number = ${nhsNumber}
             AND p.trust_id IN (${sql.join(
               trustIds.map((id) => sql`${id}::uuid`),
               sql`, `,
             )})
           ORDER BY p.referred_at
           LIMIT 1`,
    );
    return row;
  }

  /** The linked record's name and NHS number, for the trial manager's page (a read of the record). */
  async linked(
    db: Db,
    participantId: string,
  ): Promise<{ id: string; givenName: string; familyName: string; nhsNumber: string | null } | undefined> {
    const [row] = await db
      .select({
        id: participants.id,
        givenName: participants.givenName,
        familyName: participants.familyName,
        nhsNumber: participants.nhsNumber,
      })
      .from(participants)
      .where(eq(participants.id, participantId));
    return row;
  }

  /** Holds the record until the transaction ends: an allocation or a booking waits for it. */
  async lockParticipant(db: Db, participantId: string): Promise<void> {
    await db.execute(sql`SELECT 1 FROM participants WHERE id = ${participantId} FOR UPDATE`);
  }

  /** Links a randomisation to its record; false when it was linked already (to anyone). */
  async link(db: Db, randomisationId: string, participantId: string): Promise<boolean> {
    const rows = await db
      .update(trialRandomisations)
      .set({ participantId })
      .where(and(eq(trialRandomisations.id, randomisationId), sql`${trialRandomisations.participantId} IS NULL`))
      .returning({ id: trialRandomisations.id });
    return rows.length === 1;
  }

  /** Withholds the intervention from now on (`on`, a UK date); a control group's stays as it is. */
  async withhold(db: Db, participantId: string, reason: InterventionWithheld, on: string): Promise<void> {
    await db
      .update(participants)
      .set({ interventionWithheld: reason, interventionWithheldOn: on, version: sql`${participants.version} + 1` })
      .where(
        and(
          eq(participants.id, participantId),
          sql`${participants.interventionWithheld} IS DISTINCT FROM 'trial_control'`,
          sql`${participants.interventionWithheld} IS DISTINCT FROM ${reason}`,
        ),
      );
  }

  /** Cancels the messages not yet sent about the person's sessions; answers how many. */
  async cancelScheduledReminders(db: Db, participantId: string, at: Date, reason: string): Promise<number> {
    const rows = await rowsOf<{ id: string }>(
      db,
      sql`UPDATE session_reminders r SET status = 'cancelled', status_reason = ${reason}, cancelled_at = ${at}
           FROM programme_sessions s
          WHERE s.id = r.session_id AND s.participant_id = ${participantId} AND r.status = 'scheduled'
          RETURNING r.id`,
    );
    return rows.length;
  }

  /** The person's current peer support worker, if they have one. */
  async currentWorker(
    db: Db,
    participantId: string,
  ): Promise<{ id: string; email: string; fullName: string; trustId: string } | undefined> {
    const [row] = await rowsOf<{ id: string; email: string; fullName: string; trustId: string }>(
      db,
      sql`SELECT u.id, u.email, u.full_name AS "fullName", u.trust_id AS "trustId"
            FROM allocations a JOIN staff_users u ON u.id = a.peer_worker_id
           WHERE a.participant_id = ${participantId} AND a.ended_at IS NULL AND u.disabled_at IS NULL`,
    );
    return row;
  }

  async insertPosting(db: Db, row: WorkbookPostingRow): Promise<void> {
    await db.insert(trialWorkbookPostings).values(row);
  }

  async postingByToken(db: Db, token: string): Promise<WorkbookPostingRow | undefined> {
    const [row] = await db
      .select()
      .from(trialWorkbookPostings)
      .where(eq(trialWorkbookPostings.submissionToken, token));
    return row;
  }

  /** The workbook posted to these randomised people, earliest first. */
  async postings(db: Db, randomisationIds: readonly string[]): Promise<WorkbookPosting[]> {
    if (randomisationIds.length === 0) return [];
    return db
      .select({
        id: trialWorkbookPostings.id,
        trialId: trialWorkbookPostings.trialId,
        randomisationId: trialWorkbookPostings.randomisationId,
        postedOn: trialWorkbookPostings.postedOn,
        workbookVersion: trialWorkbookPostings.workbookVersion,
        postedBy: trialWorkbookPostings.postedBy,
        recordedAt: trialWorkbookPostings.recordedAt,
        submissionToken: trialWorkbookPostings.submissionToken,
        postedByName: staffUsers.fullName,
      })
      .from(trialWorkbookPostings)
      .innerJoin(staffUsers, eq(staffUsers.id, trialWorkbookPostings.postedBy))
      .where(inArray(trialWorkbookPostings.randomisationId, [...randomisationIds]))
      .orderBy(asc(trialWorkbookPostings.postedOn), asc(trialWorkbookPostings.recordedAt));
  }
}
