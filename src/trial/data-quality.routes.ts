/** Data queries and protocol deviations (trial mode only). */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import {
  bodyRecord,
  errorSummary,
  notices,
  queryText,
  registerFormPage,
} from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { QUERY_FIELDS, queryFieldText } from './query-fields.ts';
import type { DataQuery } from './data-query.service.ts';
import { SEVERITIES, SEVERITY_WORDS } from './deviation.service.ts';
import {
  ANSWER_FIELDS,
  ANSWER_VALUES,
  DEVIATION_ANCHORS,
  DEVIATION_FIELDS,
  DEVIATION_VALUES,
  FOLLOW_UP_VALUES,
  parseAnswerForm,
  parseDeviationForm,
  parseFollowUpForm,
  parseRaiseForm,
  RAISE_FIELDS,
  RAISE_VALUES,
} from './data-quality.form.ts';

const noticeFor = notices({
  raised: 'Query raised. The trial manager will answer it.',
  answered: 'Answer recorded. Whoever raised the query can now close it or ask a follow-up.',
  closed: 'Query closed.',
  reopened: 'Query re-opened with your follow-up.',
  recorded: 'Protocol deviation recorded.',
  locked: 'The trial is locked. Its data can no longer change.',
});

const DAY = 86_400_000;

const STATUS_TAGS = {
  open: { text: 'Open', colour: 'red' },
  answered: { text: 'Answered', colour: 'blue' },
  closed: { text: 'Closed', colour: 'grey' },
} as const;

/** A query as the pages show it: its field's words, its status, and how long it has waited. */
function queryView(query: DataQuery, now: Date) {
  const days = Math.max(0, Math.floor((now.getTime() - query.openSince.getTime()) / DAY));
  return {
    ...query,
    fieldText: queryFieldText(query.field),
    status: STATUS_TAGS[query.status],
    ageText:
      query.status === 'closed'
        ? null
        : query.status === 'answered'
          ? 'Waiting to be closed'
          : days === 0
            ? 'Waiting since today'
            : `Waiting ${String(days)} ${days === 1 ? 'day' : 'days'}`,
  };
}

export function registerDataQualityRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const { dataQueries, deviations, trialLock } = services;

  registerFormPage(app, {
    path: '/trial/queries/new',
    signedIn: staffContext,
    route: () => undefined,
    submissionToken: true,
    values: RAISE_VALUES,
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      const trial = await dataQueries.raiseForm(staffContext(request));
      return reply.render(
        'trial/query-form.njk',
        {
          pageTitle: 'Raise a data query',
          contentWidth: 'two-thirds',
          backLinkHref: '/trial/queries',
          trial,
          fieldItems: QUERY_FIELDS.map((f) => ({
            value: f.key,
            text: `${f.record}: ${f.label}`,
            checked: values.field === f.key,
          })),
          values,
          ...errorSummary(errors, RAISE_FIELDS),
        },
        status,
      );
    },
    parse: (request) => parseRaiseForm(request.body),
    save: async (_route, value, request) => {
      const id = await dataQueries.raise(staffContext(request), value);
      return `/trial/queries/${id}?done=raised`;
    },
  });

  app.get('/trial/queries', async (request, reply) => {
    const ctx = staffContext(request);
    const { trial, queries, now } = await dataQueries.list(ctx);
    return reply.render('trial/queries.njk', {
      pageTitle: 'Data queries',
      trialLocked: trial.lockedAt,
      queries: queries.map((q) => queryView(q, now)),
      open: queries.filter((q) => q.status !== 'closed').length,
    });
  });

  registerFormPage(app, {
    path: '/trial/queries/:queryId',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'queryId'),
    submissionToken: true,
    values: ANSWER_VALUES,
    render: async (request, reply, queryId, { values = {}, errors, status }) => {
      const page = await dataQueries.one(staffContext(request), queryId);
      return reply.render(
        'trial/query.njk',
        {
          pageTitle: `Data query: ${page.query.studyId}`,
          contentWidth: 'two-thirds',
          backLinkHref: '/trial/queries',
          successMessage: noticeFor(queryText(request, 'done')),
          trialLocked: page.trial.lockedAt,
          query: queryView(page.query, clock.now()),
          replies: page.replies,
          mayAnswer: page.mayAnswer,
          mayCloseOrFollowUp: page.mayCloseOrFollowUp,
          correctedItems: [
            {
              value: 'yes',
              text: 'Yes, the value was corrected in its record',
              checked: values.valueCorrected === 'yes',
            },
            { value: 'no', text: 'No, the value stands', checked: values.valueCorrected === 'no' },
          ],
          values,
          ...errorSummary(errors, ANSWER_FIELDS),
        },
        status,
      );
    },
    parse: (request) => parseAnswerForm(request.body),
    save: async (queryId, value, request) => {
      await dataQueries.answer(staffContext(request), queryId, value);
      return `/trial/queries/${queryId}?done=answered`;
    },
  });

  registerFormPage(app, {
    path: '/trial/queries/:queryId/follow-up',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'queryId'),
    submissionToken: true,
    values: FOLLOW_UP_VALUES,
    render: async (request, reply, queryId, { values = {}, errors, status }) => {
      const page = await dataQueries.one(staffContext(request), queryId);
      if (!page.mayCloseOrFollowUp) return seeOther(reply, `/trial/queries/${queryId}`);
      return reply.render(
        'trial/query-follow-up.njk',
        {
          pageTitle: 'Ask a follow-up question',
          contentWidth: 'two-thirds',
          backLinkHref: `/trial/queries/${queryId}`,
          query: queryView(page.query, clock.now()),
          values,
          ...errorSummary(errors, ['followUp']),
        },
        status,
      );
    },
    parse: (request) => parseFollowUpForm(request.body),
    save: async (queryId, value, request) => {
      await dataQueries.followUp(staffContext(request), queryId, value);
      return `/trial/queries/${queryId}?done=reopened`;
    },
  });

  app.post('/trial/queries/:queryId/close', async (request, reply) => {
    const queryId = idParam(request.params, 'queryId');
    await dataQueries.close(staffContext(request), queryId);
    return seeOther(reply, `/trial/queries/${queryId}?done=closed`);
  });

  registerFormPage(app, {
    path: '/trial/deviations/new',
    signedIn: staffContext,
    route: () => undefined,
    submissionToken: true,
    values: DEVIATION_VALUES,
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      await deviations.recordForm(staffContext(request));
      return reply.render(
        'trial/deviation-form.njk',
        {
          pageTitle: 'Record a protocol deviation',
          contentWidth: 'two-thirds',
          backLinkHref: '/trial/deviations',
          kindItems: deviations.kinds.kinds.map((k) => ({
            value: k.key,
            text: k.title,
            checked: values.kind === k.key,
          })),
          severityItems: SEVERITIES.map((s) => ({
            value: s,
            text: SEVERITY_WORDS[s],
            checked: values.severity === s,
            hint:
              s === 'serious_breach'
                ? {
                    text: 'Likely to affect to a significant degree the safety or rights of participants, or the reliability of the trial’s data. It must also be reported to the sponsor.',
                  }
                : s === 'major'
                  ? {
                      text: 'Could affect a participant’s safety or the trial’s data, but not to a significant degree',
                    }
                  : { text: 'No effect on safety, rights or the trial’s data' },
          })),
          values,
          ...errorSummary(errors, DEVIATION_FIELDS, DEVIATION_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseDeviationForm(request.body, ukToday(clock.now())),
    save: async (_route, value, request) => {
      const id = await deviations.record(staffContext(request), value);
      return `/trial/deviations/${id}?done=recorded`;
    },
  });

  app.get('/trial/deviations', async (request, reply) => {
    const { trial, deviations: rows } = await deviations.list(staffContext(request));
    return reply.render('trial/deviations.njk', {
      pageTitle: 'Protocol deviations',
      backLinkHref: '/trial',
      trialLocked: trial.lockedAt,
      deviations: rows.map((d) => ({
        ...d,
        kindTitle: deviations.kindTitle(d.kind),
        severityText: SEVERITY_WORDS[d.severity],
      })),
    });
  });

  app.get('/trial/deviations/:deviationId', async (request, reply) => {
    const d = await deviations.one(staffContext(request), idParam(request.params, 'deviationId'));
    return reply.render('trial/deviation.njk', {
      pageTitle: `Protocol deviation: ${deviations.kindTitle(d.kind)}`,
      contentWidth: 'two-thirds',
      backLinkHref: '/trial/deviations',
      successMessage: noticeFor(queryText(request, 'done')),
      deviation: { ...d, kindTitle: deviations.kindTitle(d.kind), severityText: SEVERITY_WORDS[d.severity] },
    });
  });

  registerFormPage(app, {
    path: '/trial/lock',
    signedIn: staffContext,
    route: () => undefined,
    values: { fields: ['confirm'], maxLength: 10 },
    render: async (request, reply, _route, { errors, status }) => {
      const overview = await trialLock.overview(staffContext(request));
      return reply.render(
        'trial/lock.njk',
        {
          pageTitle: overview.trial.lockedAt ? 'The trial is locked' : 'Lock the trial’s database',
          contentWidth: 'two-thirds',
          backLinkHref: '/trial',
          successMessage: noticeFor(queryText(request, 'done')),
          overview,
          ...errorSummary(errors, ['confirm']),
        },
        status,
      );
    },
    parse: (request) =>
      bodyRecord(request).confirm === 'yes'
        ? { ok: true, value: true }
        : { ok: false, errors: { confirm: 'Confirm that the trial’s data should be locked for good' } },
    save: async (_route, _confirmed, request) => {
      await trialLock.lock(staffContext(request));
      return '/trial/lock?done=locked';
    },
  });
}
