/**
 * Who can see the plan. Only the participant chooses who sees what, and sees who has looked:
 * first when they open their plan (the suggested sharing explained), then on its own page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { errorSummary, formStatus, queryText, submitForm } from '../platform/http/form-page.ts';
import { participantContext } from '../platform/http/request-context.ts';
import { VISIBILITIES, type Visibility } from './plan-template.ts';
import { parseSharingForm } from './plan.form.ts';
import type { SharingPage } from './plan-sharing.service.ts';

export const VISIBILITY_WORDS = {
  private: 'Only me',
  worker: 'Me and my peer support worker',
  care_team: 'Me, my peer support worker and my care team',
} as const;

/**
 * The first time a participant opens their plan: who may see each section, the suggested
 * sharing chosen already and explained. Their answer (even "keep it") is recorded as theirs.
 */
export function renderFirstSharing(
  reply: FastifyReply,
  planTemplates: Pick<Dependencies['services']['planTemplates'], 'latest'>,
  page: Pick<SharingPage, 'subject' | 'sections'>,
  errors?: FieldErrors,
  posted?: Record<string, Visibility>,
) {
  const suggested = [...new Set(planTemplates.latest.sections.map((s) => s.defaultSharing))];
  return reply.render(
    'plan/first-sharing.njk',
    {
      pageTitle: 'Who can see your plan?',
      contentWidth: 'two-thirds',
      backLinkHref: '/me',
      subject: page.subject,
      sections: page.sections,
      suggested: suggested.length === 1 ? suggested[0] : 'worker',
      posted: posted ?? {},
      visibilities: VISIBILITIES,
      visibilityWords: VISIBILITY_WORDS,
      ...errorSummary(errors, []),
    },
    formStatus(errors),
  );
}

export function registerPlanSharingRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { planSharing, planTemplates } = services;

  /** The participant's choices; the service refuses a choice a section does not allow. */
  const saveSharing = (
    reply: FastifyReply,
    body: unknown,
    ctx: ReturnType<typeof participantContext>,
    next: string,
    showAgain: (errors: FieldErrors, choices: Record<string, Visibility>) => unknown,
  ) => {
    const keys = planTemplates.latest.sections.map((s) => s.key);
    const choices = parseSharingForm(body, keys);
    return submitForm(
      reply,
      { ok: true, value: choices },
      {
        save: async (value) => {
          await planSharing.setSharing(ctx, ctx.actor.id, value);
          return next;
        },
        showAgain: (errors) => showAgain(errors, choices),
      },
    );
  };

  app.post('/me/plan/first-sharing', (request, reply) => {
    const ctx = participantContext(request);
    return saveSharing(reply, request.body, ctx, '/me/plan?sharing=chosen', async (errors, choices) =>
      renderFirstSharing(reply, planTemplates, await planSharing.sharing(ctx, ctx.actor.id), errors, choices),
    );
  });

  const renderSharing = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors?: FieldErrors,
    posted?: Record<string, Visibility>,
  ) => {
    const ctx = participantContext(request);
    const sharing = await planSharing.sharing(ctx, ctx.actor.id);
    return reply.render(
      'plan/sharing.njk',
      {
        pageTitle: 'Who can see my plan',
        backLinkHref: '/me/plan',
        sharing,
        posted: posted ?? {},
        saved: queryText(request, 'saved') === '1',
        visibilities: VISIBILITIES,
        visibilityWords: VISIBILITY_WORDS,
        ...errorSummary(errors, []),
      },
      formStatus(errors),
    );
  };

  app.get('/me/plan/sharing', (request, reply) => renderSharing(request, reply));

  app.post('/me/plan/sharing', (request, reply) => {
    const ctx = participantContext(request);
    return saveSharing(reply, request.body, ctx, '/me/plan/sharing?saved=1', (errors, choices) =>
      renderSharing(request, reply, errors, choices),
    );
  });

  app.get('/me/plan/views', async (request, reply) => {
    const ctx = participantContext(request);
    const { views } = await planSharing.viewers(ctx, ctx.actor.id);
    return reply.render('plan/views.njk', {
      pageTitle: 'Who has looked at my plan',
      backLinkHref: '/me/plan',
      views,
    });
  });
}
