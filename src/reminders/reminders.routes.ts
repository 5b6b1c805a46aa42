import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { NotFoundError } from '../platform/errors.ts';
import { asRecord, errorSummary, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { participantContext, staffContext } from '../platform/http/request-context.ts';
import type { RequestContext } from '../policy/actor.ts';
import type { CalendarFile } from './reminder-calendar.service.ts';
import { preferencesView } from './reminders.view-model.ts';
import {
  parsePreferencesForm,
  PREFERENCES_ANCHORS,
  PREFERENCES_FIELD_ORDER,
  PREFERENCES_VALUES,
} from './reminders.form.ts';

/** As the sign-in routes: the calendar link is public, so it is rate limited per address. */
const RATE = { max: 20, timeWindow: '1 minute' };

function sendCalendar(reply: FastifyReply, file: CalendarFile): FastifyReply {
  return reply
    .header('content-type', 'text/calendar; charset=utf-8; method=REQUEST')
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .send(file.body);
}

export function registerReminderRoutes(app: FastifyInstance, { services }: Dependencies): void {
  type Audience = 'worker' | 'participant';

  /** The same page for a worker (about one participant) and for the participant themself. */
  const registerPreferencesPage = (
    path: string,
    audience: Audience,
    route: (request: FastifyRequest) => { ctx: RequestContext; participantId: string },
    done: (participantId: string) => string,
  ): void => {
    registerFormPage(app, {
      path,
      route,
      values: PREFERENCES_VALUES,
      render: async (request, reply, { ctx, participantId }, { values, errors, status }) => {
        const page = await services.reminderPreferences.preferencesPage(ctx, participantId);
        const saved = queryText(request, 'saved') === '1';
        return reply.render(
          'reminders/preferences.njk',
          {
            pageTitle: audience === 'worker' ? 'Session reminders' : 'Reminders',
            contentWidth: 'two-thirds',
            backLinkHref: audience === 'worker' ? `/participants/${participantId}` : '/me',
            action: audience === 'worker' ? `/participants/${participantId}/reminders` : '/me/reminders',
            audience,
            successMessage: saved && !errors ? 'Reminder settings saved.' : undefined,
            ...preferencesView(page, values),
            ...errorSummary(errors, PREFERENCES_FIELD_ORDER, PREFERENCES_ANCHORS),
          },
          status,
        );
      },
      parse: (request) => parsePreferencesForm(request.body),
      save: async ({ ctx, participantId }, value) => {
        await services.reminderPreferences.updatePreferences(ctx, participantId, value);
        return done(participantId);
      },
    });
  };

  registerPreferencesPage(
    '/participants/:participantId/reminders',
    'worker',
    (request) => ({ ctx: staffContext(request), participantId: idParam(request.params, 'participantId') }),
    (participantId) => `/participants/${participantId}?done=reminders-updated`,
  );

  registerPreferencesPage(
    '/me/reminders',
    'participant',
    (request) => {
      const ctx = participantContext(request);
      return { ctx, participantId: ctx.actor.id };
    },
    () => '/me/reminders?saved=1',
  );

  app.get('/me/sessions/:sessionId/calendar.ics', async (request, reply) => {
    const ctx = participantContext(request);
    const file = await services.reminderCalendar.myCalendar(ctx, idParam(request.params, 'sessionId'));
    return sendCalendar(reply, file);
  });

  app.get('/calendar/:file', { config: { rateLimit: RATE } }, async (request, reply) => {
    const { file } = asRecord(request.params);
    const match = typeof file === 'string' ? /^([A-Za-z0-9_-]{43})\.ics$/.exec(file) : null;
    if (!match?.[1]) throw new NotFoundError('calendar');
    return sendCalendar(reply, await services.reminderCalendar.calendarByToken(match[1], request.ip));
  });
}
