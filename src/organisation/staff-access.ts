/**
 * The coordinator's access to staff accounts, shared by the admin services: the policy asked
 * first, then an account of another trust (or none) is "not found", so ids reveal nothing.
 */
import type { Db } from '../platform/database/database.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { StaffRepository, StaffUserRow } from './staff.repository.ts';

export type StaffContext = RequestContext & { actor: StaffActor };

export function assertCanManageStaff(ctx: StaffContext): void {
  if (!can(ctx.actor, 'staff.manage', { type: 'trust', trustId: ctx.actor.trustId }))
    throw new ForbiddenError();
}

/** The account, if this coordinator may manage it. */
export async function manageableStaff(
  staff: StaffRepository,
  db: Db,
  ctx: StaffContext,
  staffId: string,
): Promise<StaffUserRow> {
  assertCanManageStaff(ctx);
  const row = await staff.findById(db, staffId);
  if (!row || !can(ctx.actor, 'staff.manage', { type: 'staff', trustId: row.trustId, staffId: row.id })) {
    throw new NotFoundError('staff account');
  }
  return row;
}

/**
 * The account locked for the rest of the transaction. The account buttons act on the account
 * as it is now rather than as the page showed it: the lock keeps the change from interleaving
 * with an edit, and a double click finds the work already done instead of a conflict.
 */
export async function lockedStaff(
  staff: StaffRepository,
  tx: Db,
  ctx: StaffContext,
  staffId: string,
): Promise<StaffUserRow> {
  assertCanManageStaff(ctx);
  await staff.lockForUpdate(tx, staffId);
  return manageableStaff(staff, tx, ctx, staffId);
}
