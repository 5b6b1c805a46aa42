/**
 * What every list of concerns shares: the policy's view of a concern, the check that an actor may
 * act on one, and one concern as a list shows it (concern-list.njk).
 */
import type { Db } from '../platform/database/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import { can, type Resource } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { displayName } from '../participants/display-name.ts';
import type { ConcernUrgency } from '../platform/database/schema.ts';
import { STATUS_TAGS, URGENCY_TAGS, type ConcernKind } from './concern.form.ts';
import type { ConcernListRow, ConcernRepository } from './concern.repository.ts';

export type StaffContext = RequestContext & { actor: StaffActor };

/** One concern as lists show it. */
export interface ConcernItem {
  id: string;
  kind: ConcernKind;
  participantId: string;
  participantName: string;
  raisedByName: string;
  raisedAt: Date;
  urgency: ConcernUrgency;
  acknowledgeBy: Date;
  status: ConcernListRow['status'];
  /** Still open after its acknowledge-by time. */
  overdue: boolean;
  closedAt: Date | null;
  urgencyTag: { text: string; classes: string };
  statusTag: { text: string; classes: string };
  /** Someone else has written in its thread since the viewer last opened it (My concerns). */
  newReply: boolean;
}

export function concernResource(
  row: Pick<ConcernListRow, 'trustId' | 'crisisTeamId' | 'participantId' | 'raisedBy'>,
): Resource {
  return {
    type: 'concern',
    trustId: row.trustId,
    crisisTeamId: row.crisisTeamId,
    participantId: row.participantId,
    raisedBy: row.raisedBy,
  };
}

/** The concern, if this actor may do `action` with it; anyone else gets "not found". */
export async function concernFor(
  concerns: Pick<ConcernRepository, 'findById'>,
  ctx: StaffContext,
  db: Db,
  id: string,
  action: 'concern.view' | 'concern.respond' | 'concern.message' | 'concern.confirm_999',
): Promise<ConcernListRow> {
  const row = await concerns.findById(db, id);
  if (!row || !can(ctx.actor, action, concernResource(row))) throw new NotFoundError('concern');
  return row;
}

export function concernParticipantName(row: ConcernListRow): string {
  return displayName({
    givenName: row.participantGivenName,
    familyName: row.participantFamilyName,
    preferredName: row.participantPreferredName,
  });
}

/** Still open after its acknowledge-by time. */
export function isOverdue(row: Pick<ConcernListRow, 'status' | 'acknowledgeBy'>, now: Date): boolean {
  return row.status === 'open' && now > row.acknowledgeBy;
}

export function concernItem(row: ConcernListRow, now: Date, newReply = false): ConcernItem {
  return {
    id: row.id,
    kind: row.kind,
    participantId: row.participantId,
    participantName: concernParticipantName(row),
    raisedByName: row.raisedByName,
    raisedAt: row.raisedAt,
    urgency: row.urgency,
    acknowledgeBy: row.acknowledgeBy,
    status: row.status,
    overdue: isOverdue(row, now),
    closedAt: row.closedAt,
    urgencyTag: URGENCY_TAGS[row.urgency],
    statusTag: STATUS_TAGS[row.status],
    newReply,
  };
}
