import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import type { FieldErrors } from '../platform/errors.ts';
import {
  errorSummary,
  formValues,
  notices,
  queryText,
  registerFormPage,
} from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import {
  FIELD_ORDER,
  MAX_VISIT_HOURS,
  NOTE_MAX,
  parseAcknowledgeForm,
  parseCheckInForm,
  VALUES,
} from './check-in.form.ts';
import { expectedEndText } from './lone-working-alert.service.ts';
import { ukTimeOfDay } from '../platform/calendar/uk-time.ts';

const noticeFor = notices({
  'checked-in': 'You are checked in. Check out as soon as you finish.',
  'checked-out': 'You are checked out. Thank you.',
  acknowledged: 'Recorded that they are safe. No more alerts will be sent for this visit.',
  already: 'Someone has already recorded this visit as safe, or the worker has checked out.',
});

const STEP_NAMES: Record<number, string> = { 1: 'their supervisors', 2: 'the coordinators' };

/** "To their supervisors and the coordinators", for the alerts already sent about a visit. */
const alertsSent = (steps: number[]) =>
  steps.length === 0
    ? 'None yet'
    : `To ${steps.map((step) => STEP_NAMES[step] ?? `step ${String(step)}`).join(' and ')}`;

const doneMessage = (request: FastifyRequest) => noticeFor(queryText(request, 'done'));

export function registerLoneWorkingRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  app.get('/lone-working', async (request, reply) => {
    const { current, past, canOversee } = await services.loneWorking.myVisits(staffContext(request));
    return reply.render('lone-working/my-visits.njk', {
      pageTitle: 'Lone working',
      contentWidth: 'two-thirds',
      current: current && { ...current, expectedEnd: expectedEndText(current.expectedEndAt) },
      past,
      canOversee,
      successMessage: doneMessage(request),
    });
  });

  registerFormPage(app, {
    path: '/lone-working/check-in',
    signedIn: staffContext,
    route: () => undefined,
    submissionToken: true,
    values: VALUES,
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      const { caseload, current, booked } = await services.loneWorking.checkInPage(staffContext(request));
      if (current && !errors) return seeOther(reply, '/lone-working');
      // A new form starts from the booked session: where it is and who it is with.
      const fromSession = !errors && booked && values.place === undefined;
      return reply.render(
        'lone-working/check-in.njk',
        {
          pageTitle: 'Check in before a lone visit',
          contentWidth: 'two-thirds',
          backLinkHref: '/lone-working',
          participants: caseload.map((p) => ({ value: p.id, text: displayName(p) })),
          maxHours: MAX_VISIT_HOURS,
          now: ukTimeOfDay(clock.now()),
          values: fromSession
            ? { ...values, place: booked.place, participantId: booked.participantId }
            : values,
          bookedAt: fromSession ? ukTimeOfDay(booked.plannedAt) : undefined,
          ...errorSummary(errors, FIELD_ORDER),
        },
        status,
      );
    },
    parse: (request) => parseCheckInForm(request.body, clock.now()),
    save: async (_route, value, request) => {
      await services.loneWorking.checkIn(staffContext(request), value);
      return '/lone-working?done=checked-in';
    },
  });

  app.post('/lone-working/:visitId/check-out', async (request, reply) => {
    await services.loneWorking.checkOut(staffContext(request), idParam(request.params, 'visitId'));
    return seeOther(reply, '/lone-working?done=checked-out');
  });

  const renderOverdue = async (
    request: FastifyRequest,
    reply: FastifyReply,
    failed?: { visitId: string; note: string; errors: FieldErrors },
  ) => {
    const { visits } = await services.loneWorking.overdue(staffContext(request));
    const errors = failed
      ? { [`note-${failed.visitId}`]: failed.errors.note ?? 'Enter what you did' }
      : undefined;
    return reply.render(
      'lone-working/overdue.njk',
      {
        pageTitle: 'Overdue lone visits',
        contentWidth: 'two-thirds',
        visits: visits.map((visit) => ({
          ...visit,
          expectedEnd: expectedEndText(visit.expectedEndAt),
          minutesOverdue: Math.floor((clock.now().getTime() - visit.expectedEndAt.getTime()) / 60_000),
          note: failed?.visitId === visit.id ? failed.note : '',
          alertsSent: alertsSent(visit.alertedSteps),
          error: errors?.[`note-${visit.id}`],
        })),
        noteMax: NOTE_MAX,
        errorList: errorSummary(errors, []).errorList,
        successMessage: doneMessage(request),
      },
      failed ? 400 : 200,
    );
  };

  app.get('/lone-working/overdue', (request, reply) => renderOverdue(request, reply));

  app.post('/lone-working/:visitId/acknowledge', async (request, reply) => {
    const ctx = staffContext(request);
    const visitId = idParam(request.params, 'visitId');
    const form = parseAcknowledgeForm(request.body);
    if (!form.ok) {
      const { note } = formValues(request.body, { fields: ['note'], maxLength: NOTE_MAX + 100 });
      return renderOverdue(request, reply, {
        visitId,
        note: typeof note === 'string' ? note : '',
        errors: form.errors,
      });
    }
    const { already } = await services.loneWorking.acknowledge(ctx, visitId, form.note);
    return seeOther(reply, `/lone-working/overdue?done=${already ? 'already' : 'acknowledged'}`);
  });
}
