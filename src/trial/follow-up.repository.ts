/**
 * Follow-ups' rows: the randomised people to follow up (never their arm: nothing here selects it),
 * their outcomes and questionnaire responses, online invitations and accidental unblindings.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import {
  staffUsers,
  trialFollowUpInvitations,
  trialFollowUps,
  trialQuestionnaireResponses,
  trialRandomisations,
  trialUnblindings,
} from '../platform/database/schema.ts';

export type FollowUpRow = typeof trialFollowUps.$inferSelect;
export type ResponseRow = typeof trialQuestionnaireResponses.$inferSelect;
export type InvitationRow = typeof trialFollowUpInvitations.$inferSelect;
export type UnblindingRow = typeof trialUnblindings.$inferSelect;

export const FOLLOW_UP_TOKEN_KEY = 'trial_follow_ups_submission_token_key';
export const INVITATION_TOKEN_KEY = 'trial_follow_up_invitations_submission_token_key';
export const UNBLINDING_TOKEN_KEY = 'trial_unblindings_submission_token_key';

/** A randomised person as follow-up sees them: a study id, never an arm. */
export interface FollowUpPerson {
  randomisationId: string;
  studyId: string;
  randomisedAt: Date;
  trustId: string;
  linked: boolean;
  participantId: string | null;
  /** Withdrawn from further follow-up or from any use of their data. */
  withdrawnFromFollowUp: boolean;
}

export interface UnblindingListRow {
  id: string;
  studyId: string;
  trustId: string;
  staffName: string;
  learnedOn: string;
  how: string;
  recordedAt: Date;
}

const learner = alias(staffUsers, 'learner');

export class FollowUpRepository {
  private people(db: Db, trialId: string, where = sql`TRUE`) {
    return rowsOf<Omit<FollowUpPerson, 'randomisedAt' | 'linked'> & { randomisedAt: Date | string }>(
      db,
      sql`SELECT r.id AS "randomisationId", r.study_id AS "studyId", r.randomised_at AS "randomisedAt",
                 s.trust_id AS "trustId", r.participant_id AS "participantId",
                 EXISTS (SELECT 1 FROM trial_withdrawals w
                          WHERE w.consent_id = r.consent_id AND w.scope IN ('follow_up', 'data')) AS "withdrawnFromFollowUp"
            FROM trial_randomisations r
            JOIN trial_consents c ON c.id = r.consent_id
            JOIN trial_screenings s ON s.id = c.screening_id
           WHERE r.trial_id = ${trialId} AND ${where}
           ORDER BY r.study_number`,
    ).then((rows) =>
      rows.map((r) => ({ ...r, randomisedAt: new Date(r.randomisedAt), linked: r.participantId !== null })),
    );
  }

  /** Everyone randomised in the trial, by study id. */
  async everyone(db: Db, trialId: string): Promise<FollowUpPerson[]> {
    return this.people(db, trialId);
  }

  async person(db: Db, trialId: string, randomisationId: string): Promise<FollowUpPerson | undefined> {
    const [row] = await this.people(db, trialId, sql`r.id = ${randomisationId}`);
    return row;
  }

  async personByStudyId(db: Db, trialId: string, studyId: string): Promise<FollowUpPerson | undefined> {
    const [row] = await this.people(db, trialId, sql`upper(r.study_id) = upper(${studyId})`);
    return row;
  }

  async trialLocked(db: Db, trialId: string): Promise<boolean> {
    const [row] = await rowsOf<{ locked: boolean }>(
      db,
      sql`SELECT locked_at IS NOT NULL AS locked FROM trials WHERE id = ${trialId}`,
    );
    return row?.locked ?? true;
  }

  /** Puts saves about one person one after another (a second copy of a form then finds the first). */
  async lockPerson(db: Db, randomisationId: string): Promise<void> {
    await db.execute(sql`SELECT 1 FROM trial_randomisations WHERE id = ${randomisationId} FOR UPDATE`);
  }

  async followUps(db: Db, trialId: string): Promise<FollowUpRow[]> {
    return db.select().from(trialFollowUps).where(eq(trialFollowUps.trialId, trialId));
  }

  async followUp(db: Db, randomisationId: string, timePoint: string): Promise<FollowUpRow | undefined> {
    const [row] = await db
      .select()
      .from(trialFollowUps)
      .where(
        and(eq(trialFollowUps.randomisationId, randomisationId), eq(trialFollowUps.timePoint, timePoint)),
      );
    return row;
  }

  async followUpByToken(db: Db, submissionToken: string): Promise<FollowUpRow | undefined> {
    const [row] = await db
      .select()
      .from(trialFollowUps)
      .where(eq(trialFollowUps.submissionToken, submissionToken));
    return row;
  }

  async insertFollowUp(db: Db, row: FollowUpRow, responses: ResponseRow[]): Promise<void> {
    await db.insert(trialFollowUps).values(row);
    if (responses.length > 0) await db.insert(trialQuestionnaireResponses).values(responses);
  }

  async responses(db: Db, followUpId: string): Promise<ResponseRow[]> {
    return db
      .select()
      .from(trialQuestionnaireResponses)
      .where(eq(trialQuestionnaireResponses.followUpId, followUpId));
  }

  /** The people this member of staff has recorded they know the arm of. */
  async unblindedTo(db: Db, trialId: string, staffId: string): Promise<Set<string>> {
    const rows = await db
      .select({ id: trialUnblindings.randomisationId })
      .from(trialUnblindings)
      .where(and(eq(trialUnblindings.trialId, trialId), eq(trialUnblindings.staffId, staffId)));
    return new Set(rows.map((r) => r.id));
  }

  async latestInvitation(
    db: Db,
    randomisationId: string,
    timePoint: string,
  ): Promise<InvitationRow | undefined> {
    const [row] = await db
      .select()
      .from(trialFollowUpInvitations)
      .where(
        and(
          eq(trialFollowUpInvitations.randomisationId, randomisationId),
          eq(trialFollowUpInvitations.timePoint, timePoint),
        ),
      )
      .orderBy(desc(trialFollowUpInvitations.sentAt))
      .limit(1);
    return row;
  }

  async invitationByToken(db: Db, submissionToken: string): Promise<InvitationRow | undefined> {
    const [row] = await db
      .select()
      .from(trialFollowUpInvitations)
      .where(eq(trialFollowUpInvitations.submissionToken, submissionToken));
    return row;
  }

  async invitationByHash(db: Db, tokenHash: string, forUpdate = false): Promise<InvitationRow | undefined> {
    if (forUpdate)
      await db.execute(
        sql`SELECT 1 FROM trial_follow_up_invitations WHERE token_hash = ${tokenHash} FOR UPDATE`,
      );
    const [row] = await db
      .select()
      .from(trialFollowUpInvitations)
      .where(eq(trialFollowUpInvitations.tokenHash, tokenHash));
    return row;
  }

  async insertInvitation(db: Db, row: InvitationRow): Promise<void> {
    await db.insert(trialFollowUpInvitations).values(row);
  }

  async markInvitationUsed(db: Db, id: string, at: Date): Promise<boolean> {
    const rows = await rowsOf<{ id: string }>(
      db,
      sql`UPDATE trial_follow_up_invitations SET used_at = ${at.toISOString()}::timestamptz
           WHERE id = ${id} AND used_at IS NULL RETURNING id`,
    );
    return rows.length === 1;
  }

  /** Where an invitation can go: the linked participant record's email, else their mobile. */
  async contact(
    db: Db,
    participantId: string,
  ): Promise<
    { email: string | null; mobile: string | null; contactMethods: string[]; trustId: string } | undefined
  > {
    const [row] = await rowsOf<{ email: string | null; mobile: string | null; contactMethods: string[]; trustId: string }>(
      db,
      sql`SELECT email, mobile, contact_methods AS "contactMethods", trust_id AS "trustId" FROM participants WHERE id = ${participantId}`,
    );
    return row;
  }

  async insertUnblinding(db: Db, row: UnblindingRow): Promise<void> {
    await db.insert(trialUnblindings).values(row);
  }

  async unblindingByToken(db: Db, submissionToken: string): Promise<UnblindingRow | undefined> {
    const [row] = await db
      .select()
      .from(trialUnblindings)
      .where(eq(trialUnblindings.submissionToken, submissionToken));
    return row;
  }

  /** The trial's unblindings, newest first. */
  async unblindings(db: Db, trialId: string): Promise<UnblindingListRow[]> {
    return db
      .select({
        id: trialUnblindings.id,
        studyId: trialRandomisations.studyId,
        trustId: sql<string>`(SELECT s.trust_id FROM trial_consents c JOIN trial_screenings s ON s.id = c.screening_id WHERE c.id = ${trialRandomisations.consentId})`,
        staffName: learner.fullName,
        learnedOn: trialUnblindings.learnedOn,
        how: trialUnblindings.how,
        recordedAt: trialUnblindings.recordedAt,
      })
      .from(trialUnblindings)
      .innerJoin(trialRandomisations, eq(trialRandomisations.id, trialUnblindings.randomisationId))
      .innerJoin(learner, eq(learner.id, trialUnblindings.staffId))
      .where(eq(trialUnblindings.trialId, trialId))
      .orderBy(desc(trialUnblindings.recordedAt))
      .limit(500);
  }
}
