import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { saveAtOnce } from '../test-support/at-once.ts';
import { parseNhsNumber } from '../participants/nhs-number.ts';

let t: TestApp;
let clinician: TestClient;
let northTeamId: string;
beforeAll(async () => {
  t = await createTestApp();
  clinician = await t.signedInAs(DEMO.clinicianNorth);
  const page = await clinician.get('/referrals/new');
  northTeamId = /name="crisisTeamId" type="radio" value="([0-9a-f-]{36})" checked/.exec(page.body)?.[1] ?? '';
});
afterAll(async () => {
  await t.close();
});

// Each referral its own mobile and email, above the seeded participants' (07700 900000–029).
let nextContact = 100;

function validForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const n = nextContact++;
  return {
    submissionToken: randomUUID(),
    givenName: 'Robin',
    familyName: 'Referral',
    preferredName: 'Rob',
    'dateOfBirth[day]': '15',
    'dateOfBirth[month]': '3',
    'dateOfBirth[year]': '1984',
    nhsNumber: '943 476 5919',
    mobile: `07700 900 ${String(n)}`,
    phone: '',
    email: `Robin.${String(n)}@Example.com`,
    address: '1 Test Street, Leeds',
    postcode: 'ls1 4ap',
    contactMethods: ['sms', 'email'],
    safeContactTimes: 'After 2pm',
    mayLeaveMessages: 'no',
    crisisTeamId: northTeamId,
    'dischargedOn[day]': '24',
    'dischargedOn[month]': '11',
    'dischargedOn[year]': '2026',
    dischargeDestination: 'cmht',
    gpPracticeName: '',
    gpPracticeEmail: '',
    careCoordinatorName: '',
    careCoordinatorEmail: '',
    accessibilityNeeds: '',
    safetyInformation: 'Meet in a public place',
    ...overrides,
  };
}

const countParticipants = async () =>
  await count(t.database, sql`SELECT count(*)::int AS n FROM participants`);

describe('referral at discharge', () => {
  it('posts exactly the fields the page shows, so what a browser sends is what these tests send', async () => {
    const page = await clinician.get('/referrals/new');
    const names = new Set([...page.body.matchAll(/name="([^"]+)"/g)].map((m) => m[1]));
    for (const field of Object.keys(validForm())) expect(names, field).toContain(field);
  });

  it('saves a valid referral with normalised details, audited, and shows the participant', async () => {
    const before = await countParticipants();
    const response = await clinician.post(
      '/referrals',
      validForm({ mobile: '07700 900 982', email: 'Robin@Example.com' }),
    );
    expect(response.statusCode).toBe(303);
    const location = response.headers.location!;
    expect(location).toMatch(/^\/participants\/[0-9a-f-]{36}\?done=referred$/);
    expect(await countParticipants()).toBe(before + 1);
    const id = location.split('/')[2]!.split('?')[0]!;
    const [row] = await queryRows<Record<string, unknown>>(
      t.database,
      sql`SELECT nhs_number, mobile, email, postcode, contact_methods, may_leave_messages, discharged_on::text FROM participants WHERE id = ${id}`,
    );
    expect(row).toMatchObject({
      nhs_number: '9434765919',
      mobile: '+447700900982',
      email: 'robin@example.com',
      postcode: 'LS1 4AP',
      may_leave_messages: false,
      discharged_on: '2026-11-24',
    });
    const audit = await queryRows(
      t.database,
      sql`SELECT 1 FROM audit_events WHERE action = 'participant.referred' AND entity_id = ${id}`,
    );
    expect(audit).toHaveLength(1);
    const summary = await clinician.get(location);
    expect(summary.body).toContain('Referral sent');
    expect(summary.body).toContain('943 476 5919');
  });

  it('records their GP practice and care coordinator at secure NHS addresses, shown on their page', async () => {
    const response = await clinician.post(
      '/referrals',
      validForm({
        familyName: 'CareTeam',
        nhsNumber: '',
        gpPracticeName: 'Beeston Village Surgery',
        gpPracticeEmail: ' Beeston.Surgery@NHS.net ',
        careCoordinatorName: 'Chris Coordinator',
        careCoordinatorEmail: 'chris.coordinator@leedsandyorkpft.nhs.uk',
      }),
    );
    expect(response.statusCode).toBe(303);
    const id = response.headers.location!.split('/')[2]!.split('?')[0]!;
    const [row] = await queryRows<Record<string, unknown>>(
      t.database,
      sql`SELECT gp_practice_name, gp_practice_email, care_coordinator_name, care_coordinator_email FROM participants WHERE id = ${id}`,
    );
    expect(row).toEqual({
      gp_practice_name: 'Beeston Village Surgery',
      gp_practice_email: 'beeston.surgery@nhs.net',
      care_coordinator_name: 'Chris Coordinator',
      care_coordinator_email: 'chris.coordinator@leedsandyorkpft.nhs.uk',
    });
    const summary = await clinician.get(response.headers.location!);
    expect(summary.body).toContain('Beeston Village Surgery<br>beeston.surgery@nhs.net');
    expect(summary.body).toContain('Chris Coordinator<br>chris.coordinator@leedsandyorkpft.nhs.uk');
  });

  it('takes a GP practice or care coordinator email only at a secure NHS address', async () => {
    const response = await clinician.post(
      '/referrals',
      validForm({ nhsNumber: '', gpPracticeEmail: 'surgery@gmail.com', careCoordinatorEmail: 'not an email' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter a secure NHS email address, ending in @nhs.net or .nhs.uk');
    expect(response.body).toContain('Enter an email address in the correct format, like name@nhs.net');
    expect(response.body).toContain('href="#gpPracticeEmail"');
    expect(response.body).toContain('href="#careCoordinatorEmail"');
  });

  it('shows an NHS number example that passes the check digit', async () => {
    const page = await clinician.get('/referrals/new');
    const example = /10 digits, for example (\d{3} \d{3} \d{4})/.exec(page.body)?.[1];
    expect(example).toBeDefined();
    expect(parseNhsNumber(example!)).toBe(example!.replace(/ /g, ''));
  });

  it('refuses anyone under 18, the programme being for adults', async () => {
    // TEST_NOW is in late November 2026: 17 years old today, 18 on 1 January 2027.
    const response = await clinician.post(
      '/referrals',
      validForm({ familyName: 'Seventeen', nhsNumber: '', 'dateOfBirth[day]': '1', 'dateOfBirth[month]': '1', 'dateOfBirth[year]': '2009' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('They must be 18 or older to be referred');
    const adult = await clinician.post(
      '/referrals',
      validForm({ familyName: 'Eighteen', nhsNumber: '', 'dateOfBirth[day]': '1', 'dateOfBirth[month]': '11', 'dateOfBirth[year]': '2008' }),
    );
    expect(adult.statusCode).toBe(303);
  });

  it('creates one referral when the same form is submitted twice', async () => {
    const form = validForm({ familyName: 'Twice', nhsNumber: '' });
    const first = await clinician.post('/referrals', form);
    const second = await clinician.post('/referrals', form);
    expect(second.headers.location).toBe(first.headers.location);
    const rows = await queryRows(t.database, sql`SELECT 1 FROM participants WHERE family_name = 'Twice'`);
    expect(rows).toHaveLength(1);
  });

  it('shows every problem in the error summary and saves nothing', async () => {
    const before = await countParticipants();
    const response = await clinician.post('/referrals', { submissionToken: randomUUID() });
    expect(response.statusCode).toBe(400);
    for (const message of [
      'Enter their first name',
      'Enter their last name',
      'Enter their date of birth',
      'Select how they would like to be contacted',
      'Select yes if we may leave messages',
      'Select the crisis team that is discharging them',
      'Enter the discharge date',
      'Select where their care goes after discharge',
    ]) {
      expect(response.body).toContain(message);
    }
    expect(response.body).toContain('href="#dateOfBirth-day"');
    expect(response.body).toContain('<title>Error: ');
    expect(await countParticipants()).toBe(before);
  });

  it('explains a wrong NHS number, an impossible date and missing contact details', async () => {
    const response = await clinician.post(
      '/referrals',
      validForm({
        nhsNumber: '943 476 5918',
        'dateOfBirth[day]': '31',
        'dateOfBirth[month]': '2',
        mobile: '',
        contactMethods: 'sms',
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter a valid NHS number');
    expect(response.body).toContain('Date of birth must be a real date');
    expect(response.body).toContain('Enter a mobile number, as they chose text messages');
    // What was typed is kept.
    expect(response.body).toContain('value="Robin"');
  });

  it('refuses a discharge date in the future', async () => {
    const response = await clinician.post(
      '/referrals',
      validForm({ 'dischargedOn[day]': '1', 'dischargedOn[month]': '12' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Discharge date must be today or in the past');
  });

  it('refuses a second referral with the same NHS number', async () => {
    const response = await clinician.post('/referrals', validForm({ familyName: 'Again' }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Someone with this NHS number has already been referred');
  });

  it('will not refer into another crisis team', async () => {
    const south = await t.signedInAs(DEMO.clinicianSouth);
    await south.get('/referrals/new');
    const response = await south.post('/referrals', validForm({ familyName: 'WrongTeam', nhsNumber: '' }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select the crisis team that is discharging them');
    expect(
      await queryRows(t.database, sql`SELECT 1 FROM participants WHERE family_name = 'WrongTeam'`),
    ).toHaveLength(0);
  });

  it('answers any hostile or malformed form with a 4xx or a saved referral, never a 500', async () => {
    const field = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '',
        ' ',
        '<script>alert(1)</script>',
        "'; DROP TABLE participants; --",
        '\u0000',
        '9'.repeat(3000),
        '🙂',
        '=1+1',
      ),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    );
    const keys = Object.keys(validForm());
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...keys, 'unexpected'), field, { maxKeys: 8 }),
        fc.boolean(),
        async (changes, base) => {
          const before = await countParticipants();
          const form = base
            ? validForm({ ...changes, nhsNumber: '', submissionToken: randomUUID() })
            : { submissionToken: randomUUID(), ...changes };
          const response = await clinician.post('/referrals', form);
          expect([303, 400, 413]).toContain(response.statusCode);
          expect(await countParticipants()).toBe(response.statusCode === 303 ? before + 1 : before);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('two referrals of one person at the same moment', () => {
  it('save one and tell the other the NHS number is already referred, never a server error', async () => {
    const referrers = [clinician, await t.signedInAs(DEMO.clinicianNorth)];
    await Promise.all(referrers.map((referrer) => referrer.get('/referrals/new')));
    for (const nhsNumber of ['943 476 6001', '943 476 6028', '943 476 6036']) {
      const before = await countParticipants();
      const race = await saveAtOnce(
        referrers.map(
          (referrer) => () => referrer.post('/referrals', validForm({ familyName: 'Atonce', nhsNumber })),
        ),
      );
      expect(race.statuses, race.said).toEqual([303, 400]);
      expect(race.loser?.body).toContain('Someone with this NHS number has already been referred');
      expect(await countParticipants()).toBe(before + 1);
    }
  });

  it('save one referral when the same form is sent twice at once (a double click)', async () => {
    for (let round = 0; round < 3; round++) {
      await clinician.get('/referrals/new');
      const form = validForm({ familyName: 'Doubleclick', nhsNumber: '' });
      const before = await countParticipants();
      const race = await saveAtOnce([
        () => clinician.post('/referrals', form),
        () => clinician.post('/referrals', form),
      ]);
      expect(race.statuses, race.said).toEqual([303, 303]);
      expect(await countParticipants()).toBe(before + 1);
    }
  });
});

describe('a referral whose mobile or email another participant already has', () => {
  // Seeded participant #1 (Priya Shah) has the mobile +447700900001; #3 (Aisha) the email aisha.3@example.com.
  const PRIYAS_MOBILE = '07700 900001';

  const audits = (action: string) =>
    count(t.database, sql`SELECT count(*)::int AS n FROM audit_events WHERE action = ${action}`);

  it('is not saved: the referrer is asked whether it is the same person, without being told who', async () => {
    const before = await countParticipants();
    const form = validForm({ familyName: 'Sharing', nhsNumber: '', mobile: PRIYAS_MOBILE });
    const response = await clinician.post('/referrals', form);
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('This mobile number belongs to someone already in Greenleaf');
    expect(response.body).toContain('07700 900001');
    expect(response.body).toContain('Is Robin Sharing the same person?');
    expect(response.body).not.toContain('Priya');
    expect(response.body).not.toContain('Shah');
    expect(await countParticipants()).toBe(before);
    // Everything typed travels with the question, so nothing is asked twice.
    for (const [field, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        expect(response.body, field).toContain(`name="${field}" value="${v}"`);
      }
    }
  });

  it('asks about an email address too, whatever its capitals', async () => {
    const response = await clinician.post(
      '/referrals',
      validForm({ familyName: 'Emailshare', nhsNumber: '', email: 'Aisha.3@Example.com' }),
    );
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('This email address belongs to someone already in Greenleaf');
  });

  it('says to choose an answer when none was chosen, saving nothing', async () => {
    const before = await countParticipants();
    const response = await clinician.post(
      '/referrals',
      validForm({ familyName: 'Unanswered', nhsNumber: '', mobile: PRIYAS_MOBILE, contactCheck: 'asked' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select whether they are the same person');
    expect(response.body).toContain('href="#sharedContact"');
    expect(await countParticipants()).toBe(before);
  });

  it('"the same person": saves no second record, says to contact the programme coordinator, and audits it', async () => {
    const before = await countParticipants();
    const reported = await audits('referral.same_person_reported');
    const response = await clinician.post(
      '/referrals',
      validForm({ familyName: 'Sameperson', nhsNumber: '', mobile: PRIYAS_MOBILE, sharedContact: 'same' }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Do not refer them again');
    expect(response.body).toContain('programme coordinator');
    expect(await countParticipants()).toBe(before);
    expect(await audits('referral.same_person_reported')).toBe(reported + 1);
  });

  it('"a different person": saves the referral, records the shared contact, and both records say it cannot be used to sign in', async () => {
    const confirmed = await audits('participant.shared_contact_confirmed');
    const response = await clinician.post(
      '/referrals',
      validForm({
        familyName: 'Differentperson',
        nhsNumber: '',
        mobile: PRIYAS_MOBILE,
        sharedContact: 'different',
      }),
    );
    expect(response.statusCode).toBe(303);
    expect(await audits('participant.shared_contact_confirmed')).toBe(confirmed + 1);
    const page = await clinician.get(response.headers.location!);
    expect(page.body).toContain('This mobile number is also recorded for someone else');
    expect(page.body).toContain('cannot use it to sign in');
    const [priya] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM participants WHERE mobile = '+447700900001' AND family_name = 'Shah'`,
    );
    const coordinator = await t.signedInAs(DEMO.coordinator);
    const hers = await coordinator.get(`/participants/${priya!.id}`);
    expect(hers.body).toContain('This mobile number is also recorded for someone else');
  });

  it('goes back to the form, with everything kept, to change the contact details', async () => {
    const before = await countParticipants();
    const response = await clinician.post(
      '/referrals',
      validForm({
        familyName: 'Changing',
        nhsNumber: '',
        mobile: PRIYAS_MOBILE,
        contactCheck: 'asked',
        action: 'change',
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Refer someone at discharge');
    expect(response.body).not.toContain('name="contactCheck"');
    expect(response.body).toContain('value="Changing"');
    expect(response.body).toContain(`value="${PRIYAS_MOBILE}"`);
    expect(await countParticipants()).toBe(before);
  });
});
