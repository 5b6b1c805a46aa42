/**
 * The coordinator's admin of staff accounts against a real database: each change and each
 * read, with its audit event, commit together, stale edits conflict, other trusts' accounts are
 * not found, other roles are refused, and disabling an account signs it out at once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../platform/database/test-database.ts';
import type { Database } from '../platform/database/database.ts';
import { allocations, participants } from '../platform/database/schema.ts';
import { ManualClock } from '../platform/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { AuditService } from '../audit/audit.service.ts';
import { ReadEventBatches } from '../audit/read-events.ts';
import { TEST_AUDIT_KEY } from '../test-support/audit-key.ts';
import { SignInSessionRepository } from '../identity/sign-in-session.repository.ts';
import { SignInSessionCache } from '../identity/sign-in-session-cache.ts';
import { SignInSessionService } from '../identity/sign-in-session.service.ts';
import { verifyPassword } from '../identity/password.ts';
import { AccountMessages } from '../identity/account-messages.ts';
import { SetUpLinkRepository } from '../identity/set-up-link.repository.ts';
import { SetUpLinkService } from '../identity/set-up-link.service.ts';
import type { NotificationSender, OutgoingMessage } from '../platform/notifications/notification-sender.ts';
import { HOUR, MINUTE } from '../platform/clock.ts';
import { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import { MessageOutboxRepository } from '../platform/notifications/message-outbox.repository.ts';
import { queryRows } from '../test-support/rows.ts';
import { sql } from 'drizzle-orm';
import type { StaffRole } from '../policy/actor.ts';
import { StaffRepository } from './staff.repository.ts';
import { WorkforceLeaving } from '../workforce/leaving.ts';
import { AppointmentRepository } from '../workforce/appointment.repository.ts';
import { PeerSupportRepository } from '../workforce/peer-support.repository.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';
import { TeamRepository } from './team.repository.ts';
import {
  DUPLICATE_EMAIL_MESSAGE,
  SELF_COORDINATOR_MESSAGE,
  SELF_DISABLE_MESSAGE,
  StaffAdminService,
  type NewStaffInput,
} from './staff-admin.service.ts';
import { DISABLED_ACCOUNT_MESSAGE, StaffCredentialsService } from './staff-credentials.service.ts';
import {
  addStaff,
  addTeam,
  addTrust,
  contextOf,
  expectValidation,
  trustWithCoordinator,
} from './admin-test-data.ts';
import { SILENT_LOG } from '../test-support/silent-log.ts';

const clock = new ManualClock('2026-11-26T09:00:00Z');
const staff = new StaffRepository();
const auditRepository = new AuditRepository();
let database: Database;
let audit: AuditService;
let signInSessions: SignInSessionService;
let service: StaffAdminService;
let credentials: StaffCredentialsService;

/** Every email handed over, as the owner of the account would receive it. */
const emails: OutgoingMessage[] = [];
const sender: NotificationSender = {
  send: async (message) => {
    emails.push(message);
    return { reference: randomUUID() };
  },
  deliveryStatus: async () => 'outbox',
  findSent: async () => undefined,
};

/** The message outbox every email goes through, here with the given provider. */
function outboxWith(provider: NotificationSender): MessageOutbox {
  return new MessageOutbox(
    database.db,
    new MessageOutboxRepository(),
    provider,
    audit,
    clock,
    {
      maxAttempts: 3,
      leaseMs: 2 * MINUTE,
    },
    SILENT_LOG,
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  audit = new AuditService(
    auditRepository,
    clock,
    TEST_AUDIT_KEY,
    new ReadEventBatches(database.db, auditRepository),
  );
  signInSessions = new SignInSessionService(
    database.db,
    new SignInSessionRepository(),
    clock,
    {
      idleMinutes: 30,
      absoluteHours: 12,
    },
    new SignInSessionCache(),
  );
  const messages = new AccountMessages(outboxWith(sender), 'https://greenleaf.example.nhs.uk', SILENT_LOG);
  const links = new SetUpLinkRepository();
  service = new StaffAdminService(
    database.db,
    new TeamRepository(),
    staff,
    signInSessions,
    links,
    messages,
    audit,
    clock,
    72,
    new WorkforceLeaving(new ParticipantRepository(), staff, new PeerSupportRepository()),
    new AppointmentRepository(),
  );
  const setUpLinks = new SetUpLinkService(
    database.db,
    links,
    staff,
    signInSessions,
    messages,
    audit,
    clock,
    72,
  );
  credentials = new StaffCredentialsService(database.db, staff, signInSessions, setUpLinks, messages, audit);
});

afterAll(async () => {
  await database.close();
});

const newStaff = (overrides: Partial<NewStaffInput> = {}): NewStaffInput => ({
  fullName: 'Alex Morgan',
  email: `alex.${randomUUID().slice(0, 8)}@nhs.test`,
  roles: ['supervisor'],
  crisisTeamId: null,
  caseloadLimit: null,
  temporaryPassword: 'correct horse battery staple',
  ...overrides,
});

const auditActions = async (entityId: string) =>
  (await auditRepository.forEntity(database.db, 'staff', entityId)).map((event) => event.action);

async function signedInSession(staffId: string): Promise<string> {
  return signInSessions.start(database.db, { type: 'staff', id: staffId }, 'full', null);
}

// ------------------------------------------------------------------------------ staff accounts

describe('creating staff accounts', () => {
  it('gives the temporary password 72 hours, and emails the owner that the account exists, never the password', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const input = newStaff();
    const id = await service.createStaff(ctx, input);
    expect((await staff.findById(database.db, id))?.temporaryPasswordExpiresAt).toEqual(
      new Date(clock.now().getTime() + 72 * HOUR),
    );
    const sent = emails.filter((email) => email.to === input.email);
    expect(sent.map((email) => email.template)).toEqual(['staff_account_created']);
    expect(JSON.stringify(sent)).not.toContain(input.temporaryPassword);
    expect((await service.staffMember(ctx, id)).password).toEqual({
      kind: 'temporary',
      expiresAt: new Date(clock.now().getTime() + 72 * HOUR),
    });
  });

  it('creates an account with a hashed temporary password and no authenticator app yet, and audits it', async () => {
    const { ctx, trustId, teamId } = await trustWithCoordinator(database.db);
    const id = await service.createStaff(
      ctx,
      newStaff({
        email: 'Sam.Peer@NHS.test',
        roles: ['peer_worker'],
        crisisTeamId: teamId,
        caseloadLimit: 8,
      }),
    );

    const row = await staff.findById(database.db, id);
    expect(row).toMatchObject({
      trustId,
      crisisTeamId: teamId,
      email: 'sam.peer@nhs.test',
      roles: ['peer_worker'],
      caseloadLimit: 8,
      totpSecret: null,
      totpEnrolledAt: null,
      disabledAt: null,
      version: 1,
    });
    expect(await verifyPassword(row!.passwordHash!, 'correct horse battery staple')).toBe(true);
    const [event] = await auditRepository.forEntity(database.db, 'staff', id);
    expect(event).toMatchObject({
      action: 'staff.created',
      actorId: ctx.actor.id,
      detail: { roles: ['peer_worker'], crisisTeamId: teamId },
    });
    expect(JSON.stringify(event?.detail)).not.toContain('correct horse');
  });

  it('gives a new account the default caseload limit when none is given', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const id = await service.createStaff(ctx, newStaff());
    expect((await staff.findById(database.db, id))?.caseloadLimit).toBe(12);
  });

  it('reports an email address already in use, in any case, as a field error and creates nothing', async () => {
    const { ctx, trustId } = await trustWithCoordinator(database.db);
    await service.createStaff(ctx, newStaff({ email: 'jo.bloggs@nhs.test' }));
    const before = (await staff.listForTrust(database.db, trustId)).length;

    const errors = await expectValidation(
      service.createStaff(ctx, newStaff({ email: 'JO.Bloggs@nhs.test' })),
    );
    expect(errors).toEqual({ email: DUPLICATE_EMAIL_MESSAGE });
    expect(await staff.listForTrust(database.db, trustId)).toHaveLength(before);
  });

  it('requires a crisis team for peer support workers and clinicians, and only one of the trust’s own', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const otherTrustTeam = await addTeam(database.db, await addTrust(database.db));

    expect(
      await expectValidation(service.createStaff(ctx, newStaff({ roles: ['clinician'] }))),
    ).toHaveProperty('crisisTeamId');
    expect(
      await expectValidation(
        service.createStaff(ctx, newStaff({ roles: ['peer_worker'], crisisTeamId: otherTrustTeam })),
      ),
    ).toHaveProperty('crisisTeamId');
  });

  it('refuses staff without the coordinator role', async () => {
    const { trustId, teamId } = await trustWithCoordinator(database.db);
    const clinician = contextOf(await addStaff(database.db, trustId, ['clinician'], teamId));
    await expect(service.createStaff(clinician, newStaff())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.listStaff(clinician)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('reading a staff account', () => {
  it('shows the account with its team and caseload, and audits the read as staff.viewed', async () => {
    const { ctx, teamId } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['peer_worker'], teamId);

    const details = await service.staffMember(ctx, person.id);

    expect(details).toMatchObject({ id: person.id, crisisTeamId: teamId, currentCaseload: 0, isSelf: false });
    const events = await auditRepository.forEntity(database.db, 'staff', person.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'staff.viewed',
      actorType: 'staff',
      actorId: ctx.actor.id,
      entityType: 'staff',
      entityId: person.id,
      ip: ctx.ip,
    });
  });

  it('audits nothing when the read is refused', async () => {
    const { trustId, teamId, coordinator } = await trustWithCoordinator(database.db);
    const clinician = contextOf(await addStaff(database.db, trustId, ['clinician'], teamId));
    const stranger = await trustWithCoordinator(database.db);

    await expect(service.staffMember(clinician, coordinator.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.staffMember(stranger.ctx, coordinator.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await auditActions(coordinator.id)).toEqual([]);
  });
});

describe('changing staff accounts', () => {
  it('changes name, roles, team, caseload and clearance at the version seen, and audits the role change', async () => {
    const { ctx, teamId } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['supervisor']);

    await service.updateStaff(ctx, person.id, 1, {
      fullName: 'Robin Peer',
      roles: ['peer_worker', 'supervisor'],
      crisisTeamId: teamId,
      caseloadLimit: 20,
    });

    expect(await staff.findById(database.db, person.id)).toMatchObject({
      fullName: 'Robin Peer',
      roles: ['peer_worker', 'supervisor'],
      crisisTeamId: teamId,
      caseloadLimit: 20,
      version: 2,
    });
    const [event] = await auditRepository.forEntity(database.db, 'staff', person.id);
    expect(event).toMatchObject({
      action: 'staff.updated',
      detail: { roles: { from: ['supervisor'], to: ['peer_worker', 'supervisor'] } },
    });
  });

  it('refuses a stale edit with a conflict', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['supervisor']);
    const change = {
      fullName: 'New name',
      roles: ['supervisor'] as StaffRole[],
      crisisTeamId: null,
      caseloadLimit: null,
    };
    await service.updateStaff(ctx, person.id, 1, change);

    await expect(
      service.updateStaff(ctx, person.id, 1, { ...change, fullName: 'Older idea' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await staff.findById(database.db, person.id))?.fullName).toBe('New name');
  });

  it('does not let a coordinator remove their own coordinator role', async () => {
    const { ctx, coordinator } = await trustWithCoordinator(database.db);
    const errors = await expectValidation(
      service.updateStaff(ctx, coordinator.id, 1, {
        fullName: coordinator.fullName,
        roles: ['supervisor'],
        crisisTeamId: null,
        caseloadLimit: null,
      }),
    );
    expect(errors).toEqual({ roles: SELF_COORDINATOR_MESSAGE });
    expect((await staff.findById(database.db, coordinator.id))?.roles).toEqual(['coordinator']);
  });

  it('does not remove the peer support worker role while participants are still allocated to them', async () => {
    const { ctx, teamId, coordinator } = await trustWithCoordinator(database.db);
    const worker = await addStaff(database.db, ctx.actor.trustId, ['peer_worker'], teamId);
    const participantId = randomUUID();
    await database.db.insert(participants).values({
      id: participantId,
      trustId: ctx.actor.trustId,
      crisisTeamId: teamId,
      givenName: 'Pat',
      familyName: 'Example',
      dateOfBirth: '1990-01-01',
      contactMethods: ['phone'],
      phone: '01632 960 999',
      mayLeaveMessages: false,
      dischargedOn: '2026-11-20',
      dischargeDestination: 'gp',
      referredBy: coordinator.id,
      referredAt: clock.now(),
      submissionToken: randomUUID(),
    });
    await database.db.insert(allocations).values({
      id: randomUUID(),
      participantId,
      peerWorkerId: worker.id,
      allocatedBy: coordinator.id,
      allocatedAt: clock.now(),
    });

    const errors = await expectValidation(
      service.updateStaff(ctx, worker.id, 1, {
        fullName: worker.fullName,
        roles: ['supervisor'],
        crisisTeamId: null,
        caseloadLimit: null,
      }),
    );
    expect(errors.roles).toMatch(/still support 1 participant/);
    expect((await service.staffMember(ctx, worker.id)).currentCaseload).toBe(1);
  });

  it('does not find another trust’s staff for a coordinator', async () => {
    const { coordinator } = await trustWithCoordinator(database.db);
    const stranger = await trustWithCoordinator(database.db);

    await expect(service.staffMember(stranger.ctx, coordinator.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.disableStaff(stranger.ctx, coordinator.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(credentials.resetAuthenticator(stranger.ctx, coordinator.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(credentials.sendSetUpLink(stranger.ctx, coordinator.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await staff.findById(database.db, coordinator.id))?.disabledAt).toBeNull();
    expect(await auditActions(coordinator.id)).toEqual([]);
  });

  it('refuses a clinician, even for their own account', async () => {
    const { trustId, teamId } = await trustWithCoordinator(database.db);
    const clinicianRow = await addStaff(database.db, trustId, ['clinician'], teamId);
    const clinician = contextOf(clinicianRow);
    await expect(service.staffMember(clinician, clinicianRow.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.endStaffSessions(clinician, clinicianRow.id)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('account actions', () => {
  it('disables an account and ends its sessions in the same change, so the next request is signed out', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['supervisor']);
    const token = await signedInSession(person.id);
    expect(await signInSessions.resolve(token)).toBeDefined();

    await service.disableStaff(ctx, person.id);

    expect(await signInSessions.resolve(token)).toBeUndefined();
    expect((await staff.findById(database.db, person.id))?.disabledAt).toEqual(clock.now());
    const [event] = await auditRepository.forEntity(database.db, 'staff', person.id);
    expect(event).toMatchObject({ action: 'staff.disabled', detail: { sessionsEnded: 1 } });
  });

  it('treats disabling twice (a double click) as done once', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['supervisor']);
    await service.disableStaff(ctx, person.id);
    await service.disableStaff(ctx, person.id);
    expect(await auditActions(person.id)).toEqual(['staff.disabled']);
  });

  it('refuses to let a coordinator disable their own account', async () => {
    const { ctx, coordinator } = await trustWithCoordinator(database.db);
    const token = await signedInSession(coordinator.id);

    const errors = await expectValidation(service.disableStaff(ctx, coordinator.id));
    expect(errors).toEqual({ actions: SELF_DISABLE_MESSAGE });
    expect((await staff.findById(database.db, coordinator.id))?.disabledAt).toBeNull();
    expect(await signInSessions.resolve(token)).toBeDefined();
  });

  it('enables a disabled account again', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['supervisor']);
    await service.disableStaff(ctx, person.id);
    await service.enableStaff(ctx, person.id);

    expect((await staff.findById(database.db, person.id))?.disabledAt).toBeNull();
    expect(await auditActions(person.id)).toEqual(['staff.disabled', 'staff.enabled']);
  });

  it('ends every session of an account without disabling it', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['supervisor']);
    const phone = await signedInSession(person.id);
    const laptop = await signedInSession(person.id);

    await service.endStaffSessions(ctx, person.id);

    expect(await signInSessions.resolve(phone)).toBeUndefined();
    expect(await signInSessions.resolve(laptop)).toBeUndefined();
    expect((await staff.findById(database.db, person.id))?.disabledAt).toBeNull();
    const [event] = await auditRepository.forEntity(database.db, 'staff', person.id);
    expect(event).toMatchObject({ action: 'staff.sessions_ended', detail: { sessionsEnded: 2 } });
  });

  it('resets the authenticator app and the password, signs them out, and emails only them a set-up link', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['supervisor']);
    await staff.enrolTotp(database.db, person.id, 'JBSWY3DPEHPK3PXP', 1, clock.now());
    const token = await signedInSession(person.id);

    expect(await credentials.resetAuthenticator(ctx, person.id)).toBe(true);

    expect(await staff.findById(database.db, person.id)).toMatchObject({
      totpSecret: null,
      totpEnrolledAt: null,
      passwordHash: null,
      temporaryPasswordExpiresAt: null,
    });
    expect(await signInSessions.resolve(token)).toBeUndefined();
    expect(await auditActions(person.id)).toEqual(['staff.mfa_reset', 'staff.set_up_link_sent']);
    const sent = emails.filter((email) => email.to === person.email);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'email', template: 'staff_set_up_link' });
    expect(sent[0]!.personalisation.set_up_link).toMatch(
      /^https:\/\/greenleaf\.example\.nhs\.uk\/account\/set-up\/[\w-]{43}$/,
    );
  });

  it('still resets when the email with the link cannot be sent, says it has not gone, keeps trying and then forgets the link', async () => {
    const failing = new AccountMessages(
      outboxWith({
        send: () => Promise.reject(new Error('GOV.UK Notify is unavailable')),
        deliveryStatus: async () => 'failed',
        findSent: async () => undefined,
      }),
      undefined,
      SILENT_LOG,
    );
    const links = new SetUpLinkRepository();
    const setUpLinks = new SetUpLinkService(
      database.db,
      links,
      staff,
      signInSessions,
      failing,
      audit,
      clock,
      72,
    );
    const unlucky = new StaffCredentialsService(
      database.db,
      staff,
      signInSessions,
      setUpLinks,
      failing,
      audit,
    );
    const { ctx } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['supervisor']);

    expect(await unlucky.resetAuthenticator(ctx, person.id)).toBe(false);
    expect((await staff.findById(database.db, person.id))?.passwordHash).toBeNull();
    expect(await auditActions(person.id)).toEqual(['staff.mfa_reset', 'staff.set_up_link_sent']);
    const queued = () =>
      queryRows<{ state: string; attempts: number; link: string | null }>(
        database,
        sql`SELECT state, attempts, personalisation->>'set_up_link' AS link FROM message_outbox
            WHERE recipient = ${person.email} AND template = 'staff_set_up_link'`,
      );
    const [first] = await queued();
    expect(first).toMatchObject({ state: 'queued', attempts: 1 });
    expect(first?.link).toMatch(/^\/account\/set-up\//);
    for (const minutes of [1, 2]) {
      clock.advance(minutes * MINUTE);
      await failing.sendNow();
    }
    expect(await queued()).toEqual([{ state: 'not_delivered', attempts: 3, link: null }]);
  });

  it('will not reset the sign-in of a disabled account, whose owner could not use the link', async () => {
    const { ctx } = await trustWithCoordinator(database.db);
    const person = await addStaff(database.db, ctx.actor.trustId, ['supervisor']);
    await service.disableStaff(ctx, person.id);
    // One at a time: a second attempt made up front would reject unwatched while the first runs.
    for (const attempt of [
      () => credentials.resetAuthenticator(ctx, person.id),
      () => credentials.sendSetUpLink(ctx, person.id),
    ]) {
      expect(await expectValidation(attempt())).toEqual({ actions: DISABLED_ACCOUNT_MESSAGE });
    }
    expect(await auditActions(person.id)).toEqual(['staff.disabled']);
  });

  it('leaves an audit chain that still verifies after all of the above', async () => {
    expect(await audit.verify(database.db)).toMatchObject({ ok: true });
  });
});
