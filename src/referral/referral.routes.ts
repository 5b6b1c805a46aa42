import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { ForbiddenError, ValidationError, type FieldErrors } from '../platform/errors.ts';
import { errorList } from '../platform/http/forms.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { londonToday } from '../participants/programme-window.ts';
import { displayName } from '../caseload/caseload.service.ts';
import { ANCHORS, FIELD_ORDER, formValues, parseReferralForm } from './referral.form.ts';

export function registerReferralRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const renderForm = (
    reply: FastifyReply,
    teams: readonly { id: string; name: string; phone: string }[],
    values: Record<string, unknown>,
    errors: FieldErrors | undefined,
    status: number,
  ) =>
    reply.render(
      'referral/referral-form.njk',
      {
        pageTitle: 'Refer someone at discharge',
        contentWidth: 'two-thirds',
        values,
        errors: errors ?? {},
        errorList: errors ? errorList(errors, FIELD_ORDER, ANCHORS) : undefined,
        teams: teams.map((team) => ({ value: team.id, text: `${team.name} (${team.phone})` })),
      },
      status,
    );

  app.get('/referrals/new', async (request, reply) => {
    const ctx = staffContext(request);
    const teams = await services.referrals.teamsToReferInto(ctx);
    if (teams.length === 0) throw new ForbiddenError();
    const preselected = teams.length === 1 ? teams[0]?.id : ctx.actor.crisisTeamId;
    return renderForm(
      reply,
      teams,
      { submissionToken: randomUUID(), crisisTeamId: preselected },
      undefined,
      200,
    );
  });

  app.post('/referrals', async (request, reply) => {
    const ctx = staffContext(request);
    const teams = await services.referrals.teamsToReferInto(ctx);
    if (teams.length === 0) throw new ForbiddenError();
    const values = formValues(request.body);
    if (typeof values.submissionToken !== 'string') values.submissionToken = randomUUID();
    const form = parseReferralForm(request.body, londonToday(clock.now()));
    if (!form.ok) return renderForm(reply, teams, values, form.errors, 400);
    let participantId: string;
    try {
      ({ participantId } = await services.referrals.refer(ctx, form.value));
    } catch (error) {
      if (error instanceof ValidationError) return renderForm(reply, teams, values, error.fieldErrors, 400);
      throw error;
    }
    return seeOther(reply, `/participants/${participantId}?done=referred`);
  });

  app.get('/referrals', async (request, reply) => {
    const ctx = staffContext(request);
    const items = await services.referrals.list(ctx);
    const canRefer = (await services.referrals.teamsToReferInto(ctx)).length > 0;
    return reply.render('referral/referrals.njk', {
      pageTitle: 'Referrals',
      contentWidth: 'full',
      canRefer,
      rows: items.map((item) => ({ ...item, name: displayName(item) })),
    });
  });
}
