/**
 * The plans' drawings, photos and voice notes as storage (security hardening item 9):
 *
 * - `deleteRemoved` (the nightly `plan.delete-removed-media` job): an item removed from a plan
 *   stays restorable from the entry's earlier versions for the history period
 *   (PLAN_REMOVED_MEDIA_DAYS, 30 days); after it, its bytes are deleted for good. Each one in its
 *   own transaction with the entry locked and checked again (brought back in the meantime: kept),
 *   audited `plan.media_deleted` as the system. The row stays (kind, size, when deleted) so the
 *   history can say the file is gone; PostgreSQL's autovacuum then reclaims the space.
 * - `storage`: the coordinator's page of what the trust's plans hold: totals, and the
 *   participants whose plans hold most, by size only, never what anything is.
 */
import type { AuditService } from '../audit/audit.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/database/database.ts';
import { ForbiddenError } from '../platform/errors.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { can } from '../policy/policy.ts';
import type { MediaQuota } from './media-quota.ts';
import type {
  MediaStorageRepository,
  ParticipantStorage,
  RemovedMedia,
  TrustStorage,
} from './media-storage.repository.ts';
import type { PlanRepository } from './plan.repository.ts';

const DAY = 86_400_000;
const BATCH = 100;
export const TOP_PARTICIPANTS = 10;

export interface StoragePage {
  trust: TrustStorage;
  top: ParticipantStorage[];
  quota: MediaQuota;
}

export class MediaStorageService {
  readonly #db: Db;
  readonly #storage: MediaStorageRepository;
  readonly #plans: PlanRepository;
  readonly #audit: AuditService;
  readonly #clock: Clock;
  readonly #quota: MediaQuota;

  constructor(
    db: Db,
    storage: MediaStorageRepository,
    plans: PlanRepository,
    audit: AuditService,
    clock: Clock,
    quota: MediaQuota,
  ) {
    this.#db = db;
    this.#storage = storage;
    this.#plans = plans;
    this.#audit = audit;
    this.#clock = clock;
    this.#quota = quota;
  }

  /** Deletes the bytes of every item removed longer ago than the history period; how many. */
  async deleteRemoved(): Promise<number> {
    const now = this.#clock.now();
    const before = new Date(now.getTime() - this.#quota.removedDays * DAY);
    let deleted = 0;
    for (;;) {
      const due = await this.#storage.removedBefore(this.#db, before, BATCH);
      for (const item of due) if (await this.#deleteOne(item, before, now)) deleted++;
      if (due.length < BATCH) return deleted;
    }
  }

  async #deleteOne(item: RemovedMedia, before: Date, now: Date): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const entry = await this.#plans.entryForUpdate(tx, item.entryId);
      // Brought back, or removed again more recently, since it was listed: not due.
      if (!entry?.removed || entry.updatedAt >= before) return false;
      if (!(await this.#storage.deleteBytes(tx, item.mediaId, now))) return false;
      await this.#audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'plan.media_deleted',
        entityType: 'recovery_plan',
        entityId: item.participantId,
        detail: {
          entryId: item.entryId,
          mediaId: item.mediaId,
          kind: item.kind,
          bytes: item.byteSize,
          removedAt: item.removedAt.toISOString(),
          afterDays: this.#quota.removedDays,
        },
      });
      return true;
    });
  }

  /** The coordinator's storage page for their trust (audited: it names participants). */
  async storage(ctx: RequestContext & { actor: StaffActor }): Promise<StoragePage> {
    const trustId = ctx.actor.trustId;
    if (!can(ctx.actor, 'plan.storage', { type: 'trust', trustId })) throw new ForbiddenError();
    const [trust, top] = await Promise.all([
      this.#storage.trustStorage(this.#db, trustId),
      this.#storage.topParticipants(this.#db, trustId, TOP_PARTICIPANTS),
    ]);
    await this.#audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'plan.storage_viewed',
      entityType: 'trust',
      entityId: trustId,
      detail: { participants: top.map((p) => p.participantId) },
    });
    return { trust, top, quota: this.#quota };
  }
}
