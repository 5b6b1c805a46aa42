import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { errorList } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import {
  BOOKING_ANCHORS,
  BOOKING_FIELD_ORDER,
  formValues,
  PAST_SESSION_ANCHORS,
  PAST_SESSION_FIELD_ORDER,
  parseBookingForm,
  parsePastSessionForm,
  parseRecordForm,
  RECORD_ANCHORS,
  RECORD_FIELD_ORDER,
} from './session.form.ts';
import { MODE_LABELS, PLACE_LABELS, recordedValues, workedOnItems } from './session.view-model.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

export function registerSessionRoutes(app: FastifyInstance, { services, clock, config }: Dependencies): void {
  const renderBooking = async (
    request: FastifyRequest,
    reply: FastifyReply,
    participantId: string,
    values: Record<string, unknown>,
    errors?: FieldErrors,
  ) => {
    const page = await services.programmeSessions.bookingPage(staffContext(request), participantId);
    return reply.render(
      'sessions/book.njk',
      {
        pageTitle: 'Book a session',
        contentWidth: 'two-thirds',
        backLinkHref: `/participants/${participantId}`,
        name: displayName(page.participant),
        participantId,
        ...page,
        modes: MODE_LABELS,
        places: PLACE_LABELS,
        values,
        errors: errors ?? {},
        errorList: errors ? errorList(errors, BOOKING_FIELD_ORDER, BOOKING_ANCHORS) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/participants/:participantId/sessions/new', (request, reply) =>
    renderBooking(request, reply, idParam(request.params, 'participantId'), {
      submissionToken: randomUUID(),
    }),
  );

  app.post('/participants/:participantId/sessions/new', async (request, reply) => {
    const ctx = staffContext(request);
    const participantId = idParam(request.params, 'participantId');
    const values = formValues(request.body);
    if (typeof values.submissionToken !== 'string') values.submissionToken = randomUUID();
    const form = parseBookingForm(request.body, ukToday(clock.now()));
    if (!form.ok) return renderBooking(request, reply, participantId, values, form.errors);
    try {
      await services.programmeSessions.book(ctx, participantId, form.value);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderBooking(request, reply, participantId, values, error.fieldErrors);
      throw error;
    }
    return seeOther(reply, `/participants/${participantId}?done=session-booked`);
  });

  const renderPast = async (
    request: FastifyRequest,
    reply: FastifyReply,
    participantId: string,
    values: Record<string, unknown>,
    errors?: FieldErrors,
  ) => {
    const page = await services.programmeSessions.pastSessionPage(staffContext(request), participantId);
    return reply.render(
      'sessions/past.njk',
      {
        pageTitle: 'Record a session that already happened',
        contentWidth: 'two-thirds',
        backLinkHref: `/participants/${participantId}`,
        name: displayName(page.participant),
        participantId,
        ...page,
        modes: MODE_LABELS,
        places: PLACE_LABELS,
        sections: services.planTemplates.enabledSections.map((section) => ({
          key: section.key,
          title: section.title,
        })),
        reasons: config.sessionStatusReasons,
        crisisTeam: { name: page.participant.crisisTeamName, phone: page.participant.crisisTeamPhone },
        values,
        errors: errors ?? {},
        errorList: errors ? errorList(errors, PAST_SESSION_FIELD_ORDER, PAST_SESSION_ANCHORS) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/participants/:participantId/sessions/past', (request, reply) =>
    renderPast(request, reply, idParam(request.params, 'participantId'), {
      submissionToken: randomUUID(),
    }),
  );

  app.post('/participants/:participantId/sessions/past', async (request, reply) => {
    const ctx = staffContext(request);
    const participantId = idParam(request.params, 'participantId');
    const values = formValues(request.body);
    if (typeof values.submissionToken !== 'string') values.submissionToken = randomUUID();
    const form = parsePastSessionForm(request.body, ukToday(clock.now()), {
      sectionKeys: services.planTemplates.enabledSections.map((section) => section.key),
      reasonKeys: config.sessionStatusReasons.map((reason) => reason.key),
    });
    if (!form.ok) return renderPast(request, reply, participantId, values, form.errors);
    try {
      await services.programmeSessions.recordPast(ctx, participantId, form.value);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderPast(request, reply, participantId, values, error.fieldErrors);
      throw error;
    }
    return seeOther(reply, `/participants/${participantId}?done=session-recorded`);
  });

  const renderRecord = async (
    request: FastifyRequest,
    reply: FastifyReply,
    sessionId: string,
    values: Record<string, unknown> | undefined,
    errors?: FieldErrors,
  ) => {
    const { session, participant, changes } = await services.programmeSessions.recordPage(
      staffContext(request),
      sessionId,
    );
    const changing = session.status !== 'planned';
    const templates = services.planTemplates;
    const plan = await services.planSharing.sharedSummary(staffContext(request), participant.id);
    return reply.render(
      'sessions/record.njk',
      {
        pageTitle: changing ? 'Change what happened' : 'Record what happened',
        contentWidth: 'two-thirds',
        backLinkHref: `/participants/${participant.id}`,
        name: displayName(participant),
        session,
        mode: MODE_LABELS[session.mode],
        place: session.place ? PLACE_LABELS[session.place] : null,
        changing,
        changes,
        sections: templates.enabledSections.map((section) => ({ key: section.key, title: section.title })),
        planHref: plan.canOpen ? `/participants/${participant.id}/plan` : null,
        workedOn:
          session.status === 'attended'
            ? workedOnItems(
                participant.id,
                session.sections,
                (key) => templates.sectionTitle(key),
                new Set(plan.sharedSections),
              )
            : [],
        reasons: config.sessionStatusReasons,
        crisisTeam: { name: participant.crisisTeamName, phone: participant.crisisTeamPhone },
        // A re-shown form keeps the version it was loaded with, so a stale edit stays stale.
        values: values ?? recordedValues(session),
        errors: errors ?? {},
        errorList: errors ? errorList(errors, RECORD_FIELD_ORDER, RECORD_ANCHORS) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/sessions/:sessionId/record', (request, reply) =>
    renderRecord(request, reply, idParam(request.params, 'sessionId'), undefined),
  );

  app.post('/sessions/:sessionId/record', async (request, reply) => {
    const ctx = staffContext(request);
    const sessionId = idParam(request.params, 'sessionId');
    const values = formValues(request.body);
    const form = parseRecordForm(request.body, {
      sectionKeys: services.planTemplates.enabledSections.map((section) => section.key),
      reasonKeys: config.sessionStatusReasons.map((reason) => reason.key),
    });
    if (!form.ok) return renderRecord(request, reply, sessionId, values, form.errors);
    let participantId: string;
    try {
      ({ participantId } = await services.programmeSessions.record(ctx, sessionId, form.value));
    } catch (error) {
      if (error instanceof ValidationError)
        return renderRecord(request, reply, sessionId, values, error.fieldErrors);
      throw error;
    }
    return seeOther(reply, `/participants/${participantId}?done=session-recorded`);
  });
}
