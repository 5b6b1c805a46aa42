/**
 * The header (and the "More" menu it folds into on a phone) offers only pages the person may
 * open: for every demo account, each link in the header of their home page answers 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../../test-support/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The links in the header's navigation, read from the page as a browser gets it. */
function menuLinks(html: string): string[] {
  const nav = /<nav class="nhsuk-header__navigation"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/<a class="nhsuk-header__navigation-link" href="([^"]+)"/g)].map((m) => m[1]!);
}

async function openEveryMenuLink(client: TestClient): Promise<Record<string, number>> {
  const home = await client.get('/');
  expect(home.statusCode).toBe(303);
  const page = await client.get(home.headers.location as string);
  expect(page.statusCode).toBe(200);
  const links = menuLinks(page.body);
  expect(links.length).toBeGreaterThan(0);
  const answers: Record<string, number> = {};
  for (const href of links) answers[href] = (await client.get(href)).statusCode;
  return answers;
}

describe('the header offers only pages that open', () => {
  for (const [who, email] of Object.entries(DEMO)) {
    it(`every link in ${who}'s header answers 200`, async () => {
      const answers = await openEveryMenuLink(await t.signedInAs(email));
      expect(Object.entries(answers).filter(([, status]) => status !== 200)).toEqual([]);
    });
  }

  it("every link in a participant's header answers 200", async () => {
    const [participant] = (await t.deps.services.demo.accounts()).participants;
    const answers = await openEveryMenuLink(await t.signedInAsParticipant(participant!.id));
    expect(Object.keys(answers)).toEqual(['/me', '/me/plan']);
    expect(Object.values(answers)).toEqual([200, 200]);
  });
});
