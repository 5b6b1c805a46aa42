/**
 * The admin pages through the whole app (CSRF, sessions, templates, error pages) on the demo
 * data: the coordinator's journeys work without JavaScript, mistakes come back as 400 with an
 * error summary, hostile requests get 4xx and change nothing, and other roles are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { saveAtOnce } from '../test-support/at-once.ts';
import { DUPLICATE_EMAIL_MESSAGE, SELF_DISABLE_MESSAGE } from './staff-admin.service.ts';

let t: TestApp;
let coordinator: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  coordinator = await t.signedInAs(DEMO.coordinator);
});

afterAll(async () => {
  await t.close();
});

const staffCount = async () => (await t.deps.services.demo.accounts()).staff.length;

const staffAuditEvents = (staffId: string) =>
  new AuditRepository().forEntity(t.database.db, 'staff', staffId);

/** Loads a page first, as a person would, so the next post carries that page's form token. */
async function postFrom(
  client: TestClient,
  pageUrl: string,
  url: string,
  fields: Record<string, string | string[]>,
) {
  const page = await client.get(pageUrl);
  expect(page.statusCode).toBe(200);
  return client.post(url, fields);
}

const validStaff = (email: string) => ({
  fullName: 'Casey Example',
  email,
  roles: ['peer_worker'],
  crisisTeamId: '',
  caseloadLimit: '10',
  temporaryPassword: 'a long and unusual passphrase',
});

async function firstTeamId(): Promise<string> {
  const page = await coordinator.get('/admin/teams');
  const id = /\/admin\/teams\/([0-9a-f-]{36})\/edit/.exec(page.body)?.[1];
  expect(id).toBeDefined();
  return id!;
}

describe('crisis team pages', () => {
  it('lists the trust’s teams and adds one, with a success message', async () => {
    const list = await coordinator.get('/admin/teams');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('North crisis resolution team');

    const response = await postFrom(coordinator, '/admin/teams/new', '/admin/teams/new', {
      name: 'East crisis team',
      phone: '01632 960 001',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/teams?done=team-created');
    const after = await coordinator.get(response.headers.location!);
    expect(after.body).toContain('nhsuk-notification-banner--success');
    expect(after.body).toContain('East crisis team');
  });

  it('shows every mistake in an error summary linked to its field, keeping what was typed', async () => {
    const response = await postFrom(coordinator, '/admin/teams/new', '/admin/teams/new', {
      name: 'North crisis resolution team',
      phone: 'ring us',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<title>Error:');
    expect(response.body).toContain('href="#phone"');
    expect(response.body).toContain('value="ring us"');
  });

  it('keeps a duty email for escalations, and refuses one that is not an address', async () => {
    const wrong = await postFrom(coordinator, '/admin/teams/new', '/admin/teams/new', {
      name: 'Duty crisis team',
      phone: '01632 960 004',
      dutyEmail: 'duty desk',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('href="#dutyEmail"');
    expect(wrong.body).toContain('Enter the duty email in the correct format');
    const saved = await postFrom(coordinator, '/admin/teams/new', '/admin/teams/new', {
      name: 'Duty crisis team',
      phone: '01632 960 004',
      dutyEmail: 'duty.team@nhs.net',
    });
    expect(saved.statusCode).toBe(303);
    const [team] = await queryRows<{ duty_email: string | null }>(
      t.database,
      sql`SELECT duty_email FROM crisis_teams WHERE name = 'Duty crisis team'`,
    );
    expect(team!.duty_email).toBe('duty.team@nhs.net');
  });

    it('reports a duplicate team name beside the name field', async () => {
    const response = await postFrom(coordinator, '/admin/teams/new', '/admin/teams/new', {
      name: 'north CRISIS resolution team',
      phone: '01632 960 001',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#name"');
  });

  it('refuses an edit made from an out-of-date page with a conflict', async () => {
    const teamId = await firstTeamId();
    const form = await coordinator.get(`/admin/teams/${teamId}/edit`);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1];
    const name = /id="name" name="name" type="text" value="([^"]*)"/.exec(form.body)?.[1];
    expect(version).toBeDefined();
    expect(name).toBeDefined();
    const fields = { name: name!, phone: '0113 496 0001', version: version! };
    expect((await coordinator.post(`/admin/teams/${teamId}/edit`, fields)).statusCode).toBe(303);

    await coordinator.get(`/admin/teams/${teamId}/edit`);
    const stale = await coordinator.post(`/admin/teams/${teamId}/edit`, {
      ...fields,
      phone: '0113 496 0002',
    });
    expect(stale.statusCode).toBe(409);
  });

  it('answers a malformed or unknown team id with 404, and a missing version with 400', async () => {
    expect((await coordinator.get('/admin/teams/not-a-uuid/edit')).statusCode).toBe(404);
    expect((await coordinator.get('/admin/teams/6f1c5a4e-2b1d-4c53-9a3e-000000000000/edit')).statusCode).toBe(
      404,
    );
    const teamId = await firstTeamId();
    const response = await postFrom(coordinator, '/admin/teams', `/admin/teams/${teamId}/edit`, {
      name: 'X',
      phone: '01632 960 001',
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('staff pages', () => {
  it('lists the trust’s staff with roles, status and authenticator app', async () => {
    const response = await coordinator.get('/admin/staff');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(DEMO.workerPat);
    expect(response.body).toContain('Peer support worker');
    expect(response.body).toContain('Authenticator app set up');
  });

  it('creates an account and shows it with a success message', async () => {
    const teamId = await firstTeamId();
    const response = await postFrom(coordinator, '/admin/staff/new', '/admin/staff/new', {
      ...validStaff('casey.example@nhs.test'),
      crisisTeamId: teamId,
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^\/admin\/staff\/[0-9a-f-]{36}\?done=created$/);
    const page = await coordinator.get(response.headers.location!);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Account created');
    expect(page.body).toContain('casey.example@nhs.test');
  });

  it('reports an email already in use as a field error and creates nothing', async () => {
    const before = await staffCount();
    const response = await postFrom(coordinator, '/admin/staff/new', '/admin/staff/new', {
      ...validStaff(DEMO.workerPat.toUpperCase()),
      crisisTeamId: await firstTeamId(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(DUPLICATE_EMAIL_MESSAGE);
    expect(response.body).toContain('href="#email"');
    expect(response.body).not.toContain('a long and unusual passphrase');
    expect(await staffCount()).toBe(before);
  });

  it('links a missing team to the first radio and a missing role to the first checkbox', async () => {
    const response = await postFrom(coordinator, '/admin/staff/new', '/admin/staff/new', {
      ...validStaff('nobody@nhs.test'),
      roles: [],
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('href="#roles"');
    expect(response.body).toContain('id="roles"');
    expect(response.body).toContain('href="#crisisTeamId"');
    expect(response.body).toContain('id="crisisTeamId"');
  });

  it.each([
    ['unknown roles', { roles: ['superuser', 'coordinator'] }],
    ['a repeated name field', { fullName: ['One', 'Two'] }],
    ['a huge name', { fullName: 'x'.repeat(100_000) }],
    ['a team id that is not one', { crisisTeamId: "' OR 1=1 --" }],
    ['a team from nowhere', { crisisTeamId: '6f1c5a4e-2b1d-4c53-9a3e-000000000000' }],
  ])('answers %s with 400 and creates nothing', async (_name, change) => {
    const before = await staffCount();
    const response = await postFrom(coordinator, '/admin/staff/new', '/admin/staff/new', {
      ...validStaff(`hostile.${Math.random().toString(36).slice(2)}@nhs.test`),
      crisisTeamId: 'none',
      roles: ['supervisor'],
      ...change,
    });
    expect(response.statusCode).toBe(400);
    expect(await staffCount()).toBe(before);
  });

  it('answers a JSON body of the wrong shapes with 400, never 500', async () => {
    await coordinator.get('/admin/staff/new');
    const response = await t.app.inject({
      method: 'POST',
      url: '/admin/staff/new',
      cookies: Object.fromEntries(coordinator.cookies),
      payload: {
        _csrf: coordinator.csrfToken,
        fullName: { $gt: '' },
        roles: [{}],
        caseloadLimit: 5,
        temporaryPassword: null,
      },
    });
    expect(response.statusCode).toBe(400);
  });

  it('disables an account, signing its holder out on their next request', async () => {
    const worker = await t.signedInAs(DEMO.workerNat);
    expect((await worker.get('/caseload')).statusCode).toBe(200);
    const natId = await t.staffId(DEMO.workerNat);

    const response = await postFrom(
      coordinator,
      `/admin/staff/${natId}`,
      `/admin/staff/${natId}/disable`,
      {},
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/admin/staff/${natId}?done=disabled`);

    const next = await worker.get('/caseload');
    expect(next.statusCode).toBe(303);
    expect(next.headers.location).toMatch(/^\/sign-in/);
    expect((await coordinator.get(response.headers.location!)).body).toContain('Enable account');
  });

  it('refuses to let the coordinator disable their own account, saying why', async () => {
    const selfId = await t.staffId(DEMO.coordinator);
    const page = await coordinator.get(`/admin/staff/${selfId}`);
    expect(page.body).not.toContain('Disable account');

    const response = await coordinator.post(`/admin/staff/${selfId}/disable`, {});
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(SELF_DISABLE_MESSAGE);
    expect((await coordinator.get('/admin/staff')).statusCode).toBe(200);
  });

  it('refuses an edit made from an out-of-date page with a conflict', async () => {
    const robId = await t.staffId(DEMO.workerRob);
    const form = await coordinator.get(`/admin/staff/${robId}/edit`);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1];
    const teamId = /name="crisisTeamId" type="radio" value="([0-9a-f-]{36})" checked/.exec(form.body)?.[1];
    expect(version).toBeDefined();
    expect(teamId).toBeDefined();
    const fields = {
      fullName: 'Rob Renamed',
      roles: ['peer_worker'],
      crisisTeamId: teamId!,
      caseloadLimit: '12',
      version: version!,
    };
    const saved = await coordinator.post(`/admin/staff/${robId}/edit`, fields);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/admin/staff/${robId}?done=updated`);

    await coordinator.get(`/admin/staff/${robId}/edit`);
    expect(
      (await coordinator.post(`/admin/staff/${robId}/edit`, { ...fields, fullName: 'Rob Again' })).statusCode,
    ).toBe(409);
  });

  it('shows only fixed success messages, never what the address says', async () => {
    const selfId = await t.staffId(DEMO.coordinator);
    const response = await coordinator.get(`/admin/staff/${selfId}?done=%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('alert(1)');
    expect(response.body).not.toContain('nhsuk-notification-banner');
  });

  it('records who looked at a staff account, as staff.viewed', async () => {
    const robId = await t.staffId(DEMO.workerRob);
    const coordinatorId = await t.staffId(DEMO.coordinator);
    const before = await staffAuditEvents(robId);

    expect((await coordinator.get(`/admin/staff/${robId}`)).statusCode).toBe(200);

    const after = await staffAuditEvents(robId);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({
      action: 'staff.viewed',
      actorType: 'staff',
      actorId: coordinatorId,
      entityType: 'staff',
      entityId: robId,
    });
  });

  it('records who read the staff list, as staff.listed', async () => {
    const coordinatorId = await t.staffId(DEMO.coordinator);
    const listed = () =>
      count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'staff.listed' AND actor_id = ${coordinatorId}`,
      );
    const before = await listed();
    expect((await coordinator.get('/admin/staff')).statusCode).toBe(200);
    expect(await listed()).toBe(before + 1);
  });

  it('answers malformed and unknown staff ids with 404', async () => {
    expect((await coordinator.get('/admin/staff/not-a-uuid')).statusCode).toBe(404);
    expect((await coordinator.get('/admin/staff/6f1c5a4e-2b1d-4c53-9a3e-000000000000')).statusCode).toBe(404);
    expect(
      (await postFrom(coordinator, '/admin/staff', '/admin/staff/not-a-uuid/reset-mfa', {})).statusCode,
    ).toBe(404);
  });
});

describe('two coordinators saving one record at the same moment', () => {
  /** Each has the edit form open at the same version, as two browsers would. */
  async function twoEditors(formUrl: string): Promise<{ editors: TestClient[]; version: string }> {
    const editors = [coordinator, await t.signedInAs(DEMO.coordinator)];
    const versions = await Promise.all(
      editors.map(
        async (editor) => /name="version" value="(\d+)"/.exec((await editor.get(formUrl)).body)?.[1],
      ),
    );
    expect(versions[0]).toBeDefined();
    expect(versions[1]).toBe(versions[0]);
    return { editors, version: versions[0]! };
  }

  it('save one crisis team edit and answer the other with the conflict page, never a server error', async () => {
    const teamId = await firstTeamId();
    const url = `/admin/teams/${teamId}/edit`;
    for (let pair = 0; pair < 4; pair++) {
      const { editors, version } = await twoEditors(url);
      const [before] = await queryRows<{ name: string; version: number }>(
        t.database,
        sql`SELECT name, version FROM crisis_teams WHERE id = ${teamId}`,
      );
      const updatedBefore = await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'team.updated' AND entity_id = ${teamId}`,
      );
      const phones = [`0113 496 ${String(1100 + pair * 2)}`, `0113 496 ${String(1101 + pair * 2)}`];
      const race = await saveAtOnce(
        editors.map(
          (editor, i) => () => editor.post(url, { name: before!.name, phone: phones[i]!, version }),
        ),
      );
      expect(race.statuses, race.said).toEqual([303, 409]);
      expect(race.loser?.body).toContain('Someone else changed this');
      const [after] = await queryRows<{ phone: string; version: number }>(
        t.database,
        sql`SELECT phone, version FROM crisis_teams WHERE id = ${teamId}`,
      );
      expect(after!.version).toBe(before!.version + 1);
      expect(phones).toContain(after!.phone);
      expect(
        await count(
          t.database,
          sql`SELECT count(*) AS n FROM audit_events WHERE action = 'team.updated' AND entity_id = ${teamId}`,
        ),
      ).toBe(updatedBefore + 1);
    }
  });

  it('save one staff account edit and answer the other with the conflict page, never a server error', async () => {
    const robId = await t.staffId(DEMO.workerRob);
    const url = `/admin/staff/${robId}/edit`;
    const form = await coordinator.get(url);
    const teamId = /name="crisisTeamId" type="radio" value="([0-9a-f-]{36})" checked/.exec(form.body)?.[1];
    expect(teamId).toBeDefined();
    for (let pair = 0; pair < 4; pair++) {
      const { editors, version } = await twoEditors(url);
      const updatedBefore = (await staffAuditEvents(robId)).filter(
        (e) => e.action === 'staff.updated',
      ).length;
      const names = [`Rob First ${String(pair)}`, `Rob Second ${String(pair)}`];
      const race = await saveAtOnce(
        editors.map(
          (editor, i) => () =>
            editor.post(url, {
              fullName: names[i]!,
              roles: ['peer_worker'],
              crisisTeamId: teamId!,
              caseloadLimit: '12',
              version,
            }),
        ),
      );
      expect(race.statuses, race.said).toEqual([303, 409]);
      expect(race.loser?.body).toContain('Someone else changed this');
      const [after] = await queryRows<{ full_name: string; version: number }>(
        t.database,
        sql`SELECT full_name, version FROM staff_users WHERE id = ${robId}`,
      );
      expect(after!.version).toBe(Number(version) + 1);
      expect(names).toContain(after!.full_name);
      expect((await staffAuditEvents(robId)).filter((e) => e.action === 'staff.updated')).toHaveLength(
        updatedBefore + 1,
      );
    }
  });
});

describe('other roles', () => {
  it.each([
    ['a clinician', DEMO.clinicianNorth],
    ['a supervisor', DEMO.supervisorNorth],
    ['a peer support worker', DEMO.workerPat],
  ])('refuses %s every admin page', async (_role, email) => {
    const client = await t.signedInAs(email);
    const patId = await t.staffId(DEMO.workerPat);
    const auditedBefore = (await staffAuditEvents(patId)).length;
    for (const url of [
      '/admin/teams',
      '/admin/teams/new',
      '/admin/staff',
      '/admin/staff/new',
      `/admin/staff/${patId}`,
    ]) {
      expect((await client.get(url)).statusCode, url).toBe(403);
    }
    expect(await staffAuditEvents(patId)).toHaveLength(auditedBefore);
    await client.get('/help');
    expect((await client.post(`/admin/staff/${patId}/end-sessions`, {})).statusCode).toBe(403);
  });

  it('sends someone who is not signed in to sign in', async () => {
    const response = await t.client().get('/admin/staff');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Fadmin%2Fstaff');
  });
});
