/**
 * In-memory staff, crisis teams, participants and allocations for service tests, with fake
 * repositories that answer the queries services make of them as the SQL does (the current
 * allocation is the one not ended; an ended programme leaves the caseload). Build a world with
 * `addTeam`, `addStaff`, `addParticipant` and `allocate`, then hand the repositories to a service.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { StaffActor, StaffRole } from '../policy/actor.ts';
import type { PeerWorkerLoad, StaffUserRow } from '../organisation/staff.repository.ts';
import type {
  AllocationHistoryItem,
  AllocationRow,
  NewAllocation,
  ParticipantRow,
  ParticipantWithAllocation,
  WaitingForWorker,
} from '../participants/participant.repository.ts';
import type { AllocationParticipants, AllocationStaff } from '../allocation/allocation.service.ts';
import { NotFoundError } from '../platform/errors.ts';
import { uniqueViolation, type FakeDatabase, type FakeTable } from './fake-db.ts';
import type { Clock } from '../platform/clock.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { loadTrainingCatalogue } from '../workforce/training-catalogue.ts';
import { readinessOf, type Readiness, type WorkerReadiness } from '../workforce/readiness.ts';

interface CrisisTeamRow {
  id: string;
  trustId: string;
  name: string;
  phone: string;
  dutyEmail: string | null;
}

/** A participant whose programme has ended, by id (the fields services here read: none). */
interface EndingRow {
  id: string;
}

export const TRUST = '00000000-0000-4000-8000-00000000aaaa';

export class FakeProgramme {
  readonly teams: FakeTable<CrisisTeamRow>;
  readonly staff: FakeTable<StaffUserRow>;
  readonly participants: FakeTable<ParticipantRow>;
  readonly allocations: FakeTable<AllocationRow>;
  readonly endings: FakeTable<EndingRow>;

  constructor(database: FakeDatabase) {
    this.teams = database.table('crisis_teams');
    this.staff = database.table('staff_users');
    this.participants = database.table('participants');
    this.allocations = database.table('allocations');
    this.endings = database.table('programme_endings');
  }

  addTeam(overrides: Partial<CrisisTeamRow> = {}): CrisisTeamRow {
    const team: CrisisTeamRow = {
      id: randomUUID(),
      trustId: TRUST,
      name: 'North crisis team',
      phone: '0113 496 0000',
      dutyEmail: null,
      ...overrides,
    };
    this.teams.insert(team);
    return team;
  }

  /** A member of staff, and the actor they sign in as. */
  addStaff(
    roles: StaffRole[],
    overrides: Partial<StaffUserRow> = {},
  ): { row: StaffUserRow; actor: StaffActor } {
    const id = overrides.id ?? randomUUID();
    const row: StaffUserRow = {
      id,
      trustId: TRUST,
      crisisTeamId: null,
      email: `${id}@example.nhs.uk`,
      fullName: `Staff ${id.slice(0, 4)}`,
      roles,
      passwordHash: null,
      totpSecret: null,
      totpEnrolledAt: null,
      totpLastStep: null,
      caseloadLimit: 12,
      caseloadVersion: 0,
      disabledAt: null,
      createdAt: new Date('2026-01-01T09:00:00Z'),
      version: 1,
      awayFrom: null,
      awayUntil: null,
      temporaryPasswordExpiresAt: null,
      supervisorId: null,
      oneToOneEveryDays: null,
      groupEveryDays: null,
      experiencedPeer: false,
      ...overrides,
    };
    this.staff.insert(row);
    return { row, actor: actorOf(row) };
  }

  addParticipant(team: CrisisTeamRow, overrides: Partial<ParticipantRow> = {}): ParticipantRow {
    const row: ParticipantRow = {
      id: randomUUID(),
      trustId: team.trustId,
      crisisTeamId: team.id,
      givenName: 'Alex',
      familyName: 'Morgan',
      preferredName: null,
      dateOfBirth: '1990-05-01',
      nhsNumber: null,
      email: null,
      mobile: '07700900123',
      phone: null,
      address: null,
      postcode: null,
      contactMethods: ['phone'],
      safeContactTimes: null,
      mayLeaveMessages: true,
      dischargedOn: '2026-11-02',
      dischargeDestination: 'home',
      accessibilityNeeds: null,
      safetyInformation: null,
      gpPracticeName: null,
      gpPracticeEmail: null,
      careCoordinatorName: null,
      careCoordinatorEmail: null,
      planSharingChosenAt: null,
      referredBy: randomUUID(),
      referredAt: new Date('2026-11-02T10:00:00Z'),
      submissionToken: randomUUID(),
      version: 1,
      reminderChannel: 'none',
      reminderEarliestHour: 9,
      reminderLatestHour: 20,
      interventionWithheld: null,
      interventionWithheldOn: null,
      ...overrides,
    };
    this.participants.insert(row);
    return row;
  }

  /** An allocation already in place (set up by the test, not by the service under test). */
  allocate(
    participantId: string,
    peerWorkerId: string,
    overrides: Partial<AllocationRow> = {},
  ): AllocationRow {
    const row: AllocationRow = {
      id: randomUUID(),
      participantId,
      peerWorkerId,
      allocatedBy: peerWorkerId,
      allocatedAt: new Date('2026-11-03T10:00:00Z'),
      reason: null,
      endedAt: null,
      endedBy: null,
      reallocationRequestedAt: null,
      reallocationReason: null,
      ...overrides,
    };
    this.allocations.insert(row);
    return row;
  }

  endProgramme(participantId: string): void {
    this.endings.insert({ id: participantId });
  }

  /** The allocation not yet ended, as the partial unique index allows only one. */
  currentAllocation(participantId: string): AllocationRow | undefined {
    return this.allocations.where((a) => a.participantId === participantId && a.endedAt === null)[0];
  }

  staffName(id: string): string {
    const row = this.staff.get(id);
    if (!row) throw new NotFoundError('staff');
    return row.fullName;
  }

  ended(participantId: string): boolean {
    return this.endings.get(participantId) !== undefined;
  }
}

export function actorOf(row: StaffUserRow): StaffActor {
  return {
    kind: 'staff',
    id: row.id,
    trustId: row.trustId,
    crisisTeamId: row.crisisTeamId,
    roles: row.roles as StaffRole[],
    fullName: row.fullName,
  };
}

export class FakeParticipantRepository implements AllocationParticipants {
  private readonly world: FakeProgramme;

  constructor(world: FakeProgramme) {
    this.world = world;
  }

  async findWithAllocation(_db: Db, id: string): Promise<ParticipantWithAllocation | undefined> {
    const participant = this.world.participants.get(id);
    if (!participant) return undefined;
    const team = this.world.teams.get(participant.crisisTeamId);
    if (!team) return undefined;
    const current = this.world.currentAllocation(id);
    return {
      ...participant,
      allocatedWorkerId: current?.peerWorkerId ?? null,
      allocatedWorkerName: current ? this.world.staffName(current.peerWorkerId) : null,
      crisisTeamName: team.name,
      crisisTeamPhone: team.phone,
    };
  }

  async lockForUpdate(_db: Db, _participantId: string): Promise<void> {
    // One caller at a time in memory: nothing to wait for.
  }

  async waitingForWorker(_db: Db, trustId: string): Promise<WaitingForWorker[]> {
    const waiting: WaitingForWorker[] = [];
    for (const p of this.world.participants.where((row) => row.trustId === trustId)) {
      if (this.world.ended(p.id)) continue;
      const current = this.world.currentAllocation(p.id);
      if (current?.reallocationRequestedAt === null) continue;
      const team = this.world.teams.get(p.crisisTeamId);
      if (!team) continue;
      const base = {
        id: p.id,
        givenName: p.givenName,
        familyName: p.familyName,
        preferredName: p.preferredName,
        crisisTeamId: p.crisisTeamId,
        crisisTeamName: team.name,
        dischargedOn: p.dischargedOn,
      };
      const ends = this.world.allocations
        .where((a) => a.participantId === p.id && a.endedAt !== null)
        .map((a) => a.endedAt!.getTime());
      if (current?.reallocationRequestedAt) {
        waiting.push({
          ...base,
          kind: 'reallocation',
          since: current.reallocationRequestedAt,
          currentWorkerId: current.peerWorkerId,
          currentWorkerName: this.world.staffName(current.peerWorkerId),
          reason: current.reallocationReason,
        });
      } else if (ends.length > 0) {
        waiting.push({
          ...base,
          kind: 'reallocation',
          since: new Date(Math.max(...ends)),
          currentWorkerId: null,
          currentWorkerName: null,
          reason: 'Previous worker ended',
        });
      } else {
        waiting.push({
          ...base,
          kind: 'allocation',
          since: p.referredAt,
          currentWorkerId: null,
          currentWorkerName: null,
          reason: null,
        });
      }
    }
    return waiting.sort((a, b) => a.since.getTime() - b.since.getTime());
  }

  async allocationHistory(_db: Db, participantId: string): Promise<AllocationHistoryItem[]> {
    return this.world.allocations
      .where((a) => a.participantId === participantId)
      .sort((a, b) => b.allocatedAt.getTime() - a.allocatedAt.getTime())
      .map((a) => ({
        peerWorkerName: this.world.staffName(a.peerWorkerId),
        allocatedByName: this.world.staffName(a.allocatedBy),
        allocatedAt: a.allocatedAt,
        endedAt: a.endedAt,
        reason: a.reason,
      }));
  }

  async endCurrentAllocation(
    _db: Db,
    participantId: string,
    endedBy: string,
    at: Date,
  ): Promise<string | undefined> {
    const [ended] = this.world.allocations.update(
      (a) => a.participantId === participantId && a.endedAt === null,
      { endedAt: at, endedBy },
    );
    return ended?.peerWorkerId;
  }

  async insertAllocation(_db: Db, row: NewAllocation): Promise<void> {
    const endedAt = row.endedAt ?? null;
    // allocations_current_key: one allocation not yet ended per participant.
    if (endedAt === null && this.world.currentAllocation(row.participantId)) {
      throw uniqueViolation('allocations_current_key');
    }
    this.world.allocations.insert({
      ...row,
      reason: row.reason ?? null,
      endedAt,
      endedBy: row.endedBy ?? null,
      reallocationRequestedAt: row.reallocationRequestedAt ?? null,
      reallocationReason: row.reallocationReason ?? null,
    });
  }

  async requestReallocationForWorker(_db: Db, workerId: string, at: Date, reason: string): Promise<string[]> {
    return this.world.allocations
      .update(
        (a) =>
          a.peerWorkerId === workerId &&
          a.endedAt === null &&
          a.reallocationRequestedAt === null &&
          !this.world.ended(a.participantId),
        { reallocationRequestedAt: at, reallocationReason: reason },
      )
      .map((a) => a.participantId);
  }

  async withdrawReallocationForWorker(_db: Db, workerId: string): Promise<string[]> {
    return this.world.allocations
      .update(
        (a) => a.peerWorkerId === workerId && a.endedAt === null && a.reallocationRequestedAt !== null,
        { reallocationRequestedAt: null, reallocationReason: null },
      )
      .map((a) => a.participantId);
  }
}

export class FakeStaffRepository implements AllocationStaff {
  private readonly world: FakeProgramme;

  constructor(world: FakeProgramme) {
    this.world = world;
  }

  async findById(_db: Db, id: string): Promise<StaffUserRow | undefined> {
    return this.world.staff.get(id);
  }

  async lockForUpdate(_db: Db, _id: string): Promise<void> {
    // One caller at a time in memory: nothing to wait for.
  }

  async setAway(_db: Db, id: string, awayFrom: string | null, awayUntil: string | null): Promise<void> {
    const [row] = this.world.staff.where((s) => s.id === id);
    if (row) this.world.staff.update((s) => s.id === id, { awayFrom, awayUntil, version: row.version + 1 });
  }

  async peerWorkerLoads(_db: Db, trustId: string): Promise<PeerWorkerLoad[]> {
    return this.world.staff
      .where((s) => s.trustId === trustId && s.disabledAt === null && s.roles.includes('peer_worker'))
      .sort((a, b) => a.fullName.localeCompare(b.fullName))
      .map((s) => ({
        id: s.id,
        fullName: s.fullName,
        crisisTeamId: s.crisisTeamId,
        caseloadLimit: s.caseloadLimit,
        caseloadCount: this.world.allocations.where(
          (a) => a.peerWorkerId === s.id && a.endedAt === null && !this.world.ended(a.participantId),
        ).length,
        awayFrom: s.awayFrom,
        awayUntil: s.awayUntil,
      }));
  }
}

/**
 * Whether workers may take participants, for service tests: everyone is fully trained until
 * `untrained(id)` says nobody has recorded anything for them (the real rules in `readinessOf`).
 */
export class FakeReadiness implements WorkerReadiness {
  private readonly nothingRecorded = new Set<string>();
  private readonly clock: Clock;
  private readonly catalogue = loadTrainingCatalogue();

  constructor(clock: Clock) {
    this.clock = clock;
  }

  untrained(staffId: string): void {
    this.nothingRecorded.add(staffId);
  }

  readinessFor(_db: Db, workerIds: readonly string[]): Promise<Map<string, Readiness>> {
    const today = ukToday(this.clock.now());
    const complete: Readiness = { ready: true, complete: true, gaps: [], dueSoon: [], override: null };
    return Promise.resolve(
      new Map(
        workerIds.map((id) => [
          id,
          this.nothingRecorded.has(id) ? readinessOf(this.catalogue, [], [], undefined, today) : complete,
        ]),
      ),
    );
  }
}
