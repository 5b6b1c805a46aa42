/**
 * Reminders before training or a DBS check runs out (the 'training.reminders' job), to the
 * worker and their supervisors: once when it comes within the catalogue's `dueSoonDays`, once
 * more when it has run out. Each reminder is claimed in `training_reminders` (unique per
 * worker, item, expiry day and kind) with its audit event and its emails in the message outbox,
 * in one transaction: a crash keeps all or none, and two runs at once, several instances or a
 * restart still send it once (the outbox sends each message exactly once). Recording the
 * training again moves the expiry day, so the next cycle is reminded afresh.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';
import { supervisorEmailsOf } from '../organisation/supervisors.ts';
import { CHECK_TITLES, type TrainingCatalogue } from './training-catalogue.ts';
import { checkStatus, itemStatus, type ItemStatus } from './readiness.ts';
import type { TrainedWorker, TrainingRepository } from './training.repository.ts';

export const TRAINING_REMINDER_SOURCE = 'training-reminder';

/** The DBS check's key among the items reminded about (never a catalogue key: those have no colon). */
export const DBS_REMINDER_KEY = 'check:dbs';

export type ReminderStore = Pick<
  TrainingRepository,
  'allPeerWorkers' | 'latestCompletions' | 'latestChecks' | 'claimReminder'
>;

/** The email's words, for the local outbox: GOV.UK Notify renders its own from the template. */
export function trainingReminderPreview(p: Record<'workerName' | 'item' | 'when' | 'link', string>): string {
  return [
    `${p.workerName}: ${p.item} ${p.when}.`,
    'Book it again soon. Until it is renewed they cannot be given new participants, though nobody already working with them is moved.',
    `See their training record: ${p.link}`,
  ].join('\n\n');
}

interface Due {
  worker: TrainedWorker;
  itemKey: string;
  title: string;
  status: ItemStatus & { expiresOn: string };
  kind: 'due_soon' | 'expired';
}

export class TrainingReminderService {
  private readonly db: Db;
  private readonly store: ReminderStore;
  private readonly catalogue: TrainingCatalogue;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly publicUrl: string | undefined;

  constructor(
    db: Db,
    store: ReminderStore,
    catalogue: TrainingCatalogue,
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    publicUrl: string | undefined,
  ) {
    this.db = db;
    this.store = store;
    this.catalogue = catalogue;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  /** Everything due or run out by the app clock's today, not yet reminded about. */
  private async due(): Promise<Due[]> {
    const workers = await this.store.allPeerWorkers(this.db);
    const ids = workers.map((w) => w.id);
    const [completions, checks] = await Promise.all([
      this.store.latestCompletions(this.db, ids),
      this.store.latestChecks(this.db, ids),
    ]);
    const today = ukToday(this.clock.now());
    const { dueSoonDays } = this.catalogue;
    const found: Due[] = [];
    const consider = (worker: TrainedWorker, itemKey: string, title: string, status: ItemStatus) => {
      if (status.expiresOn === null) return;
      if (status.state === 'due' || status.state === 'expired') {
        found.push({
          worker,
          itemKey,
          title,
          status: { ...status, expiresOn: status.expiresOn },
          kind: status.state === 'due' ? 'due_soon' : 'expired',
        });
      }
    };
    const byWorker = new Map(workers.map((w) => [w.id, w]));
    for (const completion of completions) {
      const worker = byWorker.get(completion.staffId);
      const item = this.catalogue.items.find((i) => i.key === completion.itemKey);
      if (!worker || item?.renewalMonths == null) continue;
      consider(worker, item.key, item.title, itemStatus(item, completion.completedOn, today, dueSoonDays));
    }
    for (const check of checks) {
      const worker = byWorker.get(check.staffId);
      if (!worker || check.kind !== 'dbs') continue;
      consider(worker, DBS_REMINDER_KEY, CHECK_TITLES.dbs, checkStatus(check, today, dueSoonDays));
    }
    return found;
  }

  /** Claims and queues every reminder due, then sends what is queued. */
  async sendDue(): Promise<{ reminded: number }> {
    let reminded = 0;
    for (const due of await this.due()) {
      if (await this.claim(due)) reminded += 1;
    }
    await this.outbox.dispatchDue();
    return { reminded };
  }

  private async claim(due: Due): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const supervisors = await supervisorEmailsOf(tx, due.worker.id);
      const recipients = [...new Set([due.worker.email, ...supervisors])];
      const id = randomUUID();
      const claimed = await this.store.claimReminder(tx, {
        id,
        staffId: due.worker.id,
        itemKey: due.itemKey,
        expiresOn: due.status.expiresOn,
        kind: due.kind,
        sentAt: this.clock.now(),
        recipients: recipients.length,
      });
      if (!claimed) return false;
      await this.audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'training.reminded',
        entityType: 'staff',
        entityId: due.worker.id,
        detail: {
          itemKey: due.itemKey,
          expiresOn: due.status.expiresOn,
          kind: due.kind,
          recipients: recipients.length,
        },
      });
      const personalisation = {
        workerName: due.worker.fullName,
        item: due.title,
        when:
          due.kind === 'due_soon'
            ? `runs out after ${formatDate(due.status.expiresOn)}`
            : `ran out after ${formatDate(due.status.expiresOn)}`,
        link: `${this.publicUrl ?? ''}/training/workers/${due.worker.id}`,
      };
      for (const to of recipients) {
        await this.outbox.enqueue(tx, {
          channel: 'email',
          to,
          template: 'training_expiry',
          personalisation,
          preview: trainingReminderPreview(personalisation),
          source: { kind: TRAINING_REMINDER_SOURCE, id },
          trustId: due.worker.trustId,
        });
      }
      return true;
    });
  }
}
