/**
 * Bench data, written with the project's own modules before the server starts: the demo seed,
 * then psw.pat with a caseload of exactly 25, then background volume (extra teams, workers and
 * thousands of participants with current and past allocations) so queries do not run on a
 * toy-sized database.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Db } from '../src/platform/database/database.ts';
import { migrate } from '../src/platform/database/migrate.ts';
import { allocations, participants, programmeSessions } from '../src/platform/database/schema.ts';
import { CaseloadRepository } from '../src/caseload/caseload.repository.ts';
import type { NewProgrammeSession } from '../src/sessions/session.repository.ts';
import {
  DEMO_PASSWORD,
  DEMO_TRUST_ID,
  FAMILY_NAMES,
  GIVEN_NAMES,
  seedDemoData,
  testNhsNumber,
} from '../src/demo/seed.ts';
import { hashPassword } from '../src/identity/password.ts';
import {
  ParticipantRepository,
  type NewAllocation,
  type NewParticipant,
} from '../src/participants/participant.repository.ts';
import { StaffRepository } from '../src/organisation/staff.repository.ts';
import { TeamRepository } from '../src/organisation/team.repository.ts';
import { TrainingRepository } from '../src/workforce/training.repository.ts';
import { loadTrainingCatalogue } from '../src/workforce/training-catalogue.ts';
import { trainingRows } from '../src/workforce/full-training.ts';
import { addDays, ukToday } from '../src/platform/calendar/uk-time.ts';

export const CASELOAD_SIZE = 25;
const WORKER_EMAIL = 'psw.pat@demo.greenleaf.nhs.uk';
const COORDINATOR_EMAIL = 'coordinator@demo.greenleaf.nhs.uk';
const DAY = 86_400_000;
const BATCH = 500;

/**
 * Sessions that have started and are not yet recorded, for the "record a session" load: each
 * request records a different one, for the first time, as a worker does after a meeting.
 * They belong to a second worker's participants so that Pat's caseload stays as measured.
 */
const RECORD_WORKER_EMAIL = 'psw.rob@demo.greenleaf.nhs.uk';
const RECORD_PARTICIPANTS = 40;
const RECORD_SESSIONS_EACH = 150;

export interface PreparedData {
  workerId: string;
  /** The worker who records sessions under load, and their sessions waiting to be recorded. */
  recordWorkerId: string;
  recordSessionIds: string[];
  workerName: string;
  caseloadIds: string[];
  participantCount: number;
  allocationCount: number;
  ms: number;
}

/** The element at i, wrapping around; the lists here are never empty. */
function pick<T>(list: readonly T[], i: number): T {
  const value = list[i % list.length];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

/** A deterministic pseudo-random sequence, so every run builds the same shape of data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function participantRow(
  n: number,
  team: string,
  referredBy: string,
  daysAgo: number,
  now: Date,
): NewParticipant {
  const given = pick(GIVEN_NAMES, n);
  const family = pick(FAMILY_NAMES, Math.floor(n / GIVEN_NAMES.length));
  const hasMobile = n % 5 !== 4;
  return {
    id: randomUUID(),
    trustId: DEMO_TRUST_ID,
    crisisTeamId: team,
    givenName: given,
    familyName: family,
    preferredName: n % 7 === 3 ? given.slice(0, 3) : null,
    dateOfBirth: `${1950 + (n % 55)}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 27) + 1).padStart(2, '0')}`,
    nhsNumber: n % 4 === 3 ? null : testNhsNumber(1_000 + n),
    email: n % 3 === 0 ? `${given.toLowerCase()}.${n}@example.com` : null,
    mobile: hasMobile ? `+447700${String(900_000 + n).padStart(6, '0')}` : null,
    phone: hasMobile ? null : `0113496${String(n % 10_000).padStart(4, '0')}`,
    address: `${(n % 200) + 1} Example Street, Leeds`,
    postcode: 'LS1 4AP',
    contactMethods: hasMobile ? ['sms', 'phone'] : ['phone'],
    safeContactTimes: n % 4 === 0 ? 'Weekdays after 2pm' : null,
    mayLeaveMessages: n % 2 === 0,
    dischargedOn: new Date(now.getTime() - daysAgo * DAY).toISOString().slice(0, 10),
    dischargeDestination: n % 3 === 0 ? 'gp' : 'cmht',
    accessibilityNeeds: n % 6 === 1 ? 'Prefers information read aloud' : null,
    safetyInformation: n % 8 === 5 ? 'Dog at home: meet in a public place' : null,
    referredBy,
    referredAt: new Date(now.getTime() - daysAgo * DAY + 3_600_000),
    submissionToken: randomUUID(),
    version: 1,
  };
}

async function insertInBatches(tx: Db, people: NewParticipant[], allocated: NewAllocation[]): Promise<void> {
  for (let i = 0; i < people.length; i += BATCH)
    await tx.insert(participants).values(people.slice(i, i + BATCH));
  for (let i = 0; i < allocated.length; i += BATCH)
    await tx.insert(allocations).values(allocated.slice(i, i + BATCH));
}

/** Migrates, seeds and adds the bench data; the caller closes the database. */
export async function prepareData(database: Database, background: number): Promise<PreparedData> {
  const started = performance.now();
  const now = new Date();
  const random = rng(20_261_126);
  await migrate(database);
  await seedDemoData(database.db, now);

  const staffRepo = new StaffRepository();
  const trainingRepo = new TrainingRepository();
  const catalogue = loadTrainingCatalogue();
  const teamRepo = new TeamRepository();
  const participantRepo = new ParticipantRepository();
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const worker = await staffRepo.findByEmail(database.db, WORKER_EMAIL);
  const recordWorker = await staffRepo.findByEmail(database.db, RECORD_WORKER_EMAIL);
  if (!recordWorker) throw new Error(`seed did not create ${RECORD_WORKER_EMAIL}`);
  const coordinator = await staffRepo.findByEmail(database.db, COORDINATOR_EMAIL);
  const workerTeam = worker?.crisisTeamId;
  if (!worker || !coordinator || !workerTeam)
    throw new Error(`seed did not create ${WORKER_EMAIL} or ${COORDINATOR_EMAIL}`);
  const seededTeams = await teamRepo.listForTrust(database.db, DEMO_TRUST_ID);
  const seededStaff = await staffRepo.listForTrust(database.db, DEMO_TRUST_ID);
  const clinicians = seededStaff.filter((s) => s.roles.includes('clinician')).map((s) => s.id);

  const caseloadIds: string[] = [];
  const recordSessionIds: string[] = [];
  let participantCount = 0;
  let allocationCount = 0;

  await database.db.transaction(async (tx) => {
    // Pat: end the seeded allocations, raise the limit, then exactly 25 current participants.
    for (const item of await new CaseloadRepository().rows(tx, { workerId: worker.id }, now)) {
      await participantRepo.endCurrentAllocation(tx, item.id, coordinator.id, now);
    }
    if (!(await staffRepo.update(tx, worker.id, worker.version, { caseloadLimit: CASELOAD_SIZE }))) {
      throw new Error('could not raise the caseload limit');
    }
    for (let i = 0; i < CASELOAD_SIZE; i++) {
      const row = participantRow(i, workerTeam, pick(clinicians, i), 3 + i * 3, now);
      await participantRepo.insert(tx, row);
      await participantRepo.insertAllocation(tx, {
        id: randomUUID(),
        participantId: row.id,
        peerWorkerId: worker.id,
        allocatedBy: coordinator.id,
        allocatedAt: new Date(now.getTime() - (2 + i * 3) * DAY),
        reason: null,
        endedAt: null,
        endedBy: null,
      });
      caseloadIds.push(row.id);
    }
    participantCount += CASELOAD_SIZE;
    allocationCount += CASELOAD_SIZE;

    // Sessions as a worker's caseload has them: two attended each, and sessions that have
    // started but are not recorded yet, which the "record a session" load records.
    const sessionRows: NewProgrammeSession[] = [];
    const session = (participantId: string, daysAgo: number, attended: boolean): NewProgrammeSession => {
      const plannedAt = new Date(now.getTime() - daysAgo * DAY);
      return {
        id: randomUUID(),
        participantId,
        peerWorkerId: worker.id,
        bookedBy: worker.id,
        bookedAt: new Date(plannedAt.getTime() - 5 * DAY),
        plannedAt,
        mode: 'phone',
        status: attended ? 'attended' : 'planned',
        durationMinutes: attended ? 45 : null,
        recordedBy: attended ? worker.id : null,
        recordedAt: attended ? plannedAt : null,
        submissionToken: randomUUID(),
      };
    };
    caseloadIds.forEach((id, i) => {
      const discharged = 3 + i * 3;
      if (discharged > 14)
        sessionRows.push(session(id, discharged - 5, true), session(id, discharged - 10, true));
    });
    await tx.insert(programmeSessions).values(sessionRows);

    // The recording worker's participants, discharged 100 days ago, each with sessions waiting.
    if (
      !(await staffRepo.update(tx, recordWorker.id, recordWorker.version, {
        caseloadLimit: 60,
      }))
    ) {
      throw new Error('could not raise the recording worker’s caseload limit');
    }
    for (let i = 0; i < RECORD_PARTICIPANTS; i++) {
      const row = participantRow(
        CASELOAD_SIZE + background + i,
        recordWorker.crisisTeamId ?? workerTeam,
        pick(clinicians, i),
        100,
        now,
      );
      await participantRepo.insert(tx, row);
      await participantRepo.insertAllocation(tx, {
        id: randomUUID(),
        participantId: row.id,
        peerWorkerId: recordWorker.id,
        allocatedBy: coordinator.id,
        allocatedAt: new Date(now.getTime() - 99 * DAY),
        reason: null,
        endedAt: null,
        endedBy: null,
      });
      const waiting: NewProgrammeSession[] = [];
      for (let k = 0; k < RECORD_SESSIONS_EACH; k++) {
        const planned = session(row.id, 1 + (k % 90), false);
        waiting.push({ ...planned, peerWorkerId: recordWorker.id, bookedBy: recordWorker.id });
        recordSessionIds.push(planned.id);
      }
      await tx.insert(programmeSessions).values(waiting);
    }
    participantCount += RECORD_PARTICIPANTS;
    allocationCount += RECORD_PARTICIPANTS;

    // Background: 8 more teams (8 peer workers and 2 clinicians each) and `background`
    // participants discharged over the last ~2 years across all teams. 85% were allocated (15%
    // of them after a change of worker); those discharged in the last 100 days still are, the
    // rest ended after the programme. None go to Pat.
    const teams = seededTeams.map((t) => ({ id: t.id, workers: [] as string[], clinicians: [] as string[] }));
    for (const s of seededStaff) {
      const team = teams.find((t) => t.id === s.crisisTeamId);
      if (!team) continue;
      // The demo's trained workers (not Nat, the new starter, still in training).
      if (s.roles.includes('peer_worker') && s.email !== 'psw.nat@demo.greenleaf.nhs.uk' && s.id !== worker.id)
        team.workers.push(s.id);
      if (s.roles.includes('clinician')) team.clinicians.push(s.id);
    }
    for (let t = 0; t < 8; t++) {
      const id = randomUUID();
      await teamRepo.insert(tx, {
        id,
        trustId: DEMO_TRUST_ID,
        name: `Bench crisis team ${t + 1}`,
        phone: `0113 496 ${String(1000 + t)}`,
      });
      const team = { id, workers: [] as string[], clinicians: [] as string[] };
      for (let w = 0; w < 10; w++) {
        const staffId = randomUUID();
        const clinician = w >= 8;
        await staffRepo.insert(tx, {
          id: staffId,
          trustId: DEMO_TRUST_ID,
          crisisTeamId: id,
          email: `bench.${t}.${w}@demo.greenleaf.nhs.uk`,
          fullName: `${pick(GIVEN_NAMES, t * 7 + w)} Bench${t}${w}`,
          roles: [clinician ? 'clinician' : 'peer_worker'],
          passwordHash,
          caseloadLimit: 30,
        });
        if (!clinician) {
          const done = addDays(ukToday(now), -60);
          const rows = trainingRows(catalogue, {
            trustId: DEMO_TRUST_ID,
            staffId,
            recordedBy: staffId,
            recordedAt: now,
            doneOn: () => done,
            checksOn: () => done,
          });
          await trainingRepo.insertMany(tx, rows.records, rows.checks);
        }
        (clinician ? team.clinicians : team.workers).push(staffId);
      }
      teams.push(team);
    }

    const people: NewParticipant[] = [];
    const allocated: NewAllocation[] = [];
    for (let i = 0; i < background; i++) {
      const team = pick(teams, i);
      const daysAgo = 1 + Math.floor(random() * 700);
      const row = participantRow(
        CASELOAD_SIZE + i,
        team.id,
        pick(team.clinicians.length > 0 ? team.clinicians : clinicians, i),
        daysAgo,
        now,
      );
      people.push(row);
      const roll = random();
      if (roll >= 0.85 || team.workers.length === 0) continue; // never allocated (declined, waiting)
      const first = new Date(row.referredAt.getTime() + DAY);
      const current = daysAgo <= 100; // still within the programme window
      const changedWorker = roll < 0.15;
      const workerAt = (k: number) => pick(team.workers, i + k);
      if (changedWorker) {
        allocated.push({
          id: randomUUID(),
          participantId: row.id,
          peerWorkerId: workerAt(1),
          allocatedBy: coordinator.id,
          allocatedAt: first,
          reason: null,
          endedAt: new Date(first.getTime() + DAY / 2),
          endedBy: coordinator.id,
        });
      }
      const allocatedAt = new Date(first.getTime() + (changedWorker ? DAY : 0));
      allocated.push({
        id: randomUUID(),
        participantId: row.id,
        peerWorkerId: workerAt(0),
        allocatedBy: coordinator.id,
        allocatedAt,
        reason: changedWorker ? 'Worker changed' : null,
        endedAt: current ? null : new Date(allocatedAt.getTime() + 92 * DAY),
        endedBy: current ? null : coordinator.id,
      });
    }
    await insertInBatches(tx, people, allocated);
    participantCount += people.length;
    allocationCount += allocated.length;
  });

  await database.execScript('ANALYZE');
  return {
    workerId: worker.id,
    workerName: worker.fullName,
    caseloadIds,
    recordWorkerId: recordWorker.id,
    recordSessionIds,
    participantCount: participantCount + 30,
    allocationCount,
    ms: performance.now() - started,
  };
}
