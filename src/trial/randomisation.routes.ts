/** Randomising a consented person, and the arms' balance by stratum (trial mode only). */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { bodyRecord } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { BadRequestError } from '../platform/http/form-page.ts';
import { ARM_NAMES } from './randomisation.service.ts';

const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function registerRandomisationRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { randomisation } = services;

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
