/** Outcomes by arm (trial mode only, the unblinded statistician only): their trials, a locked trial's outcomes, DMC reports. */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, notices, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import type { UnblindedView } from './outcomes.service.ts';
import { outcomesView } from './outcomes.view-model.ts';
import { DMC_FIELDS, DMC_VALUES, parseDmcForm } from './acute-episode.form.ts';

const noticeFor = notices({ requested: 'Data monitoring committee report made. Its viewing is recorded in the audit log.' });

function unblindedPage(view: UnblindedView) {
  return {
    trial: view.trial,
    report: view.report,
    ...outcomesView(view.outcomes),
  };
}

export function registerOutcomesRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { outcomes } = services;

  app.get('/trial/outcomes', async (request, reply) => {
    const trials = await outcomes.list(staffContext(request));
    return reply.render('trial/outcomes.njk', { pageTitle: 'Outcomes by arm', trials });
  });

  app.get('/trial/outcomes/:trialId', async (request, reply) => {
    const view = await outcomes.afterLock(staffContext(request), idParam(request.params, 'trialId'));
    return reply.render('trial/outcomes-by-arm.njk', {
      pageTitle: `Outcomes by arm: ${view.trial.shortCode}`,
      backLinkHref: '/trial/outcomes',
      ...unblindedPage(view),
    });
  });

  registerFormPage(app, {
    path: '/trial/outcomes/:trialId/dmc-reports/new',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'trialId'),
    submissionToken: true,
    values: DMC_VALUES,
    render: async (request, reply, trialId, { values = {}, errors, status }) => {
      const trial = await outcomes.dmcTrial(staffContext(request), trialId);
      return reply.render(
        'trial/dmc-form.njk',
        {
          pageTitle: 'Ask for a data monitoring committee report',
          contentWidth: 'two-thirds',
          backLinkHref: '/trial/outcomes',
          trial,
          values,
          ...errorSummary(errors, DMC_FIELDS, { meetingOn: 'meetingOn-day' }),
        },
        status,
      );
    },
    parse: (request) => parseDmcForm(request.body),
    save: async (trialId, value, request) => {
      const id = await outcomes.requestDmcReport(staffContext(request), trialId, value);
      return `/trial/outcomes/${trialId}/dmc-reports/${id}?done=requested`;
    },
  });

  app.get('/trial/outcomes/:trialId/dmc-reports/:reportId', async (request, reply) => {
    const view = await outcomes.dmcReport(
      staffContext(request),
      idParam(request.params, 'trialId'),
      idParam(request.params, 'reportId'),
    );
    return reply.render('trial/outcomes-by-arm.njk', {
      pageTitle: `Data monitoring committee report: ${view.trial.shortCode}`,
      backLinkHref: '/trial/outcomes',
      successMessage: noticeFor(queryText(request, 'done')),
      ...unblindedPage(view),
    });
  });
}
