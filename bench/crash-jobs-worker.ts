/**
 * The background senders, as the server runs them, for `npm run crash-test:jobs`
 * (bench/crash-jobs.ts kills this process with SIGKILL while it sends). It builds the real
 * composition root on the real database and runs the reminder, escalation, lone working and
 * serious adverse events' clock and outbox jobs back to back, as fast as they go, instead of once a minute. Its clock starts at
 * CRASH_CLOCK_MS, so each restart can be later (leases run out, retries fall due).
 *
 * The provider stands in for GOV.UK Notify: it keeps EVERY call in crash_provider, with no
 * de-duplication (Notify has none either), so a message sent twice shows as two rows.
 *
 * The kill lands at the worst moment, not by chance: on its CRASH_KILL_AT-th message the
 * provider prints `kill-me <mode> <reference>` and then waits, so the harness's kill -9 comes
 *   - CRASH_KILL_MODE=after: after the provider took the message (its crash_provider row is
 *     committed) and before the outbox recorded it as sent; the restart must find it by
 *     reference and not send it again;
 *   - CRASH_KILL_MODE=before: after the outbox claimed it and just before the provider call;
 *     the restart must find nothing by reference and send it once.
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
import { SILENT_LOG } from '../src/test-support/silent-log.ts';

type KillMode = 'before' | 'after';

class CountingProvider implements NotificationSender {
  private readonly db: Db;
  private readonly killAt: number | undefined;
  private readonly killMode: KillMode;
  private calls = 0;
  constructor(db: Db, killAt: number | undefined, killMode: KillMode) {
    this.db = db;
    this.killAt = killAt;
    this.killMode = killMode;
  }
  async send(outgoing: OutgoingMessage): Promise<{ reference: string }> {
    const { reference } = outgoing;
    if (!reference) throw new Error('every message is sent from the outbox, with its reference');
    const message = { ...outgoing, reference };
    this.calls += 1;
    const killHere = this.calls === this.killAt;
    if (killHere && this.killMode === 'before') await this.waitForKill(message.reference);
    await this.db.execute(
      sql`INSERT INTO crash_provider (reference, recipient, template) VALUES (${message.reference}, ${message.to}, ${message.template})`,
    );
    if (killHere && this.killMode === 'after') await this.waitForKill(message.reference);
    await this.record(message);
    return { reference: message.reference };
  }
  /** Tells the harness to kill this process now, and waits for it (it never returns in a kill run). */
  private async waitForKill(reference: string): Promise<void> {
    process.stdout.write(`kill-me ${this.killMode} ${reference}\n`);
    await sleep(60_000);
    throw new Error('the harness did not kill the senders when asked');
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
  notifications: new CountingProvider(
    database.db,
    process.env.CRASH_KILL_AT ? Number(process.env.CRASH_KILL_AT) : undefined,
    process.env.CRASH_KILL_MODE === 'before' ? 'before' : 'after',
  ),
  jobQueue: new ManualJobQueue(),
  logger: SILENT_LOG,
});

// Tells the harness the senders are built.
process.stdout.write('ready\n');
const drain = process.env.CRASH_DRAIN === 'on';
for (let round = 0; ; round++) {
  await services.reminderDelivery.sendDue();
  await services.escalation.escalateDue();
  await services.loneWorkingAlerts.sendDue();
  await services.saes.runClock();
  const outcome = await services.messageOutbox.dispatchDue();
  if (drain && round > 2 && outcome.sent + outcome.retrying + outcome.not_delivered + outcome.expired === 0)
    break;
  await sleep(5);
}
await database.close();
