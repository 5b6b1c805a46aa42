import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, notices, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { optionalText, parseForm, submissionToken } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';

export const WELLBEING_NOTE_MAX = 500;

const noticeFor = notices({
  acknowledged: 'Acknowledged. They can see that you have it.',
  already: 'Someone has already acknowledged this request.',
});

const askForm = z.object({
  submissionToken,
  afterSession: z.enum(['yes', 'no']).optional(),
  note: optionalText(
    WELLBEING_NOTE_MAX,
    `What you would like to say must be ${String(WELLBEING_NOTE_MAX)} characters or fewer`,
  ),
});

export function registerWellbeingRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { wellbeing } = services;

  /** "I'd like support": the worker's own page, with the requests they made and whether each was seen. */
  registerFormPage(app, {
    path: '/wellbeing',
    signedIn: staffContext,
    route: () => undefined,
    submissionToken: true,
    values: { fields: ['submissionToken', 'afterSession', 'note'], maxLength: WELLBEING_NOTE_MAX + 100 },
    initialValues: (request) => ({ afterSession: queryText(request, 'after') === 'session' ? 'yes' : 'no' }),
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      const mine = await wellbeing.mine(staffContext(request));
      const told = queryText(request, 'told');
      return reply.render(
        'workforce/wellbeing.njk',
        {
          pageTitle: 'Support for you',
          contentWidth: 'two-thirds',
          mine,
          values,
          noteMax: WELLBEING_NOTE_MAX,
          sent: told !== undefined,
          toldNobody: told === '0',
          ...errorSummary(errors, ['note']),
        },
        status,
      );
    },
    parse: (request) => {
      const parsed = parseForm(askForm, request.body);
      return parsed.ok
        ? {
            ok: true,
            value: {
              submissionToken: parsed.value.submissionToken,
              afterSession: parsed.value.afterSession === 'yes',
              note: parsed.value.note,
            },
          }
        : { ok: false, errors: parsed.errors };
    },
    save: async (_route, value, request) => {
      const { told } = await wellbeing.ask(staffContext(request), value);
      return `/wellbeing?told=${String(told)}`;
    },
  });

  app.get('/wellbeing/requests', async (request, reply) => {
    const requests = await wellbeing.inbox(staffContext(request));
    return reply.render('workforce/wellbeing-requests.njk', {
      pageTitle: 'Requests for support',
      contentWidth: 'two-thirds',
      open: requests.filter((r) => r.acknowledgedAt === null),
      acknowledged: requests.filter((r) => r.acknowledgedAt !== null),
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });

  app.post('/wellbeing/requests/:requestId/acknowledge', async (request, reply) => {
    const { already } = await wellbeing.acknowledge(
      staffContext(request),
      idParam(request.params, 'requestId'),
    );
    return seeOther(reply, `/wellbeing/requests?done=${already ? 'already' : 'acknowledged'}`);
  });

  app.get('/wellbeing/teams', async (request, reply) => {
    const { days, teams } = await wellbeing.counts(staffContext(request));
    return reply.render('workforce/wellbeing-teams.njk', {
      pageTitle: 'Requests for support by team',
      contentWidth: 'two-thirds',
      days,
      teams,
      total: teams.reduce((n, team) => n + team.requests, 0),
    });
  });
}
