import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { errorList } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { AWAY_ANCHORS, AWAY_FIELD_ORDER, AWAY_REASONS, parseAwayForm } from './away.form.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

const DONE_MESSAGES: Record<string, string> = {
  away: 'Marked as away. Their participants are waiting for a new worker.',
  back: 'Marked as back. Participants not yet given a new worker stay with them.',
};

/** Only the fields the away form has, as strings, to show back on the page. */
function awayValues(body: unknown): Record<string, string> {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const names = ['awayFrom', 'awayUntil'].flatMap((n) => ['day', 'month', 'year'].map((p) => `${n}[${p}]`));
  return Object.fromEntries(
    [...names, 'reason'].flatMap((name) => {
      const value = fields[name];
      return typeof value === 'string' ? [[name, value.slice(0, 20)]] : [];
    }),
  );
}

export function registerCaseloadRoutes(
  app: FastifyInstance,
  { services, clock, config }: Dependencies,
): void {
  app.get('/caseload', async (request, reply) => {
    const ctx = staffContext(request);
    const caseload = await services.caseload.caseload(ctx, ctx.actor.id);
    return reply.render('caseload/caseload.njk', { pageTitle: 'My caseload', caseload, own: true });
  });

  app.get('/caseloads', async (request, reply) => {
    const ctx = staffContext(request);
    const overview = await services.caseload.overview(ctx);
    return reply.render('caseload/overview.njk', {
      pageTitle: 'Caseloads',
      contentWidth: 'full',
      ...overview,
    });
  });

  app.get('/caseloads/:workerId', async (request, reply) => {
    const ctx = staffContext(request);
    const caseload = await services.caseload.caseload(ctx, idParam(request.params, 'workerId'));
    const done = (request.query as Record<string, unknown>).done;
    return reply.render('caseload/caseload.njk', {
      pageTitle: `Caseload of ${caseload.worker.fullName}`,
      caseload,
      own: false,
      backLinkHref: '/caseloads',
      successMessage: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  const renderAway = async (
    request: FastifyRequest,
    reply: FastifyReply,
    workerId: string,
    values: Record<string, string>,
    errors?: FieldErrors,
  ) => {
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
        errors: errors ?? {},
        errorList: errors ? errorList(errors, AWAY_FIELD_ORDER, AWAY_ANCHORS) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/caseloads/:workerId/away', (request, reply) =>
    renderAway(request, reply, idParam(request.params, 'workerId'), {}),
  );

  app.post('/caseloads/:workerId/away', async (request, reply) => {
    const ctx = staffContext(request);
    const workerId = idParam(request.params, 'workerId');
    const values = awayValues(request.body);
    const form = parseAwayForm(request.body, ukToday(clock.now()));
    if (!form.ok) return renderAway(request, reply, workerId, values, form.errors);
    try {
      await services.allocation.markAway(ctx, workerId, form.value);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderAway(request, reply, workerId, values, error.fieldErrors);
      throw error;
    }
    return seeOther(reply, `/caseloads/${workerId}?done=away`);
  });

  app.post('/caseloads/:workerId/back', async (request, reply) => {
    const workerId = idParam(request.params, 'workerId');
    await services.allocation.markBack(staffContext(request), workerId);
    return seeOther(reply, `/caseloads/${workerId}?done=back`);
  });
}
