/** SQL for participants' feedback and the record that they answered. */
import { and, asc, count, eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  crisisTeams,
  participants,
  programmeEndings,
  programmeFeedback,
  programmeFeedbackResponses,
} from '../platform/database/schema.ts';
import type { AnswerCount, WrittenComment } from './feedback-summary.ts';

export type FeedbackRow = typeof programmeFeedback.$inferSelect;
export type FeedbackResponseRow = typeof programmeFeedbackResponses.$inferSelect;

/** The constraints a form sent twice (or two forms at once) meets. */
export const RESPONSE_KEYS = [
  'programme_feedback_responses_pkey',
  'programme_feedback_responses_submission_token_key',
] as const;

/** Which feedback a report counts: one trust, one of its teams or all, months [from, toExclusive). */
export interface FeedbackFilter {
  trustId: string;
  crisisTeamId: string | null;
  /** YYYY-MM-01, the first month counted. */
  from: string;
  /** YYYY-MM-01, the month after the last one counted. */
  toExclusive: string;
}

function feedbackIn(filter: FeedbackFilter): SQL | undefined {
  return and(
    eq(programmeFeedback.trustId, filter.trustId),
    filter.crisisTeamId ? eq(programmeFeedback.crisisTeamId, filter.crisisTeamId) : undefined,
    gte(programmeFeedback.endedMonth, filter.from),
    lt(programmeFeedback.endedMonth, filter.toExclusive),
  );
}

export class FeedbackRepository {
  async response(db: Db, participantId: string): Promise<FeedbackResponseRow | undefined> {
    const [row] = await db
      .select()
      .from(programmeFeedbackResponses)
      .where(eq(programmeFeedbackResponses.participantId, participantId));
    return row;
  }

  async responseByToken(db: Db, submissionToken: string): Promise<FeedbackResponseRow | undefined> {
    const [row] = await db
      .select()
      .from(programmeFeedbackResponses)
      .where(eq(programmeFeedbackResponses.submissionToken, submissionToken));
    return row;
  }

  async insertResponse(db: Db, row: FeedbackResponseRow): Promise<void> {
    await db.insert(programmeFeedbackResponses).values(row);
  }

  async insertFeedback(db: Db, row: FeedbackRow): Promise<void> {
    await db.insert(programmeFeedback).values(row);
  }

  /** How many people chose each scale point of each question ("Prefer not to answer" left out). */
  async answerCounts(db: Db, filter: FeedbackFilter): Promise<AnswerCount[]> {
    const answer = sql`jsonb_each_text(${programmeFeedback.answers})`;
    const rows = await db
      .select({
        questionKey: sql<string>`answer.key`,
        value: sql<string>`answer.value`,
        people: sql<number>`count(*)::int`,
      })
      .from(programmeFeedback)
      .innerJoin(sql`${answer} AS answer`, sql`true`)
      .where(and(feedbackIn(filter), sql`answer.value ~ '^[0-9]+$'`))
      .groupBy(sql`answer.key`, sql`answer.value`);
    return rows.map((row) => ({
      questionKey: row.questionKey,
      value: Number(row.value),
      people: row.people,
    }));
  }

  /** People who gave feedback (saying no thanks leaves no feedback row). */
  async feedbackCount(db: Db, filter: FeedbackFilter): Promise<number> {
    const [row] = await db.select({ n: count() }).from(programmeFeedback).where(feedbackIn(filter));
    return row?.n ?? 0;
  }

  /** Programmes that ended in the months and team(s): the response rate's denominator. */
  async endedCount(db: Db, filter: FeedbackFilter): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(programmeEndings)
      .innerJoin(participants, eq(participants.id, programmeEndings.participantId))
      .where(
        and(
          eq(participants.trustId, filter.trustId),
          filter.crisisTeamId ? eq(participants.crisisTeamId, filter.crisisTeamId) : undefined,
          gte(programmeEndings.endedOn, filter.from),
          lt(programmeEndings.endedOn, filter.toExclusive),
        ),
      );
    return row?.n ?? 0;
  }

  /** Every comment written, with its month and team (the summary decides what may be shown). */
  async comments(db: Db, filter: FeedbackFilter): Promise<WrittenComment[]> {
    const rows = await db
      .select({
        text: programmeFeedback.comment,
        endedMonth: programmeFeedback.endedMonth,
        crisisTeamId: programmeFeedback.crisisTeamId,
        crisisTeamName: crisisTeams.name,
      })
      .from(programmeFeedback)
      .innerJoin(crisisTeams, eq(crisisTeams.id, programmeFeedback.crisisTeamId))
      .where(and(feedbackIn(filter), isNotNull(programmeFeedback.comment)))
      .orderBy(asc(programmeFeedback.endedMonth));
    return rows.map((row) => ({ ...row, text: row.text ?? '' }));
  }
}
