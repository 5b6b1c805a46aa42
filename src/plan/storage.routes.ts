/**
 * "Storage used by recovery plans", in the coordinator's admin area: how much the trust's plans
 * hold in drawings, photos and voice notes, and whose plans hold most (size only, never what).
 */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { megabytes, sizeWords } from './media-quota.ts';
import { displayName } from '../participants/display-name.ts';

export function registerPlanStorageRoutes(
  app: FastifyInstance,
  { services }: { services: Pick<Dependencies['services'], 'mediaStorage'> },
): void {
  app.get('/admin/storage', async (request, reply) => {
    const page = await services.mediaStorage.storage(staffContext(request));
    const { quota } = page;
    return reply.render('plan/storage.njk', {
      pageTitle: 'Storage used by recovery plans',
      backLinkHref: '/admin/teams',
      trust: page.trust,
      total: sizeWords(page.trust.inPlans.bytes + page.trust.removed.bytes),
      inPlans: sizeWords(page.trust.inPlans.bytes),
      removed: sizeWords(page.trust.removed.bytes),
      deleted: sizeWords(page.trust.deleted.bytes),
      quota: { items: quota.maxItems, mb: megabytes(quota.maxBytes), removedDays: quota.removedDays },
      top: page.top.map((p) => ({
        name: displayName(p),
        href: `/participants/${p.participantId}`,
        items: p.items,
        size: sizeWords(p.bytes),
        share: Math.round((p.bytes / quota.maxBytes) * 100),
      })),
    });
  });
}
