/**
 * safety_escalations: one row per escalation step of an unacknowledged concern, UNIQUE
 * (concern_id, step). Inserting the row is the claim, in the transaction that puts the step's
 * emails in the message outbox, so a step goes at most once across runs, instances and restarts. Times come from
 * the application's clock, never the database's now().
 */
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  crisisTeams,
  safetyConcerns,
  safetyEscalations,
  staffUsers,
  type ConcernUrgency,
} from '../platform/database/schema.ts';

export type EscalationStepKind = (typeof safetyEscalations.$inferSelect)['stepKind'];
export type EscalationRow = typeof safetyEscalations.$inferSelect;

/** An open item past its deadline, with the steps already taken. */
export interface OverdueConcern {
  id: string;
  kind: 'concern' | 'advice';
  urgency: ConcernUrgency;
  acknowledgeBy: Date;
  stepsTaken: number[];
}

/** What a step's message and recipients are worked out from, read under the concern's lock. */
export interface EscalationContext {
  id: string;
  kind: 'concern' | 'advice';
  urgency: ConcernUrgency;
  status: 'open' | 'acknowledged' | 'closed';
  acknowledgeBy: Date;
  trustId: string;
  crisisTeamId: string;
  teamName: string;
  dutyEmail: string | null;
  /** The worker who raised it (their supervisors are step 2: `supervisorEmailsOf`). */
  raisedBy: string;
  raisedAt: Date;
  called999At: Date | null;
  call999EscalatedAt: Date | null;
}

export class EscalationRepository {
  /** Open items whose deadline has passed by `now` and that have not taken every step. */
  async overdueOpen(db: Db, now: Date, maxSteps: number, limit: number): Promise<OverdueConcern[]> {
    const rows = await db
      .select({
        id: safetyConcerns.id,
        kind: safetyConcerns.kind,
        urgency: safetyConcerns.urgency,
        acknowledgeBy: safetyConcerns.acknowledgeBy,
        stepsTaken: sql<
          number[] | null
        >`array_agg(${safetyEscalations.step} ORDER BY ${safetyEscalations.step}) FILTER (WHERE ${safetyEscalations.step} IS NOT NULL)`,
      })
      .from(safetyConcerns)
      .leftJoin(safetyEscalations, eq(safetyEscalations.concernId, safetyConcerns.id))
      .where(and(eq(safetyConcerns.status, 'open'), lte(safetyConcerns.acknowledgeBy, now)))
      .groupBy(safetyConcerns.id)
      .having(sql`count(${safetyEscalations.id}) < ${maxSteps}`)
      .orderBy(asc(safetyConcerns.acknowledgeBy))
      .limit(limit);
    return rows.map((row) => ({ ...row, stepsTaken: (row.stepsTaken ?? []).map(Number) }));
  }

  /** Locks the concern row (FOR UPDATE) so acknowledging and escalating take turns. */
  async lockContext(tx: Db, concernId: string): Promise<EscalationContext | undefined> {
    const [row] = await tx
      .select({
        id: safetyConcerns.id,
        kind: safetyConcerns.kind,
        urgency: safetyConcerns.urgency,
        status: safetyConcerns.status,
        acknowledgeBy: safetyConcerns.acknowledgeBy,
        crisisTeamId: safetyConcerns.crisisTeamId,
        raisedBy: safetyConcerns.raisedBy,
        raisedAt: safetyConcerns.raisedAt,
        called999At: safetyConcerns.called999At,
        call999EscalatedAt: safetyConcerns.call999EscalatedAt,
      })
      .from(safetyConcerns)
      .where(eq(safetyConcerns.id, concernId))
      .for('update');
    if (!row) return undefined;
    const [team] = await tx
      .select({ trustId: crisisTeams.trustId, name: crisisTeams.name, dutyEmail: crisisTeams.dutyEmail })
      .from(crisisTeams)
      .where(eq(crisisTeams.id, row.crisisTeamId));
    if (!team) return undefined;
    return {
      id: row.id,
      kind: row.kind,
      urgency: row.urgency,
      status: row.status,
      acknowledgeBy: row.acknowledgeBy,
      trustId: team.trustId,
      crisisTeamId: row.crisisTeamId,
      teamName: team.name,
      dutyEmail: team.dutyEmail,
      raisedBy: row.raisedBy,
      raisedAt: row.raisedAt,
      called999At: row.called999At,
      call999EscalatedAt: row.call999EscalatedAt,
    };
  }

  /** Open immediate concerns raised by `raisedBy` whose worker has not confirmed the 999 call, not yet escalated. */
  async unconfirmed999(db: Db, raisedBy: Date, limit: number): Promise<string[]> {
    const rows = await db
      .select({ id: safetyConcerns.id })
      .from(safetyConcerns)
      .where(
        and(
          eq(safetyConcerns.urgency, 'immediate'),
          isNull(safetyConcerns.called999At),
          isNull(safetyConcerns.call999EscalatedAt),
          eq(safetyConcerns.status, 'open'),
          lte(safetyConcerns.raisedAt, raisedBy),
        ),
      )
      .orderBy(asc(safetyConcerns.raisedAt))
      .limit(limit);
    return rows.map((row) => row.id);
  }

  /** Marks the unconfirmed-999 escalation as sent (the claim), or gives it back with `at` null. */
  async setCall999Escalated(db: Db, concernId: string, at: Date | null): Promise<void> {
    await db
      .update(safetyConcerns)
      .set({ call999EscalatedAt: at })
      .where(eq(safetyConcerns.id, concernId));
  }

  /** Email addresses of active staff with `role`, in a team or (no team given) across a trust. */
  async staffEmails(
    db: Db,
    role: 'clinician' | 'coordinator',
    where: { trustId: string; crisisTeamId?: string },
  ): Promise<string[]> {
    const rows = await db
      .select({ email: staffUsers.email })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.trustId, where.trustId),
          where.crisisTeamId === undefined ? undefined : eq(staffUsers.crisisTeamId, where.crisisTeamId),
          isNull(staffUsers.disabledAt),
          sql`${role} = ANY(${staffUsers.roles})`,
        ),
      )
      .orderBy(asc(staffUsers.email));
    return rows.map((row) => row.email);
  }

  /** The claim: inserts the step's row unless it is there already. True when this call took it. */
  async claimStep(tx: Db, row: typeof safetyEscalations.$inferInsert): Promise<boolean> {
    const inserted = await tx
      .insert(safetyEscalations)
      .values(row)
      .onConflictDoNothing({ target: [safetyEscalations.concernId, safetyEscalations.step] })
      .returning({ id: safetyEscalations.id });
    return inserted.length > 0;
  }

  /** Gives back a step whose emails reached nobody, so the next run takes it again. */
  async releaseStepById(db: Db, stepId: string): Promise<void> {
    await db.delete(safetyEscalations).where(eq(safetyEscalations.id, stepId));
  }

  async forConcern(db: Db, concernId: string): Promise<EscalationRow[]> {
    return db
      .select()
      .from(safetyEscalations)
      .where(eq(safetyEscalations.concernId, concernId))
      .orderBy(asc(safetyEscalations.step));
  }
}
