import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { NotFoundError } from '../platform/errors.ts';
import { queryText } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { formatUkMobile } from '../participants/contact.ts';
import { ROLE_LABELS } from '../policy/actor.ts';

/** Registered only in demo mode, which config refuses in production. */
export function registerDemoRoutes(app: FastifyInstance, { services }: Dependencies): void {
  app.get('/demo', async (request, reply) => {
    const raw = queryText(request, 'participant');
    const name = typeof raw === 'string' ? raw.trim().slice(0, 100) : '';
    const accounts = await services.demo.accounts(name || undefined);
    return reply.render('demo/accounts.njk', {
      participantSearch: name,
      pageTitle: 'Demo accounts',
      contentWidth: 'full',
      staff: accounts.staff.map((s) => ({ ...s, roleText: s.roles.map((r) => ROLE_LABELS[r]).join(', ') })),
      participants: accounts.participants.map((p) => ({
        ...p,
        mobile: p.mobile ? formatUkMobile(p.mobile) : null,
      })),
    });
  });

  app.post('/demo/sign-in/staff/:staffId', async (request, reply) => {
    const token = await services.staffSignIn.signInForDemo(idParam(request.params, 'staffId'), request.ip);
    if (!token) throw new NotFoundError('account');
    app.sessionCookie.set(reply, token);
    return seeOther(reply, '/');
  });

  app.post('/demo/sign-in/participant/:participantId', async (request, reply) => {
    const token = await services.participantSignIn.signInForDemo(
      idParam(request.params, 'participantId'),
      request.ip,
    );
    if (!token) throw new NotFoundError('participant');
    app.sessionCookie.set(reply, token);
    return seeOther(reply, '/me');
  });

  app.get('/demo/outbox', async (request, reply) => {
    const ctx = staffContext(request);
    const messages = await services.demo.outbox(ctx);
    return reply.render('demo/outbox.njk', { pageTitle: 'Outbox', contentWidth: 'full', messages });
  });
}
