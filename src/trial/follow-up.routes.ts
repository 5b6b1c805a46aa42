/**
 * Trial follow-ups (trial mode only): the outcome assessor's due and overdue list, entering a
 * time point's questionnaires with their guess of the arm or recording it as not done, sending an
 * online invitation; the participant's questionnaire from that link (no sign-in); accidental
 * unblindings, recorded by the assessor or analyst who learned an arm and listed for the trial
 * manager. No page here shows an arm.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { NotFoundError } from '../platform/errors.ts';
import {
  BadRequestError,
  errorSummary,
  notices,
  queryText,
  registerFormPage,
  submitForm,
  asRecord,
  formValues,
  type FormValues,
} from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { pageNumber } from '../platform/http/pages.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import type { FollowUpSchedule, FollowUpState } from './follow-up-schedule.ts';
import type { Instrument } from './instruments.ts';
import {
  CERTAINTIES,
  CERTAINTY_WORDS,
  GUESSES,
  GUESS_WORDS,
  NOT_DONE_REASONS,
  NOT_DONE_WORDS,
  fieldName,
  parseAssessorFollowUp,
  parseNotDone,
  parseQuestionnaires,
  parseUnblinding,
  questionnaireFields,
  STRING_ANSWER_MAX,
} from './follow-up.form.ts';

const STATE_TAGS: Record<FollowUpState, { text: string; colour: string }> = {
  overdue: { text: 'Overdue', colour: 'red' },
  due: { text: 'Due', colour: 'orange' },
  upcoming: { text: 'Upcoming', colour: 'grey' },
  done: { text: 'Done', colour: 'green' },
  not_done: { text: 'Not done', colour: 'white' },
  withdrawn: { text: 'Withdrawn from follow-up', colour: 'grey' },
};

const noticeFor = notices({
  recorded: 'Follow-up recorded.',
  not_done: 'Follow-up recorded as not done.',
  invited: 'Invitation sent. Its link works for 14 days, once.',
  unblinding: 'Recorded. Thank you for telling us: you will not be asked to do this person’s follow-ups.',
});

type TimePointOf = FollowUpSchedule['timePoints'][number];

const keyParam = (params: unknown): string => {
  const value = (asRecord(params) as { timePoint?: unknown }).timePoint;
  if (typeof value !== 'string' || !/^[a-z][a-z0-9_]{0,39}$/.test(value))
    throw new NotFoundError('time point');
  return value;
};

/** Each instrument's questions as NHS.UK radios, number inputs or text boxes, with what was posted. */
function questionnaireView(
  instruments: readonly Instrument[],
  values: FormValues,
  errors: FieldErrors | undefined,
) {
  return instruments.map((instrument, n) => ({
    title: instrument.title,
    questions: instrument.questions.map((q) => {
      const name = fieldName(n, q.linkId);
      const value = typeof values[name] === 'string' ? values[name] : '';
      return {
        name,
        type: q.type,
        text: q.text,
        optional: !q.required,
        hint:
          q.type === 'integer'
            ? `A whole number from ${String(q.min ?? 0)} to ${String(q.max ?? 0)}`
            : undefined,
        value,
        error: errors?.[name],
        items: q.options.map((o) => ({ value: o.code, text: o.display, checked: value === o.code })),
      };
    }),
  }));
}

const questionnaireValues = (timePoints: readonly TimePointOf[], extra: string[]) => ({
  fields: ['submissionToken', ...extra, ...new Set(timePoints.flatMap((t) => questionnaireFields(t.asked)))],
  maxLength: STRING_ANSWER_MAX + 100,
});

const tokenBody = z.object({ submissionToken: z.uuid() });

export function registerFollowUpRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const { followUps, unblindings } = services;
  const timePoints = followUps.schedule.timePoints;
  const route = (request: FastifyRequest) => ({
    randomisationId: idParam(request.params, 'randomisationId'),
    key: keyParam(request.params),
  });

  app.get('/trial/follow-ups', async (request, reply) => {
    const page = await followUps.list(staffContext(request), pageNumber(request));
    return reply.render('trial/follow-ups.njk', {
      pageTitle: 'Follow-ups',
      successMessage: noticeFor(queryText(request, 'done')),
      page,
      rows: page.items.map((row) => ({
        ...row,
        tag: STATE_TAGS[row.state],
        reason: row.notDoneReason ? NOT_DONE_WORDS[row.notDoneReason] : null,
        href: `/trial/follow-ups/${row.randomisationId}/${row.timePoint.key}`,
        open: !row.unblindedToYou && (row.state === 'due' || row.state === 'overdue'),
      })),
    });
  });

  registerFormPage(app, {
    path: '/trial/follow-ups/:randomisationId/:timePoint',
    signedIn: staffContext,
    route,
    submissionToken: true,
    values: questionnaireValues(timePoints, ['guess', 'certainty']),
    render: async (request, reply, { randomisationId, key }, { values = {}, errors, status }) => {
      const entry = await followUps.entry(staffContext(request), randomisationId, key);
      const open = entry.state === 'due' || entry.state === 'overdue';
      const questionnaires = questionnaireView(entry.timePoint.asked, values, errors);
      const fieldOrder = [
        ...questionnaires.flatMap((q) => q.questions.map((question) => question.name)),
        'guess',
        'certainty',
      ];
      return reply.render(
        'trial/follow-up.njk',
        {
          pageTitle: `${entry.timePoint.title}: ${entry.person.studyId}`,
          contentWidth: 'two-thirds',
          backLinkHref: '/trial/follow-ups',
          successMessage: noticeFor(queryText(request, 'done')),
          action: `/trial/follow-ups/${randomisationId}/${key}`,
          entry,
          open,
          tag: STATE_TAGS[entry.state],
          notDoneReason: entry.followUp?.notDoneReason ? NOT_DONE_WORDS[entry.followUp.notDoneReason] : null,
          questionnaires,
          guessItems: GUESSES.map((g) => ({ value: g, text: GUESS_WORDS[g], checked: values.guess === g })),
          certaintyItems: CERTAINTIES.map((c) => ({
            value: c,
            text: CERTAINTY_WORDS[c],
            checked: values.certainty === c,
          })),
          values,
          ...errorSummary(errors, fieldOrder),
        },
        status,
      );
    },
    parse: (request, { key }) => parseAssessorFollowUp(request.body, followUps.timePoint(key).asked),
    save: async ({ randomisationId, key }, value, request) => {
      await followUps.record(staffContext(request), randomisationId, key, value);
      return '/trial/follow-ups?done=recorded';
    },
  });

  registerFormPage(app, {
    path: '/trial/follow-ups/:randomisationId/:timePoint/not-done',
    signedIn: staffContext,
    route,
    submissionToken: true,
    values: { fields: ['submissionToken', 'reason'], maxLength: 100 },
    render: async (request, reply, { randomisationId, key }, { values = {}, errors, status }) => {
      const entry = await followUps.entry(staffContext(request), randomisationId, key);
      if (entry.state !== 'due' && entry.state !== 'overdue') throw new NotFoundError('follow-up');
      return reply.render(
        'trial/follow-up-not-done.njk',
        {
          pageTitle: 'Record a follow-up as not done',
          contentWidth: 'two-thirds',
          backLinkHref: `/trial/follow-ups/${randomisationId}/${key}`,
          action: `/trial/follow-ups/${randomisationId}/${key}/not-done`,
          entry,
          reasonItems: NOT_DONE_REASONS.map((r) => ({
            value: r,
            text: NOT_DONE_WORDS[r],
            checked: values.reason === r,
          })),
          values,
          ...errorSummary(errors, ['reason']),
        },
        status,
      );
    },
    parse: (request) => parseNotDone(request.body),
    save: async ({ randomisationId, key }, value, request) => {
      await followUps.recordNotDone(staffContext(request), randomisationId, key, value);
      return '/trial/follow-ups?done=not_done';
    },
  });

  app.post('/trial/follow-ups/:randomisationId/:timePoint/invite', async (request, reply) => {
    const ctx = staffContext(request);
    const { randomisationId, key } = route(request);
    const body = tokenBody.safeParse(asRecord(request.body));
    if (!body.success) throw new BadRequestError('Malformed invitation');
    await followUps.invite(ctx, randomisationId, key, body.data.submissionToken);
    return seeOther(reply, `/trial/follow-ups/${randomisationId}/${key}?done=invited`);
  });

  // The participant's questionnaire from their invitation: no sign-in, no name, no study id.
  const tokenOf = (request: FastifyRequest) => {
    const { token } = asRecord(request.params) as { token?: unknown };
    return typeof token === 'string' ? token : '';
  };
  const onlineValues = questionnaireValues(timePoints, []);
  const onlinePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors?: FieldErrors,
  ) => {
    const view = await followUps.openInvitation(tokenOf(request));
    if (view.status !== 'open')
      return reply.render('trial/follow-up-online-closed.njk', {
        pageTitle: view.status === 'used' ? 'This link has been used' : 'This link no longer works',
        used: view.status === 'used',
      });
    const questionnaires = questionnaireView(view.timePoint.asked, values, errors);
    return reply.render(
      'trial/follow-up-online.njk',
      {
        pageTitle: 'Your research study questionnaire',
        contentWidth: 'two-thirds',
        action: `/follow-up/${tokenOf(request)}`,
        expiresAt: view.expiresAt,
        questionnaires,
        values,
        ...errorSummary(
          errors,
          questionnaires.flatMap((q) => q.questions.map((question) => question.name)),
        ),
      },
      errors ? 400 : 200,
    );
  };

  app.get('/follow-up/thank-you', (_request, reply) =>
    reply.render('trial/follow-up-online-done.njk', { pageTitle: 'Thank you' }),
  );
  app.get('/follow-up/:token', (request, reply) =>
    onlinePage(request, reply, { submissionToken: randomUUID() }),
  );
  app.post('/follow-up/:token', async (request, reply) => {
    const view = await followUps.openInvitation(tokenOf(request));
    const posted = formValues(request.body, onlineValues);
    const instruments = view.status === 'open' ? view.timePoint.asked : [];
    return submitForm(reply, parseQuestionnaires(request.body, instruments), {
      save: async (value) => {
        const outcome = await followUps.completeOnline(tokenOf(request), value, request.ip);
        return outcome === 'saved'
          ? '/follow-up/thank-you'
          : { answer: () => onlinePage(request, reply, posted) };
      },
      showAgain: (errors) => onlinePage(request, reply, posted, errors),
    });
  });

  registerFormPage(app, {
    path: '/trial/unblindings/new',
    signedIn: staffContext,
    route: () => undefined,
    submissionToken: true,
    values: {
      fields: [
        'submissionToken',
        'studyId',
        'how',
        ...['day', 'month', 'year'].map((p) => `learnedOn[${p}]`),
      ],
      maxLength: 600,
    },
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      await unblindings.mayRecord(staffContext(request));
      return reply.render(
        'trial/unblinding-form.njk',
        {
          pageTitle: 'Record that you learned someone’s group',
          contentWidth: 'two-thirds',
          successMessage: noticeFor(queryText(request, 'done')),
          values,
          ...errorSummary(errors, ['studyId', 'learnedOn', 'how'], { learnedOn: 'learnedOn-day' }),
        },
        status,
      );
    },
    parse: (request) => parseUnblinding(request.body, ukToday(clock.now())),
    save: async (_route, value, request) => {
      await unblindings.record(staffContext(request), value);
      return '/trial/unblindings/new?done=unblinding';
    },
  });

  app.get('/trial/unblindings', async (request, reply) => {
    const rows = await unblindings.list(staffContext(request));
    return reply.render('trial/unblindings.njk', {
      pageTitle: 'Accidental unblindings',
      backLinkHref: '/trial',
      rows,
    });
  });
}
