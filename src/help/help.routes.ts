import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';

/** "Get help now": public, linked from the header of every page, never behind sign-in. */
export function registerHelpRoutes(app: FastifyInstance, { services }: Dependencies): void {
  app.get('/help', async (request, reply) => {
    const team = await services.participants.crisisTeamContact(request.actor);
    return reply.render('help/help.njk', { pageTitle: 'Get help now', team });
  });
  app.get('/accessibility', (_request, reply) =>
    reply.render('help/accessibility.njk', { pageTitle: 'Accessibility statement' }),
  );
  app.get('/privacy', (_request, reply) => reply.render('help/privacy.njk', { pageTitle: 'Privacy' }));
}
