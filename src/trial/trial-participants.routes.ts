/** Each arm's care (trial mode only): linking a randomised person's participant record, and the control group's workbook posted. */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, registerFormPage } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import {
  LINK_FIELDS,
  LINK_VALUES,
  parseLinkForm,
  parsePostingForm,
  POSTING_ANCHORS,
  POSTING_FIELDS,
  POSTING_VALUES,
} from './trial-participants.form.ts';
import { ARM_NAMES } from './randomisation.service.ts';

export function registerTrialParticipantRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { trialParticipants } = services;
  const screeningPath = (id: string) => `/trial/screenings/${id}`;

  registerFormPage(app, {
    path: '/trial/screenings/:screeningId/participant',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'screeningId'),
    values: LINK_VALUES,
    render: async (request, reply, screeningId, { values = {}, errors, status }) => {
      const { randomisation } = await trialParticipants.linkForm(staffContext(request), screeningId);
      return reply.render(
        'trial/link.njk',
        {
          pageTitle: 'Link their participant record',
          contentWidth: 'two-thirds',
          backLinkHref: screeningPath(screeningId),
          screeningId,
          studyId: randomisation.studyId,
          arm: randomisation.arm,
          armName: ARM_NAMES[randomisation.arm],
          values,
          ...errorSummary(errors, LINK_FIELDS),
        },
        status,
      );
    },
    parse: (request) => parseLinkForm(request.body),
    save: async (screeningId, value, request) => {
      await trialParticipants.link(staffContext(request), screeningId, value.nhsNumber);
      return `${screeningPath(screeningId)}?done=linked#care`;
    },
  });

  registerFormPage(app, {
    path: '/trial/screenings/:screeningId/workbook',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'screeningId'),
    submissionToken: true,
    values: POSTING_VALUES,
    initialValues: () => {
      const [year = '', month = '', day = ''] = trialParticipants.today().split('-');
      return {
        'postedOn[day]': String(Number(day)),
        'postedOn[month]': String(Number(month)),
        'postedOn[year]': year,
      };
    },
    render: async (request, reply, screeningId, { values = {}, errors, status }) => {
      const { randomisation } = await trialParticipants.postingForm(staffContext(request), screeningId);
      const versions = trialParticipants.workbookVersions();
      return reply.render(
        'trial/workbook.njk',
        {
          pageTitle: 'Record the workbook posted',
          contentWidth: 'two-thirds',
          backLinkHref: screeningPath(screeningId),
          screeningId,
          studyId: randomisation.studyId,
          versionItems: versions.map((version) => ({
            value: version,
            text: `Version ${version}`,
            checked: values.workbookVersion === version || (versions.length === 1 && !values.workbookVersion),
          })),
          values,
          ...errorSummary(errors, POSTING_FIELDS, POSTING_ANCHORS),
        },
        status,
      );
    },
    parse: (request) =>
      parsePostingForm(request.body, {
        versions: trialParticipants.workbookVersions(),
        today: trialParticipants.today(),
      }),
    save: async (screeningId, value, request) => {
      await trialParticipants.recordPosting(staffContext(request), screeningId, value);
      return `${screeningPath(screeningId)}?done=posted#care`;
    },
  });
}
