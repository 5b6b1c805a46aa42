/**
 * "When I'm struggling": the participant's own warning signs, what helps and who to call,
 * then the same crisis numbers as "Get help now"; kind words and links when nothing is
 * written yet; only for the participant themselves. And the service worker that keeps it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { telHref } from './struggling.routes.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Signs in as a seeded participant no other test here uses. */
async function participant(index: number): Promise<TestClient> {
  const { participants } = await t.deps.services.demo.accounts();
  const person = participants[index];
  if (!person) throw new Error('not enough seeded participants');
  return t.signedInAsParticipant(person.id);
}

async function add(client: TestClient, sectionKey: string, fields: Record<string, string>) {
  await client.get(`/me/plan/${sectionKey}`);
  const response = await client.post(
    `/me/plan/${sectionKey}/entries`,
    { entryId: randomUUID(), saveId: randomUUID(), baseRevision: '0', ...fields },
    { headers: { accept: 'application/json' } },
  );
  expect(response.statusCode, response.body).toBe(200);
}

const telLinks = (html: string) => [...html.matchAll(/href="((?:tel|sms):[^"]+)"/g)].map((m) => m[1]);

describe("When I'm struggling", () => {
  it('says kindly that nothing is written yet and links to where to write it', async () => {
    const client = await participant(0);
    const response = await client.get('/me/struggling');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("<h1>When I'm struggling</h1>");
    expect(response.body).toContain('You have not written any early warning signs yet');
    expect(response.body).toContain('href="/me/plan/ups_and_downs"');
    expect(response.body).toContain('You have not added anyone yet');
    expect(response.body).toContain('href="/me/plan/people_and_places"');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('shows their warning signs, what helps, what others can do and the people they can call', async () => {
    const client = await participant(1);
    await add(client, 'ups_and_downs', {
      fieldKey: 'warning_signs',
      kind: 'list_item',
      text: 'Not sleeping',
    });
    await add(client, 'ups_and_downs', {
      fieldKey: 'what_i_will_do',
      kind: 'list_item',
      text: 'Walk the dog',
    });
    await add(client, 'ups_and_downs', {
      fieldKey: 'what_others_can_do',
      kind: 'list_item',
      text: 'Sit with me & talk',
    });
    await add(client, 'people_and_places', {
      fieldKey: 'supporters',
      kind: 'supporter',
      name: 'Auntie Bea',
      relationship: 'my aunt',
      howTheyHelp: 'Listens',
      howToReach: 'Mobile 07700 900123, after 6pm',
    });
    await add(client, 'people_and_places', {
      fieldKey: 'supporters',
      kind: 'supporter',
      name: 'Sam',
      relationship: '',
      howTheyHelp: '',
      howToReach: 'At the allotment on Sundays',
    });

    const body = (await client.get('/me/struggling')).body;
    expect(body).toContain('Not sleeping');
    expect(body).toContain('Walk the dog');
    expect(body).toContain('Sit with me &amp; talk');
    expect(body).toContain('<strong>Auntie Bea</strong> (my aunt)');
    expect(body).toContain('<a href="tel:07700900123">Call Auntie Bea</a>');
    // Words that hold no phone number are shown, never made into a call link.
    expect(body).toContain('At the allotment on Sundays');
    expect(body).not.toContain('Call Sam');
    expect(body).not.toContain('You have not written any early warning signs yet');
  });

  it('gives the same crisis numbers as "Get help now", their own crisis team first', async () => {
    const client = await participant(2);
    const help = (await client.get('/help')).body;
    const struggling = (await client.get('/me/struggling')).body;
    const helpLinks = telLinks(help);
    expect(helpLinks.length).toBeGreaterThanOrEqual(4);
    for (const link of helpLinks) expect(struggling, link).toContain(`href="${link}"`);
    for (const words of ['option 2 for mental health', '116 123', '999', 'A&amp;E']) {
      expect(struggling).toContain(words);
    }
  });

  it('is only for a signed-in participant', async () => {
    const anonymous = await t.client().get('/me/struggling');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/participant/sign-in?returnTo=%2Fme%2Fstruggling');
    const staff = await t.signedInAs(DEMO.workerPat);
    const response = await staff.get('/me/struggling');
    expect(response.statusCode).toBe(303);
    expect(response.body).not.toContain('early warning signs');
  });

  it('serves the service worker from the root as a script that is never cached in between', async () => {
    const response = await t.client().get('/sw.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toMatch(/no-(cache|store)/);
    expect(response.body).toContain("const PAGE = '/me/struggling'");
  });
});

describe('telHref', () => {
  it.each([
    ['07700 900123', 'tel:07700900123'],
    ['Mum: (0113) 496 0000 evenings', 'tel:01134960000'],
    ['+44 7700 900123', 'tel:+447700900123'],
    ['+44 (0)7700 900123', 'tel:+447700900123'],
    ['0113-496-0000', 'tel:01134960000'],
  ])('makes %s tap-to-call', (words, href) => {
    expect(telHref(words)).toBe(href);
  });

  it.each(['At the allotment on Sundays', 'sam@example.com', 'Flat 12, 40 Long Road', '123'])(
    'leaves %s as words',
    (words) => {
      expect(telHref(words)).toBeUndefined();
    },
  );
});
