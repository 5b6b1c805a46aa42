/** Journey 8: at 320 CSS pixels wide nothing needs scrolling sideways (WCAG 1.4.10 Reflow). */
import { expect, test, type Page } from '@playwright/test';
import { ParticipantSummaryPage, ReferralFormPage, SharedContactStepPage } from './pages/referral.pages.ts';
import { ParticipantCodePage, ParticipantSignInPage } from './pages/participant.pages.ts';
import { OutboxPage } from './pages/staff-sign-in.pages.ts';
import { BookSessionPage, SummarySessions } from './pages/sessions.pages.ts';
import { StaffSignInPage } from './pages/staff-sign-in.pages.ts';
import { checkPage } from './support/checks.ts';
import {
  buildReferral,
  dateParts,
  fullName,
  isoDaysAgo,
  uniqueFamilyName,
  uniqueMobile,
} from './support/data.ts';
import { COORDINATOR, demoSignIn, refer } from './support/flows.ts';

test.use({ viewport: { width: 320, height: 640 } });

interface Overflow {
  width: number;
  widest: string[];
}

/** How wide the page is, and the innermost elements that reach past 320 px: what a fix would look at. */
function measure(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const past = Array.from(document.querySelectorAll('body *')).filter(
      (element) => element.getBoundingClientRect().right > 321,
    );
    const innermost = past.filter(
      (element) => !past.some((other) => other !== element && element.contains(other)),
    );
    return {
      width: document.documentElement.scrollWidth,
      widest: innermost.slice(0, 5).map((element) => {
        const classes = Array.from(element.classList)
          .map((name) => `.${name}`)
          .join('');
        const text = element.textContent.replace(/\s+/g, ' ').trim().slice(0, 40);
        return `${element.tagName.toLowerCase()}${classes} "${text}" (right edge ${String(Math.round(element.getBoundingClientRect().right))} px)`;
      }),
    };
  });
}

/**
 * Opens a page and checks it fits in 320 px once loaded. (Before the header's script folds links
 * into "More", they wrap; the no-JavaScript journeys cover pages without it.) A page that does
 * not fit is reported, with what sticks out, and the walk goes on.
 */
async function expectReflows(page: Page, path: string, heading?: string | RegExp): Promise<void> {
  if (path) await page.goto(path);
  if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  // As first laid out, before any script has run, and again once scripts have settled. A
  // document still being replaced by the navigation (a back step just before) is measured again
  // once the new one has loaded.
  const first = await measure(page).catch(async () => {
    await page.waitForLoadState('domcontentloaded');
    return measure(page);
  });
  expect
    .soft(first.width, `page width at 320 px as it loads on ${page.url()}: ${first.widest.join('; ')}`)
    .toBeLessThanOrEqual(320);
  await page.waitForLoadState('load');
  const settled = await measure(page);
  expect
    .soft(settled.width, `page width at 320 px on ${page.url()}: ${settled.widest.join('; ')}`)
    .toBeLessThanOrEqual(320);
  await checkPage(page);
}

test('public pages and sign-in fit a 320 px screen', async ({ page }) => {
  await expectReflows(page, '/', 'Greenleaf');
  await expectReflows(page, '/help', 'Get help now');
  await expectReflows(page, '/participant/sign-in', 'Sign in to Greenleaf');
  await expectReflows(page, '/demo', 'Demo accounts');
  const signIn = new StaffSignInPage(page);
  await signIn.open();
  await signIn.signIn('coordinator@demo.greenleaf.nhs.uk', 'wrong-password-for-reflow');
  await expect(signIn.errorSummary.heading).toBeVisible();
  await expectReflows(page, '');
});

test('staff pages fit a 320 px screen', async ({ page }) => {
  test.setTimeout(120_000);
  await demoSignIn(page, COORDINATOR);
  // Discharged today, so /demo (which lists the most recently discharged) offers to sign in as them.
  const data = buildReferral({
    familyName: uniqueFamilyName(`Reflow-${test.info().project.name}`),
    dischargedOn: isoDaysAgo(0),
  });
  const participantId = await refer(page, data);
  await expectReflows(page, '/allocation', 'Waiting for a peer support worker');
  await expectReflows(page, `/participants/${participantId}`);
  await expect(new ParticipantSummaryPage(page).allocateButton).toBeVisible();
  await expectReflows(page, `/participants/${participantId}/allocate`, 'Allocate a peer support worker');
  await expectReflows(page, '/referrals', 'Referrals');
  await expectReflows(page, '/referrals/new', 'Refer someone at discharge');
  await page.getByRole('button', { name: 'Send referral' }).click();
  await expectReflows(page, '');
  await expectReflows(page, '/caseloads', 'Caseloads');
  await page.getByRole('link', { name: 'Rob Reyes', exact: true }).click();
  await page.getByRole('link', { name: 'Mark Rob Reyes as away' }).click();
  await expectReflows(page, '', 'Mark as away');
  await expectReflows(page, '/demo/outbox', 'Outbox');
  await expectReflows(page, '/admin/teams', 'Crisis teams');
  await expectReflows(page, '/admin/staff', 'Staff accounts');
  await expectReflows(page, '/admin/storage', 'Storage used by recovery plans');

  await demoSignIn(page, 'Pat Peer');
  await expectReflows(page, '/caseload', 'My caseload');
  // Booking a session with one of Pat's participants whose window is open (the caseload lists the
  // most urgent first, and someone's window may have ended), and recording it.
  await page
    .locator('.app-caseload-card')
    .filter({ hasNotText: /Ended|window closes|window has ended/ })
    .locator('.nhsuk-card__link')
    .first()
    .click();
  await expectReflows(page, '');
  await page.getByRole('button', { name: 'Record a contact attempt' }).click();
  await expectReflows(page, '', 'Record a contact attempt');
  await page.goBack();
  await page
    .getByRole('link', { name: /^Change/ })
    .first()
    .click();
  await expectReflows(page, '');
  await page.goBack();
  await page.getByRole('button', { name: 'End the programme' }).click();
  await expectReflows(page, '', 'End the programme');
  await page.goBack();
  const sessions = new SummarySessions(page);
  await sessions.bookButton.click();
  await expectReflows(page, '', 'Book a session');
  const booking = new BookSessionPage(page);
  await booking.bookButton.click();
  await expect(booking.errorSummary.heading).toBeVisible();
  await expectReflows(page, '');
  // Today: the participant may have been discharged today by another journey.
  await booking.book(dateParts(isoDaysAgo(0)), '09:30', 'Phone');
  await expect(sessions.attended).toBeVisible();
  await expectReflows(page, '');
  // The participant may have earlier sessions, recorded or not: any session's record page will do.
  await sessions.recordLink(0).click();
  await expectReflows(page, '', /^(Record|Change) what happened$/);
  await demoSignIn(page, fullName(data));
  await expectReflows(page, '/me', `Hello, ${data.givenName}`);
});

test('the recovery plan fits a 320 px screen', async ({ page }) => {
  test.setTimeout(120_000);
  // The demo participant with the fullest plan: goals, people, services, earlier versions.
  await demoSignIn(page, 'Sia Jones'); // Sian, who goes by Sia
  await expectReflows(page, '/me/plan', 'My recovery plan');
  for (const [section, title] of [
    ['moving_on', 'Moving on after a crisis'],
    ['recovery_means', 'What recovery means to me'],
    ['keeping_well', 'Keeping well'],
    ['ups_and_downs', 'Managing ups and downs'],
    ['hopes_and_goals', 'Hopes, dreams and goals'],
    ['tackling_problems', 'Tackling problems'],
    ['people_and_places', 'People and places that help'],
  ] as const) {
    await expectReflows(page, `/me/plan/${section}`, title);
  }
  await page
    .getByRole('link', { name: /^Earlier versions/ })
    .first()
    .click();
  await expectReflows(page, '', 'Earlier versions');
  await expectReflows(page, '/me/plan/sharing', 'Who can see my plan');
  await expectReflows(page, '/me/plan/views', 'Who has looked at my plan');
  await expectReflows(page, '/me/plan/print');
  await expectReflows(page, '/me/struggling', "When I'm struggling");
  await expectReflows(page, '/plan/information/early_warning_signs', 'About early warning signs');
});

test('a shared mobile: the referral step, its answers and the sign-in refusal fit a 320 px screen', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await demoSignIn(page, COORDINATOR);
  const mobile = uniqueMobile();
  await refer(page, buildReferral({ mobile }));
  const form = new ReferralFormPage(page);
  const step = new SharedContactStepPage(page);
  for (const answer of ['same', 'different'] as const) {
    await form.open();
    await form.fill(buildReferral({ givenName: 'Dee', mobile }));
    await form.send();
    await expectReflows(page, '', 'Check if this person is already in Greenleaf');
    if (answer === 'same') {
      await step.continueButton.click();
      await expect(step.errorSummary.heading).toBeVisible();
      await expectReflows(page, '');
    }
    await step.answer(answer);
    await expectReflows(page, '', answer === 'same' ? 'Do not refer them again' : undefined);
  }
  await expect(new ParticipantSummaryPage(page).sharedContactNote).toBeVisible();
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();

  const signIn = new ParticipantSignInPage(page);
  await signIn.open();
  await signIn.requestCode(mobile);
  const codePage = new ParticipantCodePage(page);
  await codePage.expectLoaded();
  const staff = await browser.newContext({ baseURL });
  try {
    const outbox = new OutboxPage(await staff.newPage());
    await demoSignIn(outbox.page, 'Sunita Supervisor');
    await outbox.open();
    await codePage.enter(await outbox.latestCodeFor(`+44${mobile.replace(/\s/g, '').slice(1)}`));
  } finally {
    await staff.close();
  }
  await expectReflows(page, '', 'We cannot sign you in with this mobile number');
});

test('the workforce pages fit a 320 px screen', async ({ page }) => {
  test.setTimeout(120_000);
  await demoSignIn(page, COORDINATOR);
  await expectReflows(page, '/workforce', 'Workforce');
  // The training matrix is wide: it scrolls inside its own box, never the page.
  await expectReflows(page, '/training', 'Training and checks');
  await page.getByRole('link', { name: 'Rob Reyes' }).click();
  await expectReflows(page, '', 'Training and checks');
  await expectReflows(page, '/supervision', 'Supervision');
  await expectReflows(page, '/supervision/group', 'Record group supervision');
  await expectReflows(page, '/appointments', 'Appointments');
  await expectReflows(page, '/appointments/new', 'Open a vacancy');
  await expectReflows(page, '/wellbeing/teams', 'Requests for support by team');

  await demoSignIn(page, 'Pat Peer');
  await expectReflows(page, '/training/mine', 'My training');
  await expectReflows(page, '/supervision/mine', 'My supervision');
  await expectReflows(page, '/peer-support', 'Peer support');
  await expectReflows(page, '/wellbeing', 'Support for you');

  await demoSignIn(page, 'Sunita Supervisor');
  await expectReflows(page, '/wellbeing/requests', 'Requests for support');
});
