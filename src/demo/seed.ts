/**
 * Realistic made-up data for demos and local use: one trust with two crisis teams, its
 * staff in every role, and about 30 participants at different points of the programme.
 * NHS numbers come from the 999 range (valid check digits, never issued to anyone).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { ManualClock } from '../platform/clock.ts';
import { hashPassword } from '../identity/password.ts';
import { TeamRepository } from '../organisation/team.repository.ts';
import { DemoDataRepository } from './demo-data.repository.ts';
import { StaffRepository } from '../organisation/staff.repository.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';
import type { StaffRole } from '../policy/actor.ts';
import { parseNhsNumber } from '../participants/nhs-number.ts';
import { ProgrammeSessionRepository } from '../sessions/session.repository.ts';
import { loadPlanTemplates } from '../plan/plan-template.ts';
import { PlanRepository } from '../plan/plan.repository.ts';
import { PlanAccess } from '../plan/plan-access.ts';
import { PlanDocumentsService } from '../plan/plan-documents.service.ts';
import { seedDemoPlans } from '../plan/demo-plans.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { AuditService } from '../audit/audit.service.ts';
import { AuditKey } from '../audit/audit-key.ts';
import { seedDemoEndings } from '../endings/demo-endings.ts';
import { seedDemoFeedback } from '../feedback/demo-feedback.ts';
import { seedDemoReminders } from '../reminders/demo-reminders.ts';
import { seedDemoConcerns } from '../concerns/demo-concerns.ts';
import { seedDemoUndeliveredMessages } from '../messages/demo-undelivered.ts';
import { TrainingRepository } from '../workforce/training.repository.ts';
import { loadTrainingCatalogue } from '../workforce/training-catalogue.ts';
import { seedDemoTraining } from '../workforce/demo-training.ts';
import { WellbeingRepository } from '../workforce/wellbeing.repository.ts';
import { SupervisionRepository } from '../workforce/supervision.repository.ts';
import { seedDemoSupervision } from '../workforce/demo-supervision.ts';
import { PeerSupportRepository } from '../workforce/peer-support.repository.ts';
import { AppointmentRepository } from '../workforce/appointment.repository.ts';
import { loadAppointmentCriteria } from '../workforce/appointment-criteria.ts';
import { seedDemoAppointments } from '../workforce/demo-appointments.ts';
import { ContactAttemptRepository } from '../contact/contact-attempt.repository.ts';
import { EqualityRepository } from '../equality/equality.repository.ts';
import { seedDemoEquality, type ReferredDemoParticipant } from '../equality/demo-equality.ts';
import {
  DAY,
  DEMO_SESSION_CAP,
  isoDaysAgo,
  seedDemoContactAttempts,
  seedDemoSessions,
  type AllocatedDemoParticipant,
} from './demo-programme.ts';

export const DEMO_PASSWORD = 'greenleaf-demo-2026';

export interface SeededStaff {
  email: string;
  fullName: string;
  roles: StaffRole[];
}

/** The n-th valid NHS number in the 999 test range. */
export function testNhsNumber(n: number): string {
  for (let candidate = 9_990_000_000 + n * 100; ; candidate++) {
    const digits = String(candidate);
    if (parseNhsNumber(digits)) return digits;
  }
}

/** Made-up names for demo and benchmark people. */
export const GIVEN_NAMES = [
  'Sam',
  'Priya',
  'Tom',
  'Aisha',
  'Dan',
  'Grace',
  'Kwame',
  'Lucy',
  'Mohammed',
  'Niamh',
  'Olu',
  'Rosie',
  'Jack',
  'Zara',
  'Ewan',
  'Hannah',
  'Ifeoma',
  'Liam',
  'Megan',
  'Tariq',
  'Chloe',
  'Femi',
  'Bethan',
  'Ravi',
  'Sian',
  'Connor',
  'Amara',
  'Josh',
  'Leah',
  'Marek',
];
export const FAMILY_NAMES = [
  'Taylor',
  'Shah',
  'Evans',
  'Khan',
  'Hughes',
  'Okafor',
  'Mensah',
  'Wright',
  'Ali',
  "O'Brien",
  'Adeyemi',
  'Clarke',
  'Murphy',
  'Hussain',
  'Fraser',
  'Lewis',
  'Nwosu',
  'Walsh',
  'Price',
  'Iqbal',
  'Bennett',
  'Ogunleye',
  'Morgan',
  'Patel',
  'Jones',
  'Doyle',
  'Bello',
  'Hall',
  'Cooper',
  'Nowak',
];

/** Any of it: the demo trust, or an account at the demo email domain. */
export async function demoDataPresent(db: Db): Promise<boolean> {
  return new DemoDataRepository().present(db, DEMO_TRUST_ID);
}

export const DEMO_TRUST_ID = '6f1c5a4e-2b1d-4c53-9a3e-0d7a1e5b9c01';

export async function seedDemoData(db: Db, now: Date): Promise<SeededStaff[]> {
  const teams = new TeamRepository();
  const staff = new StaffRepository();
  const participants = new ParticipantRepository();
  const programmeSessions = new ProgrammeSessionRepository();
  const contactAttempts = new ContactAttemptRepository();
  // The plan template on disk, as a deployment with no sections switched on or off has it.
  const planTemplates = loadPlanTemplates();
  const planRepository = new PlanRepository();
  // Only its reading of goals is used here (endings' summaries); nothing is written through it,
  // so its audit key is a throwaway (anything signed with it would fail `npm run audit:verify`).
  const plan = new PlanDocumentsService(
    db,
    new PlanAccess(
      participants,
      planRepository,
      new AuditService(new AuditRepository(), new ManualClock(now), AuditKey.generate()),
      new ManualClock(now),
      planTemplates,
    ),
    planRepository,
    new ManualClock(now),
  );
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded: SeededStaff[] = [];

  await db.transaction(async (tx) => {
    await teams.insertTrust(tx, {
      id: DEMO_TRUST_ID,
      name: 'Northfield NHS Foundation Trust (demo)',
      odsCode: 'DEMO1',
    });
    const north = randomUUID();
    const south = randomUUID();
    await teams.insert(tx, {
      id: north,
      trustId: DEMO_TRUST_ID,
      name: 'North crisis resolution team',
      phone: '0113 496 0000',
    });
    await teams.insert(tx, {
      id: south,
      trustId: DEMO_TRUST_ID,
      name: 'South crisis resolution team',
      phone: '0113 496 0999',
    });

    const addStaff = async (
      fullName: string,
      email: string,
      roles: StaffRole[],
      team: string | null,
      extra: { limit?: number } = {},
    ) => {
      const id = randomUUID();
      await staff.insert(tx, {
        id,
        trustId: DEMO_TRUST_ID,
        crisisTeamId: team,
        email,
        fullName,
        roles,
        passwordHash,
        caseloadLimit: extra.limit ?? 12,
      });
      seeded.push({ email, fullName, roles });
      return id;
    };

    const coordinator = await addStaff(
      'Carol Coordinator',
      'coordinator@demo.greenleaf.nhs.uk',
      ['coordinator'],
      null,
    );
    const supervisorNorth = await addStaff(
      'Sunita Supervisor',
      'supervisor.north@demo.greenleaf.nhs.uk',
      ['supervisor'],
      north,
    );
    const steve = await addStaff(
      'Steve Supervisor',
      'supervisor.south@demo.greenleaf.nhs.uk',
      ['supervisor', 'peer_worker'],
      south,
      { limit: 6 },
    );
    const workers = [
      await addStaff('Pat Peer', 'psw.pat@demo.greenleaf.nhs.uk', ['peer_worker'], north),
      await addStaff('Rob Reyes', 'psw.rob@demo.greenleaf.nhs.uk', ['peer_worker'], north),
      await addStaff('Jess Jones', 'psw.jess@demo.greenleaf.nhs.uk', ['peer_worker'], south, { limit: 8 }),
      await addStaff('Kim Kaur', 'psw.kim@demo.greenleaf.nhs.uk', ['peer_worker'], south, { limit: 7 }),
    ];
    const nat = await addStaff('Nat Newstart', 'psw.nat@demo.greenleaf.nhs.uk', ['peer_worker'], north);
    const [pat = '', rob = '', jess = '', kim = ''] = workers;
    // Named supervisors: Sunita for the North team's workers and for Steve; Steve for the South's.
    const training = new TrainingRepository();
    for (const [worker, named] of [
      [pat, supervisorNorth],
      [rob, supervisorNorth],
      [nat, supervisorNorth],
      [steve, supervisorNorth],
      [jess, steve],
      [kim, steve],
    ] as const) {
      await training.setSupervisor(tx, worker, named);
    }
    await seedDemoSupervision(
      tx,
      new SupervisionRepository(),
      { trustId: DEMO_TRUST_ID, sunita: supervisorNorth, steve, pat, rob, jess, kim, nat },
      now,
    );
    await seedDemoAppointments(
      tx,
      new AppointmentRepository(),
      loadAppointmentCriteria(),
      { trustId: DEMO_TRUST_ID, teamId: north, carol: coordinator, sunita: supervisorNorth, pat },
      now,
    );
    // Pat and Kim are experienced peer workers; Nat, new, asked for support yesterday and
    // nobody has taken it yet.
    const peerSupport = new PeerSupportRepository();
    await peerSupport.setExperienced(tx, pat, true);
    await peerSupport.setExperienced(tx, kim, true);
    await peerSupport.insert(tx, {
      id: randomUUID(),
      trustId: DEMO_TRUST_ID,
      requesterId: nat,
      topic: 'sharing_my_story',
      topicText: null,
      neededBy: 'this_week',
      raisedAt: new Date(now.getTime() - 86_400_000),
      takenBy: null,
      takenAt: null,
      closedAt: null,
      closedBy: null,
      surfacedAt: null,
      submissionToken: randomUUID(),
      version: 1,
    });
    // Jess asked Steve, her supervisor, for support after a hard session two days ago.
    await new WellbeingRepository().insert(tx, {
      id: randomUUID(),
      trustId: DEMO_TRUST_ID,
      staffId: jess,
      crisisTeamId: south,
      afterSession: true,
      note: 'A session about a bereavement brought back my own. I would like to talk it through.',
      supervisorIds: [steve],
      raisedAt: new Date(now.getTime() - 2 * 86_400_000),
      acknowledgedAt: null,
      acknowledgedBy: null,
      submissionToken: randomUUID(),
    });
    await seedDemoTraining(
      tx,
      training,
      loadTrainingCatalogue(),
      {
        trustId: DEMO_TRUST_ID,
        coordinator,
        supervisor: supervisorNorth,
        trained: [
          { id: pat, name: 'Pat' },
          { id: rob, name: 'Rob' },
          { id: jess, name: 'Jess' },
          { id: kim, name: 'Kim' },
          { id: steve, name: 'Steve' },
        ],
        newStarter: nat,
      },
      now,
    );
    const clinicianNorth = await addStaff(
      'Dr Clare Clinician',
      'clinician.north@demo.greenleaf.nhs.uk',
      ['clinician'],
      north,
    );
    const clinicianNorth2 = await addStaff(
      'Nurse Chidi Obi',
      'clinician.north2@demo.greenleaf.nhs.uk',
      ['clinician'],
      north,
    );
    const clinicianSouth = await addStaff(
      'Sally Social-Worker',
      'clinician.south@demo.greenleaf.nhs.uk',
      ['clinician'],
      south,
    );
    await addStaff('Tara Trial-Manager', 'trial.manager@demo.greenleaf.nhs.uk', ['trial_manager'], null);
    await addStaff('Oscar Outcome-Assessor', 'assessor@demo.greenleaf.nhs.uk', ['outcome_assessor'], null);
    await addStaff('Ana Analyst', 'analyst@demo.greenleaf.nhs.uk', ['analyst'], null);
    await addStaff('Stan Statistician', 'statistician@demo.greenleaf.nhs.uk', ['statistician'], null);

    // 30 people discharged over the last ~4 months. The newest few wait for a worker; the
    // rest are spread over the trained workers, Kim up to her limit of 7.
    const allocated: AllocatedDemoParticipant[] = [];
    const referred: ReferredDemoParticipant[] = [];
    const assignments = [0, 1, 2, 3, 3, 0, 1, 2, 3, 3, 0, 1, 2, 3, 3, 0, 1, 2, 3, 0, 1, 2, 0, 1, 2];
    for (const [i, givenName] of GIVEN_NAMES.entries()) {
      const familyName = FAMILY_NAMES[i % FAMILY_NAMES.length] ?? 'Example';
      const team = i % 3 === 2 ? south : north;
      const id = randomUUID();
      const daysAgo = 2 + i * 4;
      const hasMobile = i % 5 !== 4;
      const referredBy = team === north ? (i % 2 === 0 ? clinicianNorth : clinicianNorth2) : clinicianSouth;
      const referredAt = new Date(now.getTime() - daysAgo * DAY + 3_600_000);
      referred.push({ index: i, participantId: id, trustId: DEMO_TRUST_ID, referredBy, referredAt });
      await participants.insert(tx, {
        id,
        trustId: DEMO_TRUST_ID,
        crisisTeamId: team,
        givenName,
        familyName,
        preferredName: i % 7 === 3 ? givenName.slice(0, 3) : null,
        dateOfBirth: `${1960 + ((i * 7) % 45)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
        nhsNumber: i % 4 === 3 ? null : testNhsNumber(i),
        email: i % 3 === 0 ? `${givenName.toLowerCase()}.${i}@example.com` : null,
        mobile: hasMobile ? `+4477009${String(i).padStart(5, '0')}` : null,
        phone: hasMobile ? null : `0113496${String(i).padStart(4, '0')}`,
        address: i % 9 === 8 ? null : `${i + 1} Example Street, Leeds`,
        postcode: i % 9 === 8 ? null : 'LS1 4AP',
        contactMethods: hasMobile ? ['sms', 'phone'] : ['phone', ...(i % 3 === 0 ? ['email'] : [])],
        safeContactTimes: i % 4 === 0 ? 'Weekdays after 2pm' : null,
        mayLeaveMessages: i % 2 === 0,
        dischargedOn: isoDaysAgo(now, daysAgo),
        dischargeDestination: i % 3 === 0 ? 'gp' : 'cmht',
        accessibilityNeeds: i % 6 === 1 ? 'Prefers information read aloud; dyslexia' : null,
        safetyInformation: i % 8 === 5 ? 'Dog at home: meet in a public place' : null,
        // Reminders as their contact preferences suggest; a few chose none, some afternoons only.
        reminderChannel: i % 11 === 7 ? 'none' : hasMobile ? 'sms' : i % 3 === 0 ? 'email' : 'none',
        reminderEarliestHour: i % 4 === 0 ? 14 : 9,
        reminderLatestHour: i % 5 === 1 ? 18 : 20,
        referredBy,
        referredAt,
        // The demo's people have been in the programme a while: they have said who sees their plan.
        planSharingChosenAt: new Date(now.getTime() - daysAgo * DAY + 2 * 3_600_000),
        submissionToken: randomUUID(),
        version: 1,
      });
      const worker = workers[assignments[i - 5] ?? -1];
      if (worker) {
        const allocatedAt = new Date(now.getTime() - (daysAgo - 1) * DAY);
        allocated.push({
          index: i,
          participantId: id,
          workerId: worker,
          dischargedOn: isoDaysAgo(now, daysAgo),
          allocatedAt,
        });
        await participants.insertAllocation(tx, {
          id: randomUUID(),
          participantId: id,
          peerWorkerId: worker,
          allocatedBy: coordinator,
          allocatedAt,
          reason: null,
          endedAt: null,
          endedBy: null,
        });
      }
    }
    await seedDemoEquality(tx, new EqualityRepository(), referred);
    // Everyone allocated but the most recent (still arranging a first meeting) has sessions.
    const sectionKeys = planTemplates.enabledSections.map((section) => section.key);
    for (const person of allocated.slice(1))
      await seedDemoSessions(tx, programmeSessions, person, now, sectionKeys);
    await seedDemoPlans(tx, planRepository, planTemplates, allocated, now);
    await seedDemoEndings(tx, allocated, DEMO_SESSION_CAP, plan);
    await seedDemoFeedback(
      tx,
      {
        trustId: DEMO_TRUST_ID,
        teams: { north, south },
        workers: { north: [pat, rob], south: [jess, kim] },
        clinicians: { north: clinicianNorth, south: clinicianSouth },
        coordinator,
        templates: planTemplates,
      },
      now,
    );
    await seedDemoContactAttempts(tx, contactAttempts, allocated, now);
    await seedDemoReminders(tx, now);
    await seedDemoConcerns(
      tx,
      allocated,
      { northTeamId: north, clinicianId: clinicianNorth, workerIds: workers.slice(0, 2) },
      now,
    );
    await seedDemoUndeliveredMessages(tx, DEMO_TRUST_ID, now);
  });
  return seeded;
}
