/**
 * Allocation at the service, with in-memory repositories: who may allocate, which workers can
 * take someone (cleared, not away, under their caseload limit), what reallocation needs and
 * keeps, marking a worker away and back, and what the audit log says. The HTTP pages, the SQL
 * and two coordinators racing for a worker's last place are covered by allocation.int.test.ts
 * and caseload.int.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DAY, ManualClock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { StaffActor } from '../policy/actor.ts';
import type { StaffUserRow } from '../organisation/staff.repository.ts';
import { FakeDatabase } from '../test-support/fake-db.ts';
import { fakeAudit, type FakeAudit } from '../test-support/fake-audit.ts';
import {
  FakeParticipantRepository,
  FakeProgramme,
  FakeReadiness,
  FakeStaffRepository,
} from '../test-support/fake-programme.ts';
import { AllocationService } from './allocation.service.ts';

// Thursday 26 November 2026, 12:00 in the UK (GMT).
const NOW = '2026-11-26T12:00:00Z';

let database: FakeDatabase;
let clock: ManualClock;
let world: FakeProgramme;
let readiness: FakeReadiness;
let audit: FakeAudit;
let allocation: AllocationService;
let coordinator: StaffActor;
let teamId: string;

const ctx = (actor: StaffActor) => ({ actor, ip: '192.0.2.1' });

function worker(fullName: string, overrides: Partial<StaffUserRow> = {}): StaffActor {
  return world.addStaff(['peer_worker'], { fullName, crisisTeamId: teamId, ...overrides }).actor;
}

function participant(): string {
  return world.addParticipant(world.teams.get(teamId)!).id;
}

/** Who supports them now, read from the allocations kept. */
const currentWorker = (participantId: string) => world.currentAllocation(participantId)?.peerWorkerId;

async function refusal(promise: Promise<unknown>): Promise<Record<string, string | undefined>> {
  const error: unknown = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}

beforeEach(() => {
  database = new FakeDatabase();
  clock = new ManualClock(NOW);
  world = new FakeProgramme(database);
  readiness = new FakeReadiness(clock);
  audit = fakeAudit(database, clock);
  teamId = world.addTeam().id;
  coordinator = world.addStaff(['coordinator'], { fullName: 'Chris Coordinator' }).actor;
  allocation = new AllocationService(
    database.db,
    new FakeParticipantRepository(world),
    new FakeStaffRepository(world),
    readiness,
    audit.audit,
    clock,
    5,
  );
});

describe('allocating a worker', () => {
  it('gives the participant the worker, by the coordinator, now, audited', async () => {
    const pat = worker('Pat Lee');
    const alex = participant();
    await allocation.allocate(ctx(coordinator), alex, pat.id, null);
    expect(world.currentAllocation(alex)).toMatchObject({
      peerWorkerId: pat.id,
      allocatedBy: coordinator.id,
      allocatedAt: new Date(NOW),
      endedAt: null,
    });
    expect(audit.events()).toMatchObject([
      {
        action: 'participant.allocated',
        actorId: coordinator.id,
        entityType: 'participant',
        entityId: alex,
        detail: { peerWorkerId: pat.id },
      },
    ]);
    expect((await audit.audit.verify(database.db)).ok).toBe(true);
  });

  it('is for the coordinator only: anyone else is told the participant is not found', async () => {
    const pat = worker('Pat Lee');
    const alex = participant();
    const others = [
      pat,
      world.addStaff(['supervisor']).actor,
      world.addStaff(['clinician'], { crisisTeamId: teamId }).actor,
      world.addStaff(['coordinator'], { trustId: randomUUID() }).actor,
    ];
    for (const actor of others) {
      await expect(allocation.allocate(ctx(actor), alex, pat.id, null)).rejects.toThrow(NotFoundError);
      await expect(allocation.options(ctx(actor), alex)).rejects.toThrow(NotFoundError);
    }
    expect(currentWorker(alex)).toBeUndefined();
    expect(audit.events()).toEqual([]);
  });

  it('treats the same allocation sent again as done: no second allocation, no second event', async () => {
    const pat = worker('Pat Lee');
    const alex = participant();
    await allocation.allocate(ctx(coordinator), alex, pat.id, null);
    await allocation.allocate(ctx(coordinator), alex, pat.id, null);
    expect(world.allocations.all()).toHaveLength(1);
    expect(audit.events()).toHaveLength(1);
  });

  it('refuses someone who is not a peer support worker of this trust', async () => {
    const alex = participant();
    const elsewhere = worker('Sam Far', { trustId: randomUUID() });
    const supervisor = world.addStaff(['supervisor']).actor;
    for (const id of [elsewhere.id, supervisor.id, randomUUID()]) {
      expect(await refusal(allocation.allocate(ctx(coordinator), alex, id, null))).toEqual({
        peerWorkerId: 'Select a peer support worker',
      });
    }
    expect(world.allocations.all()).toEqual([]);
  });
});

describe('which workers can take someone', () => {
  it('refuses a worker whose training and checks are not recorded, naming each missing one', async () => {
    const new_ = worker('Nat New');
    readiness.untrained(new_.id);
    const { peerWorkerId } = await refusal(
      allocation.allocate(ctx(coordinator), participant(), new_.id, null),
    );
    expect(peerWorkerId).toMatch(/^Nat New cannot be allocated: training or checks not complete: /);
    expect(peerWorkerId).toContain('Boundaries and disclosure (not recorded)');
    expect(peerWorkerId).toContain('Enhanced DBS check (not recorded)');
    expect(world.allocations.all()).toEqual([]);
  });

  it('refuses a worker at their caseload limit, counting only programmes not ended', async () => {
    const rob = worker('Rob Full', { caseloadLimit: 2 });
    const [first, second, third] = [participant(), participant(), participant()];
    await allocation.allocate(ctx(coordinator), first, rob.id, null);
    await allocation.allocate(ctx(coordinator), second, rob.id, null);
    expect(await refusal(allocation.allocate(ctx(coordinator), third, rob.id, null))).toEqual({
      peerWorkerId: 'Rob Full cannot be allocated: at their caseload limit (2)',
    });
    expect(currentWorker(third)).toBeUndefined();

    world.endProgramme(first);
    await allocation.allocate(ctx(coordinator), third, rob.id, null);
    expect(currentWorker(third)).toBe(rob.id);
  });

  it('refuses a worker who is away today, and takes them again once they are back', async () => {
    const kim = worker('Kim Away', { awayFrom: '2026-11-20', awayUntil: '2026-11-27' });
    const alex = participant();
    expect(await refusal(allocation.allocate(ctx(coordinator), alex, kim.id, null))).toEqual({
      peerWorkerId: 'Kim Away cannot be allocated: away until 2026-11-27',
    });
    clock.advance(2 * DAY);
    await allocation.allocate(ctx(coordinator), alex, kim.id, null);
    expect(currentWorker(alex)).toBe(kim.id);
  });

  it('shows each worker with why they cannot take the participant, and audits the view', async () => {
    const pat = worker('Pat Lee');
    readiness.untrained(worker('Nat New').id);
    worker('Rob Full', { caseloadLimit: 0 });
    worker('Kim Away', { awayFrom: '2026-11-20', awayUntil: null });
    const alex = participant();
    await allocation.allocate(ctx(coordinator), alex, pat.id, null);

    const { workers } = await allocation.options(ctx(coordinator), alex);
    expect(Object.fromEntries(workers.map((w) => [w.fullName, [w.blockedReason, w.isCurrent]]))).toEqual({
      'Kim Away': ['Away', false],
      'Nat New': [
        expect.stringMatching(/^Training or checks not complete: The meaning of peer support/),
        false,
      ],
      'Pat Lee': ['Already their peer support worker', true],
      'Rob Full': ['At their caseload limit (0)', false],
    });
    expect(audit.ofAction('participant.viewed')).toMatchObject([
      { entityId: alex, detail: { page: 'allocation' } },
    ]);
  });
});

describe('moving someone to a different worker', () => {
  it('needs a reason, and changes nothing without one', async () => {
    const [pat, rob] = [worker('Pat Lee'), worker('Rob Moss')];
    const alex = participant();
    await allocation.allocate(ctx(coordinator), alex, pat.id, null);
    expect(await refusal(allocation.allocate(ctx(coordinator), alex, rob.id, null))).toEqual({
      reason: 'Enter why the participant is moving to a different peer support worker',
    });
    expect(currentWorker(alex)).toBe(pat.id);
    expect(audit.ofAction('participant.reallocated')).toEqual([]);
  });

  it('ends the current allocation and keeps it as history, audited with the previous worker', async () => {
    const [pat, rob] = [worker('Pat Lee'), worker('Rob Moss')];
    const alex = participant();
    await allocation.allocate(ctx(coordinator), alex, pat.id, null);
    clock.advance(DAY);
    await allocation.allocate(ctx(coordinator), alex, rob.id, 'Pat has moved team');

    expect(currentWorker(alex)).toBe(rob.id);
    const { history } = await allocation.options(ctx(coordinator), alex);
    expect(history).toEqual([
      {
        peerWorkerName: 'Rob Moss',
        allocatedByName: 'Chris Coordinator',
        allocatedAt: new Date(Date.parse(NOW) + DAY),
        endedAt: null,
        reason: 'Pat has moved team',
      },
      {
        peerWorkerName: 'Pat Lee',
        allocatedByName: 'Chris Coordinator',
        allocatedAt: new Date(NOW),
        endedAt: new Date(Date.parse(NOW) + DAY),
        reason: null,
      },
    ]);
    expect(audit.ofAction('participant.reallocated')).toMatchObject([
      { entityId: alex, detail: { peerWorkerId: rob.id, previousPeerWorkerId: pat.id } },
    ]);
    // The old worker's place is free again.
    const { workers } = await allocation.options(ctx(coordinator), participant());
    expect(workers.find((w) => w.id === pat.id)?.caseloadCount).toBe(0);
  });
});

describe('marking a worker away and back', () => {
  it('asks for a new worker for everyone they support, who then wait for one, audited', async () => {
    const pat = worker('Pat Lee');
    const [alex, blake] = [participant(), participant()];
    await allocation.allocate(ctx(coordinator), alex, pat.id, null);
    await allocation.allocate(ctx(coordinator), blake, pat.id, null);
    const supervisor = world.addStaff(['supervisor']).actor;

    const { participantIds } = await allocation.markAway(ctx(supervisor), pat.id, {
      awayFrom: '2026-11-26',
      awayUntil: null,
      reason: 'Long-term sick leave',
    });
    expect(participantIds.sort()).toEqual([alex, blake].sort());
    expect(world.staff.get(pat.id)).toMatchObject({ awayFrom: '2026-11-26', awayUntil: null });

    const waiting = (await allocation.waiting(ctx(coordinator))).page.items;
    expect(waiting.map((w) => [w.id, w.kind, w.currentWorkerId, w.reason])).toEqual(
      expect.arrayContaining([
        [alex, 'reallocation', pat.id, 'Long-term sick leave'],
        [blake, 'reallocation', pat.id, 'Long-term sick leave'],
      ]),
    );
    expect(audit.ofAction('staff.marked_away')).toMatchObject([
      {
        actorId: supervisor.id,
        entityType: 'staff',
        entityId: pat.id,
        detail: { awayFrom: '2026-11-26', awayUntil: null },
      },
    ]);
  });

  it('withdraws the requests when they are back, and a second "back" changes nothing', async () => {
    const pat = worker('Pat Lee');
    const alex = participant();
    await allocation.allocate(ctx(coordinator), alex, pat.id, null);
    await allocation.markAway(ctx(coordinator), pat.id, {
      awayFrom: '2026-11-26',
      awayUntil: null,
      reason: 'Leave',
    });

    expect(await allocation.markBack(ctx(coordinator), pat.id)).toEqual({ participantIds: [alex] });
    expect(world.staff.get(pat.id)).toMatchObject({ awayFrom: null, awayUntil: null });
    expect((await allocation.waiting(ctx(coordinator))).page.items.map((w) => w.id)).not.toContain(alex);
    expect(await allocation.markBack(ctx(coordinator), pat.id)).toEqual({ participantIds: [] });
    expect(audit.ofAction('staff.marked_back')).toHaveLength(1);
  });

  it('refuses a return day before the day they are away from, and changes nothing', async () => {
    const pat = worker('Pat Lee');
    const alex = participant();
    await allocation.allocate(ctx(coordinator), alex, pat.id, null);
    expect(
      await refusal(
        allocation.markAway(ctx(coordinator), pat.id, {
          awayFrom: '2026-11-26',
          awayUntil: '2026-11-25',
          reason: 'Leave',
        }),
      ),
    ).toEqual({ awayUntil: 'The day they are back must be on or after the day they are away from' });
    expect(world.staff.get(pat.id)?.awayFrom).toBeNull();
    expect(world.currentAllocation(alex)?.reallocationRequestedAt).toBeNull();
    expect(audit.ofAction('staff.marked_away')).toEqual([]);
  });

  it('is for the coordinator and supervisors: workers and clinicians are told the worker is not found', async () => {
    const pat = worker('Pat Lee');
    const others = [
      pat,
      worker('Rob Moss'),
      world.addStaff(['clinician'], { crisisTeamId: teamId }).actor,
      world.addStaff(['supervisor'], { trustId: randomUUID() }).actor,
    ];
    for (const actor of others) {
      await expect(
        allocation.markAway(ctx(actor), pat.id, { awayFrom: '2026-11-26', awayUntil: null, reason: 'x' }),
      ).rejects.toThrow(NotFoundError);
    }
    expect(world.staff.get(pat.id)?.awayFrom).toBeNull();
  });
});

describe('the list of people waiting for a worker', () => {
  it('is the coordinator’s, longest waiting first, audited with who was listed', async () => {
    const pat = worker('Pat Lee');
    const team = world.teams.get(teamId)!;
    const later = world.addParticipant(team, { referredAt: new Date('2026-11-20T10:00:00Z') }).id;
    const earlier = world.addParticipant(team, { referredAt: new Date('2026-11-10T10:00:00Z') }).id;
    const allocated = participant();
    await allocation.allocate(ctx(coordinator), allocated, pat.id, null);

    const { page, targetWorkingDays } = await allocation.waiting(ctx(coordinator));
    const waiting = page.items;
    expect(targetWorkingDays).toBe(5);
    expect(waiting.map((w) => w.id)).toEqual([earlier, later]);
    expect(waiting[0]).toMatchObject({ kind: 'allocation', canAllocate: true });
    expect(audit.ofAction('referrals.listed')).toMatchObject([
      { entityType: 'trust', detail: { view: 'waiting for allocation', participantIds: [earlier, later] } },
    ]);

    for (const actor of [pat, world.addStaff(['supervisor']).actor]) {
      await expect(allocation.waiting(ctx(actor))).rejects.toThrow(NotFoundError);
    }
  });
});
