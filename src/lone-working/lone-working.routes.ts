import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { errorList } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import {
  FIELD_ORDER,
  formValues,
  MAX_VISIT_HOURS,
  NOTE_MAX,
  parseAcknowledgeForm,
  parseCheckInForm,
} from './check-in.form.ts';
import { expectedEndText } from './lone-working-alert.service.ts';
import { ukTimeOfDay } from '../platform/calendar/uk-time.ts';

const DONE_MESSAGES: Record<string, string> = {
  'checked-in': 'You are checked in. Check out as soon as you finish.',
  'checked-out': 'You are checked out. Thank you.',
  acknowledged: 'Recorded that they are safe. No more alerts will be sent for this visit.',
  already: 'Someone has already recorded this visit as safe, or the worker has checked out.',
};

const STEP_NAMES: Record<number, string> = { 1: 'their supervisors', 2: 'the coordinators' };

/** "To their supervisors and the coordinators", for the alerts already sent about a visit. */
const alertsSent = (steps: number[]) =>
  steps.length === 0
    ? 'None yet'
    : `To ${steps.map((step) => STEP_NAMES[step] ?? `step ${String(step)}`).join(' and ')}`;

const doneMessage = (request: FastifyRequest) => {
  const done = (request.query as Record<string, unknown> | undefined)?.done;
  return typeof done === 'string' ? DONE_MESSAGES[done] : undefined;
};

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

  const renderCheckIn = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Partial<Record<string, string>>,
    errors?: FieldErrors,
  ) => {
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
        values: fromSession ? { ...values, place: booked.place, participantId: booked.participantId } : values,
        bookedAt: fromSession ? ukTimeOfDay(booked.plannedAt) : undefined,
        errors: errors ?? {},
        errorList: errors ? errorList(errors, FIELD_ORDER) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/lone-working/check-in', (request, reply) =>
    renderCheckIn(request, reply, { submissionToken: randomUUID() }),
  );

  app.post('/lone-working/check-in', async (request, reply) => {
    const ctx = staffContext(request);
    const values = formValues(request.body);
    values.submissionToken ??= randomUUID();
    const form = parseCheckInForm(request.body, clock.now());
    if (!form.ok) return renderCheckIn(request, reply, values, form.errors);
    try {
      await services.loneWorking.checkIn(ctx, form.value);
    } catch (error) {
      if (error instanceof ValidationError) return renderCheckIn(request, reply, values, error.fieldErrors);
      throw error;
    }
    return seeOther(reply, '/lone-working?done=checked-in');
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
        errorList: errors ? errorList(errors, []) : undefined,
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
      const raw = (request.body as Record<string, unknown> | undefined)?.note;
      return renderOverdue(request, reply, {
        visitId,
        note: typeof raw === 'string' ? raw.slice(0, NOTE_MAX + 100) : '',
        errors: form.errors,
      });
    }
    const { already } = await services.loneWorking.acknowledge(ctx, visitId, form.note);
    return seeOther(reply, `/lone-working/overdue?done=${already ? 'already' : 'acknowledged'}`);
  });
}
