/**
 * Writing in the recovery plan: saving, removing and bringing back entries, and adding a
 * drawing, photo or voice note.
 *
 * - Every save names the revision it was based on: a stale save is a conflict the person
 *   resolves, never a silent overwrite. Every save carries a client-chosen `saveId`: the same
 *   save sent twice (a retried autosave, an offline draft sent on reconnect) is saved once.
 * - Saves for one plan take turns (the plan row is locked), so a free-text answer is one entry
 *   however many people start it at once.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext } from '../policy/actor.ts';
import { CONTENT_SCHEMAS, entryKindFor, MEDIA_FIELD, type EntryKind, type MediaKind } from './plan-entry.ts';
import type { PlanFieldTemplate, PlanSectionTemplate } from './plan-template.ts';
import { quotaProblem, type MediaQuota } from './media-quota.ts';
import type { PlanTasks } from './plan-tasks.ts';
import type { PlanEntryRow, PlanRepository } from './plan.repository.ts';
import { sectionResource, viewable, type LoadedPlan, type PlanAccess } from './plan-access.ts';
import { PlanEntryRevisions, type SaveEntryInput, type SaveResult } from './plan-entry-revisions.ts';

export type { ConflictingVersion, SaveEntryInput, SaveResult } from './plan-entry-revisions.ts';

/** Checks and cleans an uploaded file (PlanTasks: on the worker pool). */
export type UploadCleaner = Pick<PlanTasks, 'processUpload'>;

export class PlanWritingService {
  private readonly db: Db;
  private readonly access: PlanAccess;
  private readonly plans: PlanRepository;
  private readonly clock: Clock;
  private readonly mediaQuota: MediaQuota;
  private readonly uploads: UploadCleaner;
  private readonly revisions: PlanEntryRevisions;

  constructor(
    db: Db,
    access: PlanAccess,
    plans: PlanRepository,
    audit: AuditService,
    clock: Clock,
    mediaQuota: MediaQuota,
    uploads: UploadCleaner,
  ) {
    this.db = db;
    this.access = access;
    this.plans = plans;
    this.clock = clock;
    this.mediaQuota = mediaQuota;
    this.uploads = uploads;
    this.revisions = new PlanEntryRevisions(plans, access, audit, clock);
  }

  async saveEntry(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: SaveEntryInput,
  ): Promise<SaveResult> {
    return this.write(ctx, participantId, sectionKey, input.saveId, async (tx, loaded, section) => {
      const expectedKind =
        input.fieldKey === MEDIA_FIELD ? 'media' : fieldOf(section, input.fieldKey).entryKind;
      if (input.entry.kind !== expectedKind)
        throw new ValidationError({ form: 'This is not the right kind of entry' });
      const existing = await this.plans.entryForUpdate(tx, input.entryId);
      if (existing) {
        mustBelong(existing, participantId, sectionKey, input.fieldKey);
        if (existing.revision !== input.baseRevision || existing.removed) {
          return this.revisions.conflict(tx, ctx.actor, loaded, existing);
        }
        return this.revisions.change(tx, ctx, existing, input.entry.content, false, 'written', input.saveId);
      }
      if (input.baseRevision !== 0 || input.entry.kind === 'media') throw new NotFoundError('entry');
      if (input.entry.kind === 'text') {
        // One answer per free-text field: whoever started it first, the other gets the choice.
        const [answer] = (await this.plans.entries(tx, participantId, [sectionKey])).filter(
          (e) => e.fieldKey === input.fieldKey && e.kind === 'text',
        );
        if (answer) return this.revisions.conflict(tx, ctx.actor, loaded, answer);
      }
      return this.revisions.create(tx, ctx, participantId, sectionKey, input, null);
    });
  }

  async removeEntry(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: { entryId: string; baseRevision: number; saveId: string },
  ): Promise<SaveResult> {
    return this.write(ctx, participantId, sectionKey, input.saveId, async (tx, loaded) => {
      const existing = await this.plans.entryForUpdate(tx, input.entryId);
      if (!existing) throw new NotFoundError('entry');
      mustBelong(existing, participantId, sectionKey);
      if (existing.removed || existing.revision !== input.baseRevision) {
        return this.revisions.conflict(tx, ctx.actor, loaded, existing);
      }
      // A free-text answer is emptied, not removed: its history stays in one place.
      if (existing.kind === 'text')
        return this.revisions.change(tx, ctx, existing, { text: '' }, false, 'written', input.saveId);
      return this.revisions.change(tx, ctx, existing, existing.content, true, 'removed', input.saveId);
    });
  }

  async restore(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: { entryId: string; revision: number; baseRevision: number; saveId: string },
  ): Promise<SaveResult> {
    return this.write(ctx, participantId, sectionKey, input.saveId, async (tx, loaded) => {
      const existing = await this.plans.entryForUpdate(tx, input.entryId);
      if (!existing) throw new NotFoundError('entry');
      mustBelong(existing, participantId, sectionKey);
      if (existing.revision !== input.baseRevision)
        return this.revisions.conflict(tx, ctx.actor, loaded, existing);
      // Its file was deleted after the history period: there is nothing left to bring back.
      if (await this.access.fileDeletedAt(tx, existing)) throw new NotFoundError('media');
      const old = (await this.plans.revisions(tx, existing.id)).find((r) => r.revision === input.revision);
      if (!old) throw new NotFoundError('revision');
      return this.revisions.change(
        tx,
        ctx,
        existing,
        old.content,
        false,
        'restored',
        input.saveId,
        input.revision,
      );
    });
  }

  /**
   * Adds a drawing, photo or voice note. The file is checked and cleaned here, whoever calls,
   * so nothing is ever stored as it was sent (hazard H16): `processUpload` (media-processing.ts,
   * on the worker pool) decides its type from the bytes, applies the size and pixel limits, and
   * re-encodes an image or rewrites a voice note's container without metadata. A file that
   * cannot be used is a `file` error; with every worker busy, `WorkersBusyError` is thrown.
   */
  async addMedia(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: { entryId: string; saveId: string; description: string; kind: MediaKind; bytes: Buffer },
  ): Promise<SaveResult> {
    const media = await this.uploads.processUpload(input.kind, input.bytes);
    if (!media.ok) throw new ValidationError({ file: media.message });
    const content = CONTENT_SCHEMAS.media.safeParse({ kind: input.kind, description: input.description });
    if (!content.success)
      throw new ValidationError({ description: content.error.issues[0]?.message ?? 'Check the words' });
    return this.write(ctx, participantId, sectionKey, input.saveId, async (tx) => {
      if (await this.plans.entry(tx, input.entryId))
        throw new ValidationError({ form: 'This has already been added' });
      // Counted with the plan locked (write), so two uploads at once cannot both squeeze in.
      const full = quotaProblem(
        await this.plans.mediaUsage(tx, participantId),
        media.bytes.length,
        this.mediaQuota,
      );
      if (full) throw new ValidationError({ file: full });
      const mediaId = randomUUID();
      await this.plans.insertMedia(tx, {
        id: mediaId,
        participantId,
        kind: input.kind,
        contentType: media.contentType,
        bytes: media.bytes,
        byteSize: media.bytes.length,
        width: media.width,
        height: media.height,
        createdByKind: ctx.actor.kind === 'participant' ? 'participant' : 'worker',
        createdBy: ctx.actor.id,
        createdAt: this.clock.now(),
      });
      return this.revisions.create(
        tx,
        ctx,
        participantId,
        sectionKey,
        {
          entryId: input.entryId,
          fieldKey: MEDIA_FIELD,
          baseRevision: 0,
          saveId: input.saveId,
          entry: { kind: 'media', content: content.data },
        },
        mediaId,
      );
    });
  }

  private async write(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    saveId: string,
    work: (tx: Db, loaded: LoadedPlan, section: PlanSectionTemplate) => Promise<SaveResult>,
  ): Promise<SaveResult> {
    const attempt = () =>
      this.db.transaction(async (tx) => {
        let loaded = await this.access.load(tx, ctx, participantId);
        const { section, visibility } = viewable(ctx.actor, loaded, sectionKey);
        if (!can(ctx.actor, 'plan.write', sectionResource(loaded, visibility)))
          throw new NotFoundError('section');
        if (!loaded.plan) loaded = await this.access.start(tx, ctx, loaded);
        // Saves to one plan take turns from here on.
        await this.plans.lock(tx, participantId);
        const earlier = await this.plans.revisionBySaveId(tx, saveId);
        if (earlier) return this.revisions.duplicate(tx, earlier, participantId);
        return work(tx, loaded, section);
      });
    try {
      return await attempt();
    } catch (error) {
      // The same save raced itself (two tabs sending one draft): the loser finds the winner's.
      if (isUniqueViolation(error, 'plan_entry_revisions_save_id_key')) return attempt();
      if (isUniqueViolation(error, 'plan_entries_one_text_idx')) return attempt();
      throw error;
    }
  }
}

function fieldOf(
  section: PlanSectionTemplate,
  fieldKey: string,
): PlanFieldTemplate & { entryKind: EntryKind } {
  const field = section.fields.find((f) => f.key === fieldKey);
  if (!field) throw new ValidationError({ form: 'This part of the plan does not exist' });
  return { ...field, entryKind: entryKindFor(field.kind) };
}

function mustBelong(entry: PlanEntryRow, participantId: string, sectionKey: string, fieldKey?: string): void {
  if (
    entry.participantId !== participantId ||
    entry.sectionKey !== sectionKey ||
    (fieldKey !== undefined && entry.fieldKey !== fieldKey)
  ) {
    throw new NotFoundError('entry');
  }
}
