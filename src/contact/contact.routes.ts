import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, registerFormPage } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import { ANCHORS, FIELD_ORDER, METHODS, OUTCOMES, parseContactAttemptForm, VALUES } from './contact.form.ts';
import { METHOD_LABELS, OUTCOME_LABELS } from './contact.view-model.ts';
import { ukTimeOfDay, ukToday } from '../platform/calendar/uk-time.ts';

export function registerContactRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  registerFormPage(app, {
    path: '/participants/:participantId/contacts/new',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'participantId'),
    submissionToken: true,
    values: VALUES,
    initialValues: () => {
      // The boxes start at now: most attempts are recorded as they are made.
      const now = clock.now();
      const [year = '', month = '', day = ''] = ukToday(now).split('-');
      return {
        'madeOn[day]': String(Number(day)),
        'madeOn[month]': String(Number(month)),
        'madeOn[year]': year,
        madeTime: ukTimeOfDay(now),
      };
    },
    render: async (request, reply, participantId, { values, errors, status }) => {
      const { participant, status: contactStatus } = await services.contact.recordPage(
        staffContext(request),
        participantId,
      );
      return reply.render(
        'contact/record.njk',
        {
          pageTitle: 'Record a contact attempt',
          contentWidth: 'two-thirds',
          backLinkHref: `/participants/${participantId}`,
          name: displayName(participant),
          participantId,
          status: contactStatus,
          methods: METHODS.map((value) => ({ value, text: METHOD_LABELS[value] })),
          outcomes: OUTCOMES.map((value) => ({ value, text: OUTCOME_LABELS[value] })),
          values,
          ...errorSummary(errors, FIELD_ORDER, ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseContactAttemptForm(request.body),
    save: async (participantId, value, request) => {
      await services.contact.record(staffContext(request), participantId, value);
      return `/participants/${participantId}?done=contact-recorded`;
    },
  });
}
