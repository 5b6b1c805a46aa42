import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
// Placeholder while the admin pages are being written (replaced by the full file).
export function registerAdminRoutes(_app: FastifyInstance, _deps: Dependencies): void {}
