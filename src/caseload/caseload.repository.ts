/**
 * The caseload's one query: each current participant of a worker (or of every worker in a
 * trust) with the facts the prompts need, in a single round trip. Participants whose
 * programme has ended leave the caseload.
 */
import { and, asc, eq, gt, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { preparedStatement } from '../platform/database/prepared.ts';
import {
  allocations,
  contactAttempts,
  participants,
  programmeEndings,
  programmeSessions,
  safetyConcernMessages,
  safetyConcernReads,
  safetyConcerns,
  sessionChangeRequests,
  staffUsers,
  type ConcernUrgency,
} from '../platform/database/schema.ts';
import type { CaseloadFacts } from './prompts.ts';
import type { StaffRole } from '../policy/actor.ts';

export interface CaseloadRow extends CaseloadFacts {
  workerId: string;
  workerName: string;
  /** The worker's own row, carried on each of their participants' rows (no second query). */
  worker: WorkerRow;
  id: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  reallocationRequestedAt: Date | null;
  /** Safety concerns and advice requests about them not yet closed, and the most urgent's urgency. */
  openConcerns: number;
  openConcernUrgency: ConcernUrgency | null;
}

const URGENCY_BY_RANK: ConcernUrgency[] = ['immediate', 'urgent', 'routine'];
const urgencyRank = sql`CASE ${safetyConcerns.urgency} WHEN 'immediate' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END`;

export interface WorkerRow {
  id: string;
  fullName: string;
  caseloadLimit: number;
  awayFrom: string | null;
  awayUntil: string | null;
}

/** Aggregates come back from the drivers as Date (PGlite) or string (node-postgres). */
function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'string') return new Date(value);
  throw new TypeError('expected a timestamp');
}

type Scope = { workerId: string } | { workerIds: readonly string[] } | { trustId: string };

function rowsQuery(db: Db, scope: 'worker' | 'workers' | 'trust', name: string) {
  // Placeholders, so the statement is built once and prepared once per connection (generic plan).
  const at = sql`${sql.placeholder('now')}::timestamptz`;
  const scopeId = sql.placeholder('scopeId');

  const sessions = db
    .select({
      attended: sql<number>`count(*) FILTER (WHERE ${programmeSessions.status} = 'attended')::int`.as(
        'attended',
      ),
      planned: sql<number>`count(*) FILTER (WHERE ${programmeSessions.status} = 'planned')::int`.as(
        'planned',
      ),
      nextAt:
        sql<unknown>`min(${programmeSessions.plannedAt}) FILTER (WHERE ${programmeSessions.status} = 'planned' AND ${programmeSessions.plannedAt} >= ${at})`.as(
          'next_at',
        ),
      unrecordedAt:
        sql<unknown>`min(${programmeSessions.plannedAt}) FILTER (WHERE ${programmeSessions.status} = 'planned' AND ${programmeSessions.plannedAt} < ${at})`.as(
          'unrecorded_at',
        ),
      lastAttendedAt:
        sql<unknown>`max(${programmeSessions.plannedAt}) FILTER (WHERE ${programmeSessions.status} = 'attended')`.as(
          'last_attended_at',
        ),
      lastMissedAt:
        sql<unknown>`max(${programmeSessions.plannedAt}) FILTER (WHERE ${programmeSessions.status} = 'did_not_attend')`.as(
          'last_missed_at',
        ),
      endingPlanned:
        sql<boolean>`coalesce(bool_or(${programmeSessions.isEnding} AND ${programmeSessions.status} IN ('planned', 'attended')), false)`.as(
          'ending_planned',
        ),
    })
    .from(programmeSessions)
    .where(eq(programmeSessions.participantId, participants.id))
    .as('s');
  const contacts = db
    .select({
      lastAttemptAt: sql<unknown>`max(${contactAttempts.madeAt})`.as('last_attempt_at'),
      lastReachedAt:
        sql<unknown>`max(${contactAttempts.madeAt}) FILTER (WHERE ${contactAttempts.reached})`.as(
          'last_reached_at',
        ),
    })
    .from(contactAttempts)
    .where(eq(contactAttempts.participantId, participants.id))
    .as('c');
  const requests = db
    .select({ open: sql<number>`count(*)::int`.as('open_requests') })
    .from(sessionChangeRequests)
    .where(
      and(eq(sessionChangeRequests.participantId, participants.id), isNull(sessionChangeRequests.resolvedAt)),
    )
    .as('r');
  const openConcerns = db
    .select({
      open: sql<number>`count(*)::int`.as('open_concerns'),
      rank: sql<number | null>`min(${urgencyRank})`.as('open_rank'),
    })
    .from(safetyConcerns)
    .where(and(eq(safetyConcerns.participantId, participants.id), ne(safetyConcerns.status, 'closed')))
    .as('k');
  // Messages someone else wrote on concerns this worker raised about them, since they last opened each.
  const unread = db
    .select({
      concerns: sql<number>`count(DISTINCT ${safetyConcerns.id})::int`.as('unread_concerns'),
      urgent: sql<boolean>`coalesce(bool_or(${safetyConcerns.urgency} IN ('immediate', 'urgent')), false)`.as(
        'unread_urgent',
      ),
      concernId: sql<
        string | null
      >`(array_agg(${safetyConcerns.id} ORDER BY ${urgencyRank}, ${safetyConcernMessages.writtenAt} DESC))[1]`.as(
        'unread_concern_id',
      ),
    })
    .from(safetyConcerns)
    .innerJoin(safetyConcernMessages, eq(safetyConcernMessages.concernId, safetyConcerns.id))
    .leftJoin(
      safetyConcernReads,
      and(
        eq(safetyConcernReads.concernId, safetyConcerns.id),
        eq(safetyConcernReads.readerId, safetyConcerns.raisedBy),
      ),
    )
    .where(
      and(
        eq(safetyConcerns.participantId, participants.id),
        eq(safetyConcerns.raisedBy, staffUsers.id),
        ne(safetyConcernMessages.writtenBy, safetyConcerns.raisedBy),
        or(isNull(safetyConcernReads.readAt), gt(safetyConcernMessages.writtenAt, safetyConcernReads.readAt)),
      ),
    )
    .as('u');
  const where: SQL | undefined =
    scope === 'worker'
      ? eq(allocations.peerWorkerId, scopeId)
      : scope === 'workers'
        ? sql`${allocations.peerWorkerId} = ANY(${scopeId}::uuid[])`
        : and(eq(participants.trustId, scopeId), isNull(staffUsers.disabledAt));
  return db
    .select({
      workerId: staffUsers.id,
      workerName: staffUsers.fullName,
      workerCaseloadLimit: staffUsers.caseloadLimit,
      workerAwayFrom: staffUsers.awayFrom,
      workerAwayUntil: staffUsers.awayUntil,
      id: participants.id,
      givenName: participants.givenName,
      familyName: participants.familyName,
      preferredName: participants.preferredName,
      dischargedOn: participants.dischargedOn,
      withdrewFromTrialOn: sql<
        string | null
      >`CASE WHEN ${participants.interventionWithheld} = 'trial_withdrawn' THEN ${participants.interventionWithheldOn}::text END`,
      allocatedAt: allocations.allocatedAt,
      reallocationRequestedAt: allocations.reallocationRequestedAt,
      attended: sessions.attended,
      planned: sessions.planned,
      nextAt: sessions.nextAt,
      unrecordedAt: sessions.unrecordedAt,
      lastAttendedAt: sessions.lastAttendedAt,
      lastMissedAt: sessions.lastMissedAt,
      endingPlanned: sessions.endingPlanned,
      lastAttemptAt: contacts.lastAttemptAt,
      lastReachedAt: contacts.lastReachedAt,
      openRequests: requests.open,
      openConcerns: openConcerns.open,
      openConcernRank: openConcerns.rank,
      unreadReplies: unread.concerns,
      unreadReplyUrgent: unread.urgent,
      unreadReplyConcernId: unread.concernId,
    })
    .from(allocations)
    .innerJoin(participants, eq(participants.id, allocations.participantId))
    .innerJoin(staffUsers, eq(staffUsers.id, allocations.peerWorkerId))
    .leftJoin(programmeEndings, eq(programmeEndings.participantId, participants.id))
    .leftJoinLateral(sessions, sql`true`)
    .leftJoinLateral(contacts, sql`true`)
    .leftJoinLateral(requests, sql`true`)
    .leftJoinLateral(openConcerns, sql`true`)
    .leftJoinLateral(unread, sql`true`)
    .where(and(isNull(allocations.endedAt), isNull(programmeEndings.participantId), where))
    .orderBy(asc(participants.dischargedOn), asc(participants.familyName), asc(participants.id))
    .prepare(name);
}

const rowsStatements = {
  worker: preparedStatement('caseload_rows_by_worker', (db, name) => rowsQuery(db, 'worker', name)),
  workers: preparedStatement('caseload_rows_by_workers', (db, name) => rowsQuery(db, 'workers', name)),
  trust: preparedStatement('caseload_rows_by_trust', (db, name) => rowsQuery(db, 'trust', name)),
};

export class CaseloadRepository {
  async worker(db: Db, workerId: string): Promise<WorkerRow | undefined> {
    const [row] = await db
      .select({
        id: staffUsers.id,
        fullName: staffUsers.fullName,
        caseloadLimit: staffUsers.caseloadLimit,
        awayFrom: staffUsers.awayFrom,
        awayUntil: staffUsers.awayUntil,
      })
      .from(staffUsers)
      .where(eq(staffUsers.id, workerId));
    return row;
  }

  /**
   * Each trust's staff who have a caseload to show (peer support workers, and anyone else still
   * holding a current allocation), not disabled, with their `caseload_version`: what the
   * caseloads overview checks its kept caseloads against (caseload-cache.ts).
   */
  async versions(db: Db, trustId: string): Promise<{ id: string; version: number }[]> {
    const role: StaffRole = 'peer_worker';
    const rows = await db
      .select({ id: staffUsers.id, version: staffUsers.caseloadVersion })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.trustId, trustId),
          isNull(staffUsers.disabledAt),
          or(
            sql`${role} = ANY(${staffUsers.roles})`,
            sql`EXISTS (SELECT 1 FROM ${allocations} WHERE ${allocations.peerWorkerId} = ${staffUsers.id} AND ${allocations.endedAt} IS NULL)`,
          ),
        ),
      )
      .orderBy(asc(staffUsers.id));
    return rows;
  }

  /** Current participants of one worker, of several, or of every worker in a trust. */
  async rows(db: Db, scope: Scope, now: Date): Promise<CaseloadRow[]> {
    const statement = rowsStatements[
      'workerId' in scope ? 'worker' : 'workerIds' in scope ? 'workers' : 'trust'
    ](db);
    const rows = await statement.execute({
      now: now.toISOString(),
      scopeId:
        'workerId' in scope
          ? scope.workerId
          : 'workerIds' in scope
            ? `{${scope.workerIds.join(',')}}`
            : scope.trustId,
    });
    return rows.map((row) => ({
      workerId: row.workerId,
      workerName: row.workerName,
      worker: {
        id: row.workerId,
        fullName: row.workerName,
        caseloadLimit: row.workerCaseloadLimit,
        awayFrom: row.workerAwayFrom,
        awayUntil: row.workerAwayUntil,
      },
      id: row.id,
      givenName: row.givenName,
      familyName: row.familyName,
      preferredName: row.preferredName,
      reallocationRequestedAt: row.reallocationRequestedAt,
      dischargedOn: row.dischargedOn,
      withdrewFromTrialOn: row.withdrewFromTrialOn,
      allocatedAt: row.allocatedAt,
      sessionsAttended: row.attended,
      sessionsPlanned: row.planned,
      nextSessionAt: toDate(row.nextAt),
      oldestUnrecordedAt: toDate(row.unrecordedAt),
      lastAttendedAt: toDate(row.lastAttendedAt),
      lastMissedAt: toDate(row.lastMissedAt),
      endingSessionPlanned: row.endingPlanned,
      lastContactAttemptAt: toDate(row.lastAttemptAt),
      lastReachedAt: toDate(row.lastReachedAt),
      openChangeRequests: row.openRequests,
      openConcerns: row.openConcerns,
      openConcernUrgency:
        row.openConcernRank === null ? null : (URGENCY_BY_RANK[row.openConcernRank] ?? null),
      unreadReplies: row.unreadReplies,
      unreadReplyUrgent: row.unreadReplyUrgent,
      unreadReplyConcernId: row.unreadReplyConcernId,
    }));
  }
}
