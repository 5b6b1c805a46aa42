/**
 * Trial mode through HTTP: who may open the trial's pages (the trial manager, at every site of
 * their trial; research staff of a trust outside it, and everyone else, never), screening,
 * consent, declines and withdrawals with their audit events, forms sent twice, bad input.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from './demo-trial.ts';

let t: TestApp;
const clients: Record<string, TestClient> = {};
const ids: Record<string, string> = {};

const PARTNER_MANAGER = 'trial.partner@partner.example.nhs.uk';
const OUTSIDER_MANAGER = 'trial.outsider@outsider.example.nhs.uk';

/** Adds a trust with one crisis team and a trial manager; a site of the demo trial when asked. */
async function addTrust(name: string, email: string, site: boolean) {
  const trustId = randomUUID();
  const teamId = randomUUID();
  await t.database.db.execute(
    sql`INSERT INTO trusts (id, name, ods_code) VALUES (${trustId}, ${name}, ${`RX${name.length}${name[0]!}`})`,
  );
  await t.database.db.execute(
    sql`INSERT INTO crisis_teams (id, trust_id, name, phone) VALUES (${teamId}, ${trustId}, ${`${name} crisis team`}, '0113 496 0001')`,
  );
  await t.database.db.execute(
    sql`INSERT INTO staff_users (id, trust_id, email, full_name, roles, password_hash, caseload_limit)
        VALUES (${randomUUID()}, ${trustId}, ${email}, ${`${name} trial manager`}, '{trial_manager}', 'x', 12)`,
  );
  if (site)
    await t.database.db.execute(
      sql`INSERT INTO trial_sites (trial_id, trust_id) VALUES (${DEMO_TRIAL_ID}, ${trustId})`,
    );
  return { trustId, teamId };
}

const screeningOf = async (initials: string) =>
  (
    await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM trial_screenings WHERE initials = ${initials} ORDER BY screened_at DESC LIMIT 1`,
    )
  )[0]!.id;

const auditCount = (action: string, entityId: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM audit_events WHERE action = ${action} AND entity_id = ${entityId}`,
  );

const eligibleAnswers = {
  aged_18_or_over: 'yes',
  discharged_from_crt: 'yes',
  has_capacity: 'yes',
  already_in_programme: 'no',
  currently_inpatient: 'no',
  declined_contact: 'no',
};
const date = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-') as [string, string, string];
  return { [`${name}[day]`]: day, [`${name}[month]`]: month, [`${name}[year]`]: year };
};
const screeningForm = (over: Record<string, string> = {}) => ({
  submissionToken: randomUUID(),
  crisisTeamId: ids.north!,
  ...date('screenedOn', '2026-11-25'),
  initials: 'QX',
  yearOfBirth: '1980',
  ...eligibleAnswers,
  ...over,
});

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  await seedDemoTrial(t.database.db, DEMO_TRUST_ID, new Date(TEST_NOW));
  ids.north = (
    await queryRows<{ id: string }>(t.database, sql`SELECT id FROM crisis_teams WHERE name LIKE 'North%'`)
  )[0]!.id;
  const partner = await addTrust('Partner', PARTNER_MANAGER, true);
  ids.partnerTeam = partner.teamId;
  await addTrust('Outsider', OUTSIDER_MANAGER, false);
  ids.consented = await screeningOf('AB');
  ids.toApproach = await screeningOf('ZD');
  ids.notEligible = await screeningOf('JY');
  for (const [who, email] of Object.entries({
    ...DEMO,
    partnerManager: PARTNER_MANAGER,
    outsiderManager: OUTSIDER_MANAGER,
  })) {
    clients[who] = await t.signedInAs(email);
  }
  clients.anonymous = t.client();
});
afterAll(async () => {
  await t.close();
});

describe('who may open the trial’s pages', () => {
  const pages = () => [
    '/trial',
    '/trial/screenings',
    '/trial/screenings?page=2',
    '/trial/screenings/new',
    `/trial/screenings/${ids.consented!}`,
    `/trial/screenings/${ids.consented!}/withdrawal`,
    `/trial/screenings/${ids.toApproach!}/consent`,
    `/trial/screenings/${ids.toApproach!}/approach`,
  ];

  it('lets the trial manager, and one at another site of the trial, open every page', async () => {
    for (const who of ['trialManager', 'partnerManager']) {
      for (const path of pages()) {
        expect([who, path, (await clients[who]!.get(path)).statusCode]).toEqual([who, path, 200]);
      }
    }
  });

  it('shows nobody else any of them: not the programme’s staff, the other research roles, or research staff of a trust outside the trial', async () => {
    const refused = Object.keys(clients).filter((who) => !['trialManager', 'partnerManager'].includes(who));
    expect(refused).toContain('outsiderManager');
    for (const who of refused) {
      for (const path of pages()) {
        const status = (await clients[who]!.get(path)).statusCode;
        expect([who, path, [303, 403, 404].includes(status)]).toEqual([who, path, true]);
      }
    }
  });

  it('offers the trial in the header to its sites’ trial managers, never to one of a trust outside it', async () => {
    expect((await clients.partnerManager!.get('/help')).body).toContain('href="/trial"');
    const outsider = await clients.outsiderManager!.get('/help');
    expect(outsider.statusCode).toBe(200);
    expect(outsider.body).not.toContain('href="/trial"');
    const home = await clients.outsiderManager!.get('/');
    expect(home.headers.location).toBe('/home');
  });

  it('refuses their changes too, and saves nothing', async () => {
    const before = await count(t.database, sql`SELECT count(*) AS n FROM trial_screenings`);
    for (const who of ['coordinator', 'clinicianNorth', 'assessor', 'analyst', 'outsiderManager']) {
      await clients[who]!.get('/help');
      const screened = await clients[who]!.post('/trial/screenings/new', screeningForm());
      expect([303, 403, 404]).toContain(screened.statusCode);
      const approach = await clients[who]!.post(`/trial/screenings/${ids.toApproach!}/approach`, {
        outcome: 'declined',
      });
      expect([303, 403, 404]).toContain(approach.statusCode);
    }
    expect(await count(t.database, sql`SELECT count(*) AS n FROM trial_screenings`)).toBe(before);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM trial_screenings WHERE id = ${ids.toApproach!} AND approach IS NULL`,
      ),
    ).toBe(1);
  });

  it('lets research staff of another site screen someone from the demo trust’s teams, and from their own', async () => {
    const form = await clients.partnerManager!.get('/trial/screenings/new');
    expect(form.body).toContain('North crisis resolution team (Northfield NHS Foundation Trust (demo))');
    expect(form.body).toContain('Partner crisis team (Partner)');
    const response = await clients.partnerManager!.post(
      '/trial/screenings/new',
      screeningForm({ crisisTeamId: ids.partnerTeam!, initials: 'PP' }),
    );
    expect(response.statusCode).toBe(303);
  });

  it('refuses a team of a trust outside the trial', async () => {
    const outsiderTeam = (
      await queryRows<{ id: string }>(
        t.database,
        sql`SELECT id FROM crisis_teams WHERE name = 'Outsider crisis team'`,
      )
    )[0]!.id;
    await clients.trialManager!.get('/trial/screenings/new');
    const response = await clients.trialManager!.post(
      '/trial/screenings/new',
      screeningForm({ crisisTeamId: outsiderTeam, initials: 'OT' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select the crisis team they were under');
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM trial_screenings WHERE initials = 'OT'`),
    ).toBe(0);
  });
});

describe('the trial’s home page', () => {
  it('shows enrolment so far with what each figure is out of', async () => {
    const page = await clients.trialManager!.get('/trial');
    expect(page.body).toContain('PEERS: peer support after crisis care');
    const figure = (label: string) => {
      const row = new RegExp(`>${label}</th>\\s*<td[^>]*>(\\d+)</td>\\s*<td[^>]*>(\\d*)</td>`).exec(
        page.body,
      );
      return row ? [Number(row[1]), row[2] === '' ? null : Number(row[2])] : undefined;
    };
    const assessed = figure('Assessed for eligibility')![0]!;
    expect(assessed).toBeGreaterThanOrEqual(20);
    expect(figure('Not eligible')).toEqual([5, assessed]);
    expect(figure('Under 18')).toEqual([2, 5]);
    expect(figure('From the intervention only')?.[0]).toBeGreaterThanOrEqual(1);
  });
});

describe('screening someone', () => {
  it('adds an eligible person to the log once, however often the form is sent, with its audit event', async () => {
    await clients.trialManager!.get('/trial/screenings/new');
    const form = screeningForm({ initials: 'EL' });
    const first = await clients.trialManager!.post('/trial/screenings/new', form);
    const again = await clients.trialManager!.post('/trial/screenings/new', form);
    expect(first.statusCode).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    const id = await screeningOf('EL');
    expect(first.headers.location).toBe(`/trial/screenings/${id}?done=screened`);
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM trial_screenings WHERE initials = 'EL'`),
    ).toBe(1);
    expect(await auditCount('trial.screened', id)).toBe(1);
    const page = await clients.trialManager!.get(`/trial/screenings/${id}`);
    expect(page.body).toContain('Record consent');
  });

  it('two copies of the form at once make one screening', async () => {
    await clients.trialManager!.get('/trial/screenings/new');
    const form = screeningForm({ initials: 'TW' });
    const [a, b] = await Promise.all([
      clients.trialManager!.post('/trial/screenings/new', form),
      clients.trialManager!.post('/trial/screenings/new', form),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM trial_screenings WHERE initials = 'TW'`),
    ).toBe(1);
  });

  it('records someone not eligible with the reasons, and offers no consent', async () => {
    await clients.trialManager!.get('/trial/screenings/new');
    const response = await clients.trialManager!.post(
      '/trial/screenings/new',
      screeningForm({ initials: 'NE', currently_inpatient: 'yes', has_capacity: 'no' }),
    );
    expect(response.statusCode).toBe(303);
    const id = await screeningOf('NE');
    const [row] = await queryRows<{ eligible: boolean; ineligible_reasons: string[] }>(
      t.database,
      sql`SELECT eligible, ineligible_reasons FROM trial_screenings WHERE id = ${id}`,
    );
    expect(row).toEqual({ eligible: false, ineligible_reasons: ['has_capacity', 'currently_inpatient'] });
    const page = await clients.trialManager!.get(`/trial/screenings/${id}`);
    expect(page.body).toContain('No: Lacks capacity to consent; Currently an inpatient');
    expect(page.body).not.toContain('Record consent');
    expect((await clients.trialManager!.get(`/trial/screenings/${id}/consent`)).statusCode).toBe(404);
  });

  it('shows every mistake with the error summary and saves nothing', async () => {
    const before = await count(t.database, sql`SELECT count(*) AS n FROM trial_screenings`);
    await clients.trialManager!.get('/trial/screenings/new');
    const response = await clients.trialManager!.post('/trial/screenings/new', {
      submissionToken: randomUUID(),
      initials: '12',
      yearOfBirth: 'old',
      aged_18_or_over: 'maybe',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain('Initials must be 1 to 3 letters');
    expect(response.body).toContain('Select yes or no for “Are they aged 18 or over?”');
    expect(response.body).toContain('value="12"');
    expect(await count(t.database, sql`SELECT count(*) AS n FROM trial_screenings`)).toBe(before);
  });

  it('never answers a hostile form with a server error', async () => {
    await clients.trialManager!.get('/trial/screenings/new');
    const fields = [
      'submissionToken',
      'crisisTeamId',
      'screenedOn[day]',
      'screenedOn[month]',
      'screenedOn[year]',
      'initials',
      'yearOfBirth',
      ...Object.keys(eligibleAnswers),
    ];
    await fc.assert(
      fc.asyncProperty(hostileForm(fields, 'yes', 'no', ids.north!), async (posted) => {
        const response = await clients.trialManager!.post('/trial/screenings/new', posted);
        expect([303, 400]).toContain(response.statusCode);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(hostileForm(['outcome', 'reason'], 'declined', 'not_approached'), async (posted) => {
        const response = await clients.trialManager!.post(
          `/trial/screenings/${ids.notEligible!}/approach`,
          posted,
        );
        expect([400, 404]).toContain(response.statusCode);
      }),
      { numRuns: 20 },
    );
  });
});

describe('what happened when an eligible person was approached', () => {
  const freshEligible = async (initials: string) => {
    await clients.trialManager!.get('/trial/screenings/new');
    await clients.trialManager!.post('/trial/screenings/new', screeningForm({ initials }));
    return screeningOf(initials);
  };

  it('records consent once with its audit event, and then refuses a second outcome', async () => {
    const id = await freshEligible('CN');
    await clients.trialManager!.get(`/trial/screenings/${id}/consent`);
    const form = {
      submissionToken: randomUUID(),
      documentVersion: '2.0',
      ...date('takenOn', '2026-11-26'),
      capacityConfirmed: 'yes',
    };
    const first = await clients.trialManager!.post(`/trial/screenings/${id}/consent`, form);
    const again = await clients.trialManager!.post(`/trial/screenings/${id}/consent`, form);
    expect([first.statusCode, again.statusCode]).toEqual([303, 303]);
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM trial_consents WHERE screening_id = ${id}`),
    ).toBe(1);
    expect(await auditCount('trial.consented', id)).toBe(1);
    const [row] = await queryRows<{ approach: string }>(
      t.database,
      sql`SELECT approach FROM trial_screenings WHERE id = ${id}`,
    );
    expect(row?.approach).toBe('consented');
    const declined = await clients.trialManager!.post(`/trial/screenings/${id}/approach`, {
      outcome: 'declined',
    });
    expect(declined.statusCode).toBe(400);
    expect(declined.body).toContain('has already been recorded');
    expect((await clients.trialManager!.get(`/trial/screenings/${id}/approach`)).statusCode).toBe(404);
  });

  it('refuses consent without capacity confirmed, or before the screening, and saves nothing', async () => {
    const id = await freshEligible('NC');
    await clients.trialManager!.get(`/trial/screenings/${id}/consent`);
    const response = await clients.trialManager!.post(`/trial/screenings/${id}/consent`, {
      submissionToken: randomUUID(),
      documentVersion: '2.0',
      ...date('takenOn', '2026-11-20'),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Confirm they had capacity to consent');
    const early = await clients.trialManager!.post(`/trial/screenings/${id}/consent`, {
      submissionToken: randomUUID(),
      documentVersion: '2.0',
      ...date('takenOn', '2026-11-20'),
      capacityConfirmed: 'yes',
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('must be on or after the date they were screened');
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM trial_consents WHERE screening_id = ${id}`),
    ).toBe(0);
  });

  it('records a decline without a reason, a second time changing nothing, and refuses a different outcome after it', async () => {
    const id = await freshEligible('DC');
    await clients.trialManager!.get(`/trial/screenings/${id}/approach`);
    const first = await clients.trialManager!.post(`/trial/screenings/${id}/approach`, {
      outcome: 'declined',
    });
    const again = await clients.trialManager!.post(`/trial/screenings/${id}/approach`, {
      outcome: 'declined',
    });
    expect([first.statusCode, again.statusCode]).toEqual([303, 303]);
    expect(await auditCount('trial.declined', id)).toBe(1);
    const other = await clients.trialManager!.post(`/trial/screenings/${id}/approach`, {
      outcome: 'not_approached',
      reason: 'Changed my mind',
    });
    expect(other.statusCode).toBe(400);
    expect(other.body).toContain('has already been recorded');
  });

  it('asks why someone was not approached', async () => {
    const id = await freshEligible('NA');
    await clients.trialManager!.get(`/trial/screenings/${id}/approach`);
    const bare = await clients.trialManager!.post(`/trial/screenings/${id}/approach`, {
      outcome: 'not_approached',
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.body).toContain('Enter why they were not approached');
    const given = await clients.trialManager!.post(`/trial/screenings/${id}/approach`, {
      outcome: 'not_approached',
      reason: 'Discharged out of area',
    });
    expect(given.statusCode).toBe(303);
    expect(await auditCount('trial.not_approached', id)).toBe(1);
  });
});

describe('withdrawals', () => {
  const withdraw = (id: string, scope: string, token = randomUUID()) =>
    clients.trialManager!.post(`/trial/screenings/${id}/withdrawal`, {
      submissionToken: token,
      scope,
      ...date('withdrawnOn', '2026-11-26'),
    });

  it('keeps each withdrawal, allows only a wider one later, and offers none after withdrawal from their data', async () => {
    const id = ids.consented!;
    await clients.trialManager!.get(`/trial/screenings/${id}/withdrawal`);
    const token = randomUUID();
    expect((await withdraw(id, 'intervention', token)).statusCode).toBe(303);
    expect((await withdraw(id, 'intervention', token)).statusCode).toBe(303);
    const narrower = await withdraw(id, 'intervention');
    expect(narrower.statusCode).toBe(400);
    expect(narrower.body).toContain('choose a wider withdrawal');
    expect((await withdraw(id, 'data')).statusCode).toBe(303);
    const rows = await queryRows<{ scope: string }>(
      t.database,
      sql`SELECT w.scope FROM trial_withdrawals w JOIN trial_consents c ON c.id = w.consent_id WHERE c.screening_id = ${id} ORDER BY w.recorded_at, w.scope`,
    );
    expect(rows.map((r) => r.scope).sort()).toEqual(['data', 'intervention']);
    expect(await auditCount('trial.withdrawn', id)).toBe(2);
    const page = await clients.trialManager!.get(`/trial/screenings/${id}`);
    expect(page.body).toContain('From any use of their data');
    expect(page.body).not.toContain('Record a withdrawal');
    expect((await clients.trialManager!.get(`/trial/screenings/${id}/withdrawal`)).statusCode).toBe(404);
  });

  it('is never changed or deleted, even straight in the database', async () => {
    await expect(t.database.db.execute(sql`DELETE FROM trial_withdrawals`)).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`UPDATE trial_withdrawals SET reason = 'changed'`),
    ).rejects.toThrow();
  });

  it('is only for someone who consented', async () => {
    expect(
      (await clients.trialManager!.get(`/trial/screenings/${ids.toApproach!}/withdrawal`)).statusCode,
    ).toBe(404);
    expect((await withdraw(ids.toApproach!, 'intervention')).statusCode).toBe(404);
  });
});

describe('in trial mode before a trial is set up', () => {
  it('tells the trial manager so, and has nothing for anyone else', async () => {
    const empty = await createTestApp({ TRIAL_MODE: 'on' });
    try {
      const manager = await empty.signedInAs(DEMO.trialManager);
      const home = await manager.get('/trial');
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('no trial has been set up yet');
      expect((await manager.get('/trial/screenings')).statusCode).toBe(404);
      expect((await manager.get('/trial/screenings/new')).statusCode).toBe(404);
      const coordinator = await empty.signedInAs(DEMO.coordinator);
      expect((await coordinator.get('/trial')).statusCode).toBe(404);
    } finally {
      await empty.close();
    }
  });
});

describe('without trial mode', () => {
  it('has no trial pages, even for the trial manager', async () => {
    const off = await createTestApp();
    try {
      const manager = await off.signedInAs(DEMO.trialManager);
      for (const path of ['/trial', '/trial/screenings', '/trial/screenings/new']) {
        expect((await manager.get(path)).statusCode).toBe(404);
      }
      expect((await manager.get('/home')).body).not.toContain('href="/trial"');
    } finally {
      await off.close();
    }
  });
});
