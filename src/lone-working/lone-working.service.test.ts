/**
 * Lone working at the service, with in-memory repositories: who checks in, one open visit at a
 * time, checking out (late or not), what supervisors see as overdue and acknowledging it, and
 * what the audit log says. The HTTP pages, the SQL, the alert emails and two people answering
 * one visit at once are covered by lone-working.int.test.ts and lone-working-jobs.int.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, ManualClock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { StaffActor } from '../policy/actor.ts';
import { FakeDatabase } from '../test-support/fake-db.ts';
import { fakeAudit, type FakeAudit } from '../test-support/fake-audit.ts';
import { FakeProgramme } from '../test-support/fake-programme.ts';
import { FakeLoneWorkingRepository } from '../test-support/fake-lone-working.ts';
import type { CheckInInput } from './check-in.form.ts';
import { LoneWorkingService } from './lone-working.service.ts';

const NOW = '2026-11-26T12:00:00Z';
const GRACE_MINUTES = 15;

let database: FakeDatabase;
let clock: ManualClock;
let world: FakeProgramme;
let repository: FakeLoneWorkingRepository;
let audit: FakeAudit;
let service: LoneWorkingService;
let worker: StaffActor;
let supervisor: StaffActor;
let teamId: string;

const ctx = (actor: StaffActor) => ({ actor, ip: '192.0.2.1' });

const visit = (extra: Partial<CheckInInput> = {}): CheckInInput => ({
  submissionToken: randomUUID(),
  place: '12 Acacia Avenue, LS1 4AB',
  participantId: null,
  expectedEndAt: new Date(Date.parse(NOW) + HOUR),
  ...extra,
});

beforeEach(() => {
  database = new FakeDatabase();
  clock = new ManualClock(NOW);
  world = new FakeProgramme(database);
  repository = new FakeLoneWorkingRepository(database, world);
  audit = fakeAudit(database, clock);
  service = new LoneWorkingService(database.db, repository, audit.audit, clock, {
    graceMinutes: GRACE_MINUTES,
    escalationMinutes: 60,
  });
  teamId = world.addTeam().id;
  worker = world.addStaff(['peer_worker'], { fullName: 'Pat Lee', crisisTeamId: teamId }).actor;
  supervisor = world.addStaff(['supervisor'], { fullName: 'Sam Super' }).actor;
});

describe('checking in', () => {
  it('is for peer support workers only: anyone else is told the page is not found', async () => {
    for (const actor of [supervisor, world.addStaff(['coordinator']).actor]) {
      await expect(service.checkIn(ctx(actor), visit())).rejects.toThrow(NotFoundError);
      await expect(service.myVisits(ctx(actor))).rejects.toThrow(NotFoundError);
    }
    expect(repository.visits.all()).toEqual([]);
  });

  it('allows one open visit at a time: the next waits until the first is checked out', async () => {
    const { visitId } = await service.checkIn(ctx(worker), visit());
    const error: unknown = await service.checkIn(ctx(worker), visit()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual({
      place: 'You are already checked in. Check out of that visit first',
    });
    await service.checkOut(ctx(worker), visitId);
    await service.checkIn(ctx(worker), visit());
    expect(repository.visits.all()).toHaveLength(2);
  });

  it('links a visit only to someone the worker supports now', async () => {
    const team = world.teams.get(teamId)!;
    const theirs = world.addParticipant(team).id;
    world.allocate(theirs, worker.id);
    const someoneElses = world.addParticipant(team).id;
    world.allocate(someoneElses, world.addStaff(['peer_worker']).actor.id);

    const error: unknown = await service
      .checkIn(ctx(worker), visit({ participantId: someoneElses }))
      .catch((e: unknown) => e);
    expect((error as ValidationError).fieldErrors).toEqual({
      participantId: 'Select one of the people you support, or no one',
    });
    const { visitId } = await service.checkIn(ctx(worker), visit({ participantId: theirs }));
    expect(repository.visits.get(visitId)?.participantId).toBe(theirs);
  });

  it('checks in once when the form is sent twice, and no other worker can use its token', async () => {
    const form = visit();
    const first = await service.checkIn(ctx(worker), form);
    expect(await service.checkIn(ctx(worker), form)).toEqual({ visitId: first.visitId, duplicate: true });
    const other = world.addStaff(['peer_worker']).actor;
    await expect(service.checkIn(ctx(other), form)).rejects.toThrow(NotFoundError);
    expect(repository.visits.all()).toHaveLength(1);
    expect(audit.ofAction('lone_working.checked_in')).toHaveLength(1);
  });

  it('audits the check-in with the expected end, never the place', async () => {
    const { visitId } = await service.checkIn(ctx(worker), visit());
    expect(audit.ofAction('lone_working.checked_in')).toMatchObject([
      {
        actorId: worker.id,
        entityId: visitId,
        detail: { participantId: null, expectedEndAt: '2026-11-26T13:00:00.000Z' },
      },
    ]);
    expect(JSON.stringify(audit.events())).not.toContain('Acacia');
  });

  it('starts from a home visit booked for about now, with their address, audited as a read', async () => {
    const team = world.addTeam();
    const alex = world.addParticipant(team, { address: '3 Mill Lane', postcode: 'LS2 7AA' }).id;
    world.allocate(alex, worker.id);
    repository.sessions.insert({
      id: randomUUID(),
      participantId: alex,
      peerWorkerId: worker.id,
      plannedAt: new Date(Date.parse(NOW) + HOUR),
      mode: 'in_person',
      place: 'home',
      status: 'planned',
    });
    const page = await service.checkInPage(ctx(worker));
    expect(page.booked).toMatchObject({ participantId: alex, place: '3 Mill Lane, LS2 7AA' });
    expect(audit.ofAction('participant.viewed')).toMatchObject([
      { entityId: alex, detail: { page: 'lone working check-in' } },
    ]);
  });
});

describe('checking out', () => {
  it('says whether it was late, and a second press changes nothing', async () => {
    const { visitId } = await service.checkIn(ctx(worker), visit());
    clock.advance(HOUR + MINUTE);
    expect(await service.checkOut(ctx(worker), visitId)).toEqual({ late: true });
    clock.advance(HOUR);
    expect(await service.checkOut(ctx(worker), visitId)).toEqual({ late: true });
    expect(repository.visits.get(visitId)?.checkedOutAt).toEqual(new Date(Date.parse(NOW) + HOUR + MINUTE));
    expect(audit.ofAction('lone_working.checked_out')).toMatchObject([{ detail: { late: true } }]);
  });

  it('is not late up to the expected end', async () => {
    const { visitId } = await service.checkIn(ctx(worker), visit());
    clock.advance(HOUR);
    expect(await service.checkOut(ctx(worker), visitId)).toEqual({ late: false });
  });

  it('is only for the worker’s own visit', async () => {
    const { visitId } = await service.checkIn(ctx(worker), visit());
    const other = world.addStaff(['peer_worker']).actor;
    await expect(service.checkOut(ctx(other), visitId)).rejects.toThrow(NotFoundError);
    expect(repository.visits.get(visitId)?.checkedOutAt).toBeNull();
  });
});

describe('overdue visits', () => {
  it('shows supervisors open visits past their expected end, due an alert once the grace time is over', async () => {
    const { visitId } = await service.checkIn(ctx(worker), visit());
    expect((await service.overdue(ctx(supervisor))).visits).toEqual([]);
    clock.advance(HOUR + MINUTE);
    expect((await service.overdue(ctx(supervisor))).visits).toMatchObject([
      { id: visitId, workerName: 'Pat Lee', alertDue: false },
    ]);
    clock.advance(GRACE_MINUTES * MINUTE);
    expect((await service.overdue(ctx(supervisor))).visits).toMatchObject([{ id: visitId, alertDue: true }]);

    await service.checkOut(ctx(worker), visitId);
    expect((await service.overdue(ctx(supervisor))).visits).toEqual([]);
  });

  it('are seen by supervisors and the coordinator of the worker’s trust only', async () => {
    await service.checkIn(ctx(worker), visit());
    clock.advance(2 * HOUR);
    const coordinator = world.addStaff(['coordinator']).actor;
    expect((await service.overdue(ctx(coordinator))).visits).toHaveLength(1);
    const elsewhere = world.addStaff(['supervisor'], { trustId: randomUUID() }).actor;
    expect((await service.overdue(ctx(elsewhere))).visits).toEqual([]);
    for (const actor of [worker, world.addStaff(['clinician'], { crisisTeamId: teamId }).actor]) {
      await expect(service.overdue(ctx(actor))).rejects.toThrow(NotFoundError);
    }
  });

  it('once acknowledged leave the list, audited with how late; a second acknowledgement changes nothing', async () => {
    const { visitId } = await service.checkIn(ctx(worker), visit());
    clock.advance(HOUR + 20 * MINUTE);
    expect(await service.acknowledge(ctx(supervisor), visitId, 'Phoned Pat: safe')).toEqual({
      already: false,
    });
    expect(await service.acknowledge(ctx(supervisor), visitId, 'Again')).toEqual({ already: true });
    expect((await service.overdue(ctx(supervisor))).visits).toEqual([]);
    expect(repository.visits.get(visitId)).toMatchObject({
      acknowledgedBy: supervisor.id,
      acknowledgementNote: 'Phoned Pat: safe',
    });
    expect(audit.ofAction('lone_working.acknowledged')).toMatchObject([
      { actorId: supervisor.id, detail: { workerId: worker.id, minutesOverdue: 20 } },
    ]);
  });

  it('cannot be acknowledged before the expected end', async () => {
    const { visitId } = await service.checkIn(ctx(worker), visit());
    await expect(service.acknowledge(ctx(supervisor), visitId, 'Early')).rejects.toThrow(NotFoundError);
    expect(repository.visits.get(visitId)?.acknowledgedAt).toBeNull();
  });
});
