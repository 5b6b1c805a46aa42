/**
 * The background senders, as the server runs them, for `npm run crash-test:jobs`
 * (bench/crash-jobs.ts kills this process with SIGKILL while it sends). It builds the real
 * composition root on the real database and runs the reminder, escalation, lone working and
 * outbox jobs back to back, as fast as they go, instead of once a minute. Its clock starts at
 * CRASH_CLOCK_MS, so each restart can be later (leases run out, retries fall due).
 *
 * The provider stands in for GOV.UK Notify: it keeps EVERY call in crash_provider, with no
 * de-duplication (Notify has none either), so a message sent twice shows as two rows. It
 * waits a few milliseconds before and after taking a message, so kills land on both sides.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { buildDependencies } from '../src/composition-root.ts';
import { loadConfig } from '../src/config.ts';
import { resolveAuditKey } from '../src/audit/audit-key.ts';
import { openDatabase } from '../src/platform/database/open.ts';
import type { Db } from '../src/platform/database/database.ts';
import type {
  DeliveryStatus,
  NotificationSender,
  OutgoingMessage,
  SentMessage,
} from '../src/platform/notifications/notification-sender.ts';
import { ManualJobQueue } from '../src/test-support/manual-job-queue.ts';

class CountingProvider implements NotificationSender {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }
  async send(outgoing: OutgoingMessage): Promise<{ reference: string }> {
    const { reference } = outgoing;
    if (!reference) throw new Error('every message is sent from the outbox, with its reference');
    const message = { ...outgoing, reference };
    await sleep(Math.random() * 10);
    await this.db.execute(
      sql`INSERT INTO crash_provider (reference, recipient, template) VALUES (${message.reference}, ${message.to}, ${message.template})`,
    );
    await sleep(Math.random() * 10);
    await this.record(message);
    return { reference: message.reference };
  }
  /** Our record of the message, as NotifySender keeps it (a kill may come before it). */
  private async record(message: SentMessage): Promise<void> {
    await this.db.execute(
      sql`INSERT INTO notifications (id, channel, recipient, template, personalisation, status, created_at)
          VALUES (${message.reference}, ${message.channel}, ${message.to}, ${message.template}, '{}', 'sent', now())
          ON CONFLICT (id) DO NOTHING`,
    );
  }
  async findSent(message: SentMessage): Promise<{ providerReference?: string } | undefined> {
    const result: unknown = await this.db.execute(
      sql`SELECT 1 FROM crash_provider WHERE reference = ${message.reference}`,
    );
    if ((result as { rows: unknown[] }).rows.length === 0) return undefined;
    await this.record(message);
    return {};
  }
  deliveryStatus(): Promise<DeliveryStatus> {
    return Promise.resolve('sent');
  }
}

const config = loadConfig(process.env);
const database = await openDatabase(config);
const started = Date.now();
const base = Number(process.env.CRASH_CLOCK_MS);
const clock = { now: () => new Date(base + (Date.now() - started)), sleep: (ms: number) => sleep(ms) };
const { services } = buildDependencies(config, database, {
  auditKey: resolveAuditKey(config, { create: true }),
  clock,
  notifications: new CountingProvider(database.db),
  jobQueue: new ManualJobQueue(),
  logger: false,
});

// Tells the harness the senders are built, so its kill lands while they send.
process.stdout.write('ready\n');
const drain = process.env.CRASH_DRAIN === 'on';
for (let round = 0; ; round++) {
  await services.reminderDelivery.sendDue();
  await services.escalation.escalateDue();
  await services.loneWorkingAlerts.sendDue();
  const outcome = await services.messageOutbox.dispatchDue();
  if (drain && round > 2 && outcome.sent + outcome.retrying + outcome.not_delivered + outcome.expired === 0) break;
  await sleep(5);
}
await database.close();
