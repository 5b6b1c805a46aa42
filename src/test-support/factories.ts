/**
 * Small builders for the rows a test needs, written through the service's own repositories into
 * the test app's database, so a test makes its own people and sessions instead of leaning on (or
 * deleting from) the demo data. Each call gives new names, NHS numbers and mobiles; the demo
 * trust, its two crisis teams and its staff (test-app.ts's DEMO) are the setting they join.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_TRUST_ID, testNhsNumber } from '../demo/seed.ts';
import { StaffRepository, type NewStaffUser } from '../organisation/staff.repository.ts';
import { TeamRepository } from '../organisation/team.repository.ts';
import { ParticipantRepository, type NewParticipant } from '../participants/participant.repository.ts';
import { ProgrammeSessionRepository, type NewProgrammeSession } from '../sessions/session.repository.ts';
import { SharingConsentRepository, type SharingConsentChoice } from '../consent/consent.repository.ts';
import { addDays, fromUkWallClock, ukToday } from '../platform/calendar/uk-time.ts';
import { DAY, HOUR } from '../platform/clock.ts';
import type { StaffRole } from '../policy/actor.ts';
import { DEMO, type TestApp } from './test-app.ts';
import { TrainingRepository } from '../workforce/training.repository.ts';
import { loadTrainingCatalogue } from '../workforce/training-catalogue.ts';
import { trainingRows } from '../workforce/full-training.ts';

const staffRepository = new StaffRepository();
const trainingRepository = new TrainingRepository();
const catalogue = loadTrainingCatalogue();
const teamRepository = new TeamRepository();
const participantRepository = new ParticipantRepository();
const sessionRepository = new ProgrammeSessionRepository();
const consentRepository = new SharingConsentRepository();

/** Counts calls in this test file, so every person made is told apart from every other. */
let made = 0;
function next(): number {
  made += 1;
  return made;
}

/** Past the demo's 30 people (numbers 0-29), so a made person never shares their details. */
const FIRST_NUMBER = 1000;

async function staffByEmail(t: TestApp, email: string) {
  const row = await staffRepository.findByEmail(t.database.db, email);
  if (!row) throw new Error(`no staff account ${email}`);
  return row;
}

/** One of a trust's two crisis teams (the demo trust's unless another is given). */
async function teamId(t: TestApp, team: 'north' | 'south', trustId = DEMO_TRUST_ID): Promise<string> {
  const teams = await teamRepository.listForTrust(t.database.db, trustId);
  const found = teams.find((row) => row.name.toLowerCase().startsWith(team));
  if (!found) throw new Error(`no ${team} crisis team`);
  return found.id;
}

export interface ParticipantOptions {
  /** The email of the peer worker they are allocated to; left out, they wait for a worker. */
  worker?: string;
  /** Days before the test clock's UK today that they left the crisis team (default 22). */
  dischargedDaysAgo?: number;
  /** Their crisis team when no worker is given (default north); otherwise the worker's. */
  team?: 'north' | 'south';
  /** Another trust than the demo's (from `aTrust`): their team is that trust's. */
  trust?: MadeTrust;
  /** Whether they have said who sees their plan (default yes, as the demo's people have). */
  planSharingChosen?: boolean;
  /** Any column set as the test needs it (a mobile of null, say). */
  with?: Partial<NewParticipant>;
}

export interface MadeParticipant {
  id: string;
  givenName: string;
  familyName: string;
  mobile: string | null;
  nhsNumber: string | null;
  dischargedOn: string;
  trustId: string;
  crisisTeamId: string;
  /** The allocated worker's id, when there is one. */
  workerId: string | null;
}

/**
 * Someone referred by their crisis team's clinician and, with `worker`, allocated to that worker
 * by the coordinator the day after discharge. Reminders by text between 9 am and 8 pm.
 */
export async function aParticipant(t: TestApp, options: ParticipantOptions = {}): Promise<MadeParticipant> {
  const n = FIRST_NUMBER + next();
  const db = t.database.db;
  const now = t.clock.now();
  const daysAgo = options.dischargedDaysAgo ?? 22;
  const dischargedOn = addDays(ukToday(now), -daysAgo);
  const trustId = options.trust?.id ?? DEMO_TRUST_ID;
  const worker = options.worker ? await staffByEmail(t, options.worker) : undefined;
  const crisisTeamId = worker?.crisisTeamId ?? (await teamId(t, options.team ?? 'north', trustId));
  const clinician = (await staffRepository.listForTrust(db, trustId)).find(
    (s) => s.crisisTeamId === crisisTeamId && s.roles.includes('clinician'),
  );
  const coordinator = await staffByEmail(t, options.trust?.coordinator ?? DEMO.coordinator);
  const referredAt = new Date(now.getTime() - daysAgo * DAY + HOUR);
  const id = randomUUID();
  const row: NewParticipant = {
    id,
    trustId,
    crisisTeamId,
    givenName: 'Robin',
    familyName: `Example-${n}`,
    preferredName: null,
    dateOfBirth: '1988-04-12',
    nhsNumber: testNhsNumber(n),
    email: null,
    mobile: `+4477009${String(n).padStart(5, '0')}`,
    phone: null,
    address: `${n} Example Street, Leeds`,
    postcode: 'LS1 4AP',
    contactMethods: ['sms', 'phone'],
    safeContactTimes: null,
    mayLeaveMessages: true,
    dischargedOn,
    dischargeDestination: 'gp',
    accessibilityNeeds: null,
    safetyInformation: null,
    reminderChannel: 'sms',
    reminderEarliestHour: 9,
    reminderLatestHour: 20,
    referredBy: clinician?.id ?? coordinator.id,
    referredAt,
    planSharingChosenAt: options.planSharingChosen === false ? null : new Date(referredAt.getTime() + HOUR),
    submissionToken: randomUUID(),
    version: 1,
    ...options.with,
  };
  await participantRepository.insert(db, row);
  if (worker) {
    await participantRepository.insertAllocation(db, {
      id: randomUUID(),
      participantId: id,
      peerWorkerId: worker.id,
      allocatedBy: coordinator.id,
      allocatedAt: new Date(now.getTime() - (daysAgo - 1) * DAY),
      reason: null,
      endedAt: null,
      endedBy: null,
    });
  }
  return {
    id,
    givenName: row.givenName,
    familyName: row.familyName,
    mobile: row.mobile ?? null,
    nhsNumber: row.nhsNumber ?? null,
    dischargedOn,
    trustId,
    crisisTeamId,
    workerId: worker?.id ?? null,
  };
}

/**
 * One participant for each of these discharge ages (days before the test clock's today), made
 * in that order and otherwise alike: the people a test file works through.
 */
export async function participantsDischarged(
  t: TestApp,
  dischargedDaysAgo: number[],
  options: Omit<ParticipantOptions, 'dischargedDaysAgo'> = {},
): Promise<MadeParticipant[]> {
  const made: MadeParticipant[] = [];
  for (const days of dischargedDaysAgo)
    made.push(await aParticipant(t, { ...options, dischargedDaysAgo: days }));
  return made;
}

export interface SessionOptions {
  /** The worker's email (default the participant's allocated worker). */
  worker?: string;
  /** UK date of the session (default tomorrow, by the test clock). */
  on?: string;
  /** UK wall-clock hour and minute (default 10:00). */
  at?: [hour: number, minute: number];
  /**
   * What happened: `attended` fills in a 45-minute session working on "moving on"; any other
   * status than `planned` is recorded with the reason "unwell". Recorded by the worker 3 hours on.
   */
  status?: NewProgrammeSession['status'];
  /** Any column set as the test needs it. */
  with?: Partial<NewProgrammeSession>;
}

/** A session booked by the participant's worker a day before it (or just now, if that is sooner). */
export async function aSession(
  t: TestApp,
  participant: Pick<MadeParticipant, 'id' | 'workerId'>,
  options: SessionOptions = {},
): Promise<{ id: string; plannedAt: Date }> {
  const workerId = options.worker ? (await staffByEmail(t, options.worker)).id : participant.workerId;
  if (!workerId) throw new Error('a session needs a worker: allocate the participant or name one');
  const now = t.clock.now();
  const [hour, minute] = options.at ?? [10, 0];
  const plannedAt = fromUkWallClock(options.on ?? addDays(ukToday(now), 1), hour, minute);
  const status = options.status ?? 'planned';
  const recorded =
    status === 'planned'
      ? {}
      : {
          recordedBy: workerId,
          recordedAt: new Date(plannedAt.getTime() + 3 * HOUR),
          ...(status === 'attended'
            ? { durationMinutes: 45, sections: ['moving_on'], storySharing: false }
            : { statusReason: 'unwell' }),
        };
  const id = randomUUID();
  await sessionRepository.insert(t.database.db, {
    id,
    participantId: participant.id,
    peerWorkerId: workerId,
    bookedBy: workerId,
    bookedAt: new Date(Math.min(now.getTime(), plannedAt.getTime() - DAY)),
    plannedAt,
    mode: 'phone',
    place: null,
    status,
    submissionToken: randomUUID(),
    version: 1,
    ...recorded,
    ...options.with,
  });
  return { id, plannedAt };
}

/**
 * The participant's answer about sharing information with their care team (yes by default),
 * recorded just now by their worker: the answer in force until a later one.
 */
export async function aSharingConsent(
  t: TestApp,
  participant: Pick<MadeParticipant, 'id' | 'workerId'>,
  consent: SharingConsentChoice = 'yes',
): Promise<void> {
  if (!participant.workerId)
    throw new Error('a consent is recorded by their worker: allocate the participant');
  await consentRepository.insert(t.database.db, {
    id: randomUUID(),
    participantId: participant.id,
    consent,
    scope: null,
    recordedBy: participant.workerId,
    recordedAt: t.clock.now(),
    submissionToken: randomUUID(),
  });
}

export interface WorkerOptions {
  team?: 'north' | 'south';
  /** Another trust than the demo's (from `aTrust`). */
  trust?: Pick<MadeTrust, 'id'>;
  roles?: StaffRole[];
  /**
   * May take participants (default yes, for a peer support worker): every training item and
   * pre-employment check recorded as done 30 days ago. No: nothing recorded.
   */
  cleared?: boolean;
  caseloadLimit?: number;
  with?: Partial<NewStaffUser>;
}

/**
 * A staff account in the demo trust (a trained peer worker on the north team by default), with
 * no password: tests sign in as it with `t.signedInAs(email)`.
 */
export async function aWorker(
  t: TestApp,
  options: WorkerOptions = {},
): Promise<{ id: string; email: string; fullName: string }> {
  const n = FIRST_NUMBER + next();
  const id = randomUUID();
  const email = `worker.${n}.${id.slice(0, 6)}@demo.greenleaf.nhs.uk`;
  const fullName = `Alex Worker-${n}`;
  await staffRepository.insert(t.database.db, {
    id,
    trustId: options.trust?.id ?? DEMO_TRUST_ID,
    crisisTeamId: await teamId(t, options.team ?? 'north', options.trust?.id),
    email,
    fullName,
    roles: options.roles ?? ['peer_worker'],
    passwordHash: null,
    caseloadLimit: options.caseloadLimit ?? 12,
    ...options.with,
  });
  const roles = options.with?.roles ?? options.roles ?? ['peer_worker'];
  if ((options.cleared ?? true) && roles.includes('peer_worker')) {
    await trainWorker(t, { id, trustId: options.trust?.id ?? DEMO_TRUST_ID });
  }
  return { id, email, fullName };
}

/** Records every training item and check of a worker as done 30 days ago (by themselves, for brevity). */
export async function trainWorker(t: TestApp, worker: { id: string; trustId?: string }): Promise<void> {
  const done = addDays(ukToday(t.clock.now()), -30);
  const { records, checks } = trainingRows(catalogue, {
    trustId: worker.trustId ?? DEMO_TRUST_ID,
    staffId: worker.id,
    recordedBy: worker.id,
    recordedAt: t.clock.now(),
    doneOn: () => done,
    checksOn: () => done,
  });
  await trainingRepository.insertMany(t.database.db, records, checks);
}

export interface MadeTrust {
  id: string;
  /** Its crisis teams' ids, named as the demo trust's are ("North crisis resolution team"). */
  north: string;
  south: string;
  /** Its staff's emails: sign in as them with `t.signedInAs`. */
  coordinator: string;
  supervisorNorth: string;
  supervisorSouth: string;
  worker: string;
}

/**
 * A trust of its own beside the demo's, for a test that counts everything in a trust (the
 * concerns overview, say): two crisis teams, a coordinator, a supervisor for each team and a
 * cleared peer worker on the North team. Nothing else is in it until the test puts it there.
 */
export async function aTrust(t: TestApp): Promise<MadeTrust> {
  const n = FIRST_NUMBER + next();
  const db = t.database.db;
  const id = randomUUID();
  await teamRepository.insertTrust(db, { id, name: `Example NHS Trust ${n}`, odsCode: `T${n}` });
  const north = randomUUID();
  const south = randomUUID();
  await teamRepository.insert(db, {
    id: north,
    trustId: id,
    name: 'North crisis resolution team',
    phone: '0113 496 0100',
  });
  await teamRepository.insert(db, {
    id: south,
    trustId: id,
    name: 'South crisis resolution team',
    phone: '0113 496 0199',
  });
  const trust = { id };
  const staffMember = async (options: WorkerOptions) => (await aWorker(t, { trust, ...options })).email;
  return {
    id,
    north,
    south,
    coordinator: await staffMember({ roles: ['coordinator'], cleared: false, with: { crisisTeamId: null } }),
    supervisorNorth: await staffMember({ roles: ['supervisor'], cleared: false }),
    supervisorSouth: await staffMember({ roles: ['supervisor'], team: 'south', cleared: false }),
    worker: await staffMember({}),
  };
}
