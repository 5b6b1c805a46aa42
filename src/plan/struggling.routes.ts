/**
 * "When I'm struggling" (PRODUCT.md section 3): one calm page with the participant's own early
 * warning signs, what helps, who they can call, then the crisis contacts. It is the one page
 * the service worker (`/sw.js`, src/views/sw.js) keeps on the phone, so it still opens without
 * a signal.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { participantContext } from '../platform/http/request-context.ts';
import type { StrugglingPage } from './plan-documents.service.ts';

const serviceWorker = readFileSync(new URL('../views/sw.js', import.meta.url), 'utf8');

/**
 * A `tel:` link for words that hold a UK phone number ("Mum, 07700 900123 after 6pm"), or
 * undefined: only what is clearly a number becomes tap-to-call.
 */
export function telHref(words: string): string | undefined {
  for (const match of words.matchAll(/(?:\+\s?44|\(?0)[\d\s().-]{8,17}\d/g)) {
    const digits = match[0].replace(/\D/g, '');
    if (/^0\d{9,10}$/.test(digits)) return `tel:${digits}`;
    if (/^44\d{9,10}$/.test(digits)) return `tel:+${digits}`;
    if (/^440\d{9,10}$/.test(digits)) return `tel:+44${digits.slice(3)}`;
  }
  return undefined;
}

export function strugglingView(page: StrugglingPage) {
  return {
    ...page,
    crisisTeamTel: telHref(page.crisisTeamPhone) ?? `tel:${page.crisisTeamPhone.replace(/\s/g, '')}`,
    supporters: page.supporters.map((person) => ({ ...person, tel: telHref(person.howToReach) })),
    nothingYet:
      !page.warningSigns.length &&
      !page.whatHelps.length &&
      !page.whatOthersCanDo.length &&
      !page.supporters.length,
  };
}

export function registerStrugglingRoutes(app: FastifyInstance, { services }: Dependencies): void {
  app.get('/me/struggling', async (request, reply) => {
    const page = await services.planDocuments.struggling(participantContext(request));
    return reply.render('plan/struggling.njk', {
      pageTitle: "When I'm struggling",
      // For "Listen": the plan's scripts read the page aloud.
      planScript: true,
      page: strugglingView(page),
    });
  });

  // At the site's root so it may look after every participant page. Browsers check it for
  // changes themselves; it must never be kept by a cache in between.
  app.get('/sw.js', (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(serviceWorker),
  );
}
