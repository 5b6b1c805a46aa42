import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { errorList } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import { ANCHORS, FIELD_ORDER, formValues, parseConsentForm, SCOPE_MAX } from './consent.form.ts';

export function registerConsentRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    participantId: string,
    values: Partial<Record<string, string>>,
    errors?: FieldErrors,
  ) => {
    const { participant, latest } = await services.consent.recordPage(staffContext(request), participantId);
    return reply.render(
      'consent/record.njk',
      {
        pageTitle: 'Sharing with their care team',
        contentWidth: 'two-thirds',
        backLinkHref: `/participants/${participantId}#sharing-consent`,
        name: displayName(participant),
        crisisTeamName: participant.crisisTeamName,
        participantId,
        latest,
        scopeMax: SCOPE_MAX,
        values,
        errors: errors ?? {},
        errorList: errors ? errorList(errors, FIELD_ORDER, ANCHORS) : undefined,
      },
      errors ? 400 : 200,
    );
  };

  app.get('/participants/:participantId/consent', (request, reply) =>
    render(request, reply, idParam(request.params, 'participantId'), { submissionToken: randomUUID() }),
  );

  app.post('/participants/:participantId/consent', async (request, reply) => {
    const ctx = staffContext(request);
    const participantId = idParam(request.params, 'participantId');
    const values = formValues(request.body);
    values.submissionToken ??= randomUUID();
    const form = parseConsentForm(request.body);
    if (!form.ok) return render(request, reply, participantId, values, form.errors);
    await services.consent.record(ctx, participantId, form.value);
    return seeOther(reply, `/participants/${participantId}?done=consent-recorded#sharing-consent`);
  });
}
