import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { ForbiddenError, type FieldErrors } from '../platform/errors.ts';
import { errorSummary, formValues, submitForm, type FormValues } from '../platform/http/form-page.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { displayName } from '../participants/display-name.ts';
import {
  ANCHORS,
  FIELD_ORDER,
  hiddenFields,
  parseReferralForm,
  sharedContactStep,
  VALUES,
  withoutStepFields,
} from './referral.form.ts';
import { SharedContactError, type ReferralInput } from './referral.service.ts';
import { formatUkMobile } from '../participants/contact.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { questionViews } from '../equality/equality.view-model.ts';

export function registerReferralRoutes(
  app: FastifyInstance,
  { services, clock, config }: Dependencies,
): void {
  const renderForm = (
    reply: FastifyReply,
    teams: readonly { id: string; name: string; phone: string }[],
    values: FormValues,
    errors: FieldErrors | undefined,
    status: number,
  ) =>
    reply.render(
      'referral/referral-form.njk',
      {
        pageTitle: 'Refer someone at discharge',
        contentWidth: 'two-thirds',
        values,
        ...errorSummary(errors, FIELD_ORDER, ANCHORS),
        teams: teams.map((team) => ({ value: team.id, text: `${team.name} (${team.phone})` })),
        equalityQuestions: questionViews('they', values),
      },
      status,
    );

  /**
   * The step that flags a mobile or email someone in Greenleaf already has. It carries the whole
   * form in hidden fields (so it works without JavaScript and nothing is typed twice) and says
   * which contact matched, never whose it is.
   */
  const renderSharedContactStep = (
    reply: FastifyReply,
    referral: ReferralInput,
    values: FormValues,
    matched: ('mobile' | 'email')[],
    asked: boolean,
  ) => {
    const errors: FieldErrors | undefined = asked
      ? { sharedContact: 'Select whether they are the same person' }
      : undefined;
    return reply.render(
      'referral/shared-contact.njk',
      {
        pageTitle: 'Check if this person is already in Greenleaf',
        contentWidth: 'two-thirds',
        name: `${referral.givenName} ${referral.familyName}`,
        mobile: matched.includes('mobile') && referral.mobile ? formatUkMobile(referral.mobile) : null,
        email: matched.includes('email') ? referral.email : null,
        contactWords:
          matched.length === 2
            ? 'mobile number or email address'
            : matched.includes('mobile')
              ? 'mobile number'
              : 'email address',
        hidden: hiddenFields(values),
        ...errorSummary(errors, ['sharedContact'], ANCHORS),
      },
      asked ? 400 : 409,
    );
  };

  app.get('/referrals/new', async (request, reply) => {
    const ctx = staffContext(request);
    const teams = await services.referrals.teamsToReferInto(ctx);
    if (teams.length === 0) throw new ForbiddenError();
    const preselected = teams.length === 1 ? teams[0]?.id : ctx.actor.crisisTeamId;
    return renderForm(
      reply,
      teams,
      { submissionToken: randomUUID(), crisisTeamId: preselected ?? undefined },
      undefined,
      200,
    );
  });

  app.post('/referrals', async (request, reply) => {
    const ctx = staffContext(request);
    const teams = await services.referrals.teamsToReferInto(ctx);
    if (teams.length === 0) throw new ForbiddenError();
    const values = formValues(request.body, VALUES);
    if (typeof values.submissionToken !== 'string') values.submissionToken = randomUUID();
    const step = sharedContactStep(request.body);
    // "Change their contact details" on the step: the form again, as it was typed.
    if (step.answer === 'change') return renderForm(reply, teams, withoutStepFields(values), undefined, 200);
    const form = parseReferralForm(request.body, ukToday(clock.now()), config.programme.minimumAge);
    return submitForm(reply, form, {
      save: async (referral) => {
        try {
          if (step.answer === 'same') {
            await services.referrals.reportSamePerson(ctx, referral);
            return {
              answer: () =>
                reply.render('referral/same-person.njk', {
                  pageTitle: 'Do not refer them again',
                  name: `${referral.givenName} ${referral.familyName}`,
                }),
            };
          }
          const { participantId } = await services.referrals.refer(ctx, referral);
          return `/participants/${participantId}?done=referred`;
        } catch (error) {
          if (!(error instanceof SharedContactError)) throw error;
          const { matched } = error;
          return { answer: () => renderSharedContactStep(reply, referral, values, matched, step.asked) };
        }
      },
      showAgain: (errors) => renderForm(reply, teams, withoutStepFields(values), errors, 400),
    });
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
