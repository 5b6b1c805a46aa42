import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { errorList } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import {
  ANCHORS,
  FIELD_ORDER,
  formValues,
  METHODS,
  OUTCOMES,
  parseContactAttemptForm,
} from './contact.form.ts';
import { METHOD_LABELS, OUTCOME_LABELS } from './contact.view-model.ts';
import { ukTimeOfDay, ukToday } from '../platform/calendar/uk-time.ts';

export function registerContactRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    participantId: string,
    values: Partial<Record<string, string>>,
    errors?: FieldErrors,
  ) => {
    const { participant, status } = await services.contact.recordPage(staffContext(request), participantId);
    return reply.render(
      'contact/record.njk',
      {
        pageTitle: 'Record a contact attempt',
        contentWidth: 'two-thirds',
        backLinkHref: `/participants/${participantId}`,
        name: displayName(participant),
        participantId,
        status,
        methods: METHODS.map((value) => ({ value, text: METHOD_LABELS[value] })),
        outcomes: OUTCOMES.map((value) => ({ value, text: OUTCOME_LABELS[value] })),
        values,
        errors: errors ?? {},
        errorList: errors ? errorList(errors, FIELD_ORDER, ANCHORS) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/participants/:participantId/contacts/new', (request, reply) => {
    // The boxes start at now: most attempts are recorded as they are made.
    const now = clock.now();
    const [year = '', month = '', day = ''] = ukToday(now).split('-');
    return render(request, reply, idParam(request.params, 'participantId'), {
      submissionToken: randomUUID(),
      'madeOn[day]': String(Number(day)),
      'madeOn[month]': String(Number(month)),
      'madeOn[year]': year,
      madeTime: ukTimeOfDay(now),
    });
  });

  app.post('/participants/:participantId/contacts/new', async (request, reply) => {
    const ctx = staffContext(request);
    const participantId = idParam(request.params, 'participantId');
    const values = formValues(request.body);
    values.submissionToken ??= randomUUID();
    const form = parseContactAttemptForm(request.body);
    if (!form.ok) return render(request, reply, participantId, values, form.errors);
    try {
      await services.contact.record(ctx, participantId, form.value);
    } catch (error) {
      if (error instanceof ValidationError)
        return render(request, reply, participantId, values, error.fieldErrors);
      throw error;
    }
    return seeOther(reply, `/participants/${participantId}?done=contact-recorded`);
  });
}
