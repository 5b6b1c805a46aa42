import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, registerFormPage } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import { ANCHORS, FIELD_ORDER, parseConsentForm, SCOPE_MAX, VALUES } from './consent.form.ts';

export function registerConsentRoutes(app: FastifyInstance, { services }: Dependencies): void {
  registerFormPage(app, {
    path: '/participants/:participantId/consent',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'participantId'),
    submissionToken: true,
    values: VALUES,
    render: async (request, reply, participantId, { values, errors, status }) => {
      const { participant, latest } = await services.consent.recordPage(staffContext(request), participantId);
      return reply.render(
        'consent/record.njk',
        {
          pageTitle: 'Sharing with their care team',
          contentWidth: 'two-thirds',
          backLinkHref: `/participants/${participantId}#sharing-consent`,
          name: displayName(participant),
          crisisTeamName: participant.crisisTeamName,
          participantId,
          latest,
          scopeMax: SCOPE_MAX,
          values,
          ...errorSummary(errors, FIELD_ORDER, ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseConsentForm(request.body),
    save: async (participantId, value, request) => {
      await services.consent.record(staffContext(request), participantId, value);
      return `/participants/${participantId}?done=consent-recorded#sharing-consent`;
    },
  });
}
