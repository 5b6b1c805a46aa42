/** SQL for vacancies, their panels and candidates, and the panel's scores. */
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  candidates,
  crisisTeams,
  panelMembers,
  panelScores,
  staffUsers,
  vacancies,
} from '../platform/database/schema.ts';

export type VacancyRow = typeof vacancies.$inferSelect;
export type CandidateRow = typeof candidates.$inferSelect;
export type ScoreRow = typeof panelScores.$inferSelect;
export interface PanelMember {
  staffId: string;
  fullName: string;
  chair: boolean;
}
export type Vacancy = VacancyRow & { teamName: string; panel: PanelMember[] };

export class AppointmentRepository {
  async insertVacancy(
    db: Db,
    row: VacancyRow,
    panel: readonly { staffId: string; chair: boolean }[],
  ): Promise<void> {
    await db.insert(vacancies).values(row);
    await db.insert(panelMembers).values(panel.map((m) => ({ vacancyId: row.id, ...m })));
  }

  async vacancyBySubmissionToken(db: Db, token: string): Promise<VacancyRow | undefined> {
    const [row] = await db.select().from(vacancies).where(eq(vacancies.submissionToken, token));
    return row;
  }

  private async panelsOf(
    db: Db,
    vacancyIds: readonly string[],
  ): Promise<(PanelMember & { vacancyId: string })[]> {
    if (vacancyIds.length === 0) return [];
    return db
      .select({
        vacancyId: panelMembers.vacancyId,
        staffId: panelMembers.staffId,
        fullName: staffUsers.fullName,
        chair: panelMembers.chair,
      })
      .from(panelMembers)
      .innerJoin(staffUsers, eq(staffUsers.id, panelMembers.staffId))
      .where(inArray(panelMembers.vacancyId, [...vacancyIds]))
      .orderBy(desc(panelMembers.chair), asc(staffUsers.fullName));
  }

  /** The trust's vacancies, newest first, each with its panel. */
  async vacancies(db: Db, trustId: string): Promise<Vacancy[]> {
    const rows = await db
      .select({ vacancy: vacancies, teamName: crisisTeams.name })
      .from(vacancies)
      .innerJoin(crisisTeams, eq(crisisTeams.id, vacancies.crisisTeamId))
      .where(eq(vacancies.trustId, trustId))
      .orderBy(desc(vacancies.createdAt));
    const panels = await this.panelsOf(
      db,
      rows.map((r) => r.vacancy.id),
    );
    return rows.map((r) => ({
      ...r.vacancy,
      teamName: r.teamName,
      panel: panels.filter((p) => p.vacancyId === r.vacancy.id),
    }));
  }

  async vacancy(db: Db, id: string): Promise<Vacancy | undefined> {
    const [row] = await db
      .select({ vacancy: vacancies, teamName: crisisTeams.name })
      .from(vacancies)
      .innerJoin(crisisTeams, eq(crisisTeams.id, vacancies.crisisTeamId))
      .where(eq(vacancies.id, id));
    if (!row) return undefined;
    return { ...row.vacancy, teamName: row.teamName, panel: await this.panelsOf(db, [id]) };
  }

  async insertCandidate(db: Db, row: CandidateRow): Promise<void> {
    await db.insert(candidates).values(row);
  }

  async candidateBySubmissionToken(db: Db, token: string): Promise<CandidateRow | undefined> {
    const [row] = await db.select().from(candidates).where(eq(candidates.submissionToken, token));
    return row;
  }

  async candidatesOf(db: Db, vacancyId: string): Promise<CandidateRow[]> {
    return db
      .select()
      .from(candidates)
      .where(eq(candidates.vacancyId, vacancyId))
      .orderBy(asc(candidates.fullName));
  }

  async candidate(db: Db, id: string, lock = false): Promise<CandidateRow | undefined> {
    const query = db.select().from(candidates).where(eq(candidates.id, id));
    const [row] = lock ? await query.for('update') : await query;
    return row;
  }

  /** Every submitted score for these candidates. */
  async scores(db: Db, candidateIds: readonly string[]): Promise<ScoreRow[]> {
    if (candidateIds.length === 0) return [];
    return db
      .select()
      .from(panelScores)
      .where(inArray(panelScores.candidateId, [...candidateIds]));
  }

  /** A member's scores for a candidate, all at once; false when they had already submitted. */
  async submitScores(db: Db, rows: readonly ScoreRow[]): Promise<boolean> {
    const inserted = await db
      .insert(panelScores)
      .values([...rows])
      .onConflictDoNothing()
      .returning({ key: panelScores.criterionKey });
    return inserted.length === rows.length;
  }

  async decide(
    db: Db,
    id: string,
    decision: { outcome: 'appointed' | 'not_appointed'; reasons: string; by: string; at: Date },
  ): Promise<boolean> {
    const rows = await db
      .update(candidates)
      .set({
        outcome: decision.outcome,
        decisionReasons: decision.reasons,
        decidedBy: decision.by,
        decidedAt: decision.at,
      })
      .where(and(eq(candidates.id, id), sql`${candidates.outcome} IS NULL`))
      .returning({ id: candidates.id });
    return rows.length > 0;
  }

  /** Links an appointed candidate to the staff account made for them (by email, in the trust). */
  async linkAccount(db: Db, trustId: string, email: string, staffId: string): Promise<string[]> {
    const rows = await db
      .update(candidates)
      .set({ staffId })
      .where(
        and(
          eq(candidates.trustId, trustId),
          eq(candidates.outcome, 'appointed'),
          sql`${candidates.staffId} IS NULL`,
          sql`lower(${candidates.email}) = ${email.trim().toLowerCase()}`,
        ),
      )
      .returning({ id: candidates.id });
    return rows.map((row) => row.id);
  }

  /** Deletes (with their scores) unsuccessful candidates decided on or before `before`; returns how many. */
  async deleteUnsuccessful(db: Db, before: Date, limit: number): Promise<{ id: string; trustId: string }[]> {
    const due = await db
      .select({ id: candidates.id, trustId: candidates.trustId })
      .from(candidates)
      .where(and(eq(candidates.outcome, 'not_appointed'), lte(candidates.decidedAt, before)))
      .limit(limit);
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    await db.delete(panelScores).where(inArray(panelScores.candidateId, ids));
    await db.delete(candidates).where(inArray(candidates.id, ids));
    return due;
  }

  async teamsOf(db: Db, trustId: string): Promise<{ id: string; name: string }[]> {
    return db
      .select({ id: crisisTeams.id, name: crisisTeams.name })
      .from(crisisTeams)
      .where(eq(crisisTeams.trustId, trustId))
      .orderBy(asc(crisisTeams.name));
  }

  /** The trust's active staff, who may sit on a panel. */
  async staffOf(db: Db, trustId: string): Promise<{ id: string; fullName: string }[]> {
    return db
      .select({ id: staffUsers.id, fullName: staffUsers.fullName })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.trustId, trustId),
          sql`${staffUsers.disabledAt} IS NULL`,
          sql`${staffUsers.roles} && ARRAY['peer_worker', 'supervisor', 'clinician', 'coordinator']::text[]`,
        ),
      )
      .orderBy(asc(staffUsers.fullName));
  }
}
