/**
 * Reads are audited in batches (group commit). A page that shows an identifiable record waits
 * for its read event to be in the log before it is sent, as before; but instead of a
 * transaction and a round trip of its own, its event joins the next batch: while one batch is
 * being written, every read decided meanwhile queues for the next, and the next is written in
 * one statement as soon as the one before commits. Under load a batch holds tens of events; a
 * lone request waits for one statement, as before.
 *
 * What a crash can lose: the events of pages still waiting for their batch. Those pages were
 * never sent (nobody saw the data), so no page that reached anyone is ever missing from the
 * log. A batch is one statement: it is in the log whole or not at all. Changes are not
 * batched: they keep their event in their own transaction (AuditService.record).
 */
import type { Db } from '../platform/database/database.ts';
import type { SignedEvent } from './audit.repository.ts';

/** What the batch needs of the log's storage. */
export interface ReadEventStore {
  appendMany(db: Db, events: readonly SignedEvent[]): Promise<void>;
}

interface Waiting {
  event: SignedEvent;
  written: () => void;
  failed: (error: unknown) => void;
}

/** At most this many events per statement: a bound on one statement's size and lock time. */
export const READ_EVENT_BATCH_LIMIT = 500;

export class ReadEventBatches {
  private readonly db: Db;
  private readonly store: ReadEventStore;
  private waiting: Waiting[] = [];
  private writing = false;

  constructor(db: Db, store: ReadEventStore) {
    this.db = db;
    this.store = store;
  }

  /** Resolves once the event is in the log; rejects if its batch could not be written. */
  write(event: SignedEvent): Promise<void> {
    return new Promise<void>((written, failed) => {
      this.waiting.push({ event, written, failed });
      if (!this.writing) {
        this.writing = true;
        // The reads decided in this turn of the event loop go in the first batch together.
        setImmediate(() => void this.writeBatches());
      }
    });
  }

  /** Events waiting for a batch. */
  get pending(): number {
    return this.waiting.length;
  }

  private async writeBatches(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, READ_EVENT_BATCH_LIMIT);
      try {
        await this.store.appendMany(
          this.db,
          batch.map((w) => w.event),
        );
        for (const w of batch) w.written();
      } catch (error) {
        for (const w of batch) w.failed(error);
      }
    }
    this.writing = false;
  }
}
