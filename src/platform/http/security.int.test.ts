import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { count, queryRows } from '../../test-support/rows.ts';
import { createTestApp, DEMO, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('security headers', () => {
  it('sends a strict Content-Security-Policy whose script nonce matches the page', async () => {
    const response = await t.client().get('/help');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(response.body).toContain(`nonce="${nonce}"`);
  });

  it('sends HSTS, nosniff and frame denial, and forbids caching personal pages', async () => {
    const client = await t.signedInAs(DEMO.workerPat);
    const response = await client.get('/caseload');
    expect(response.statusCode).toBe(200);
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('lets hashed static assets be cached', async () => {
    const page = await t.client().get('/help');
    const stylesheet = /href="(\/assets\/greenleaf-[0-9a-f]+\.css)"/.exec(page.body)?.[1];
    const response = await t.client().get(stylesheet!);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('immutable');
  });
});

/** The headers every page carries, whatever answered it: CSP with this page's nonce, HSTS, nosniff, no-store. */
function expectSecurityHeaders(response: LightMyRequestResponse): void {
  const csp = String(response.headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeDefined();
  if (String(response.headers['content-type']).startsWith('text/html')) {
    expect(response.body).toContain(`nonce="${nonce}"`);
  }
  expect(response.headers['strict-transport-security']).toContain('max-age=');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['permissions-policy']).toContain('microphone=()');
}

describe('errors the framework answers before the app sees the request', () => {
  const BAD = [
    { what: 'bad %-encoding', url: '/participants/%E0%A4%A', status: 400 },
    { what: 'a stray %', url: '/help%', status: 400 },
    { what: 'an over-long path segment', url: `/participants/${'9'.repeat(200)}`, status: 414 },
  ];

  for (const { what, url, status } of BAD) {
    it(`answers ${what} with the error page and every security header, never echoing the path`, async () => {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('Sorry, there is a problem with this request');
      expect(response.body).toContain('href="/help"');
      expectSecurityHeaders(response);
      expect(response.body).not.toContain(url.slice(1, 40));
    });
  }

  it('answers a script asking for JSON with a JSON error that does not echo the path', async () => {
    const url = '/me/plan/moving_on/entries/%E0%A4%A';
    const response = await t.app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ status: 'bad_request' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).not.toContain('%E0');
  });
});

describe('Permissions-Policy', () => {
  const policyOf = (response: LightMyRequestResponse) =>
    Object.fromEntries(
      String(response.headers['permissions-policy'])
        .split(',')
        .map((item) => item.trim().split('=') as [string, string]),
    );
  const DENIED = [
    'camera',
    'microphone',
    'geolocation',
    'payment',
    'usb',
    'serial',
    'hid',
    'display-capture',
  ];

  it('denies every powerful feature on ordinary pages, errors and assets', async () => {
    const client = await t.signedInAs(DEMO.workerPat);
    for (const url of ['/help', '/caseload', '/no-such-page', '/participant/sign-in']) {
      const policy = policyOf(await client.get(url));
      for (const feature of DENIED) expect(policy[feature], `${feature} on ${url}`).toBe('()');
    }
    const page = await t.client().get('/help');
    const stylesheet = /href="(\/assets\/greenleaf-[0-9a-f]+\.css)"/.exec(page.body)?.[1];
    expect(policyOf(await t.client().get(stylesheet!)).microphone).toBe('()');
  });

  it('lets only recovery plan section pages use the microphone, for voice notes, and never the camera', async () => {
    const [sia] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT id FROM participants WHERE given_name = 'Sian' AND family_name = 'Jones'`,
    );
    const participant = await t.signedInAsParticipant(sia!.id);
    const section = policyOf(await participant.get('/me/plan/moving_on'));
    expect(section.microphone).toBe('(self)');
    // A photo is chosen with a file input, which needs no camera permission.
    expect(section.camera).toBe('()');
    expect(section.geolocation).toBe('()');
    for (const url of ['/me', '/me/plan', '/me/struggling', '/me/plan/sharing']) {
      expect(policyOf(await participant.get(url)).microphone, url).toBe('()');
    }
    const worker = await t.signedInAs(DEMO.workerPat);
    const staffSection = await worker.get(`/participants/${sia!.id}/plan/moving_on`);
    expect(staffSection.statusCode).toBe(200);
    expect(policyOf(staffSection).microphone).toBe('(self)');
  });
});

describe('whose page it is', () => {
  it('names the signed-in participant on their responses, for the offline copy, and nobody on anyone else’s', async () => {
    const [someone] = await queryRows<{ id: string }>(t.database, sql`SELECT id FROM participants LIMIT 1`);
    const participant = await t.signedInAsParticipant(someone!.id);
    for (const url of ['/me', '/help', '/no-such-page']) {
      const response = await participant.get(url);
      expect(response.headers['greenleaf-participant'], url).toBe(someone!.id);
    }
    expect((await participant.get('/me')).body).toContain(
      `<meta name="greenleaf-participant" content="${someone!.id}">`,
    );
    const worker = await t.signedInAs(DEMO.workerPat);
    for (const response of [await worker.get('/caseload'), await t.client().get('/participant/sign-in')]) {
      expect(response.headers['greenleaf-participant']).toBeUndefined();
      expect(response.body).not.toContain('name="greenleaf-participant"');
    }
  });
});

describe('CSRF protection', () => {
  const countTeams = async () => await count(t.database, sql`SELECT count(*)::int AS n FROM participants`);

  it('refuses a state change without the form token, and changes nothing', async () => {
    const client = await t.signedInAs(DEMO.workerPat);
    const before = await countTeams();
    const response = await client.post('/sign-out', {}, { csrf: false });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('This form has expired');
    // Still signed in: the sign-out did not happen.
    expect((await client.get('/caseload')).statusCode).toBe(200);
    expect(await countTeams()).toBe(before);
  });

  it('refuses a token from another browser', async () => {
    const victim = await t.signedInAs(DEMO.workerPat);
    const attacker = t.client();
    await attacker.get('/help');
    const response = await victim.post('/sign-out', { _csrf: attacker.csrfToken! });
    expect(response.statusCode).toBe(403);
  });

  it('accepts the token from the page', async () => {
    const client = await t.signedInAs(DEMO.workerPat);
    await client.get('/caseload');
    const response = await client.post('/sign-out', {});
    expect(response.statusCode).toBe(303);
    expect((await client.get('/caseload')).statusCode).toBe(303);
  });
});

describe('malformed requests', () => {
  it('answers an unknown page or a malformed id with 4xx, never 500', async () => {
    const client = await t.signedInAs(DEMO.coordinator);
    expect((await client.get('/no-such-page')).statusCode).toBe(404);
    expect((await client.get('/participants/not-a-uuid')).statusCode).toBe(404);
    // An over-long id is refused before routing (414 URI Too Long).
    expect((await client.get(`/participants/${'9'.repeat(200)}`)).statusCode).toBe(414);
  });

  it('answers a body it cannot parse with 4xx', async () => {
    const client = await t.signedInAs(DEMO.coordinator);
    await client.get('/referrals/new');
    const json = await t.app.inject({
      method: 'POST',
      url: '/referrals',
      cookies: Object.fromEntries(client.cookies),
      headers: { 'content-type': 'application/json' },
      payload: '{"givenName":',
    });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
    const huge = await client.post('/referrals', { givenName: 'x'.repeat(300 * 1024) });
    expect(huge.statusCode).toBe(413);
  });
});
