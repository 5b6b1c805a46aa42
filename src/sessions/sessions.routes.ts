import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, registerFormPage, type ShownForm } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import {
  BOOKING_ANCHORS,
  BOOKING_FIELD_ORDER,
  PAST_SESSION_ANCHORS,
  PAST_SESSION_FIELD_ORDER,
  parseBookingForm,
  parsePastSessionForm,
  parseRecordForm,
  RECORD_ANCHORS,
  RECORD_FIELD_ORDER,
  VALUES,
} from './session.form.ts';
import { MODE_LABELS, PLACE_LABELS, recordedValues, workedOnItems } from './session.view-model.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import type { BookingPage } from './sessions.service.ts';

export function registerSessionRoutes(app: FastifyInstance, { services, clock, config }: Dependencies): void {
  const choices = () => ({
    sectionKeys: services.planTemplates.enabledSections.map((section) => section.key),
    reasonKeys: config.sessionStatusReasons.map((reason) => reason.key),
  });

  /** What the booking and past-session forms both show: whose, how and where, the boxes. */
  const sessionFormView = (
    participantId: string,
    page: BookingPage,
    { values, errors }: ShownForm,
    fieldOrder: readonly string[],
    anchors: Record<string, string>,
  ) => ({
    contentWidth: 'two-thirds',
    backLinkHref: `/participants/${participantId}`,
    name: displayName(page.participant),
    participantId,
    ...page,
    modes: MODE_LABELS,
    places: PLACE_LABELS,
    values,
    ...errorSummary(errors, fieldOrder, anchors),
  });

  registerFormPage(app, {
    path: '/participants/:participantId/sessions/new',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'participantId'),
    submissionToken: true,
    values: VALUES,
    render: async (request, reply, participantId, form) => {
      const page = await services.programmeSessions.bookingPage(staffContext(request), participantId);
      return reply.render(
        'sessions/book.njk',
        {
          pageTitle: 'Book a session',
          ...sessionFormView(participantId, page, form, BOOKING_FIELD_ORDER, BOOKING_ANCHORS),
        },
        form.status,
      );
    },
    parse: (request) => parseBookingForm(request.body, ukToday(clock.now())),
    save: async (participantId, value, request) => {
      await services.programmeSessions.book(staffContext(request), participantId, value);
      return `/participants/${participantId}?done=session-booked`;
    },
  });

  registerFormPage(app, {
    path: '/participants/:participantId/sessions/past',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'participantId'),
    submissionToken: true,
    values: VALUES,
    render: async (request, reply, participantId, form) => {
      const page = await services.programmeSessions.pastSessionPage(staffContext(request), participantId);
      return reply.render(
        'sessions/past.njk',
        {
          pageTitle: 'Record a session that already happened',
          ...sessionFormView(participantId, page, form, PAST_SESSION_FIELD_ORDER, PAST_SESSION_ANCHORS),
          sections: services.planTemplates.enabledSections.map((section) => ({
            key: section.key,
            title: section.title,
          })),
          reasons: config.sessionStatusReasons,
          crisisTeam: { name: page.participant.crisisTeamName, phone: page.participant.crisisTeamPhone },
        },
        form.status,
      );
    },
    parse: (request) => parsePastSessionForm(request.body, ukToday(clock.now()), choices()),
    save: async (participantId, value, request) => {
      await services.programmeSessions.recordPast(staffContext(request), participantId, value);
      return `/participants/${participantId}?done=session-recorded`;
    },
  });

  registerFormPage(app, {
    path: '/sessions/:sessionId/record',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'sessionId'),
    values: VALUES,
    render: async (request, reply, sessionId, { values, errors, status }) => {
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
          ...errorSummary(errors, RECORD_FIELD_ORDER, RECORD_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseRecordForm(request.body, choices()),
    save: async (sessionId, value, request) => {
      const { participantId } = await services.programmeSessions.record(
        staffContext(request),
        sessionId,
        value,
      );
      return `/participants/${participantId}?done=session-recorded`;
    },
  });
}
