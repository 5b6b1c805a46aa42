/** Journey 6: a participant signs in with a code sent to their mobile. */
import { test } from '@playwright/test';
import { HelpPage } from './pages/public.pages.ts';
import { MyProgrammePage, ParticipantCodePage, ParticipantSignInPage } from './pages/participant.pages.ts';
import { OutboxPage } from './pages/staff-sign-in.pages.ts';
import { checkPage } from './support/checks.ts';
import { demoSignIn } from './support/flows.ts';

// Seeded participants with a worker (src/demo/seed.ts), one per project so the two never share a
// code: Kwame Mensah (North team, Rob) and Olu Adeyemi (North team, Pat).
const PARTICIPANTS = {
  phone: { mobile: '07700 900006', stored: '+447700900006', displayName: 'Kwame', worker: 'Rob' },
  desktop: { mobile: '07700 900010', stored: '+447700900010', displayName: 'Olu', worker: 'Pat' },
} as const;
const NORTH = { name: 'North crisis resolution team', phone: '0113 496 0000' };

test('a participant signs in with a code and sees their worker and crisis team', async ({
  page,
  browser,
  baseURL,
}) => {
  const who = test.info().project.name === 'phone' ? PARTICIPANTS.phone : PARTICIPANTS.desktop;

  const signIn = new ParticipantSignInPage(page);
  await signIn.open();
  await checkPage(page, 'participant-sign-in');
  await signIn.requestCode('');
  await signIn.errorSummary.expectErrors(['Enter your mobile phone number or email address']);
  await checkPage(page, 'participant-sign-in-errors');
  await signIn.errorSummary.expectLinkFocuses(
    'Enter your mobile phone number or email address',
    signIn.contact,
  );

  await signIn.requestCode(who.mobile);
  const codePage = new ParticipantCodePage(page);
  await codePage.expectLoaded();
  await checkPage(page, 'participant-code');

  // The text message, read from the demo outbox by a member of staff in another browser.
  const staff = await browser.newContext({ baseURL });
  try {
    const staffPage = await staff.newPage();
    await demoSignIn(staffPage, 'Sunita Supervisor');
    const outbox = new OutboxPage(staffPage);
    await outbox.open();
    await checkPage(staffPage, 'outbox');
    const code = await outbox.latestCodeFor(who.stored);

    // A wrong code first.
    await codePage.enter(code === '000000' ? '111111' : '000000');
    await codePage.errorSummary.expectErrors([
      'The code is not right or has expired. Check it, or ask for a new code',
    ]);
    await checkPage(page, 'participant-code-errors');
    await codePage.errorSummary.expectLinkFocuses('The code is not right', codePage.code);

    await codePage.enter(code);
  } finally {
    await staff.close();
  }

  const me = new MyProgrammePage(page);
  await me.expectLoaded(who.displayName);
  await me.expectWorker(who.worker);
  // Both have a next session booked in the demo data (src/demo/seed.ts).
  await me.expectUpcomingSessions(who.worker);
  await me.expectCrisisTeam(NORTH.name, NORTH.phone);
  await checkPage(page, 'my-programme');

  await page.getByRole('banner').getByRole('link', { name: 'Get help now' }).click();
  const help = new HelpPage(page);
  await help.expectLoaded();
  await help.expectCrisisTeam(NORTH.name, NORTH.phone);
  await help.expectNationalContacts();
  await checkPage(page, 'help-participant');
});
