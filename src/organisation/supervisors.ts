/**
 * Who supervises a peer support worker, in one place for everyone who tells them something or
 * asks (concern escalations, lone-working alerts, training reminders, wellbeing, 1:1
 * supervision): their named supervisor while that person is active and still holds the
 * supervisor role in the same trust; otherwise the supervisors of the worker's crisis team
 * (never the worker themselves). One statement, so it can run in any transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';

export interface SupervisorOf {
  workerId: string;
  id: string;
  email: string;
}

async function supervisorsWhere(db: Db, workers: SQL): Promise<SupervisorOf[]> {
  const result: unknown = await db.execute(sql`
    WITH worker AS (
      SELECT id, trust_id, crisis_team_id, supervisor_id FROM staff_users w WHERE ${workers}
    ), named AS (
      SELECT w.id AS worker_id, s.id, s.email
      FROM worker w JOIN staff_users s ON s.id = w.supervisor_id AND s.trust_id = w.trust_id
      WHERE s.disabled_at IS NULL AND 'supervisor' = ANY (s.roles)
    )
    SELECT worker_id, id, email FROM named
    UNION ALL
    SELECT w.id AS worker_id, s.id, s.email
    FROM worker w JOIN staff_users s ON s.trust_id = w.trust_id AND s.crisis_team_id = w.crisis_team_id
    WHERE NOT EXISTS (SELECT 1 FROM named n WHERE n.worker_id = w.id)
      AND s.disabled_at IS NULL AND 'supervisor' = ANY (s.roles) AND s.id <> w.id
    ORDER BY worker_id, email`);
  return (result as { rows: { worker_id: string; id: string; email: string }[] }).rows.map((row) => ({
    workerId: row.worker_id,
    id: row.id,
    email: row.email,
  }));
}

/** The worker's supervisors, with their ids: who a request for support or a 1:1 belongs to. */
export function supervisorsOf(db: Db, workerId: string): Promise<SupervisorOf[]> {
  return supervisorsWhere(db, sql`w.id = ${workerId}`);
}

export async function supervisorEmailsOf(db: Db, workerId: string): Promise<string[]> {
  return (await supervisorsOf(db, workerId)).map((row) => row.email);
}

/** Every worker's supervisors in a trust at once, by worker (the same rule, for lists). */
export async function supervisorIdsInTrust(db: Db, trustId: string): Promise<Map<string, string[]>> {
  const rows = await supervisorsWhere(db, sql`w.trust_id = ${trustId}`);
  const byWorker = new Map<string, string[]>();
  for (const row of rows) byWorker.set(row.workerId, [...(byWorker.get(row.workerId) ?? []), row.id]);
  return byWorker;
}
