import { and, asc, desc, eq, gte, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  allocations,
  crisisTeams,
  loneWorkingAlerts,
  loneWorkingVisits,
  participants,
  programmeSessions,
  staffUsers,
} from '../platform/database/schema.ts';

export type LoneVisitRow = typeof loneWorkingVisits.$inferSelect;
export type LoneAlertRow = typeof loneWorkingAlerts.$inferSelect;
export type AlertStepKind = LoneAlertRow['stepKind'];

/** A face-to-face session the worker has booked, with where it is: what a check-in starts from. */
export interface BookedVisit {
  sessionId: string;
  participantId: string;
  plannedAt: Date;
  place: 'home' | 'community_venue' | 'nhs_site' | null;
  address: string | null;
  postcode: string | null;
}

export interface CaseloadChoice {
  id: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
}

/** An open visit past its expected end, as the overdue page and the alert job see it. */
export interface OverdueVisit extends LoneVisitRow {
  workerName: string;
  workerTrustId: string;
  workerTeamId: string | null;
  workerTeamName: string | null;
  /** The worker's team's duty email, told when an alert cannot be delivered. */
  dutyEmail: string | null;
  /** Steps already alerted, in order. */
  alertedSteps: number[];
}

/** Who is told at a step: emails of active staff with the role, in the team or the whole trust. */
export interface Recipient {
  email: string;
}

const open = and(isNull(loneWorkingVisits.checkedOutAt), isNull(loneWorkingVisits.acknowledgedAt));

export class LoneWorkingRepository {
  async insert(db: Db, row: LoneVisitRow): Promise<void> {
    await db.insert(loneWorkingVisits).values(row);
  }

  async bySubmissionToken(db: Db, token: string): Promise<LoneVisitRow | undefined> {
    const [row] = await db
      .select()
      .from(loneWorkingVisits)
      .where(eq(loneWorkingVisits.submissionToken, token));
    return row;
  }

  /** The visit, locked until the transaction ends, so a check-out and an alert cannot cross. */
  async lockById(db: Db, id: string): Promise<LoneVisitRow | undefined> {
    const [row] = await db.select().from(loneWorkingVisits).where(eq(loneWorkingVisits.id, id)).for('update');
    return row;
  }

  async findById(db: Db, id: string): Promise<LoneVisitRow | undefined> {
    const [row] = await db.select().from(loneWorkingVisits).where(eq(loneWorkingVisits.id, id));
    return row;
  }

  /** The visit, locked, with its worker's trust: who may acknowledge it depends on the worker. */
  async lockWithWorker(db: Db, id: string): Promise<(LoneVisitRow & { workerTrustId: string }) | undefined> {
    const [row] = await db
      .select({ visit: loneWorkingVisits, workerTrustId: staffUsers.trustId })
      .from(loneWorkingVisits)
      .innerJoin(staffUsers, eq(staffUsers.id, loneWorkingVisits.workerId))
      .where(eq(loneWorkingVisits.id, id))
      .for('update', { of: loneWorkingVisits });
    return row ? { ...row.visit, workerTrustId: row.workerTrustId } : undefined;
  }

  /** The worker's visit not yet checked out, if any. */
  async currentForWorker(db: Db, workerId: string): Promise<LoneVisitRow | undefined> {
    const [row] = await db
      .select()
      .from(loneWorkingVisits)
      .where(and(eq(loneWorkingVisits.workerId, workerId), isNull(loneWorkingVisits.checkedOutAt)))
      .orderBy(desc(loneWorkingVisits.checkedInAt))
      .limit(1);
    return row;
  }

  async pastForWorker(db: Db, workerId: string, limit: number): Promise<LoneVisitRow[]> {
    return db
      .select()
      .from(loneWorkingVisits)
      .where(and(eq(loneWorkingVisits.workerId, workerId), isNotNull(loneWorkingVisits.checkedOutAt)))
      .orderBy(desc(loneWorkingVisits.checkedInAt))
      .limit(limit);
  }

  async checkOut(db: Db, id: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(loneWorkingVisits)
      .set({ checkedOutAt: at })
      .where(and(eq(loneWorkingVisits.id, id), isNull(loneWorkingVisits.checkedOutAt)))
      .returning({ id: loneWorkingVisits.id });
    return rows.length === 1;
  }

  async acknowledge(db: Db, id: string, by: string, at: Date, note: string): Promise<boolean> {
    const rows = await db
      .update(loneWorkingVisits)
      .set({ acknowledgedBy: by, acknowledgedAt: at, acknowledgementNote: note })
      .where(and(eq(loneWorkingVisits.id, id), open))
      .returning({ id: loneWorkingVisits.id });
    return rows.length === 1;
  }

  /** The people the worker supports now, for linking a visit to one of them. */
  /** The worker's earliest planned face-to-face session between two times, with the participant's address. */
  async bookedVisit(db: Db, workerId: string, from: Date, to: Date): Promise<BookedVisit | undefined> {
    const [row] = await db
      .select({
        sessionId: programmeSessions.id,
        participantId: programmeSessions.participantId,
        plannedAt: programmeSessions.plannedAt,
        place: programmeSessions.place,
        address: participants.address,
        postcode: participants.postcode,
      })
      .from(programmeSessions)
      .innerJoin(participants, eq(participants.id, programmeSessions.participantId))
      .innerJoin(
        allocations,
        and(
          eq(allocations.participantId, programmeSessions.participantId),
          eq(allocations.peerWorkerId, workerId),
          isNull(allocations.endedAt),
        ),
      )
      .where(
        and(
          eq(programmeSessions.peerWorkerId, workerId),
          eq(programmeSessions.status, 'planned'),
          eq(programmeSessions.mode, 'in_person'),
          gte(programmeSessions.plannedAt, from),
          lte(programmeSessions.plannedAt, to),
        ),
      )
      .orderBy(asc(programmeSessions.plannedAt))
      .limit(1);
    return row;
  }

  async caseload(db: Db, workerId: string): Promise<CaseloadChoice[]> {
    return db
      .select({
        id: participants.id,
        givenName: participants.givenName,
        familyName: participants.familyName,
        preferredName: participants.preferredName,
      })
      .from(allocations)
      .innerJoin(participants, eq(participants.id, allocations.participantId))
      .where(and(eq(allocations.peerWorkerId, workerId), isNull(allocations.endedAt)))
      .orderBy(asc(participants.familyName), asc(participants.givenName));
  }

  /**
   * Open visits whose expected end is at or before `endedBy`, with their worker and the steps
   * already alerted; only the trust's when `trustId` is given. Oldest first.
   */
  async overdue(db: Db, endedBy: Date, trustId?: string): Promise<OverdueVisit[]> {
    const rows = await db
      .select({
        visit: loneWorkingVisits,
        workerName: staffUsers.fullName,
        workerTrustId: staffUsers.trustId,
        workerTeamId: staffUsers.crisisTeamId,
        workerTeamName: crisisTeams.name,
        dutyEmail: crisisTeams.dutyEmail,
        alertedSteps: sql<
          number[]
        >`coalesce((SELECT array_agg(a.step ORDER BY a.step) FROM ${loneWorkingAlerts} a WHERE a.visit_id = ${loneWorkingVisits.id}), '{}')`,
      })
      .from(loneWorkingVisits)
      .innerJoin(staffUsers, eq(staffUsers.id, loneWorkingVisits.workerId))
      .leftJoin(crisisTeams, eq(crisisTeams.id, staffUsers.crisisTeamId))
      .where(
        and(
          open,
          lte(loneWorkingVisits.expectedEndAt, endedBy),
          trustId === undefined ? undefined : eq(staffUsers.trustId, trustId),
        ),
      )
      .orderBy(asc(loneWorkingVisits.expectedEndAt))
      .limit(500);
    return rows.map((row) => ({
      ...row.visit,
      workerName: row.workerName,
      workerTrustId: row.workerTrustId,
      workerTeamId: row.workerTeamId,
      workerTeamName: row.workerTeamName,
      dutyEmail: row.dutyEmail,
      alertedSteps: row.alertedSteps.map(Number),
    }));
  }

  /** Active staff with `role` in the team, or in the whole trust when no team is given. */
  async staffWithRole(
    db: Db,
    role: string,
    where: { trustId: string; crisisTeamId?: string },
  ): Promise<string[]> {
    const rows = await db
      .select({ email: staffUsers.email })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.trustId, where.trustId),
          where.crisisTeamId === undefined ? undefined : eq(staffUsers.crisisTeamId, where.crisisTeamId),
          sql`${role} = ANY(${staffUsers.roles})`,
          isNull(staffUsers.disabledAt),
        ),
      )
      .orderBy(asc(staffUsers.email));
    return rows.map((row) => row.email);
  }

  /** Claims a step for a visit; false when it was already claimed (the UNIQUE(visit_id, step) key). */
  async claimAlert(db: Db, row: LoneAlertRow): Promise<boolean> {
    const inserted = await db
      .insert(loneWorkingAlerts)
      .values(row)
      .onConflictDoNothing({ target: [loneWorkingAlerts.visitId, loneWorkingAlerts.step] })
      .returning({ id: loneWorkingAlerts.id });
    return inserted.length === 1;
  }

  async alerts(db: Db, visitId: string): Promise<LoneAlertRow[]> {
    return db
      .select()
      .from(loneWorkingAlerts)
      .where(eq(loneWorkingAlerts.visitId, visitId))
      .orderBy(asc(loneWorkingAlerts.step));
  }
}
