/**
 * The trial's database lock (PRODUCT.md section 7): once the data are clean, the trial manager
 * locks the database, after which nothing of the trial changes (H35). The page first shows what
 * is still open (queries not closed, serious adverse events not reported to the sponsor) and asks
 * them to confirm. Locking sets `trials.locked_at` and who locked it, once, audited
 * 'trial.locked'. Every service write then refuses (TrialService.writable), and so does the
 * database: the trigger `trial_refuse_when_locked()` on every trial table
 * (migrations/2026-12-05-042-trial-database-lock.sql).
 *
 * Unlocking is not offered. A trials unit reopens a locked database only by its documented
 * procedure (written agreement of the chief investigator and sponsor, filed in the trial master
 * file), run by the database administrator as that migration describes, and audited.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { ConflictError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { TrialRow } from './trial.repository.ts';
import type { TrialService } from './trial.service.ts';
import type { DataQualityRepository } from './data-quality.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface LockOverview {
  trial: TrialRow;
  openQueries: number;
  unreportedSaes: number;
  lockedByName: string | undefined;
}

export class TrialLockService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access'>;
  private readonly repository: DataQualityRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access'>,
    repository: DataQualityRepository,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.trial = trial;
    this.repository = repository;
    this.audit = audit;
    this.clock = clock;
  }

  /** What is still open, or who locked it and when. */
  async overview(ctx: StaffContext): Promise<LockOverview> {
    const { trial } = await this.trial.access(this.db, ctx, 'trial.lock');
    return {
      trial,
      openQueries: await this.repository.countOpenQueries(this.db, trial.id),
      unreportedSaes: await this.repository.countUnreportedSaes(this.db, trial.id),
      lockedByName: trial.lockedBy ? await this.repository.lockerName(this.db, trial.lockedBy) : undefined,
    };
  }

  /** Locks the trial, once; a second lock is refused. */
  async lock(ctx: StaffContext): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { trial } = await this.trial.access(tx, ctx, 'trial.lock');
      const row = await this.repository.lockTrialRow(tx, trial.id);
      if (row?.lockedAt) throw new ConflictError('The trial is already locked');
      const openQueries = await this.repository.countOpenQueries(tx, trial.id);
      const unreportedSaes = await this.repository.countUnreportedSaes(tx, trial.id);
      const now = this.clock.now();
      await this.repository.setLocked(tx, trial.id, ctx.actor.id, now);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.locked',
        entityType: 'trial',
        entityId: trial.id,
        detail: { lockedAt: now.toISOString(), openQueries, unreportedSaes },
      });
    });
  }
}
