import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Caseload } from './caseload.service.ts';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, notices, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { pageNumber } from '../platform/http/pages.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { AWAY_ANCHORS, AWAY_FIELD_ORDER, AWAY_REASONS, AWAY_VALUES, parseAwayForm } from './away.form.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

const noticeFor = notices({
  away: 'Marked as away. Their participants are waiting for a new worker.',
  back: 'Marked as back. Participants not yet given a new worker stay with them.',
});

/**
 * A caseload page: its content rendered once for as long as the caseload stands (kept in the
 * caseload's `rendered` slot, caseload-cache.ts), the layout around it joined from a kept shell
 * (page-shells.ts). A success
 * banner is the one part of the content that belongs to one request, so a page with one is
 * rendered whole.
 */
function renderCaseload(
  reply: FastifyReply,
  view: {
    pageTitle: string;
    caseload: Caseload;
    own: boolean;
    backLinkHref?: string;
    successMessage?: string;
  },
) {
  const { rendered } = view.caseload;
  const html = view.successMessage
    ? reply.renderFragment('caseload/caseload-content.njk', view)
    : (rendered.html ??= reply.renderFragment('caseload/caseload-content.njk', view));
  return reply.renderAround(html, { pageTitle: view.pageTitle, backLinkHref: view.backLinkHref });
}

export function registerCaseloadRoutes(
  app: FastifyInstance,
  { services, clock, config }: Dependencies,
): void {
  app.get('/caseload', async (request, reply) => {
    const ctx = staffContext(request);
    const caseload = await services.caseload.caseload(ctx, ctx.actor.id);
    return renderCaseload(reply, { pageTitle: 'My caseload', caseload, own: true });
  });

  app.get('/caseloads', async (request, reply) => {
    const ctx = staffContext(request);
    const overview = await services.caseload.overview(ctx, pageNumber(request));
    return reply.render('caseload/overview.njk', {
      pageTitle: 'Caseloads',
      contentWidth: 'full',
      ...overview,
    });
  });

  app.get('/caseloads/:workerId', async (request, reply) => {
    const ctx = staffContext(request);
    const caseload = await services.caseload.caseload(ctx, idParam(request.params, 'workerId'));
    return renderCaseload(reply, {
      pageTitle: `Caseload of ${caseload.worker.fullName}`,
      caseload,
      own: false,
      backLinkHref: '/caseloads',
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });

  registerFormPage(app, {
    path: '/caseloads/:workerId/away',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'workerId'),
    initialValues: () => ({}),
    values: AWAY_VALUES,
    render: async (request, reply, workerId, { values, errors, status }) => {
      const worker = await services.allocation.awayPage(staffContext(request), workerId);
      return reply.render(
        'caseload/away.njk',
        {
          pageTitle: worker.awayFrom ? 'Time away' : 'Mark as away',
          contentWidth: 'two-thirds',
          backLinkHref: `/caseloads/${workerId}`,
          worker,
          reasons: Object.entries(AWAY_REASONS),
          targetWorkingDays: config.allocationTargetWorkingDays,
          values,
          ...errorSummary(errors, AWAY_FIELD_ORDER, AWAY_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseAwayForm(request.body, ukToday(clock.now())),
    save: async (workerId, value, request) => {
      await services.allocation.markAway(staffContext(request), workerId, value);
      return `/caseloads/${workerId}?done=away`;
    },
  });

  app.post('/caseloads/:workerId/back', async (request, reply) => {
    const workerId = idParam(request.params, 'workerId');
    await services.allocation.markBack(staffContext(request), workerId);
    return seeOther(reply, `/caseloads/${workerId}?done=back`);
  });
}
