/**
 * An entry's revisions: every save writes the entry as it now is and keeps the revision (who,
 * when, the save id that makes a resent save a duplicate), audited with ids and keys only. A
 * stale save is answered with the version it missed, for the person to resolve.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AuditAction } from '../audit/audit-actions.ts';
import type { Actor, RequestContext } from '../policy/actor.ts';
import { entryWords, type EntryContent } from './plan-entry.ts';
import type { PlanEntryRevisionRow, PlanEntryRow, PlanRepository } from './plan.repository.ts';
import { entryContent, writtenBy, type LoadedPlan, type PlanAccess } from './plan-access.ts';

export interface SaveEntryInput {
  entryId: string;
  fieldKey: string;
  baseRevision: number;
  saveId: string;
  entry: EntryContent;
}

export interface ConflictingVersion {
  revision: number;
  removed: boolean;
  words: string;
  entry: EntryContent;
  writtenByName: string;
  updatedAt: Date;
}

export type SaveResult =
  | { status: 'saved'; entryId: string; revision: number; duplicate: boolean }
  | { status: 'conflict'; entryId: string; current: ConflictingVersion };

export class PlanEntryRevisions {
  private readonly plans: PlanRepository;
  private readonly access: PlanAccess;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(plans: PlanRepository, access: PlanAccess, audit: AuditService, clock: Clock) {
    this.plans = plans;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
  }

  /** The revision an earlier sending of this save made, if it was for this plan. */
  async duplicate(tx: Db, earlier: PlanEntryRevisionRow, participantId: string): Promise<SaveResult> {
    const entry = await this.plans.entry(tx, earlier.entryId);
    // A save id is only ever good for the plan it was first sent to.
    if (entry?.participantId !== participantId) throw new NotFoundError('entry');
    return { status: 'saved', entryId: earlier.entryId, revision: earlier.revision, duplicate: true };
  }

  async create(
    tx: Db,
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: SaveEntryInput,
    mediaId: string | null,
  ): Promise<SaveResult> {
    const now = this.clock.now();
    const writer = writerOf(ctx.actor);
    await this.plans.insertEntry(tx, {
      id: input.entryId,
      participantId,
      sectionKey,
      fieldKey: input.fieldKey,
      kind: input.entry.kind,
      content: input.entry.content,
      mediaId,
      removed: false,
      revision: 1,
      ...writer,
      createdAt: now,
      updatedAt: now,
    });
    await this.plans.insertRevision(tx, {
      entryId: input.entryId,
      revision: 1,
      content: input.entry.content,
      removed: false,
      change: 'written',
      ...writer,
      writtenAt: now,
      saveId: input.saveId,
    });
    await this.changed(tx, ctx, participantId, 'plan.entry_saved', {
      section: sectionKey,
      field: input.fieldKey,
      entryId: input.entryId,
      revision: 1,
    });
    return { status: 'saved', entryId: input.entryId, revision: 1, duplicate: false };
  }

  async change(
    tx: Db,
    ctx: RequestContext,
    existing: PlanEntryRow,
    content: Record<string, unknown>,
    removed: boolean,
    change: 'written' | 'removed' | 'restored',
    saveId: string,
    restoredFrom?: number,
  ): Promise<SaveResult> {
    const now = this.clock.now();
    const writer = writerOf(ctx.actor);
    const revision = existing.revision + 1;
    await this.plans.updateEntry(tx, existing.id, { content, removed, revision, ...writer, updatedAt: now });
    await this.plans.insertRevision(tx, {
      entryId: existing.id,
      revision,
      content,
      removed,
      change,
      ...writer,
      writtenAt: now,
      saveId,
    });
    const action: AuditAction =
      change === 'removed'
        ? 'plan.entry_removed'
        : change === 'restored'
          ? 'plan.entry_restored'
          : 'plan.entry_saved';
    await this.changed(tx, ctx, existing.participantId, action, {
      section: existing.sectionKey,
      field: existing.fieldKey,
      entryId: existing.id,
      revision,
      ...(restoredFrom ? { restoredFrom } : {}),
    });
    return { status: 'saved', entryId: existing.id, revision, duplicate: false };
  }

  async conflict(tx: Db, actor: Actor, loaded: LoadedPlan, existing: PlanEntryRow): Promise<SaveResult> {
    const names = await this.access.writerNames(tx, [existing]);
    const entry = entryContent(existing);
    return {
      status: 'conflict',
      entryId: existing.id,
      current: {
        revision: existing.revision,
        removed: existing.removed,
        words: entryWords(entry),
        entry,
        writtenByName: writtenBy(actor, loaded, existing, names).name,
        updatedAt: existing.updatedAt,
      },
    };
  }

  private async changed(
    tx: Db,
    ctx: RequestContext,
    participantId: string,
    action: AuditAction,
    detail: Record<string, unknown>,
  ): Promise<void> {
    // Ids and keys only: never the words people wrote.
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action,
      entityType: 'recovery_plan',
      entityId: participantId,
      detail: { ...detail, onBehalf: ctx.actor.kind === 'staff' },
    });
  }
}

const writerOf = (actor: Actor) => ({
  writtenByKind: actor.kind === 'participant' ? ('participant' as const) : ('worker' as const),
  writtenBy: actor.id,
});
