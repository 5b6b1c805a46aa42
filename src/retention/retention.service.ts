/**
 * The nightly deletion of working data past its retention (retention-settings.ts): settled
 * messages, and sign-in sessions, codes and counters. Each batch is its own short transaction,
 * so a large backlog never holds a lock for long; one audit event per run says what went.
 */
import type { Db } from '../platform/database/database.ts';
import { DAY, type Clock } from '../platform/clock.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { NotificationsRepository } from '../platform/notifications/notifications.repository.ts';
import type { MessageOutboxRepository } from '../platform/notifications/message-outbox.repository.ts';
import type { SignInSessionRepository } from '../identity/sign-in-session.repository.ts';
import type { SignInCodeRepository } from '../identity/sign-in-code.repository.ts';
import type { ThrottleRepository } from '../identity/throttle.ts';
import type { RetentionSettings } from './retention-settings.ts';

const BATCH = 500;

export interface RetentionRun {
  notifications: number;
  outboxMessages: number;
  sessions: number;
  signInCodes: number;
  signInCounters: number;
}

export interface RetentionRepositories {
  notifications: Pick<NotificationsRepository, 'deleteSettledBefore'>;
  outboxMessages: Pick<MessageOutboxRepository, 'deleteFinishedBefore'>;
  signInSessions: Pick<SignInSessionRepository, 'deleteEndedBefore'>;
  signInCodes: Pick<SignInCodeRepository, 'deleteExpired'>;
  throttles: Pick<ThrottleRepository, 'deleteExpired'>;
}

export class RetentionService {
  readonly #db: Db;
  readonly #repositories: RetentionRepositories;
  readonly #audit: AuditService;
  readonly #clock: Clock;
  readonly #settings: RetentionSettings;

  constructor(
    db: Db,
    repositories: RetentionRepositories,
    audit: AuditService,
    clock: Clock,
    settings: RetentionSettings,
  ) {
    this.#db = db;
    this.#repositories = repositories;
    this.#audit = audit;
    this.#clock = clock;
    this.#settings = settings;
  }

  /** Deletes everything past its retention, in batches, and audits the counts once. */
  async deletePastRetention(): Promise<RetentionRun> {
    const now = this.#clock.now();
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
    const messagesBefore = daysAgo(this.#settings.notificationDays);
    const signInBefore = daysAgo(this.#settings.signInRecordDays);
    const { notifications, outboxMessages, signInSessions, signInCodes, throttles } = this.#repositories;
    const run: RetentionRun = {
      notifications: await this.#inBatches((tx) =>
        notifications.deleteSettledBefore(tx, messagesBefore, BATCH),
      ),
      // The outbox's own rows (their words are cleared once sent), kept as long as the copies.
      outboxMessages: await this.#inBatches((tx) =>
        outboxMessages.deleteFinishedBefore(tx, messagesBefore, BATCH),
      ),
      // Sign-in sessions, counted as `sessions` in the audited run as they always were.
      sessions: await this.#inBatches((tx) => signInSessions.deleteEndedBefore(tx, signInBefore, BATCH)),
      signInCodes: await this.#inBatches((tx) => signInCodes.deleteExpired(tx, signInBefore, BATCH)),
      signInCounters: await this.#inBatches((tx) => throttles.deleteExpired(tx, signInBefore, BATCH)),
    };
    await this.#db.transaction(async (tx) => {
      await this.#audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'retention.applied',
        entityType: 'service',
        entityId: null,
        detail: {
          deleted: { ...run },
          retentionDays: {
            notifications: this.#settings.notificationDays,
            signInRecords: this.#settings.signInRecordDays,
          },
          messagesBefore: messagesBefore.toISOString(),
          signInRecordsBefore: signInBefore.toISOString(),
        },
      });
    });
    return run;
  }

  async #inBatches(deleteBatch: (tx: Db) => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.#db.transaction((tx) => deleteBatch(tx));
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
