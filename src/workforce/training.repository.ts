/** SQL for training records, pre-employment checks, allocation overrides and expiry reminders. */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/database/database.ts';
import {
  allocationOverrides,
  crisisTeams,
  preEmploymentChecks,
  staffUsers,
  trainingRecords,
  trainingReminders,
} from '../platform/database/schema.ts';
import type { AllocationOverride, LatestCheck, LatestCompletion } from './readiness.ts';

export type TrainingRecordRow = typeof trainingRecords.$inferSelect;
export type CheckRow = typeof preEmploymentChecks.$inferSelect;
export type OverrideRow = typeof allocationOverrides.$inferSelect;
export type ReminderRow = typeof trainingReminders.$inferSelect;

/** A peer support worker as the training pages list them. */
export interface TrainedWorker {
  id: string;
  trustId: string;
  fullName: string;
  email: string;
  crisisTeamId: string | null;
  teamName: string | null;
  /** Their named supervisor, if one is named (whether or not still a supervisor: see supervisors.ts). */
  supervisorId: string | null;
  supervisorName: string | null;
  /** Colleagues' requests for peer support go to them. */
  experiencedPeer: boolean;
}

export interface SupervisorChoice {
  id: string;
  fullName: string;
  teamName: string | null;
}

export type RecordWithNames = TrainingRecordRow & { recordedByName: string };
export type CheckWithNames = CheckRow & { recordedByName: string };
export type OverrideWithNames = OverrideRow & { grantedByName: string | null; endedByName: string | null };

const recorder = alias(staffUsers, 'recorder');
const granter = alias(staffUsers, 'granter');
const ender = alias(staffUsers, 'ender');

const peerWorker = sql`'peer_worker' = ANY(${staffUsers.roles})`;

const supervisor = alias(staffUsers, 'supervisor');

const workerColumns = {
  id: staffUsers.id,
  trustId: staffUsers.trustId,
  fullName: staffUsers.fullName,
  email: staffUsers.email,
  crisisTeamId: staffUsers.crisisTeamId,
  teamName: crisisTeams.name,
  supervisorId: staffUsers.supervisorId,
  supervisorName: supervisor.fullName,
  experiencedPeer: staffUsers.experiencedPeer,
};

export class TrainingRepository {
  /** The trust's active peer support workers (or just these), by name. */
  async peerWorkers(db: Db, trustId: string, ids?: readonly string[]): Promise<TrainedWorker[]> {
    return db
      .select(workerColumns)
      .from(staffUsers)
      .leftJoin(crisisTeams, eq(crisisTeams.id, staffUsers.crisisTeamId))
      .leftJoin(supervisor, eq(supervisor.id, staffUsers.supervisorId))
      .where(
        and(
          eq(staffUsers.trustId, trustId),
          isNull(staffUsers.disabledAt),
          peerWorker,
          ids ? inArray(staffUsers.id, [...ids]) : undefined,
        ),
      )
      .orderBy(asc(staffUsers.fullName), asc(staffUsers.id));
  }

  /** Every trust's active peer support workers: what the reminder job looks through. */
  async allPeerWorkers(db: Db): Promise<TrainedWorker[]> {
    return db
      .select(workerColumns)
      .from(staffUsers)
      .leftJoin(crisisTeams, eq(crisisTeams.id, staffUsers.crisisTeamId))
      .leftJoin(supervisor, eq(supervisor.id, staffUsers.supervisorId))
      .where(and(isNull(staffUsers.disabledAt), peerWorker))
      .orderBy(asc(staffUsers.id));
  }

  /** Each worker's latest completion of each item, withdrawn records left out. */
  async latestCompletions(db: Db, staffIds: readonly string[]): Promise<LatestCompletion[]> {
    if (staffIds.length === 0) return [];
    return db
      .selectDistinctOn([trainingRecords.staffId, trainingRecords.itemKey], {
        staffId: trainingRecords.staffId,
        itemKey: trainingRecords.itemKey,
        completedOn: trainingRecords.completedOn,
      })
      .from(trainingRecords)
      .where(and(inArray(trainingRecords.staffId, [...staffIds]), isNull(trainingRecords.withdrawnAt)))
      .orderBy(
        trainingRecords.staffId,
        trainingRecords.itemKey,
        desc(trainingRecords.completedOn),
        desc(trainingRecords.recordedAt),
      );
  }

  /** Each worker's latest check of each kind. */
  async latestChecks(db: Db, staffIds: readonly string[]): Promise<LatestCheck[]> {
    if (staffIds.length === 0) return [];
    return db
      .selectDistinctOn([preEmploymentChecks.staffId, preEmploymentChecks.kind], {
        staffId: preEmploymentChecks.staffId,
        kind: preEmploymentChecks.kind,
        completedOn: preEmploymentChecks.completedOn,
        renewBy: preEmploymentChecks.renewBy,
      })
      .from(preEmploymentChecks)
      .where(inArray(preEmploymentChecks.staffId, [...staffIds]))
      .orderBy(
        preEmploymentChecks.staffId,
        preEmploymentChecks.kind,
        desc(preEmploymentChecks.completedOn),
        desc(preEmploymentChecks.recordedAt),
      );
  }

  /** The open override of each of these workers (at most one each). */
  async openOverrides(db: Db, staffIds: readonly string[]): Promise<AllocationOverride[]> {
    if (staffIds.length === 0) return [];
    return db
      .select({
        staffId: allocationOverrides.staffId,
        reason: allocationOverrides.reason,
        untilOn: allocationOverrides.untilOn,
        grantedByName: granter.fullName,
        grantedAt: allocationOverrides.grantedAt,
      })
      .from(allocationOverrides)
      .leftJoin(granter, eq(granter.id, allocationOverrides.grantedBy))
      .where(and(inArray(allocationOverrides.staffId, [...staffIds]), isNull(allocationOverrides.endedAt)));
  }

  /** Every training record of a worker, newest first, withdrawn ones included. */
  async recordsOf(db: Db, staffId: string): Promise<RecordWithNames[]> {
    const rows = await db
      .select({ record: trainingRecords, recordedByName: recorder.fullName })
      .from(trainingRecords)
      .innerJoin(recorder, eq(recorder.id, trainingRecords.recordedBy))
      .where(eq(trainingRecords.staffId, staffId))
      .orderBy(desc(trainingRecords.completedOn), desc(trainingRecords.recordedAt));
    return rows.map((row) => ({ ...row.record, recordedByName: row.recordedByName }));
  }

  async checksOf(db: Db, staffId: string): Promise<CheckWithNames[]> {
    const rows = await db
      .select({ check: preEmploymentChecks, recordedByName: recorder.fullName })
      .from(preEmploymentChecks)
      .innerJoin(recorder, eq(recorder.id, preEmploymentChecks.recordedBy))
      .where(eq(preEmploymentChecks.staffId, staffId))
      .orderBy(desc(preEmploymentChecks.completedOn), desc(preEmploymentChecks.recordedAt));
    return rows.map((row) => ({ ...row.check, recordedByName: row.recordedByName }));
  }

  async overridesOf(db: Db, staffId: string): Promise<OverrideWithNames[]> {
    const rows = await db
      .select({ override: allocationOverrides, grantedByName: granter.fullName, endedByName: ender.fullName })
      .from(allocationOverrides)
      .leftJoin(granter, eq(granter.id, allocationOverrides.grantedBy))
      .leftJoin(ender, eq(ender.id, allocationOverrides.endedBy))
      .where(eq(allocationOverrides.staffId, staffId))
      .orderBy(desc(allocationOverrides.grantedAt));
    return rows.map((row) => ({
      ...row.override,
      grantedByName: row.grantedByName,
      endedByName: row.endedByName,
    }));
  }

  async recordBySubmissionToken(db: Db, token: string): Promise<TrainingRecordRow | undefined> {
    const [row] = await db.select().from(trainingRecords).where(eq(trainingRecords.submissionToken, token));
    return row;
  }

  async checkBySubmissionToken(db: Db, token: string): Promise<CheckRow | undefined> {
    const [row] = await db
      .select()
      .from(preEmploymentChecks)
      .where(eq(preEmploymentChecks.submissionToken, token));
    return row;
  }

  async insertRecord(db: Db, row: TrainingRecordRow): Promise<void> {
    await db.insert(trainingRecords).values(row);
  }

  async insertCheck(db: Db, row: CheckRow): Promise<void> {
    await db.insert(preEmploymentChecks).values(row);
  }

  /** Many at once (demo data, tests): one statement each. */
  async insertMany(
    db: Db,
    records: readonly TrainingRecordRow[],
    checks: readonly CheckRow[],
  ): Promise<void> {
    if (records.length > 0) await db.insert(trainingRecords).values([...records]);
    if (checks.length > 0) await db.insert(preEmploymentChecks).values([...checks]);
  }

  /** A record, locked, for withdrawing it. */
  async lockRecord(db: Db, id: string): Promise<TrainingRecordRow | undefined> {
    const [row] = await db.select().from(trainingRecords).where(eq(trainingRecords.id, id)).for('update');
    return row;
  }

  async withdrawRecord(db: Db, id: string, by: string, at: Date, reason: string): Promise<void> {
    await db
      .update(trainingRecords)
      .set({ withdrawnAt: at, withdrawnBy: by, withdrawnReason: reason })
      .where(and(eq(trainingRecords.id, id), isNull(trainingRecords.withdrawnAt)));
  }

  /** Ends the worker's open override, if any; returns its id. */
  async endOverride(db: Db, staffId: string, by: string, at: Date): Promise<string | undefined> {
    const [row] = await db
      .update(allocationOverrides)
      .set({ endedAt: at, endedBy: by })
      .where(and(eq(allocationOverrides.staffId, staffId), isNull(allocationOverrides.endedAt)))
      .returning({ id: allocationOverrides.id });
    return row?.id;
  }

  async insertOverride(db: Db, row: OverrideRow): Promise<void> {
    await db.insert(allocationOverrides).values(row);
  }

  /** Claims one reminder; false when it was already sent (the unique key). */
  async claimReminder(db: Db, row: ReminderRow): Promise<boolean> {
    const inserted = await db
      .insert(trainingReminders)
      .values(row)
      .onConflictDoNothing({
        target: [
          trainingReminders.staffId,
          trainingReminders.itemKey,
          trainingReminders.expiresOn,
          trainingReminders.kind,
        ],
      })
      .returning({ id: trainingReminders.id });
    return inserted.length > 0;
  }

  /** The trust's active supervisors, by name: who may be named as a worker's supervisor. */
  async supervisors(db: Db, trustId: string): Promise<SupervisorChoice[]> {
    return db
      .select({ id: staffUsers.id, fullName: staffUsers.fullName, teamName: crisisTeams.name })
      .from(staffUsers)
      .leftJoin(crisisTeams, eq(crisisTeams.id, staffUsers.crisisTeamId))
      .where(
        and(
          eq(staffUsers.trustId, trustId),
          isNull(staffUsers.disabledAt),
          sql`'supervisor' = ANY(${staffUsers.roles})`,
        ),
      )
      .orderBy(asc(staffUsers.fullName), asc(staffUsers.id));
  }

  /** Names a worker's supervisor (null: their team's supervisors). */
  async setSupervisor(db: Db, staffId: string, supervisorId: string | null): Promise<void> {
    await db
      .update(staffUsers)
      .set({ supervisorId, version: sql`${staffUsers.version} + 1` })
      .where(eq(staffUsers.id, staffId));
  }
}
