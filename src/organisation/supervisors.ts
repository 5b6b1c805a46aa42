/**
 * Who supervises a peer support worker, in one place for everyone who tells them something
 * (concern escalations, lone-working alerts, training reminders): their named supervisor while
 * that person is active and still holds the supervisor role in the same trust; otherwise the
 * supervisors of the worker's crisis team. One statement, so it can run in any transaction.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';

export async function supervisorEmailsOf(db: Db, workerId: string): Promise<string[]> {
  return (await supervisorsOf(db, workerId)).map((row) => row.email);
}

/** The same people, with their ids: who a worker's private request for support goes to. */
export async function supervisorsOf(db: Db, workerId: string): Promise<{ id: string; email: string }[]> {
  const result: unknown = await db.execute(sql`
    WITH worker AS (
      SELECT trust_id, crisis_team_id, supervisor_id FROM staff_users WHERE id = ${workerId}
    ), named AS (
      SELECT s.id, s.email FROM staff_users s JOIN worker w ON s.id = w.supervisor_id AND s.trust_id = w.trust_id
      WHERE s.disabled_at IS NULL AND 'supervisor' = ANY (s.roles)
    )
    SELECT id, email FROM named
    UNION ALL
    SELECT s.id, s.email FROM staff_users s JOIN worker w ON s.trust_id = w.trust_id AND s.crisis_team_id = w.crisis_team_id
    WHERE NOT EXISTS (SELECT 1 FROM named) AND s.disabled_at IS NULL AND 'supervisor' = ANY (s.roles)
      AND s.id <> ${workerId}
    ORDER BY email`);
  return (result as { rows: { id: string; email: string }[] }).rows;
}
