/** Setting the trial up, randomising a consented person, and the arms' balance by stratum (trial mode only). */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { bodyRecord, errorSummary, registerFormPage } from '../platform/http/form-page.ts';
import { parseSetUpForm, SET_UP_FIELDS } from './trial-set-up.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { BadRequestError } from '../platform/http/form-page.ts';
import { ARM_NAMES } from './randomisation.service.ts';

const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function registerRandomisationRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { randomisation, trialSetUp } = services;

  /** Setting up the deployment's trial, while there is none (the trial manager). */
  registerFormPage(app, {
    path: '/trial/set-up',
    signedIn: staffContext,
    route: () => undefined,
    values: { fields: ['name', 'shortCode', 'siteTrustIds'], maxLength: 250 },
    initialValues: (request) => ({ siteTrustIds: [staffContext(request).actor.trustId] }),
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      const form = await trialSetUp.form(staffContext(request));
      const chosen = new Set([values.siteTrustIds ?? []].flat());
      return reply.render(
        'trial/set-up.njk',
        {
          pageTitle: 'Set up the trial',
          contentWidth: 'two-thirds',
          backLinkHref: '/trial',
          values,
          trustItems: form.trusts.map((t) => ({
            value: t.id,
            text: t.name + (t.id === form.ownTrustId ? ' (your trust)' : ''),
            checked: chosen.has(t.id),
          })),
          ...errorSummary(errors, SET_UP_FIELDS, { siteTrustIds: 'siteTrustIds' }),
        },
        status,
      );
    },
    parse: (request) => parseSetUpForm(request.body),
    save: async (_route, value, request) => {
      await trialSetUp.setUp(staffContext(request), value);
      return '/trial?done=set_up';
    },
  });

  /** Randomise: the next slot of their stratum, once, whatever is sent again. */
  app.post('/trial/screenings/:screeningId/randomise', async (request, reply) => {
    const screeningId = idParam(request.params, 'screeningId');
    const token = bodyRecord(request).submissionToken;
    if (typeof token !== 'string' || !TOKEN.test(token)) throw new BadRequestError('No submission token');
    await randomisation.randomise(staffContext(request), screeningId, token);
    return seeOther(reply, `/trial/screenings/${screeningId}?done=randomised#randomisation`);
  });

  app.get('/trial/balance', async (request, reply) => {
    const balance = await randomisation.balance(staffContext(request));
    return reply.render('trial/balance.njk', {
      pageTitle: 'Balance of the arms',
      contentWidth: 'two-thirds',
      backLinkHref: '/trial',
      ...balance,
      armNames: ARM_NAMES,
    });
  });
}

/** A new submission token for the randomise form on the screening page. */
export const newRandomiseToken = (): string => randomUUID();
