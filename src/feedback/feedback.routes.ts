import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, formStatus, parseQuery, registerFormPage } from '../platform/http/form-page.ts';
import { participantContext, seeOther, staffContext } from '../platform/http/request-context.ts';
import { feedbackFields, parseFeedbackForm } from './feedback.form.ts';
import { reportView } from './feedback.view-model.ts';

/** `?team=&from=YYYY-MM&to=YYYY-MM`: each one value at most (a repeated one is a 400). */
const reportQuery = z.object({
  team: z.string().max(100).optional(),
  from: z.string().max(100).optional(),
  to: z.string().max(100).optional(),
});

export function registerFeedbackRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { feedback } = services;
  const fields = feedbackFields(feedback.questions);

  /** "Tell us what you thought": asked once, after the programme has ended. */
  registerFormPage(app, {
    path: '/me/feedback',
    signedIn: participantContext,
    route: () => undefined,
    submissionToken: true,
    values: {
      fields: ['submissionToken', ...fields],
      maxLength: feedback.questions.comment.maxLength + 100,
    },
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      const state = await feedback.formState(participantContext(request));
      if (state !== 'open') {
        return reply.render('feedback/answered.njk', {
          pageTitle: 'Tell us what you thought',
          contentWidth: 'two-thirds',
          backLinkHref: '/me',
          state,
        });
      }
      return reply.render(
        'feedback/give.njk',
        {
          pageTitle: 'Tell us what you thought',
          contentWidth: 'two-thirds',
          backLinkHref: '/me',
          questions: feedback.questions,
          values,
          ...errorSummary(errors, fields),
        },
        status,
      );
    },
    parse: (request) => parseFeedbackForm(feedback.questions, request.body),
    save: async (_route, value, request) => {
      const outcome = await feedback.respond(participantContext(request), value);
      if (outcome === 'already') return '/me/feedback';
      return value.action === 'send' ? '/me/feedback/thanks' : '/me?done=feedback-declined';
    },
  });

  app.get('/me/feedback/thanks', async (request, reply) => {
    const state = await feedback.formState(participantContext(request));
    if (state !== 'given') return seeOther(reply, '/me/feedback');
    return reply.render('feedback/thanks.njk', { pageTitle: 'Thank you', contentWidth: 'two-thirds' });
  });

  /** Participants' feedback in aggregate, for the coordinator and supervisors. */
  app.get('/reports/feedback', async (request, reply) => {
    const report = await feedback.report(staffContext(request), parseQuery(request, reportQuery));
    return reply.render(
      'feedback/report.njk',
      {
        pageTitle: 'Feedback from participants',
        contentWidth: 'two-thirds',
        ...reportView(report),
        ...errorSummary(report.errors, ['team', 'from', 'to']),
      },
      formStatus(report.errors),
    );
  });
}
