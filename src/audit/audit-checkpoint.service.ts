/**
 * Takes checkpoints: every chain's count and head, signed, appended outside the database (see
 * audit-checkpoint.ts). Run by a job every AUDIT_CHECKPOINT_MINUTES, at start-up and on a clean
 * stop. Events after the last checkpoint are protected by the key only: deleting the newest of
 * them is the one thing the verifier cannot see, so the interval is the window for that.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { signCheckpoint } from './audit-checkpoint.ts';
import type { AuditKey } from './audit-key.ts';
import type { AuditRepository, ChainHead } from './audit.repository.ts';
import type { CheckpointSink } from './checkpoint-sink.ts';

export interface CheckpointTaken {
  /** False when nothing had changed since this process's last checkpoint (none is written). */
  written: boolean;
  chains: number;
  /** Chains that no longer hold the head this process last checkpointed: damage to report. */
  lostHeads: number[];
}

export class AuditCheckpointService {
  private readonly db: Db;
  private readonly repository: AuditRepository;
  private readonly key: AuditKey;
  private readonly clock: Clock;
  readonly sink: CheckpointSink;
  private last: ChainHead[] | undefined;
  /** One checkpoint at a time: the job, start-up and a stop may coincide. */
  private running: Promise<CheckpointTaken> | undefined;

  constructor(db: Db, repository: AuditRepository, key: AuditKey, clock: Clock, sink: CheckpointSink) {
    this.db = db;
    this.repository = repository;
    this.key = key;
    this.clock = clock;
    this.sink = sink;
  }

  async take(): Promise<CheckpointTaken> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.takeNow();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async takeNow(): Promise<CheckpointTaken> {
    const { heads, recounted } = await this.repository.chainHeads(this.db, this.last ?? []);
    const last = this.last;
    const unchanged =
      last?.length === heads.length &&
      heads.every((h, i) => h.seq === last[i]?.seq && h.hash === last[i].hash && h.count === last[i].count);
    if (!unchanged) {
      await this.sink.append(signCheckpoint(this.key, this.clock.now(), heads));
      this.last = heads;
    }
    return { written: !unchanged, chains: heads.length, lostHeads: recounted };
  }
}
