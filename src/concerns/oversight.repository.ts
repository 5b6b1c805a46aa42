/**
 * What supervisors and the coordinator see across teams: concerns with their deadlines,
 * acknowledgements and the escalation step reached. Read-only.
 */
import { and, asc, eq, gte, lt, max, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  crisisTeams,
  safetyConcerns,
  safetyEscalations,
  type ConcernUrgency,
} from '../platform/database/schema.ts';

export interface OversightConcern {
  id: string;
  kind: 'concern' | 'advice';
  urgency: ConcernUrgency;
  status: 'open' | 'acknowledged' | 'closed';
  crisisTeamId: string;
  teamName: string;
  raisedAt: Date;
  acknowledgeBy: Date;
  acknowledgedAt: Date | null;
  /** The last escalation step taken (1–3), or 0 for none. */
  stepReached: number;
}

export interface TeamRow {
  id: string;
  name: string;
}

export class OversightRepository {
  async teams(db: Db, trustId: string): Promise<TeamRow[]> {
    return db
      .select({ id: crisisTeams.id, name: crisisTeams.name })
      .from(crisisTeams)
      .where(eq(crisisTeams.trustId, trustId))
      .orderBy(asc(crisisTeams.name));
  }

  private query(db: Db) {
    return db
      .select({
        id: safetyConcerns.id,
        kind: safetyConcerns.kind,
        urgency: safetyConcerns.urgency,
        status: safetyConcerns.status,
        crisisTeamId: safetyConcerns.crisisTeamId,
        teamName: crisisTeams.name,
        raisedAt: safetyConcerns.raisedAt,
        acknowledgeBy: safetyConcerns.acknowledgeBy,
        acknowledgedAt: safetyConcerns.acknowledgedAt,
        stepReached: sql<number>`coalesce(${max(safetyEscalations.step)}, 0)`.mapWith(Number),
      })
      .from(safetyConcerns)
      .innerJoin(crisisTeams, eq(crisisTeams.id, safetyConcerns.crisisTeamId))
      .leftJoin(safetyEscalations, eq(safetyEscalations.concernId, safetyConcerns.id))
      .groupBy(safetyConcerns.id, crisisTeams.name);
  }

  /**
   * Every item waiting to be acknowledged in the trust, or in one of its teams: the earliest
   * deadline first, then by id, so that a page of them is the same page on every request.
   */
  async open(db: Db, trustId: string, crisisTeamId?: string): Promise<OversightConcern[]> {
    return this.query(db)
      .where(
        and(
          eq(crisisTeams.trustId, trustId),
          eq(safetyConcerns.status, 'open'),
          crisisTeamId === undefined ? undefined : eq(safetyConcerns.crisisTeamId, crisisTeamId),
        ),
      )
      .orderBy(asc(safetyConcerns.acknowledgeBy), asc(safetyConcerns.id));
  }

  /** Items raised in [from, to) in the trust. */
  async raisedBetween(db: Db, trustId: string, from: Date, to: Date): Promise<OversightConcern[]> {
    return this.query(db)
      .where(
        and(
          eq(crisisTeams.trustId, trustId),
          gte(safetyConcerns.raisedAt, from),
          lt(safetyConcerns.raisedAt, to),
        ),
      )
      .orderBy(asc(safetyConcerns.raisedAt));
  }
}
