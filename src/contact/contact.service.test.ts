/**
 * Staying in touch, at the service with in-memory repositories: when "lost contact" becomes
 * possible, who may record an attempt, what is refused, and what the audit log says. The HTTP
 * journey and the SQL are covered by contact.int.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { StaffActor } from '../policy/actor.ts';
import { FakeDatabase } from '../test-support/fake-db.ts';
import { fakeAudit, type FakeAudit } from '../test-support/fake-audit.ts';
import { FakeParticipantRepository, FakeProgramme } from '../test-support/fake-programme.ts';
import { FakeContactAttemptRepository } from '../test-support/fake-contact.ts';
import type { ContactAttemptInput } from './contact.form.ts';
import { ContactService } from './contact.service.ts';

// 26 November 2026, 12:00 in the UK (GMT, so the same in UTC).
const NOW = '2026-11-26T12:00:00Z';

let database: FakeDatabase;
let clock: ManualClock;
let world: FakeProgramme;
let attempts: FakeContactAttemptRepository;
let audit: FakeAudit;
let worker: StaffActor;
let participantId: string;

function service(attemptsBeforeLost = 3): ContactService {
  return new ContactService(database.db, new FakeParticipantRepository(world), attempts, audit.audit, clock, {
    attemptsBeforeLost,
  });
}

const ctx = (actor: StaffActor) => ({ actor, ip: '192.0.2.1' });

function input(extra: Partial<ContactAttemptInput> = {}): ContactAttemptInput {
  return {
    submissionToken: randomUUID(),
    method: 'phone',
    outcome: 'no_answer',
    madeOn: '2026-11-26',
    madeTime: { hour: 9, minute: 0 },
    note: null,
    ...extra,
  };
}

beforeEach(() => {
  database = new FakeDatabase();
  clock = new ManualClock(NOW);
  world = new FakeProgramme(database);
  attempts = new FakeContactAttemptRepository(database, world);
  audit = fakeAudit(database, clock);
  const team = world.addTeam();
  worker = world.addStaff(['peer_worker'], { fullName: 'Pat Lee' }).actor;
  participantId = world.addParticipant(team, { dischargedOn: '2026-11-02' }).id;
  world.allocate(participantId, worker.id);
});

describe('lost contact', () => {
  it('becomes possible only after the set number of unsuccessful attempts since they were last reached', async () => {
    const contact = service(3);
    const statusNow = async () => (await contact.recordPage(ctx(worker), participantId)).status;

    expect(await statusNow()).toMatchObject({ state: 'in_touch', canRecordLostContact: false });
    await contact.record(ctx(worker), participantId, input({ madeTime: { hour: 9, minute: 0 } }));
    await contact.record(
      ctx(worker),
      participantId,
      input({ method: 'text', outcome: 'message_left', madeTime: { hour: 9, minute: 30 } }),
    );
    expect(await statusNow()).toMatchObject({
      state: 'trying_to_reach',
      unsuccessfulAttemptsSinceReached: 2,
      canRecordLostContact: false,
    });
    await contact.record(
      ctx(worker),
      participantId,
      input({ method: 'letter', outcome: 'letter_returned', madeTime: { hour: 10, minute: 0 } }),
    );
    expect(await statusNow()).toMatchObject({
      unsuccessfulAttemptsSinceReached: 3,
      canRecordLostContact: true,
    });

    // Reaching them starts the count again.
    await contact.record(
      ctx(worker),
      participantId,
      input({ outcome: 'spoke', madeTime: { hour: 11, minute: 0 } }),
    );
    expect(await statusNow()).toMatchObject({
      state: 'in_touch',
      unsuccessfulAttemptsSinceReached: 0,
      canRecordLostContact: false,
      lastReachedBy: 'phone',
    });
  });

  it('follows the configured number of attempts', async () => {
    const contact = service(5);
    for (const hour of [8, 9, 10, 11]) {
      await contact.record(ctx(worker), participantId, input({ madeTime: { hour, minute: 0 } }));
    }
    expect((await contact.recordPage(ctx(worker), participantId)).status).toMatchObject({
      unsuccessfulAttemptsSinceReached: 4,
      canRecordLostContact: false,
    });
    await contact.record(ctx(worker), participantId, input({ madeTime: { hour: 11, minute: 30 } }));
    expect((await contact.recordPage(ctx(worker), participantId)).status.canRecordLostContact).toBe(true);
  });

  it('counts only attempts after a session they attended, which reaches them too', async () => {
    const contact = service(3);
    for (const hour of [8, 9, 10]) {
      await contact.record(ctx(worker), participantId, input({ madeTime: { hour, minute: 0 } }));
    }
    attempts.attended.insert({
      id: randomUUID(),
      participantId,
      plannedAt: new Date('2026-11-26T10:30:00Z'),
    });
    await contact.record(ctx(worker), participantId, input({ madeTime: { hour: 11, minute: 0 } }));
    expect((await contact.recordPage(ctx(worker), participantId)).status).toMatchObject({
      lastReachedBy: 'session',
      unsuccessfulAttemptsSinceReached: 1,
      canRecordLostContact: false,
    });
  });

  it('counts a reply or a conversation as reaching them, and nothing else', async () => {
    const contact = service(3);
    const reached: Record<string, boolean> = {};
    for (const outcome of ['spoke', 'reply_received', 'message_left', 'no_answer', 'moved_away'] as const) {
      const { attemptId } = await contact.record(ctx(worker), participantId, input({ outcome }));
      reached[outcome] = attempts.attempts.get(attemptId)!.reached;
    }
    expect(reached).toEqual({
      spoke: true,
      reply_received: true,
      message_left: false,
      no_answer: false,
      moved_away: false,
    });
  });
});

describe('who may record an attempt', () => {
  it('is only their current peer support worker: anyone else is told the participant is not found', async () => {
    const contact = service();
    const others = [
      world.addStaff(['peer_worker']).actor,
      world.addStaff(['coordinator']).actor,
      world.addStaff(['supervisor']).actor,
      world.addStaff(['clinician'], { crisisTeamId: world.participants.get(participantId)!.crisisTeamId })
        .actor,
      world.addStaff(['coordinator'], { trustId: randomUUID() }).actor,
    ];
    for (const actor of others) {
      await expect(contact.record(ctx(actor), participantId, input())).rejects.toThrow(NotFoundError);
      await expect(contact.recordPage(ctx(actor), participantId)).rejects.toThrow(NotFoundError);
    }
    expect(attempts.attempts.all()).toEqual([]);
    expect(audit.events()).toEqual([]);
  });

  it('stops with their worker: once they are allocated to someone else, the old worker may not record', async () => {
    const contact = service();
    const next = world.addStaff(['peer_worker']).actor;
    world.allocations.update((a) => a.participantId === participantId, { endedAt: new Date(NOW) });
    world.allocate(participantId, next.id);
    await expect(contact.record(ctx(worker), participantId, input())).rejects.toThrow(NotFoundError);
    await contact.record(ctx(next), participantId, input());
    expect(attempts.attempts.all().map((a) => a.madeBy)).toEqual([next.id]);
  });

  it('does not find a participant who does not exist', async () => {
    await expect(service().record(ctx(worker), randomUUID(), input())).rejects.toThrow(NotFoundError);
  });
});

describe('when the attempt was made', () => {
  async function refused(extra: Partial<ContactAttemptInput>) {
    const error: unknown = await service()
      .record(ctx(worker), participantId, input(extra))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(attempts.attempts.all()).toEqual([]);
    expect(audit.events()).toEqual([]);
    return (error as ValidationError).fieldErrors;
  }

  it('may not be before the day they were discharged', async () => {
    expect(await refused({ madeOn: '2026-11-01' })).toEqual({
      madeOn: 'Date must be on or after the day they were discharged, 2 November 2026',
    });
  });

  it('may not be in the future, by day or by time', async () => {
    expect(await refused({ madeOn: '2026-11-27' })).toEqual({ madeOn: 'Date must be today or in the past' });
    expect(await refused({ madeTime: { hour: 12, minute: 1 } })).toEqual({
      madeTime: 'Time must be now or in the past',
    });
  });

  it('may be on the day of discharge, and now', async () => {
    const contact = service();
    await contact.record(ctx(worker), participantId, input({ madeOn: '2026-11-02' }));
    await contact.record(ctx(worker), participantId, input({ madeTime: { hour: 12, minute: 0 } }));
    expect(attempts.attempts.all()).toHaveLength(2);
  });
});

describe('a form sent twice', () => {
  it('records one attempt and one audit event, and answers the second with the first', async () => {
    const contact = service();
    const form = input();
    const first = await contact.record(ctx(worker), participantId, form);
    const second = await contact.record(ctx(worker), participantId, form);
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ attemptId: first.attemptId, duplicate: true });
    expect(attempts.attempts.all()).toHaveLength(1);
    expect(audit.ofAction('contact.recorded')).toHaveLength(1);
  });

  it('does not let one participant’s form token be used for another', async () => {
    const contact = service();
    const other = world.addParticipant(world.teams.all()[0]!).id;
    world.allocate(other, worker.id);
    const form = input();
    await contact.record(ctx(worker), participantId, form);
    await expect(contact.record(ctx(worker), other, form)).rejects.toThrow(NotFoundError);
    expect(attempts.attempts.where((a) => a.participantId === other)).toEqual([]);
  });
});

describe('the audit log', () => {
  it('records each attempt by who made it, with its method and outcome but never the note', async () => {
    const { attemptId } = await service().record(
      ctx(worker),
      participantId,
      input({ method: 'visit', outcome: 'no_answer', note: 'Neighbour says they moved to Leeds' }),
    );
    const [event] = audit.ofAction('contact.recorded');
    expect(event).toMatchObject({
      actorType: 'staff',
      actorId: worker.id,
      ip: '192.0.2.1',
      entityType: 'contact_attempt',
      entityId: attemptId,
      occurredAt: new Date(NOW),
      detail: { participantId, method: 'visit', outcome: 'no_answer' },
    });
    expect(JSON.stringify(audit.events())).not.toContain('Leeds');
    expect((await audit.audit.verify(database.db)).ok).toBe(true);
  });

  it('records opening the form as a view of the participant', async () => {
    await service().recordPage(ctx(worker), participantId);
    expect(audit.events()).toMatchObject([
      {
        action: 'participant.viewed',
        entityType: 'participant',
        entityId: participantId,
        actorId: worker.id,
        detail: { page: 'record contact attempt' },
      },
    ]);
  });
});
