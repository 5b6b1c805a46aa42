import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { NotFoundError, ValidationError, type FieldErrors } from '../platform/errors.ts';
import { errorList } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { participantContext, seeOther, staffContext } from '../platform/http/request-context.ts';
import type { RequestContext } from '../policy/actor.ts';
import type { CalendarFile } from './reminder-calendar.service.ts';
import { preferencesView } from './reminders.view-model.ts';
import {
  parsePreferencesForm,
  PREFERENCES_ANCHORS,
  PREFERENCES_FIELD_ORDER,
  preferencesValues,
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

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    audience: Audience,
    ctx: RequestContext,
    participantId: string,
    values: Record<string, string> | undefined,
    errors?: FieldErrors,
  ) => {
    const page = await services.reminderPreferences.preferencesPage(ctx, participantId);
    const saved = (request.query as Record<string, unknown>).saved === '1';
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
        errors: errors ?? {},
        errorList: errors ? errorList(errors, PREFERENCES_FIELD_ORDER, PREFERENCES_ANCHORS) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  const save = async (
    request: FastifyRequest,
    reply: FastifyReply,
    audience: Audience,
    ctx: RequestContext,
    participantId: string,
    done: string,
  ) => {
    const values = preferencesValues(request.body);
    const form = parsePreferencesForm(request.body);
    if (!form.ok) return render(request, reply, audience, ctx, participantId, values, form.errors);
    try {
      await services.reminderPreferences.updatePreferences(ctx, participantId, form.value);
    } catch (error) {
      if (error instanceof ValidationError)
        return render(request, reply, audience, ctx, participantId, values, error.fieldErrors);
      throw error;
    }
    return seeOther(reply, done);
  };

  app.get('/participants/:participantId/reminders', (request, reply) =>
    render(
      request,
      reply,
      'worker',
      staffContext(request),
      idParam(request.params, 'participantId'),
      undefined,
    ),
  );

  app.post('/participants/:participantId/reminders', (request, reply) => {
    const participantId = idParam(request.params, 'participantId');
    return save(
      request,
      reply,
      'worker',
      staffContext(request),
      participantId,
      `/participants/${participantId}?done=reminders-updated`,
    );
  });

  app.get('/me/reminders', (request, reply) => {
    const ctx = participantContext(request);
    return render(request, reply, 'participant', ctx, ctx.actor.id, undefined);
  });

  app.post('/me/reminders', (request, reply) => {
    const ctx = participantContext(request);
    return save(request, reply, 'participant', ctx, ctx.actor.id, '/me/reminders?saved=1');
  });

  app.get('/me/sessions/:sessionId/calendar.ics', async (request, reply) => {
    const ctx = participantContext(request);
    const file = await services.reminderCalendar.myCalendar(ctx, idParam(request.params, 'sessionId'));
    return sendCalendar(reply, file);
  });

  app.get('/calendar/:file', { config: { rateLimit: RATE } }, async (request, reply) => {
    const file = (request.params as Record<string, unknown>).file;
    const match = typeof file === 'string' ? /^([A-Za-z0-9_-]{43})\.ics$/.exec(file) : null;
    if (!match?.[1]) throw new NotFoundError('calendar');
    return sendCalendar(reply, await services.reminderCalendar.calendarByToken(match[1], request.ip));
  });
}
