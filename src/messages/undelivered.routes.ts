/**
 * "Messages not delivered", in the coordinator's admin area: texts and emails Greenleaf gave
 * up on after its retries, so someone can reach the person another way.
 */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { formatDateTime } from '../platform/calendar/uk-format.ts';
import { failureWords, messageKindWords } from './undelivered-words.ts';

export function registerUndeliveredMessagesRoutes(
  app: FastifyInstance,
  { services }: { services: Pick<Dependencies['services'], 'undeliveredMessages'> },
): void {
  app.get('/admin/messages/not-delivered', async (request, reply) => {
    const messages = await services.undeliveredMessages.forTrust(staffContext(request));
    return reply.render('messages/not-delivered.njk', {
      pageTitle: 'Messages not delivered',
      backLinkHref: '/admin/teams',
      messages: messages.map((m) => ({
        when: formatDateTime(m.givenUpAt ?? m.createdAt),
        kind: messageKindWords(m.template, m.channel),
        safety: m.safety,
        recipient: m.recipient,
        attempts: m.attempts,
        why: failureWords(m.lastError, m.channel),
      })),
    });
  });
}
