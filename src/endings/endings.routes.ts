import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import {
  bodyRecord,
  errorSummary,
  notices,
  queryText,
  registerFormPage,
  submitForm,
} from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { participantContext, seeOther, staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import {
  ENDING_ANCHORS,
  ENDING_FIELD_ORDER,
  parseEndingForm,
  parseShareForm,
  SHARE_ANCHORS,
  SHARE_FIELD_ORDER,
  VALUES,
} from './ending.form.ts';
import {
  ENDING_REASON_LABELS,
  endingValues,
  GOALS_NOT_YET,
  MY_GOALS_NOT_YET,
  SHARE_CONSENT_LABELS,
} from './ending.view-model.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

const noticeFor = notices({
  ended: 'Programme ended. This is their end-of-programme summary.',
  updated: 'Ending changed.',
  shared: 'Summary shared.',
});

export function registerEndingRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  registerFormPage(app, {
    path: '/participants/:participantId/ending',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'participantId'),
    values: VALUES,
    render: async (request, reply, participantId, { values, errors, status }) => {
      const page = await services.endings.endingPage(staffContext(request), participantId);
      const changing = page.ending !== undefined;
      return reply.render(
        'endings/ending-form.njk',
        {
          pageTitle: changing ? 'Change the ending' : 'End the programme',
          contentWidth: 'two-thirds',
          backLinkHref: changing
            ? `/participants/${participantId}/ending/summary`
            : `/participants/${participantId}`,
          name: displayName(page.participant),
          firstName: page.participant.preferredName ?? page.participant.givenName,
          participantId,
          changing,
          ...page,
          reasons: ENDING_REASON_LABELS,
          consents: SHARE_CONSENT_LABELS,
          goalsNotYet: GOALS_NOT_YET,
          // A re-shown form keeps the version it was loaded with, so a stale edit stays stale.
          values: values ?? endingValues(page.ending, page.today),
          ...errorSummary(errors, ENDING_FIELD_ORDER, ENDING_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseEndingForm(request.body, ukToday(clock.now())),
    save: async (participantId, value, request) => {
      await services.endings.recordEnding(staffContext(request), participantId, value);
      const done = value.version === 0 ? 'ended' : 'updated';
      return `/participants/${participantId}/ending/summary?done=${done}`;
    },
  });

  app.get('/participants/:participantId/ending/summary', async (request, reply) => {
    const participantId = idParam(request.params, 'participantId');
    const page = await services.endingSummaries.summary(staffContext(request), participantId);
    return reply.render('endings/summary.njk', {
      pageTitle: `End-of-programme summary: ${page.summary.name}`,
      contentWidth: 'two-thirds',
      backLinkHref: `/participants/${participantId}`,
      ...page,
      goalsNotYet: GOALS_NOT_YET,
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });

  registerFormPage(app, {
    path: '/participants/:participantId/ending/share',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'participantId'),
    submissionToken: true,
    values: VALUES,
    render: async (request, reply, participantId, { values, errors, status }) => {
      const { careContacts, ...page } = await services.endingShares.sharePage(
        staffContext(request),
        participantId,
      );
      return reply.render(
        'endings/share.njk',
        {
          pageTitle: 'Share the end-of-programme summary',
          contentWidth: 'two-thirds',
          backLinkHref: `/participants/${participantId}/ending/summary`,
          participantId,
          ...page,
          // A new form starts from the GP practice and care coordinator the referral gave.
          values: errors ? values : { ...careContacts, ...values },
          ...errorSummary(errors, SHARE_FIELD_ORDER, SHARE_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseShareForm(request.body),
    save: async (participantId, value, request) => {
      await services.endingShares.share(staffContext(request), participantId, value);
      return `/participants/${participantId}/ending/summary?done=shared`;
    },
  });

  // From the record page of a session already booked: this is (or is not) the ending session.
  app.post('/sessions/:sessionId/planned-ending', (request, reply) => {
    const ctx = staffContext(request);
    const sessionId = idParam(request.params, 'sessionId');
    const isEnding = bodyRecord(request).isEnding === 'yes';
    return submitForm(reply, { ok: true, value: isEnding } as const, {
      save: async (value) => {
        const { participantId } = await services.endings.planEndingSession(ctx, sessionId, value);
        return `/participants/${participantId}`;
      },
      // A session already recorded: its record page says what happened instead.
      showAgain: () => seeOther(reply, `/sessions/${sessionId}/record`),
    });
  });

  app.get('/me/summary', async (request, reply) => {
    const ctx = participantContext(request);
    const summary = await services.endingSummaries.mySummary(ctx);
    return reply.render('endings/my-summary.njk', {
      pageTitle: 'Your time in the programme',
      contentWidth: 'two-thirds',
      backLinkHref: '/me',
      summary,
      workerFirstName: summary.workerName?.split(' ')[0] ?? null,
      goalsNotYet: MY_GOALS_NOT_YET,
      feedbackOffered: (await services.feedback.state(ctx)) === 'open',
    });
  });
}
