/** The trial's pages (trial mode only): its home, the screening log, screening, consent, withdrawal. */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, notices, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { pageNumber } from '../platform/http/pages.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import {
  APPROACH_FIELDS,
  CONSENT_ANCHORS,
  CONSENT_FIELDS,
  CONSENT_VALUES,
  parseApproachForm,
  parseConsentForm,
  parseScreeningForm,
  parseWithdrawalForm,
  REASON_MAX,
  SCREENING_ANCHORS,
  screeningFields,
  screeningValues,
  WITHDRAWAL_ANCHORS,
  WITHDRAWAL_FIELDS,
  WITHDRAWAL_VALUES,
} from './trial.form.ts';
import { WITHDRAWAL_SCOPES } from './withdrawal-scopes.ts';
import { ARM_NAMES } from './randomisation.service.ts';
import { newRandomiseToken } from './randomisation.routes.ts';
import {
  homeView,
  logView,
  screeningFormView,
  screeningView,
  withdrawalFormView,
} from './trial.view-model.ts';

const noticeFor = notices({
  screened: 'Screening added to the log.',
  consented: 'Consent recorded.',
  declined: 'Recorded that they declined.',
  not_approached: 'Recorded that they were not approached.',
  withdrawn: 'Withdrawal recorded.',
  randomised: 'Randomised. Their study ID is below.',
  set_up: 'The trial is set up and open.',
  linked: 'Their participant record is linked.',
  posted: 'Workbook posting recorded.',
});

export function registerTrialRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { trial, randomisation, trialParticipants } = services;
  const screeningPath = (id: string) => `/trial/screenings/${id}`;

  app.get('/trial', async (request, reply) => {
    const ctx = staffContext(request);
    const home = await trial.home(ctx);
    const randomised = home ? await randomisation.flowCounts(ctx) : undefined;
    return reply.render('trial/home.njk', {
      contentWidth: 'two-thirds',
      successMessage: noticeFor(queryText(request, 'done')),
      trialLocked: home?.trial.lockedAt,
      mayLock: home?.mayLock,
      ...homeView(home, randomised),
    });
  });

  app.get('/trial/screenings', async (request, reply) => {
    const log = await trial.screeningLog(staffContext(request), pageNumber(request));
    return reply.render('trial/log.njk', {
      pageTitle: 'Screening log',
      backLinkHref: '/trial',
      trialLocked: log.trial.lockedAt,
      ...logView(trial.checklist, log),
    });
  });

  registerFormPage(app, {
    path: '/trial/screenings/new',
    signedIn: staffContext,
    route: () => undefined,
    submissionToken: true,
    values: screeningValues(trial.checklist),
    initialValues: () => {
      const [year = '', month = '', day = ''] = trial.today().split('-');
      return {
        'screenedOn[day]': String(Number(day)),
        'screenedOn[month]': String(Number(month)),
        'screenedOn[year]': year,
      };
    },
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      const { teams } = await trial.screeningTeams(staffContext(request));
      return reply.render(
        'trial/screen.njk',
        {
          pageTitle: 'Screen someone',
          contentWidth: 'two-thirds',
          backLinkHref: '/trial/screenings',
          ...screeningFormView(trial.checklist, teams),
          values,
          ...errorSummary(errors, screeningFields(trial.checklist), SCREENING_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseScreeningForm(trial.checklist, request.body, { today: trial.today() }),
    save: async (_route, value, request) => {
      const id = await trial.screen(staffContext(request), value);
      return `${screeningPath(id)}?done=screened`;
    },
  });

  app.get('/trial/screenings/:screeningId', async (request, reply) => {
    const ctx = staffContext(request);
    const page = await trial.screening(ctx, idParam(request.params, 'screeningId'));
    const randomised = await randomisation.panel(
      ctx,
      page.screening,
      page.consent,
      page.withdrawals.length > 0,
    );
    const care = randomised.randomised ? await trialParticipants.panel(ctx, page.screening.id) : null;
    return reply.render('trial/screening.njk', {
      contentWidth: 'two-thirds',
      backLinkHref: '/trial/screenings',
      successMessage: noticeFor(queryText(request, 'done')),
      ...screeningView(trial.checklist, page),
      trialLocked: page.trial.lockedAt,
      ...randomised,
      armName: randomised.randomised?.arm ? ARM_NAMES[randomised.randomised.arm] : null,
      randomiseToken: newRandomiseToken(),
      care,
    });
  });

  registerFormPage(app, {
    path: '/trial/screenings/:screeningId/consent',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'screeningId'),
    submissionToken: true,
    values: CONSENT_VALUES,
    render: async (request, reply, id, { values = {}, errors, status }) => {
      // Shown again after someone else recorded the outcome first: the form says so.
      const page = errors
        ? await trial.screening(staffContext(request), id)
        : await trial.awaitingDecision(staffContext(request), id);
      return reply.render(
        'trial/consent.njk',
        {
          pageTitle: 'Record consent',
          contentWidth: 'two-thirds',
          backLinkHref: screeningPath(id),
          screening: screeningView(trial.checklist, page).screening,
          versions: trial.consentVersions(),
          values,
          ...errorSummary(errors, CONSENT_FIELDS, CONSENT_ANCHORS),
        },
        status,
      );
    },
    parse: (request) =>
      parseConsentForm(request.body, {
        versions: trial.consentVersions(),
        today: trial.today(),
      }),
    save: async (id, value, request) => {
      await trial.recordConsent(staffContext(request), id, value);
      return `${screeningPath(id)}?done=consented`;
    },
  });

  registerFormPage(app, {
    path: '/trial/screenings/:screeningId/approach',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'screeningId'),
    values: { fields: APPROACH_FIELDS, maxLength: REASON_MAX + 100 },
    render: async (request, reply, id, { values = {}, errors, status }) => {
      // Shown again after someone else recorded the outcome first: the form says so.
      const page = errors
        ? await trial.screening(staffContext(request), id)
        : await trial.awaitingDecision(staffContext(request), id);
      return reply.render(
        'trial/approach.njk',
        {
          pageTitle: 'Record that they declined or were not approached',
          contentWidth: 'two-thirds',
          backLinkHref: screeningPath(id),
          screening: screeningView(trial.checklist, page).screening,
          reasonMax: REASON_MAX,
          values,
          ...errorSummary(errors, APPROACH_FIELDS),
        },
        status,
      );
    },
    parse: (request) => parseApproachForm(request.body),
    save: async (id, value, request) => {
      await trial.recordApproach(staffContext(request), id, value);
      return `${screeningPath(id)}?done=${value.outcome}`;
    },
  });

  registerFormPage(app, {
    path: '/trial/screenings/:screeningId/withdrawal',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'screeningId'),
    submissionToken: true,
    values: WITHDRAWAL_VALUES,
    render: async (request, reply, id, { values = {}, errors, status }) => {
      const page = await trial.withdrawalForm(staffContext(request), id);
      return reply.render(
        'trial/withdrawal.njk',
        {
          pageTitle: 'Record a withdrawal',
          contentWidth: 'two-thirds',
          backLinkHref: screeningPath(id),
          ...withdrawalFormView(trial.checklist, page),
          reasonMax: REASON_MAX,
          values,
          ...errorSummary(errors, WITHDRAWAL_FIELDS, WITHDRAWAL_ANCHORS),
        },
        status,
      );
    },
    parse: (request) =>
      parseWithdrawalForm(request.body, {
        // Which scopes are still open is the service's to say, from the withdrawals so far.
        scopes: WITHDRAWAL_SCOPES,
        today: trial.today(),
      }),
    save: async (id, value, request) => {
      await trial.recordWithdrawal(staffContext(request), id, value);
      return `${screeningPath(id)}?done=withdrawn`;
    },
  });
}
