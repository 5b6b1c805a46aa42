import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { NotFoundError } from '../platform/errors.ts';
import { asRecord, errorSummary, notices, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { participantContext } from '../platform/http/request-context.ts';
import { EQUALITY_FIELD_ORDER, parseAnswerForm } from './equality.form.ts';
import {
  answerRows,
  answerValues,
  QUESTION_SLUGS,
  questionOfSlug,
  questionView,
} from './equality.view-model.ts';

const noticeFor = notices({ saved: 'Your answer is saved.', removed: 'Your answer is removed.' });

/** The participant's own equality monitoring answers: "About you", and one page a question. */
export function registerEqualityRoutes(app: FastifyInstance, { services }: Dependencies): void {
  app.get('/me/about-you', async (request, reply) => {
    const mine = await services.equality.myAnswers(participantContext(request));
    return reply.render('equality/about-you.njk', {
      pageTitle: 'About you',
      contentWidth: 'two-thirds',
      backLinkHref: '/me',
      rows: answerRows(mine.answers),
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });

  registerFormPage(app, {
    path: '/me/about-you/:question',
    signedIn: participantContext,
    route: (request) => {
      const slug = asRecord(request.params).question;
      const question = typeof slug === 'string' ? questionOfSlug(slug) : undefined;
      if (!question) throw new NotFoundError('page');
      return question;
    },
    values: { fields: [...EQUALITY_FIELD_ORDER, 'version'], maxLength: 200 },
    render: async (request, reply, question, { values, errors, status }) => {
      const mine = await services.equality.myAnswers(participantContext(request));
      // A form shown again keeps the version it was loaded with, so a stale change stays stale.
      const shown = values ?? { ...answerValues(mine.answers), version: String(mine.version) };
      const view = questionView(
        question,
        'you',
        typeof shown[question] === 'string' ? shown[question] : undefined,
      );
      return reply.render(
        'equality/about-you-question.njk',
        {
          pageTitle: view.legend,
          contentWidth: 'two-thirds',
          backLinkHref: '/me/about-you',
          action: `/me/about-you/${QUESTION_SLUGS[question]}`,
          question: view,
          answered: mine.answers[question] !== null,
          values: shown,
          ...errorSummary(errors, [...EQUALITY_FIELD_ORDER, 'version']),
        },
        status,
      );
    },
    parse: (request, question) => parseAnswerForm(request.body, question),
    save: async (_question, change, request) => {
      await services.equality.changeMyAnswer(participantContext(request), change);
      const removed = Object.values(change.answer).every((answer) => answer === null);
      return `/me/about-you?done=${removed ? 'removed' : 'saved'}`;
    },
  });
}
