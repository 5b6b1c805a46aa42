import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { homeFor } from '../platform/http/navigation.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { ROLE_LABELS } from '../policy/actor.ts';

export function registerHomeRoutes(app: FastifyInstance, { config, services }: Dependencies): void {
  app.get('/', async (request, reply) => {
    if (request.actor) {
      const trialSiteTrustIds = await services.trialSites.current();
      return reply.redirect(homeFor(request.actor, { demo: config.demoMode, trial: config.trialMode, trialSiteTrustIds }), 303);
    }
    return reply.render('home/start.njk', { pageTitle: 'Greenleaf', demoMode: config.demoMode });
  });

  // Staff whose roles have no pages yet (research roles) land here.
  app.get('/home', (request, reply) => {
    const { actor } = staffContext(request);
    return reply.render('home/staff-home.njk', {
      pageTitle: 'Home',
      name: actor.fullName,
      roles: actor.roles.map((role) => ROLE_LABELS[role]),
    });
  });
}
