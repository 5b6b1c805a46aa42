/**
 * What the service reports read (issue 16, part A): the participants referred in a period, one
 * compact row each with what happened to them (from `participant_progress`, which triggers keep,
 * so no session, allocation or concern is grouped at the request), and the safety concerns raised
 * in it, counted in SQL. The cost grows with the period's people and concerns, not the history.
 *
 * Days are UK calendar days, worked out here (`to_char(… AT TIME ZONE 'Europe/London')`) so
 * that tens of thousands of rows need no date formatting in the process.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import type { EndingReason } from '../endings/ending.repository.ts';
import { rowsOf } from '../platform/database/rows.ts';

export interface ReportScope {
  trustId: string;
  /** The teams reported on: null for every team of the trust. */
  teamIds: readonly string[] | null;
  /** Referred (or raised) at or after `from` and before `to`. */
  from: Date;
  to: Date;
}

/** One participant referred in the period. Days are UK dates (YYYY-MM-DD). */
export interface CohortRow {
  teamId: string;
  referredOn: string;
  dischargedOn: string;
  dateOfBirth: string;
  firstAllocatedOn: string | null;
  attended: number;
  firstAttendedOn: string | null;
  /** The plan sections worked on at their attended sessions: bit i for the report's section i. */
  sectionsMask: number;
  endingReason: EndingReason | null;
  concerns: number;
  ethnicity: string | null;
  gender: string | null;
  firstLanguage: string | null;
  interpreterNeeded: string | null;
  disability: string | null;
}

/** The safety concerns and advice requests raised in the period, counted. */
export interface ConcernSummary {
  raised: number;
  advice: number;
  immediate: number;
  urgent: number;
  routine: number;
  /** Concerns acknowledged after their deadline, or unacknowledged with it passed. */
  late: number;
  open: number;
  /** Median minutes from raising a concern to its acknowledgement; null when none is acknowledged. */
  medianMinutes: number | null;
}

/** At most this many sections fit the bits of a mask. */
export const MOST_SECTIONS = 30;

const ukDay = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`;

/** Only the chosen teams' rows (`column` is a crisis team id), or every team's when none is chosen. */
function teamsOnly(scope: ReportScope, column: SQL): SQL {
  if (scope.teamIds === null) return sql``;
  if (scope.teamIds.length === 0) return sql` AND false`;
  return sql` AND ${column} IN (${sql.join(
    scope.teamIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}

/** The period's referrals, but a trial's control group: never offered the programme, so not its service's. */
function cohortFilter(scope: ReportScope, alias: SQL): SQL {
  return sql`${alias}.trust_id = ${scope.trustId}::uuid
         AND ${alias}.intervention_withheld IS DISTINCT FROM 'trial_control'
         AND ${alias}.referred_at >= ${scope.from.toISOString()}::timestamptz
         AND ${alias}.referred_at < ${scope.to.toISOString()}::timestamptz${teamsOnly(scope, sql`${alias}.crisis_team_id`)}`;
}

const orNull = (text: string | undefined) => (text ? text : null);

/** One line of the cohort's text (fields in the order `cohort` writes them; empty is null). */
export function cohortRowOf(line: string): CohortRow {
  const f = line.split('|');
  return {
    teamId: f[0] ?? '',
    referredOn: f[1] ?? '',
    dischargedOn: f[2] ?? '',
    dateOfBirth: f[3] ?? '',
    firstAllocatedOn: orNull(f[4]),
    attended: Number(f[5]),
    firstAttendedOn: orNull(f[6]),
    sectionsMask: Number(f[7]),
    endingReason: orNull(f[8]) as CohortRow['endingReason'],
    concerns: Number(f[9]),
    ethnicity: orNull(f[10]),
    gender: orNull(f[11]),
    firstLanguage: orNull(f[12]),
    interpreterNeeded: orNull(f[13]),
    disability: orNull(f[14]),
  };
}

export class ReportsRepository {
  /**
   * Everyone referred in the period to the teams, with what has happened to them so far: their
   * rows of `participant_progress` (kept by triggers), so no session is read here.
   */
  async cohort(db: Db, scope: ReportScope, sectionKeys: readonly string[]): Promise<CohortRow[]> {
    if (sectionKeys.length > MOST_SECTIONS)
      throw new Error(`a report counts at most ${String(MOST_SECTIONS)} sections`);
    // One bit per section, by plain comparisons on each person's row.
    const mask =
      sectionKeys.length === 0
        ? sql`0`
        : sql.join(
            sectionKeys.map(
              (key, i) =>
                sql`(CASE WHEN ${key} = ANY(pp.sections) THEN ${sql.raw(String(2 ** i))} ELSE 0 END)`,
            ),
            sql` | `,
          );
    // The rows come back as one text, a line a person and fields between bars: tens of thousands
    // of rows as rows cost the embedded database several times the query itself (each is
    // turned into an object and copied from its thread), and the text costs little on either.
    const fields = [
      sql`p.crisis_team_id`,
      ukDay(sql`p.referred_at`),
      sql`p.discharged_on`,
      sql`p.date_of_birth`,
      ukDay(sql`pp.first_allocated_at`),
      sql`coalesce(pp.attended, 0)`,
      ukDay(sql`pp.first_attended_at`),
      sql`coalesce(${mask}, 0)`,
      sql`e.reason`,
      sql`coalesce(pp.concerns, 0)`,
      sql`q.ethnicity`,
      sql`q.gender`,
      sql`q.first_language`,
      sql`q.interpreter_needed`,
      sql`q.disability`,
    ];
    const [result] = await rowsOf<{ lines: string | null }>(
      db,
      sql`SELECT string_agg(concat(${sql.join(fields, sql`, '|', `)}), E'\n') AS lines
            FROM participants p
            LEFT JOIN participant_progress pp ON pp.participant_id = p.id
            LEFT JOIN programme_endings e ON e.participant_id = p.id
            LEFT JOIN equality_monitoring q ON q.participant_id = p.id
           WHERE ${cohortFilter(scope, sql`p`)}`,
    );
    return result?.lines ? result.lines.split('\n').map(cohortRowOf) : [];
  }

  /** Safety concerns and advice requests raised in the period to the teams' duty inboxes. */
  async concerns(db: Db, scope: ReportScope, now: Date): Promise<ConcernSummary> {
    const [summary] = await rowsOf<ConcernSummary>(
      db,
      sql`SELECT count(*) FILTER (WHERE sc.kind = 'concern')::int AS raised,
                 count(*) FILTER (WHERE sc.kind = 'advice')::int AS advice,
                 count(*) FILTER (WHERE sc.kind = 'concern' AND sc.urgency = 'immediate')::int AS immediate,
                 count(*) FILTER (WHERE sc.kind = 'concern' AND sc.urgency = 'urgent')::int AS urgent,
                 count(*) FILTER (WHERE sc.kind = 'concern' AND sc.urgency = 'routine')::int AS routine,
                 count(*) FILTER (WHERE sc.kind = 'concern'
                   AND coalesce(sc.acknowledged_at, ${now.toISOString()}::timestamptz) > sc.acknowledge_by)::int AS late,
                 count(*) FILTER (WHERE sc.kind = 'concern' AND sc.status = 'open')::int AS open,
                 round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sc.acknowledged_at - sc.raised_at) / 60)
                   FILTER (WHERE sc.kind = 'concern' AND sc.acknowledged_at IS NOT NULL))::int AS "medianMinutes"
            FROM safety_concerns sc
            JOIN crisis_teams t ON t.id = sc.crisis_team_id
           WHERE t.trust_id = ${scope.trustId}::uuid
             AND sc.raised_at >= ${scope.from.toISOString()}::timestamptz
             AND sc.raised_at < ${scope.to.toISOString()}::timestamptz${teamsOnly(scope, sql`sc.crisis_team_id`)}`,
    );
    if (!summary) throw new Error('an aggregate answers with one row');
    return summary;
  }
}
