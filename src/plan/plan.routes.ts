/**
 * The recovery plan's pages, for two audiences with one set of handlers: the participant at
 * `/me/plan`, and staff (their worker; their care team for what was shared with it) at
 * `/participants/:participantId/plan`. Every form works without JavaScript; the same save
 * endpoint answers autosave in JSON when asked (`Accept: application/json`).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, postedStrings, queryText, submitForm } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { participantContext, seeOther, staffContext } from '../platform/http/request-context.ts';
import type { RequestContext } from '../policy/actor.ts';
import { NotFoundError } from '../platform/errors.ts';
import { GOAL_PROGRESS, GOAL_PROGRESS_WORDS, LIMITS } from './plan-entry.ts';
import { parseEntryAction, parseEntryForm, typedValues, type FormValues } from './plan.form.ts';
import { registerPlanSharingRoutes, renderFirstSharing } from './plan-sharing.routes.ts';
import type { SectionPage } from './plan-reading.service.ts';
import type { SaveResult } from './plan-writing.service.ts';
import { fieldForms } from './section.view-model.ts';
import { wantsJson } from '../platform/http/wants-json.ts';

export interface PlanAudience {
  ctx: RequestContext;
  participantId: string;
  /** Where this audience's plan pages live. */
  base: string;
  kind: 'participant' | 'staff';
}

export function participantAudience(request: FastifyRequest): PlanAudience {
  const ctx = participantContext(request);
  return { ctx, participantId: ctx.actor.id, base: '/me/plan', kind: 'participant' };
}

export function staffAudience(request: FastifyRequest): PlanAudience {
  const ctx = staffContext(request);
  const participantId = idParam(request.params, 'participantId');
  return { ctx, participantId, base: `/participants/${participantId}/plan`, kind: 'staff' };
}

export const PLAN_PREFIXES = [
  { prefix: '/me/plan', audienceOf: participantAudience },
  { prefix: '/participants/:participantId/plan', audienceOf: staffAudience },
] as const;

/** A section key from the URL; anything else is simply not found. */
export function sectionParam(params: unknown): string {
  const value = asRecord(params).sectionKey;
  if (typeof value !== 'string' || !/^[a-z][a-z0-9_]{0,39}$/.test(value)) throw new NotFoundError('section');
  return value;
}

const SECTION_PAGE_FEATURES = ['microphone'] as const;

const SEEN_BY_YOU = {
  private: 'Seen only by you',
  worker: 'Seen by you and your peer support worker',
  care_team: 'Seen by you, your peer support worker and your care team',
} as const;

const SEEN_BY_STAFF = {
  private: 'Private',
  worker: 'Shared with their peer support worker',
  care_team: 'Shared with their peer support worker and care team',
} as const;

export function registerPlanRoutes(app: FastifyInstance, deps: Dependencies): void {
  const { planReading, planWriting, planTemplates } = deps.services;

  const renderSection = async (
    request: FastifyRequest,
    reply: FastifyReply,
    audience: PlanAudience,
    sectionKey: string,
    failed?: { entryId: string; errors: FieldErrors; values: FormValues },
  ) => {
    const page = await planReading.section(audience.ctx, audience.participantId, sectionKey);
    const savedEntryId = queryText(request, 'saved');
    const errors = failed?.errors ?? {};
    return reply.render(
      'plan/section.njk',
      {
        ...sectionView(page, audience),
        fieldGroups: fieldForms(page, audience.base, reply.generateCsrf(), failed, savedEntryId),
        // Drafts kept on the device belong to whoever typed them (a shared phone).
        draftOwner: audience.ctx.actor.id,
        pageTitle: page.section.title,
        savedEntryId,
        failed,
        errorList: failed
          ? Object.entries(errors).map(([field, text]) => ({ text, href: `#${failed.entryId}-${field}` }))
          : undefined,
      },
      failed ? 400 : 200,
    );
  };

  const answer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    audience: PlanAudience,
    sectionKey: string,
    result: SaveResult,
    values: FormValues,
  ) => {
    if (wantsJson(request)) {
      return reply.code(result.status === 'saved' ? 200 : 409).send(result);
    }
    if (result.status === 'saved') {
      return seeOther(
        reply,
        `${audience.base}/${sectionKey}?saved=${result.entryId}#entry-${result.entryId}`,
      );
    }
    const page = await planReading.section(audience.ctx, audience.participantId, sectionKey);
    return reply.render(
      'plan/conflict.njk',
      {
        ...sectionView(page, audience),
        pageTitle: 'Someone else changed this',
        conflict: result,
        values: typedValues(values),
        yourWords: typedWords(values),
        newSaveId: randomUUID(),
      },
      409,
    );
  };

  registerPlanSharingRoutes(app, deps);

  for (const { prefix, audienceOf } of PLAN_PREFIXES) {
    app.get(prefix, async (request, reply) => {
      const audience = audienceOf(request);
      const overview = await planReading.overview(audience.ctx, audience.participantId);
      if (overview.askSharing) return renderFirstSharing(reply, planTemplates, overview);
      return reply.render('plan/overview.njk', {
        pageTitle:
          overview.audience === 'participant'
            ? 'My recovery plan'
            : `${overview.subject.name}'s recovery plan`,
        contentWidth: 'two-thirds',
        backLinkHref: audience.kind === 'participant' ? '/me' : `/participants/${audience.participantId}`,
        overview,
        base: audience.base,
        seenByWords: audience.kind === 'participant' ? SEEN_BY_YOU : SEEN_BY_STAFF,
        sharingChosen: queryText(request, 'sharing') === 'chosen',
      });
    });

    // A section page records voice notes (30-voice.js); nothing else may use the microphone.
    app.get(`${prefix}/:sectionKey`, { config: { permissions: SECTION_PAGE_FEATURES } }, (request, reply) =>
      renderSection(request, reply, audienceOf(request), sectionParam(request.params)),
    );

    // Shows the section page again when the words cannot be saved.
    app.post(
      `${prefix}/:sectionKey/entries`,
      { config: { permissions: SECTION_PAGE_FEATURES } },
      async (request, reply) => {
        const values = postedStrings(request.body);
        const audience = audienceOrWords(request, reply, audienceOf, values);
        if (!audience) return reply;
        const sectionKey = sectionParam(request.params);
        const form = parseEntryForm(request.body);
        return submitForm(reply, form, {
          save: async (value) => {
            const result = await planWriting.saveEntry(
              audience.ctx,
              audience.participantId,
              sectionKey,
              value,
            );
            return { answer: () => answer(request, reply, audience, sectionKey, result, values) };
          },
          showAgain: (errors) => {
            if (wantsJson(request)) return reply.code(400).send({ status: 'invalid', errors });
            return renderSection(request, reply, audience, sectionKey, {
              entryId: form.ok
                ? form.value.entryId
                : typeof values.entryId === 'string'
                  ? values.entryId
                  : 'new',
              errors,
              values: typedValues(values),
            });
          },
        });
      },
    );

    app.post(`${prefix}/:sectionKey/entries/:entryId/remove`, async (request, reply) => {
      const audience = audienceOf(request);
      const sectionKey = sectionParam(request.params);
      const entryId = idParam(request.params, 'entryId');
      const form = parseEntryAction(request.body);
      if (!form.ok || form.value.entryId !== entryId) return badForm(request, reply);
      const result = await planWriting.removeEntry(
        audience.ctx,
        audience.participantId,
        sectionKey,
        form.value,
      );
      return answer(request, reply, audience, sectionKey, result, {});
    });

    app.get(`${prefix}/:sectionKey/entries/:entryId/history`, async (request, reply) => {
      const audience = audienceOf(request);
      const sectionKey = sectionParam(request.params);
      const entryId = idParam(request.params, 'entryId');
      const history = await planReading.history(audience.ctx, audience.participantId, sectionKey, entryId);
      return reply.render('plan/history.njk', {
        pageTitle: `Earlier versions: ${history.fieldLabel}`,
        backLinkHref: `${audience.base}/${sectionKey}#entry-${entryId}`,
        history,
        base: audience.base,
        newSaveId: randomUUID(),
        progressWords: GOAL_PROGRESS_WORDS,
      });
    });

    app.post(`${prefix}/:sectionKey/entries/:entryId/restore`, async (request, reply) => {
      const audience = audienceOf(request);
      const sectionKey = sectionParam(request.params);
      const entryId = idParam(request.params, 'entryId');
      const form = parseEntryAction(request.body);
      if (!form.ok || form.value.entryId !== entryId || form.value.revision === undefined) {
        return badForm(request, reply);
      }
      const result = await planWriting.restore(audience.ctx, audience.participantId, sectionKey, {
        ...form.value,
        revision: form.value.revision,
      });
      return answer(request, reply, audience, sectionKey, result, {});
    });
  }

  // Short information pages beside the sections: the same for everyone, no sign-in needed.
  app.get('/plan/information/:infoKey', async (request, reply) => {
    const key = asRecord(request.params).infoKey;
    const page = typeof key === 'string' ? planTemplates.info(key) : undefined;
    if (!page) throw new NotFoundError('information');
    const back = queryText(request, 'from');
    return reply.render('plan/information.njk', {
      pageTitle: page.title,
      page,
      backLinkHref:
        typeof back === 'string' && /^\/(me|participants)\/[\w\-/]*$/.test(back) ? back : undefined,
    });
  });
}

function sectionView(page: SectionPage, audience: PlanAudience): Record<string, unknown> {
  return {
    page,
    base: audience.base,
    planScript: page.canWrite,
    contentWidth: 'two-thirds',
    backLinkHref: audience.base,
    progressOptions: GOAL_PROGRESS.map((value) => ({ value, text: GOAL_PROGRESS_WORDS[value] })),
    progressWords: GOAL_PROGRESS_WORDS,
    seenByWords: audience.kind === 'participant' ? SEEN_BY_YOU : SEEN_BY_STAFF,
    limits: LIMITS,
    spareSteps: [0, 1, 2],
  };
}

/**
 * The audience, or (for a form posted after the sign-in session ended, without JavaScript) a
 * page that gives back what they wrote so it is not lost (WCAG 2.2.5 Re-authenticating).
 */
function audienceOrWords(
  request: FastifyRequest,
  reply: FastifyReply,
  audienceOf: (request: FastifyRequest) => PlanAudience,
  values: FormValues,
): PlanAudience | undefined {
  try {
    return audienceOf(request);
  } catch (error) {
    if (request.actor || wantsJson(request)) throw error;
    void reply.render(
      'plan/signed-out-words.njk',
      {
        pageTitle: 'You have been signed out',
        words: typedWords(values),
        signInHref: request.url.startsWith('/me/')
          ? '/participant/sign-in?returnTo=' + encodeURIComponent(request.url.replace(/\/entries$/, ''))
          : '/sign-in',
      },
      401,
    );
    return undefined;
  }
}

/** Everything a person typed into one entry form, as plain text. */
function typedWords(values: FormValues): string {
  return [
    'text',
    'goal',
    'stepText',
    'name',
    'relationship',
    'howTheyHelp',
    'howToReach',
    'whatTheyOffer',
    'description',
  ]
    .flatMap((key) => {
      const value = values[key];
      return Array.isArray(value) ? value : value ? [value] : [];
    })
    .filter((w) => w.trim() !== '')
    .join('\n\n');
}

function badForm(request: FastifyRequest, reply: FastifyReply) {
  if (wantsJson(request))
    return reply.code(400).send({ status: 'invalid', errors: { form: 'This form is out of date' } });
  return reply.render(
    'views/errors/bad-request.njk',
    { pageTitle: 'Sorry, there is a problem with this request' },
    400,
  );
}
