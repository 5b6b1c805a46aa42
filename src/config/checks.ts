/** What must hold between settings, and what production insists on. */
import type { z } from 'zod';
import { parseStatusReasons } from '../sessions/status-reasons.ts';
import { loadPlanTemplates, sectionKeyList } from '../plan/plan-template.ts';
import { AUDIT_KEY_HOW_TO, parseAuditKey } from '../audit/audit-key.ts';
import { NOTIFY_TEMPLATE_VARIABLES } from './notify-templates.ts';
import type { Variables } from './variables.ts';

export function checkVariables(env: Variables, ctx: z.RefinementCtx<Variables>): void {
  if (env.NODE_ENV === 'production') {
    if (env.DEMO_MODE === 'on') {
      ctx.addIssue({
        code: 'custom',
        path: ['DEMO_MODE'],
        message: 'demo mode is never allowed in production',
      });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'production runs on PostgreSQL: set it',
      });
    }
    if (!env.NOTIFY_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['NOTIFY_API_KEY'],
        message: 'production sends through GOV.UK Notify: set it',
      });
    }
    if (!env.AUDIT_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_KEY'],
        message: `production signs its audit log with a key from your secret store: set it (${AUDIT_KEY_HOW_TO})`,
      });
    }
    if (env.SEED_DEMO_DATA === 'on') {
      ctx.addIssue({
        code: 'custom',
        path: ['SEED_DEMO_DATA'],
        message: "the demo's made-up accounts are never loaded in production (their password is published)",
      });
    }
    if (env.COOKIE_SECURE === 'off') {
      ctx.addIssue({
        code: 'custom',
        path: ['COOKIE_SECURE'],
        message: 'cookies must be Secure in production',
      });
    }
  }
  if (env.EMBEDDED_DURABILITY === 'off' && env.NODE_ENV !== 'test') {
    ctx.addIssue({
      code: 'custom',
      path: ['EMBEDDED_DURABILITY'],
      message: 'may be off only for throwaway test databases (NODE_ENV=test): it can lose saved work',
    });
  }
  if (env.PUBLIC_URL && !/^https?:\/\//i.test(env.PUBLIC_URL)) {
    ctx.addIssue({
      code: 'custom',
      path: ['PUBLIC_URL'],
      message: 'must be the address people open, starting https:// (or http:// on your own computer)',
    });
  }
  if (env.AUDIT_KEY && !parseAuditKey(env.AUDIT_KEY)) {
    ctx.addIssue({ code: 'custom', path: ['AUDIT_KEY'], message: `must be ${AUDIT_KEY_HOW_TO}` });
  }
  if (env.WORKING_DAY_END_HOUR <= env.WORKING_DAY_START_HOUR) {
    ctx.addIssue({
      code: 'custom',
      path: ['WORKING_DAY_END_HOUR'],
      message: 'the working day must end after it starts (WORKING_DAY_START_HOUR)',
    });
  }
  try {
    loadPlanTemplates({
      on: sectionKeyList(env.PLAN_SECTIONS_ON),
      off: sectionKeyList(env.PLAN_SECTIONS_OFF),
    });
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['PLAN_SECTIONS_ON'], message: (error as Error).message });
  }
  const reasons = parseStatusReasons(env.SESSION_STATUS_REASONS);
  if (!reasons.ok) {
    ctx.addIssue({ code: 'custom', path: ['SESSION_STATUS_REASONS'], message: reasons.message });
  }
  if (env.NOTIFY_API_KEY && !env.PUBLIC_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['PUBLIC_URL'],
      message: 'with NOTIFY_API_KEY set, messages link back to the service: set its public address',
    });
  }
  if (env.NOTIFY_API_KEY) {
    for (const name of NOTIFY_TEMPLATE_VARIABLES) {
      if (!(env as Record<string, unknown>)[name]) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'with NOTIFY_API_KEY set, every GOV.UK Notify template id is required',
        });
      }
    }
  }
}
