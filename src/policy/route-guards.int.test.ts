/**
 * Every route the app registers has an access decision written down here: the policy action its
 * service asks before it reads or writes, or why it needs none. A route added without a row
 * fails, and so does a row left behind when a route goes. `route-access.int.test.ts` checks the
 * pages through HTTP for every role; this table makes sure none is forgotten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.ts';
import type { Action } from './policy.ts';

type Guard =
  | Action
  /** Anyone, signed in or not: information, the steps of signing in, probes, static files. */
  | 'public'
  /** A link that carries its own secret (a calendar file, an account set-up link). */
  | 'token'
  /** Anyone signed in, about their own sign-in only. */
  | 'signed in'
  /** Any member of staff, showing nothing but their own name and roles. */
  | 'staff'
  /** The demo's sign-in page and buttons: registered only in demo mode. */
  | 'demo';

const participantPlan = (prefix: string): Record<string, Guard> => ({
  [`GET ${prefix}/print`]: 'plan.view',
  [`GET ${prefix}/pdf`]: 'plan.view',
  [`GET ${prefix}/media/:mediaId`]: 'plan.view',
  [`GET ${prefix}/:sectionKey`]: 'plan.view',
  [`POST ${prefix}/:sectionKey/entries`]: 'plan.write',
  [`POST ${prefix}/:sectionKey/entries/:entryId/remove`]: 'plan.write',
  [`POST ${prefix}/:sectionKey/entries/:entryId/restore`]: 'plan.write',
  [`GET ${prefix}/:sectionKey/entries/:entryId/history`]: 'plan.view',
  [`POST ${prefix}/:sectionKey/media`]: 'plan.write',
});

/** Method and path as Fastify registers them (HEAD goes with GET). */
const GUARDS: Record<string, Guard> = {
  'GET /': 'public',
  'GET /*': 'public',
  'GET /assets/:asset': 'public',
  'GET /help': 'public',
  'GET /accessibility': 'public',
  'GET /privacy': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /sw.js': 'public',
  'GET /plan/information/:infoKey': 'public',
  'GET /plan/workbook.pdf': 'public',

  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  'GET /sign-in/new-password': 'public',
  'POST /sign-in/new-password': 'public',
  'GET /sign-in/security-code': 'public',
  'POST /sign-in/security-code': 'public',
  'GET /sign-in/set-up-authenticator': 'public',
  'POST /sign-in/set-up-authenticator': 'public',
  'GET /signed-out': 'public',
  'GET /participant/sign-in': 'public',
  'POST /participant/sign-in': 'public',
  'POST /participant/sign-in/code': 'public',
  'GET /account/set-up/done': 'public',
  'GET /account/set-up/:token': 'token',
  'POST /account/set-up/:token': 'token',
  'GET /calendar/:file': 'token',
  'POST /sign-out': 'signed in',
  'POST /session/extend': 'signed in',
  'GET /home': 'staff',

  'GET /demo': 'demo',
  'POST /demo/sign-in/staff/:staffId': 'demo',
  'POST /demo/sign-in/participant/:participantId': 'demo',
  'GET /demo/outbox': 'outbox.view',

  'GET /account/password': 'account.change_password',
  'POST /account/password': 'account.change_password',

  'GET /admin/teams': 'team.manage',
  'GET /admin/teams/new': 'team.manage',
  'POST /admin/teams/new': 'team.manage',
  'GET /admin/teams/:teamId/edit': 'team.manage',
  'POST /admin/teams/:teamId/edit': 'team.manage',
  'GET /admin/staff': 'staff.manage',
  'GET /admin/staff/new': 'staff.manage',
  'POST /admin/staff/new': 'staff.manage',
  'GET /admin/staff/:staffId': 'staff.manage',
  'GET /admin/staff/:staffId/edit': 'staff.manage',
  'POST /admin/staff/:staffId/edit': 'staff.manage',
  'POST /admin/staff/:staffId/enable': 'staff.manage',
  'POST /admin/staff/:staffId/disable': 'staff.manage',
  'POST /admin/staff/:staffId/end-sessions': 'staff.manage',
  'POST /admin/staff/:staffId/reset-mfa': 'staff.manage',
  'POST /admin/staff/:staffId/send-set-up-link': 'staff.manage',
  'GET /admin/storage': 'plan.storage',
  'GET /admin/messages/not-delivered': 'messages.view_undelivered',

  'GET /referrals': 'referral.list',
  'GET /referrals/new': 'referral.create',
  'POST /referrals': 'referral.create',
  'GET /allocation': 'allocation.list_waiting',
  'GET /caseload': 'caseload.view',
  'GET /caseloads': 'caseload.overview',
  'GET /caseloads/:workerId': 'caseload.view',
  'GET /caseloads/:workerId/away': 'reallocation.request',
  'POST /caseloads/:workerId/away': 'reallocation.request',
  'POST /caseloads/:workerId/back': 'reallocation.request',

  'GET /participants/:participantId': 'participant.view',
  'GET /participants/:participantId/allocate': 'participant.allocate',
  'POST /participants/:participantId/allocate': 'participant.allocate',
  'GET /participants/:participantId/sessions/new': 'session.book',
  'POST /participants/:participantId/sessions/new': 'session.book',
  'GET /participants/:participantId/sessions/past': 'session.record',
  'POST /participants/:participantId/sessions/past': 'session.record',
  'POST /participants/:participantId/change-requests/:requestId/resolve': 'session.record',
  'GET /participants/:participantId/contacts/new': 'contact.record',
  'POST /participants/:participantId/contacts/new': 'contact.record',
  'GET /participants/:participantId/consent': 'consent.record',
  'POST /participants/:participantId/consent': 'consent.record',
  'GET /participants/:participantId/concerns/new': 'concern.raise',
  'POST /participants/:participantId/concerns/new': 'concern.raise',
  'GET /participants/:participantId/reminders': 'reminders.manage',
  'POST /participants/:participantId/reminders': 'reminders.manage',
  'GET /participants/:participantId/ending': 'programme.end',
  'POST /participants/:participantId/ending': 'programme.end',
  'GET /participants/:participantId/ending/summary': 'ending.view',
  'GET /participants/:participantId/ending/share': 'ending.share',
  'POST /participants/:participantId/ending/share': 'ending.share',
  'GET /participants/:participantId/plan': 'plan.open',
  ...participantPlan('/participants/:participantId/plan'),
  'GET /sessions/:sessionId/record': 'session.record',
  'POST /sessions/:sessionId/record': 'session.record',
  'POST /sessions/:sessionId/planned-ending': 'session.record',

  'GET /me': 'participant.view',
  'GET /me/summary': 'ending.view',
  'GET /me/feedback': 'feedback.give',
  'POST /me/feedback': 'feedback.give',
  'GET /me/feedback/thanks': 'feedback.give',
  'GET /reports/feedback': 'feedback.report',
  // Trial mode only (trial.int.test.ts); without it every one answers "not found".
  'GET /trial': 'trial.view',
  'GET /trial/screenings': 'trial.view',
  'GET /trial/screenings/new': 'trial.screen',
  'POST /trial/screenings/new': 'trial.screen',
  'GET /trial/screenings/:screeningId': 'trial.view',
  'GET /trial/screenings/:screeningId/approach': 'trial.screen',
  'POST /trial/screenings/:screeningId/approach': 'trial.screen',
  'GET /trial/screenings/:screeningId/consent': 'trial.consent',
  'POST /trial/screenings/:screeningId/consent': 'trial.consent',
  'GET /trial/screenings/:screeningId/withdrawal': 'trial.consent',
  'POST /trial/screenings/:screeningId/withdrawal': 'trial.consent',
  'POST /trial/screenings/:screeningId/randomise': 'trial.randomise',
  'GET /trial/balance': 'trial.read_arm',
  'GET /trial/set-up': 'trial.set_up',
  'POST /trial/set-up': 'trial.set_up',
  'GET /trial/screenings/:screeningId/sae': 'trial.sae',
  'POST /trial/screenings/:screeningId/sae': 'trial.sae',
  'GET /trial/saes': 'trial.sae',
  'GET /trial/saes/:saeId': 'trial.sae',
  'POST /trial/saes/:saeId': 'trial.sae',
  'GET /trial/screenings/:screeningId/participant': 'trial.arrange_care',
  'POST /trial/screenings/:screeningId/participant': 'trial.arrange_care',
  'GET /trial/screenings/:screeningId/workbook': 'trial.arrange_care',
  'POST /trial/screenings/:screeningId/workbook': 'trial.arrange_care',
  'GET /trial/episodes': 'trial.episodes',
  'POST /trial/episodes': 'trial.episodes',
  'GET /trial/episodes/:studyId': 'trial.episodes',
  'GET /trial/episodes/:studyId/new': 'trial.episodes',
  'POST /trial/episodes/:studyId/new': 'trial.episodes',
  'GET /trial/episodes/:studyId/:episodeId': 'trial.episodes',
  'POST /trial/episodes/:studyId/:episodeId': 'trial.episodes',
  'GET /trial/outcomes': 'trial.outcomes',
  'GET /trial/outcomes/:trialId': 'trial.outcomes',
  'GET /trial/outcomes/:trialId/dmc-reports/new': 'trial.outcomes',
  'POST /trial/outcomes/:trialId/dmc-reports/new': 'trial.outcomes',
  'GET /trial/outcomes/:trialId/dmc-reports/:reportId': 'trial.outcomes',
  'GET /trial/follow-ups': 'trial.follow_up',
  'GET /trial/follow-ups/:randomisationId/:timePoint': 'trial.follow_up',
  'POST /trial/follow-ups/:randomisationId/:timePoint': 'trial.follow_up',
  'GET /trial/follow-ups/:randomisationId/:timePoint/not-done': 'trial.follow_up',
  'POST /trial/follow-ups/:randomisationId/:timePoint/not-done': 'trial.follow_up',
  'POST /trial/follow-ups/:randomisationId/:timePoint/invite': 'trial.follow_up_invite',
  'GET /trial/unblindings/new': 'trial.record_unblinding',
  'POST /trial/unblindings/new': 'trial.record_unblinding',
  'GET /trial/unblindings': 'trial.view_unblindings',
  // The participant's follow-up questionnaire: the invitation's one-time link is the secret.
  'GET /follow-up/:token': 'token',
  'POST /follow-up/:token': 'token',
  'GET /follow-up/thank-you': 'public',
  'GET /trial/queries': 'trial.query_raise',
  'GET /trial/queries/new': 'trial.query_raise',
  'POST /trial/queries/new': 'trial.query_raise',
  'GET /trial/queries/:queryId': 'trial.query_raise',
  'POST /trial/queries/:queryId': 'trial.query_answer',
  'GET /trial/queries/:queryId/follow-up': 'trial.query_raise',
  'POST /trial/queries/:queryId/follow-up': 'trial.query_raise',
  'POST /trial/queries/:queryId/close': 'trial.query_raise',
  'GET /trial/deviations': 'trial.deviation',
  'GET /trial/deviations/new': 'trial.deviation',
  'POST /trial/deviations/new': 'trial.deviation',
  'GET /trial/deviations/:deviationId': 'trial.deviation',
  'GET /trial/lock': 'trial.lock',
  'POST /trial/lock': 'trial.lock',
  'GET /trial/exports': 'trial.export',
  'POST /trial/exports': 'trial.export',
  'GET /trial/exports/:file': 'trial.export',
  'GET /me/struggling': 'plan.open',
  'GET /me/reminders': 'reminders.manage',
  'POST /me/reminders': 'reminders.manage',
  'GET /me/sessions/:sessionId/rearrange': 'session.request_change',
  'POST /me/sessions/:sessionId/rearrange': 'session.request_change',
  'GET /me/sessions/:sessionId/calendar.ics': 'participant.view',
  'GET /me/about-you': 'equality.update_own',
  'GET /me/about-you/:question': 'equality.update_own',
  'POST /me/about-you/:question': 'equality.update_own',
  'GET /me/plan': 'plan.open',
  'POST /me/plan/first-sharing': 'plan.share',
  'GET /me/plan/sharing': 'plan.share',
  'POST /me/plan/sharing': 'plan.share',
  'GET /me/plan/views': 'plan.share',
  ...participantPlan('/me/plan'),

  'GET /concerns/inbox': 'concern.inbox',
  'GET /concerns/mine': 'concern.list_own',
  'GET /concerns/overview': 'concern.oversee',
  'GET /concerns/overview/teams/:crisisTeamId': 'concern.oversee',
  'GET /concerns/:concernId': 'concern.view',
  'GET /concerns/:concernId/call-999': 'concern.confirm_999',
  'POST /concerns/:concernId/call-999': 'concern.confirm_999',
  'POST /concerns/:concernId/acknowledge': 'concern.respond',
  'POST /concerns/:concernId/close': 'concern.respond',
  'POST /concerns/:concernId/messages': 'concern.message',

  'GET /lone-working': 'loneworking.check_in',
  'GET /lone-working/check-in': 'loneworking.check_in',
  'POST /lone-working/check-in': 'loneworking.check_in',
  'POST /lone-working/:visitId/check-out': 'loneworking.check_in',
  'GET /lone-working/overdue': 'loneworking.oversee',
  'POST /lone-working/:visitId/acknowledge': 'loneworking.acknowledge',

  'GET /training': 'training.matrix',
  'GET /training.csv': 'training.matrix',
  'GET /training/mine': 'training.view',
  'GET /training/workers/:staffId': 'training.view',
  'GET /training/workers/:staffId/record': 'training.record',
  'POST /training/workers/:staffId/record': 'training.record',
  'GET /training/workers/:staffId/records/:recordId/withdraw': 'training.record',
  'POST /training/workers/:staffId/records/:recordId/withdraw': 'training.record',
  'GET /training/workers/:staffId/checks': 'checks.record',
  'POST /training/workers/:staffId/checks': 'checks.record',
  'GET /training/workers/:staffId/allow': 'allocation.override',
  'POST /training/workers/:staffId/allow': 'allocation.override',
  'POST /training/workers/:staffId/allow/end': 'allocation.override',
  'GET /training/workers/:staffId/supervisor': 'supervision.assign',
  'GET /supervision': 'supervision.oversee',
  'GET /supervision/mine': 'supervision.view_own',
  'GET /supervision/one-to-one/:sessionId': 'supervision.read_one_to_one',
  'GET /supervision/workers/:workerId/one-to-one': 'supervision.record_one_to_one',
  'POST /supervision/workers/:workerId/one-to-one': 'supervision.record_one_to_one',
  'GET /supervision/group': 'supervision.record_group',
  'GET /supervision/workers/:workerId/targets': 'supervision.assign',
  'POST /supervision/workers/:workerId/targets': 'supervision.assign',
  'POST /supervision/group': 'supervision.record_group',
  'GET /workforce': 'workforce.overview',
  'GET /reports': 'reports.view',
  'GET /reports/download': 'reports.export',
  'GET /appointments': 'appointment.view',
  'GET /appointments/new': 'appointment.manage',
  'POST /appointments/new': 'appointment.manage',
  'GET /appointments/:vacancyId': 'appointment.view',
  'GET /appointments/:vacancyId/candidates/new': 'appointment.manage',
  'POST /appointments/:vacancyId/candidates/new': 'appointment.manage',
  'GET /appointments/candidates/:candidateId': 'appointment.view',
  'GET /appointments/candidates/:candidateId/scores': 'appointment.view',
  'POST /appointments/candidates/:candidateId/scores': 'appointment.score',
  'GET /appointments/candidates/:candidateId/decision': 'appointment.view',
  'POST /appointments/candidates/:candidateId/decision': 'appointment.decide',
  'GET /peer-support': 'peersupport.view',
  'POST /peer-support': 'peersupport.ask',
  'GET /peer-support/:requestId': 'peersupport.view',
  'POST /peer-support/:requestId': 'peersupport.message',
  'POST /peer-support/:requestId/take': 'peersupport.take',
  'POST /peer-support/:requestId/close': 'peersupport.message',
  'POST /training/workers/:staffId/experienced': 'peersupport.mark_experienced',
  'GET /wellbeing': 'wellbeing.ask',
  'POST /wellbeing': 'wellbeing.ask',
  'GET /wellbeing/requests': 'wellbeing.inbox',
  'POST /wellbeing/requests/:requestId/acknowledge': 'wellbeing.acknowledge',
  'GET /wellbeing/teams': 'wellbeing.counts',
  'POST /training/workers/:staffId/supervisor': 'supervision.assign',
};

/**
 * Method and path of every route, read from Fastify's own route tree (`printRoutes` with
 * `commonPrefix: false`: one node a line, its depth shown by four-character indents). Built
 * assets carry a content hash in their names, so they are one row.
 */
function registeredRoutes(tree: string): string[] {
  const routes: string[] = [];
  const pathAt: string[] = [''];
  for (const line of tree.split('\n')) {
    const node = /^([\s│]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    const depth = node[1]!.length / 4 + 1;
    const path = `${pathAt[depth - 1]!}${node[2]!}`.replace(/^\/\//, '/');
    pathAt[depth] = path;
    const methods = (node[3] ?? '').split(', ').filter((method) => method !== '' && method !== 'HEAD');
    const named = path.startsWith('/assets/') ? '/assets/:asset' : path;
    for (const method of methods) routes.push(`${method} ${named}`);
  }
  return [...new Set(routes)].sort();
}

let t: TestApp;
let routes: string[];

beforeAll(async () => {
  t = await createTestApp();
  routes = registeredRoutes(t.app.printRoutes({ commonPrefix: false }));
});
afterAll(async () => {
  await t.close();
});

describe('every route has an access decision', () => {
  it('reads the routes the app registers', () => {
    expect(routes).toContain('GET /participants/:participantId');
    expect(routes).toContain('POST /concerns/:concernId/messages');
    expect(routes.length).toBeGreaterThan(100);
  });

  it('names the action (or the reason for none) of every registered route', () => {
    expect(routes.filter((route) => !(route in GUARDS))).toEqual([]);
  });

  it('has no row for a route that is not there', () => {
    expect(Object.keys(GUARDS).filter((route) => !routes.includes(route))).toEqual([]);
  });
});
