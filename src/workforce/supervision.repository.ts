/** SQL for 1:1 and group supervision, and each worker's supervision dates. */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/database/database.ts';
import {
  allocations,
  crisisTeams,
  participants,
  programmeEndings,
  staffUsers,
  supervisionActions,
  supervisionAttendees,
  supervisionFidelity,
  supervisionSessions,
} from '../platform/database/schema.ts';

export type SupervisionRow = typeof supervisionSessions.$inferSelect;
export type ActionRow = typeof supervisionActions.$inferSelect;

/** A worker with the dates their supervision is counted from. */
export interface WorkerSupervision {
  id: string;
  trustId: string;
  fullName: string;
  crisisTeamId: string | null;
  teamName: string | null;
  supervisorId: string | null;
  supervisorName: string | null;
  oneToOneEveryDays: number | null;
  groupEveryDays: number | null;
  /** The day their account was made: a new starter's first supervision is due from it. */
  startedOn: string;
  lastOneToOne: string | null;
  /** The next 1:1 booked at the latest one, if any. */
  nextOneToOne: string | null;
  lastGroup: string | null;
}

export type OneToOne = SupervisionRow & {
  supervisorName: string;
  workerName: string;
  actions: ActionRow[];
  fidelity: { itemKey: string; score: number }[];
};
export type GroupSession = SupervisionRow & { attendees: { id: string; fullName: string }[] };

const supervisor = alias(staffUsers, 'supervisor');
const worker = alias(staffUsers, 'worker');

export class SupervisionRepository {
  /** The trust's active peer support workers (or just these) with their supervision dates. */
  async workers(db: Db, trustId: string, ids?: readonly string[]): Promise<WorkerSupervision[]> {
    if (ids?.length === 0) return [];
    const rows = await db
      .select({
        id: staffUsers.id,
        trustId: staffUsers.trustId,
        fullName: staffUsers.fullName,
        crisisTeamId: staffUsers.crisisTeamId,
        teamName: crisisTeams.name,
        supervisorId: staffUsers.supervisorId,
        supervisorName: supervisor.fullName,
        oneToOneEveryDays: staffUsers.oneToOneEveryDays,
        groupEveryDays: staffUsers.groupEveryDays,
        startedOn: sql<string>`to_char(${staffUsers.createdAt} AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`,
        lastOneToOne: sql<
          string | null
        >`(SELECT to_char(max(x.held_on), 'YYYY-MM-DD') FROM supervision_sessions x WHERE x.kind = 'one_to_one' AND x.worker_id = ${staffUsers.id})`,
        nextOneToOne: sql<
          string | null
        >`(SELECT to_char(x.next_on, 'YYYY-MM-DD') FROM supervision_sessions x WHERE x.kind = 'one_to_one' AND x.worker_id = ${staffUsers.id} ORDER BY x.held_on DESC, x.recorded_at DESC LIMIT 1)`,
        lastGroup: sql<
          string | null
        >`(SELECT to_char(max(x.held_on), 'YYYY-MM-DD') FROM supervision_sessions x JOIN supervision_attendees a ON a.session_id = x.id WHERE a.worker_id = ${staffUsers.id})`,
      })
      .from(staffUsers)
      .leftJoin(crisisTeams, eq(crisisTeams.id, staffUsers.crisisTeamId))
      .leftJoin(supervisor, eq(supervisor.id, staffUsers.supervisorId))
      .where(
        and(
          eq(staffUsers.trustId, trustId),
          isNull(staffUsers.disabledAt),
          sql`'peer_worker' = ANY(${staffUsers.roles})`,
          ids ? inArray(staffUsers.id, [...ids]) : undefined,
        ),
      )
      .orderBy(asc(staffUsers.fullName), asc(staffUsers.id));
    return rows;
  }

  async bySubmissionToken(db: Db, token: string): Promise<SupervisionRow | undefined> {
    const [row] = await db
      .select()
      .from(supervisionSessions)
      .where(eq(supervisionSessions.submissionToken, token));
    return row;
  }

  async insert(
    db: Db,
    row: SupervisionRow,
    attendees: readonly string[],
    actions: readonly ActionRow[],
    fidelity: readonly { itemKey: string; score: number }[] = [],
  ): Promise<void> {
    await db.insert(supervisionSessions).values(row);
    if (fidelity.length > 0)
      await db.insert(supervisionFidelity).values(fidelity.map((f) => ({ sessionId: row.id, ...f })));
    if (attendees.length > 0)
      await db
        .insert(supervisionAttendees)
        .values(attendees.map((workerId) => ({ sessionId: row.id, workerId })));
    if (actions.length > 0) await db.insert(supervisionActions).values([...actions]);
  }

  /** One 1:1 with its actions and who held it. */
  async oneToOne(db: Db, id: string): Promise<OneToOne | undefined> {
    const [row] = await db
      .select({
        session: supervisionSessions,
        supervisorName: supervisor.fullName,
        workerName: worker.fullName,
      })
      .from(supervisionSessions)
      .innerJoin(supervisor, eq(supervisor.id, supervisionSessions.supervisorId))
      .innerJoin(worker, eq(worker.id, supervisionSessions.workerId))
      .where(and(eq(supervisionSessions.id, id), eq(supervisionSessions.kind, 'one_to_one')));
    if (!row) return undefined;
    const actions = await db
      .select()
      .from(supervisionActions)
      .where(eq(supervisionActions.sessionId, id))
      .orderBy(asc(supervisionActions.position));
    const fidelity = await db
      .select({ itemKey: supervisionFidelity.itemKey, score: supervisionFidelity.score })
      .from(supervisionFidelity)
      .where(eq(supervisionFidelity.sessionId, id));
    return {
      ...row.session,
      supervisorName: row.supervisorName,
      workerName: row.workerName,
      actions,
      fidelity,
    };
  }

  /** A worker's 1:1s, newest first (dates and who held them; the notes are read one at a time). */
  async oneToOnesOf(
    db: Db,
    workerId: string,
    limit: number,
  ): Promise<
    {
      id: string;
      heldOn: string;
      supervisorId: string | null;
      supervisorName: string;
      durationMinutes: number;
    }[]
  > {
    return db
      .select({
        id: supervisionSessions.id,
        heldOn: supervisionSessions.heldOn,
        supervisorId: supervisionSessions.supervisorId,
        supervisorName: supervisor.fullName,
        durationMinutes: supervisionSessions.durationMinutes,
      })
      .from(supervisionSessions)
      .innerJoin(supervisor, eq(supervisor.id, supervisionSessions.supervisorId))
      .where(and(eq(supervisionSessions.kind, 'one_to_one'), eq(supervisionSessions.workerId, workerId)))
      .orderBy(desc(supervisionSessions.heldOn), desc(supervisionSessions.recordedAt))
      .limit(limit);
  }

  /** Group sessions, newest first: the trust's, or those a worker attended. */
  async groups(
    db: Db,
    where: { trustId: string } | { workerId: string },
    limit: number,
  ): Promise<GroupSession[]> {
    const sessions = await db
      .select()
      .from(supervisionSessions)
      .where(
        and(
          eq(supervisionSessions.kind, 'group'),
          'trustId' in where
            ? eq(supervisionSessions.trustId, where.trustId)
            : sql`EXISTS (SELECT 1 FROM supervision_attendees a WHERE a.session_id = ${supervisionSessions.id} AND a.worker_id = ${where.workerId})`,
        ),
      )
      .orderBy(desc(supervisionSessions.heldOn), desc(supervisionSessions.recordedAt))
      .limit(limit);
    if (sessions.length === 0) return [];
    const attendees = await db
      .select({ sessionId: supervisionAttendees.sessionId, id: staffUsers.id, fullName: staffUsers.fullName })
      .from(supervisionAttendees)
      .innerJoin(staffUsers, eq(staffUsers.id, supervisionAttendees.workerId))
      .where(
        inArray(
          supervisionAttendees.sessionId,
          sessions.map((s) => s.id),
        ),
      )
      .orderBy(asc(staffUsers.fullName));
    return sessions.map((session) => ({
      ...session,
      attendees: attendees
        .filter((a) => a.sessionId === session.id)
        .map(({ id, fullName }) => ({ id, fullName })),
    }));
  }

  /** The names of the people these workers support now: what group notes must never name. */
  async caseloadNames(
    db: Db,
    workerIds: readonly string[],
  ): Promise<{ givenName: string; familyName: string; preferredName: string | null }[]> {
    if (workerIds.length === 0) return [];
    return db
      .select({
        givenName: participants.givenName,
        familyName: participants.familyName,
        preferredName: participants.preferredName,
      })
      .from(allocations)
      .innerJoin(participants, eq(participants.id, allocations.participantId))
      .where(
        and(
          inArray(allocations.peerWorkerId, [...workerIds]),
          isNull(allocations.endedAt),
          sql`NOT EXISTS (SELECT 1 FROM ${programmeEndings} e WHERE e.participant_id = ${participants.id})`,
        ),
      );
  }

  /** A worker's fidelity ratings at their latest rated 1:1s, oldest first. */
  async fidelityOfWorker(
    db: Db,
    workerId: string,
    sessions: number,
  ): Promise<{ sessionId: string; heldOn: string; itemKey: string; score: number }[]> {
    const rows = await db
      .select({
        sessionId: supervisionFidelity.sessionId,
        heldOn: supervisionSessions.heldOn,
        itemKey: supervisionFidelity.itemKey,
        score: supervisionFidelity.score,
      })
      .from(supervisionFidelity)
      .innerJoin(supervisionSessions, eq(supervisionSessions.id, supervisionFidelity.sessionId))
      .where(
        and(
          eq(supervisionSessions.workerId, workerId),
          sql`${supervisionSessions.id} IN (SELECT x.id FROM supervision_sessions x WHERE x.worker_id = ${workerId} AND EXISTS (SELECT 1 FROM supervision_fidelity f WHERE f.session_id = x.id) ORDER BY x.held_on DESC, x.recorded_at DESC LIMIT ${sessions})`,
        ),
      )
      .orderBy(asc(supervisionSessions.heldOn));
    return rows;
  }

  /** Every fidelity rating since `since`, by the rated worker's crisis team: for team aggregates only. */
  async fidelityByTeam(
    db: Db,
    trustId: string,
    since: string,
  ): Promise<
    { teamName: string | null; sessionId: string; workerId: string; itemKey: string; score: number }[]
  > {
    return db
      .select({
        teamName: crisisTeams.name,
        sessionId: supervisionFidelity.sessionId,
        workerId: worker.id,
        itemKey: supervisionFidelity.itemKey,
        score: supervisionFidelity.score,
      })
      .from(supervisionFidelity)
      .innerJoin(supervisionSessions, eq(supervisionSessions.id, supervisionFidelity.sessionId))
      .innerJoin(worker, eq(worker.id, supervisionSessions.workerId))
      .leftJoin(crisisTeams, eq(crisisTeams.id, worker.crisisTeamId))
      .where(and(eq(supervisionSessions.trustId, trustId), sql`${supervisionSessions.heldOn} >= ${since}`));
  }

  async setTargets(
    db: Db,
    workerId: string,
    oneToOneEveryDays: number | null,
    groupEveryDays: number | null,
  ): Promise<void> {
    await db
      .update(staffUsers)
      .set({ oneToOneEveryDays, groupEveryDays, version: sql`${staffUsers.version} + 1` })
      .where(eq(staffUsers.id, workerId));
  }
}
