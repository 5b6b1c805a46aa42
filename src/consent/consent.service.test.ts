/**
 * Sharing consent at the service, with in-memory repositories: only the participant's current
 * worker records their choice, every choice is kept with the latest in force, a form sent
 * twice records once, and the audit log never holds what they agreed to in their words. The
 * HTTP pages and the SQL are covered by consent.int.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { HOUR, ManualClock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { StaffActor } from '../policy/actor.ts';
import type { ParticipantWithAllocation } from '../participants/participant.repository.ts';
import { FakeDatabase } from '../test-support/fake-db.ts';
import { fakeAudit, type FakeAudit } from '../test-support/fake-audit.ts';
import { FakeParticipantRepository, FakeProgramme } from '../test-support/fake-programme.ts';
import { FakeConsentRepository } from '../test-support/fake-consent.ts';
import type { ConsentInput } from './consent.form.ts';
import { ConsentService } from './consent.service.ts';

const NOW = '2026-11-26T12:00:00Z';

let database: FakeDatabase;
let clock: ManualClock;
let world: FakeProgramme;
let participants: FakeParticipantRepository;
let consents: FakeConsentRepository;
let audit: FakeAudit;
let service: ConsentService;
let worker: StaffActor;
let teamId: string;
let participantId: string;

const ctx = (actor: StaffActor) => ({ actor, ip: '192.0.2.1' });

const input = (extra: Partial<ConsentInput> = {}): ConsentInput => ({
  submissionToken: randomUUID(),
  consent: 'yes',
  scope: 'How my sessions are going',
  ...extra,
});

async function participant(): Promise<ParticipantWithAllocation> {
  return (await participants.findWithAllocation(database.db, participantId))!;
}

beforeEach(() => {
  database = new FakeDatabase();
  clock = new ManualClock(NOW);
  world = new FakeProgramme(database);
  participants = new FakeParticipantRepository(world);
  consents = new FakeConsentRepository(database, world);
  audit = fakeAudit(database, clock);
  service = new ConsentService(database.db, participants, consents, audit.audit, clock);
  teamId = world.addTeam().id;
  worker = world.addStaff(['peer_worker'], { fullName: 'Pat Lee' }).actor;
  participantId = world.addParticipant(world.teams.get(teamId)!).id;
  world.allocate(participantId, worker.id);
});

describe('recording their choice', () => {
  it('keeps every choice, the latest in force, each with who recorded it and when', async () => {
    await service.record(ctx(worker), participantId, input({ consent: 'yes', scope: 'Everything' }));
    clock.advance(HOUR);
    await service.record(ctx(worker), participantId, input({ consent: 'no', scope: null }));

    const panel = await service.panel(database.db, ctx(worker), await participant());
    expect(panel.latest).toEqual({
      consent: 'no',
      scope: null,
      recordedAt: new Date(Date.parse(NOW) + HOUR),
      recordedByName: 'Pat Lee',
    });
    expect(panel.history.map((d) => d.consent)).toEqual(['no', 'yes']);
    expect((await service.recordPage(ctx(worker), participantId)).latest?.consent).toBe('no');
  });

  it('says nobody has asked them yet until a choice is recorded', async () => {
    const panel = await service.panel(database.db, ctx(worker), await participant());
    expect(panel).toMatchObject({ latest: undefined, history: [] });
  });

  it('records once when the same form is sent twice, and answers the second with the first', async () => {
    const form = input();
    const first = await service.record(ctx(worker), participantId, form);
    const second = await service.record(ctx(worker), participantId, form);
    expect(second).toEqual({ consentId: first.consentId, duplicate: true });
    expect(consents.decisions.all()).toHaveLength(1);
    expect(audit.ofAction('consent.recorded')).toHaveLength(1);
  });

  it('does not let one participant’s form token be used for another', async () => {
    const other = world.addParticipant(world.teams.get(teamId)!).id;
    world.allocate(other, worker.id);
    const form = input();
    await service.record(ctx(worker), participantId, form);
    await expect(service.record(ctx(worker), other, form)).rejects.toThrow(NotFoundError);
    expect(consents.decisions.where((d) => d.participantId === other)).toEqual([]);
  });
});

describe('who may record it', () => {
  it('is only their current peer support worker; others may read the panel but not record', async () => {
    const supervisor = world.addStaff(['supervisor']).actor;
    const clinician = world.addStaff(['clinician'], { crisisTeamId: teamId }).actor;
    const coordinator = world.addStaff(['coordinator']).actor;
    const otherWorker = world.addStaff(['peer_worker']).actor;
    for (const actor of [supervisor, clinician, coordinator, otherWorker]) {
      await expect(service.record(ctx(actor), participantId, input())).rejects.toThrow(NotFoundError);
      await expect(service.recordPage(ctx(actor), participantId)).rejects.toThrow(NotFoundError);
    }
    expect(consents.decisions.all()).toEqual([]);
    expect(audit.events()).toEqual([]);

    const canRecord = async (actor: StaffActor) =>
      (await service.panel(database.db, ctx(actor), await participant())).canRecord;
    expect(await canRecord(worker)).toBe(true);
    expect(await canRecord(supervisor)).toBe(false);
    expect(await canRecord(clinician)).toBe(false);
  });
});

describe('the audit log', () => {
  it('records the choice and whether a scope was given, never the scope’s words', async () => {
    const { consentId } = await service.record(
      ctx(worker),
      participantId,
      input({ consent: 'yes', scope: 'Only my medication worries' }),
    );
    expect(audit.ofAction('consent.recorded')).toMatchObject([
      {
        actorId: worker.id,
        entityType: 'sharing_consent',
        entityId: consentId,
        detail: { participantId, consent: 'yes', scopeGiven: true },
      },
    ]);
    expect(JSON.stringify(audit.events())).not.toContain('medication');
  });

  it('records opening the form as a view of the participant', async () => {
    await service.recordPage(ctx(worker), participantId);
    expect(audit.events()).toMatchObject([
      {
        action: 'participant.viewed',
        entityId: participantId,
        detail: { page: 'record sharing consent' },
      },
    ]);
  });
});
