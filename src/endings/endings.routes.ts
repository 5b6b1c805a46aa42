import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { errorList } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { participantContext, seeOther, staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import {
  ENDING_ANCHORS,
  ENDING_FIELD_ORDER,
  formValues,
  parseEndingForm,
  parseShareForm,
  SHARE_ANCHORS,
  SHARE_FIELD_ORDER,
} from './ending.form.ts';
import {
  ENDING_REASON_LABELS,
  endingValues,
  GOALS_NOT_YET,
  MY_GOALS_NOT_YET,
  SHARE_CONSENT_LABELS,
} from './ending.view-model.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

const DONE_MESSAGES: Record<string, string> = {
  ended: 'Programme ended. This is their end-of-programme summary.',
  updated: 'Ending changed.',
  shared: 'Summary shared.',
};

export function registerEndingRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const renderEnding = async (
    request: FastifyRequest,
    reply: FastifyReply,
    participantId: string,
    values: Record<string, unknown> | undefined,
    errors?: FieldErrors,
  ) => {
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
        errors: errors ?? {},
        errorList: errors ? errorList(errors, ENDING_FIELD_ORDER, ENDING_ANCHORS) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/participants/:participantId/ending', (request, reply) =>
    renderEnding(request, reply, idParam(request.params, 'participantId'), undefined),
  );

  app.post('/participants/:participantId/ending', async (request, reply) => {
    const ctx = staffContext(request);
    const participantId = idParam(request.params, 'participantId');
    const values = formValues(request.body);
    const form = parseEndingForm(request.body, ukToday(clock.now()));
    if (!form.ok) return renderEnding(request, reply, participantId, values, form.errors);
    try {
      await services.endings.recordEnding(ctx, participantId, form.value);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderEnding(request, reply, participantId, values, error.fieldErrors);
      throw error;
    }
    const done = form.value.version === 0 ? 'ended' : 'updated';
    return seeOther(reply, `/participants/${participantId}/ending/summary?done=${done}`);
  });

  app.get('/participants/:participantId/ending/summary', async (request, reply) => {
    const participantId = idParam(request.params, 'participantId');
    const page = await services.endingSummaries.summary(staffContext(request), participantId);
    const done = (request.query as Record<string, unknown>).done;
    return reply.render('endings/summary.njk', {
      pageTitle: `End-of-programme summary: ${page.summary.name}`,
      contentWidth: 'two-thirds',
      backLinkHref: `/participants/${participantId}`,
      ...page,
      goalsNotYet: GOALS_NOT_YET,
      successMessage: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
    });
  });

  const renderShare = async (
    request: FastifyRequest,
    reply: FastifyReply,
    participantId: string,
    values: Record<string, unknown>,
    errors?: FieldErrors,
  ) => {
    const { careContacts, ...page } = await services.endingShares.sharePage(staffContext(request), participantId);
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
        errors: errors ?? {},
        errorList: errors ? errorList(errors, SHARE_FIELD_ORDER, SHARE_ANCHORS) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/participants/:participantId/ending/share', (request, reply) =>
    renderShare(request, reply, idParam(request.params, 'participantId'), { submissionToken: randomUUID() }),
  );

  app.post('/participants/:participantId/ending/share', async (request, reply) => {
    const ctx = staffContext(request);
    const participantId = idParam(request.params, 'participantId');
    const values = formValues(request.body);
    if (typeof values.submissionToken !== 'string') values.submissionToken = randomUUID();
    const form = parseShareForm(request.body);
    if (!form.ok) return renderShare(request, reply, participantId, values, form.errors);
    try {
      await services.endingShares.share(ctx, participantId, form.value);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderShare(request, reply, participantId, values, error.fieldErrors);
      throw error;
    }
    return seeOther(reply, `/participants/${participantId}/ending/summary?done=shared`);
  });

  // From the record page of a session already booked: this is (or is not) the ending session.
  app.post('/sessions/:sessionId/planned-ending', async (request, reply) => {
    const ctx = staffContext(request);
    const sessionId = idParam(request.params, 'sessionId');
    const isEnding = (request.body as Record<string, unknown> | undefined)?.isEnding === 'yes';
    let participantId: string;
    try {
      ({ participantId } = await services.endings.planEndingSession(ctx, sessionId, isEnding));
    } catch (error) {
      // A session already recorded: its record page says what happened instead.
      if (error instanceof ValidationError) return seeOther(reply, `/sessions/${sessionId}/record`);
      throw error;
    }
    return seeOther(reply, `/participants/${participantId}`);
  });

  app.get('/me/summary', async (request, reply) => {
    const summary = await services.endingSummaries.mySummary(participantContext(request));
    return reply.render('endings/my-summary.njk', {
      pageTitle: 'Your time in the programme',
      contentWidth: 'two-thirds',
      backLinkHref: '/me',
      summary,
      workerFirstName: summary.workerName?.split(' ')[0] ?? null,
      goalsNotYet: MY_GOALS_NOT_YET,
    });
  });
}
