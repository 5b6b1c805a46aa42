/**
 * Escalates safety concerns and advice requests nobody has acknowledged (PRODUCT.md section 5),
 * one step at a time, each step once:
 *
 *   1 'duty_contact' at the acknowledge-by deadline: the team's duty email, or, with none, the
 *     team's clinicians;
 *   2 'supervisor' one step (escalationStepMinutes) later: the raising worker's named supervisor,
 *     or with none their team's supervisors;
 *   3 'coordinator' two steps later: the trust's coordinators.
 *
 * Once only: the step's safety_escalations row (UNIQUE(concern_id, step)), its 'concern.escalated'
 * audit event and its emails in the message outbox are committed in one transaction that holds
 * the concern's row lock and re-checks it is still open. So a crash keeps the step and its
 * emails or neither; two runs at once, several instances or a restart never send a step twice
 * (the outbox looks an interrupted send up by reference before resending); and an
 * acknowledgement that commits first stops the step. A step counts as done only when an email
 * reached someone: when the outbox gives up on every email of a step, the step is given back
 * and taken again on the next run (the team's duty contact is told each time). Steps missed
 * while the service was down run in order on the next tick. Due-ness is decided by the
 * application's clock.
 *
 * Separately, immediate danger is saved the moment it is sent, before the worker confirms they
 * have called 999. If that confirmation has not come `call999ConfirmMinutes` later (the worker
 * may be on the phone, or may never have called), the duty contact and the worker's
 * supervisors are told once (escalateUnconfirmed999), claimed the same way: the concern's
 * call_999_escalated_at is set under its row lock with the audit event, and given back when
 * nobody received the email.
 *
 * The messages carry the team, urgency, how long overdue and a link: never the participant's
 * name or what happened (an inbox may be shared, and email is not the place for it).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { MessageOutbox, OutboxOutcome } from '../platform/notifications/message-outbox.ts';
import type { OutboxRow } from '../platform/notifications/message-outbox.repository.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ConcernUrgency } from '../platform/database/schema.ts';
import { escalationDueAt, type ConcernDeadlineSettings } from './deadlines.ts';
import type { EscalationContext, EscalationRepository, EscalationStepKind } from './escalation.repository.ts';
import { supervisorEmailsOf } from '../organisation/supervisors.ts';

export const ESCALATION_STEPS: readonly EscalationStepKind[] = ['duty_contact', 'supervisor', 'coordinator'];

export const STEP_LABELS: Record<EscalationStepKind, string> = {
  duty_contact: 'Duty contact',
  supervisor: 'Supervisor',
  coordinator: 'Coordinator',
};

const URGENCY_WORDS: Record<ConcernUrgency, string> = {
  immediate: 'immediate',
  urgent: 'urgent',
  routine: 'routine',
};

export interface EscalationSettings extends ConcernDeadlineSettings {
  publicUrl: string | undefined;
}

export const ESCALATION_SOURCE = 'escalation';
export const UNCONFIRMED_999_SOURCE = 'concern-999-unconfirmed';

export interface EscalationOutcome {
  /** Steps this run took (rows inserted). */
  steps: number;
  /** Emails put in the outbox for them. */
  queued: number;
}

/** "1 hour 5 minutes", "3 days 2 hours": a duration in words, to the minute below. */
export function overdueWords(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const unit = (n: number, word: string) => `${String(n)} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${unit(days, 'day')} ${unit(hours, 'hour')}` : unit(days, 'day');
  if (hours > 0) return mins > 0 ? `${unit(hours, 'hour')} ${unit(mins, 'minute')}` : unit(hours, 'hour');
  return mins > 0 ? unit(mins, 'minute') : 'less than a minute';
}

export class EscalationService {
  private readonly db: Db;
  private readonly escalations: EscalationRepository;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: EscalationSettings;

  constructor(
    db: Db,
    escalations: EscalationRepository,
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    settings: EscalationSettings,
  ) {
    this.db = db;
    this.escalations = escalations;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    outbox.onOutcome(ESCALATION_SOURCE, (tx, message, outcome) => this.recordOutcome(tx, message, outcome));
    outbox.onOutcome(UNCONFIRMED_999_SOURCE, (tx, message, outcome) => this.recordOutcome(tx, message, outcome));
  }

  /** Takes every escalation step due by the app clock's now, in order, each once. */
  async escalateDue(): Promise<EscalationOutcome> {
    const outcome: EscalationOutcome = { steps: 0, queued: 0 };
    const now = this.clock.now();
    const overdue = await this.escalations.overdueOpen(this.db, now, ESCALATION_STEPS.length, 500);
    for (const concern of overdue) {
      for (let step = 1; step <= ESCALATION_STEPS.length; step++) {
        if (concern.stepsTaken.includes(step)) continue;
        if (escalationDueAt(concern.acknowledgeBy, step, this.settings).getTime() > now.getTime()) break;
        const claimed = await this.claim(concern.id, step, now);
        if (claimed === 'stop') break;
        if (claimed === 'taken') continue;
        outcome.steps += 1;
        outcome.queued += claimed;
      }
    }
    await this.outbox.dispatchDue();
    return outcome;
  }

  /**
   * Tells the duty contact and the raising worker's supervisors about each open immediate
   * concern whose worker has not confirmed calling 999 within `call999ConfirmMinutes`. Once each:
   * the claim (call_999_escalated_at under the concern's row lock), its audit event and its
   * emails in the outbox commit together.
   */
  async escalateUnconfirmed999(): Promise<EscalationOutcome> {
    const outcome: EscalationOutcome = { steps: 0, queued: 0 };
    const now = this.clock.now();
    const raisedBy = new Date(now.getTime() - this.settings.call999ConfirmMinutes * 60_000);
    for (const concernId of await this.escalations.unconfirmed999(this.db, raisedBy, 500)) {
      const queued = await this.claimUnconfirmed999(concernId, now);
      if (queued === undefined) continue;
      outcome.steps += 1;
      outcome.queued += queued;
    }
    await this.outbox.dispatchDue();
    return outcome;
  }

  private async claimUnconfirmed999(concernId: string, now: Date): Promise<number | undefined> {
    return this.db.transaction(async (tx) => {
      const context = await this.escalations.lockContext(tx, concernId);
      if (context?.status !== 'open' || context.called999At || context.call999EscalatedAt) return undefined;
      const recipients = [
        ...new Set([
          ...(await this.recipients(tx, context, 'duty_contact')),
          ...(await this.recipients(tx, context, 'supervisor')),
        ]),
      ];
      await this.escalations.setCall999Escalated(tx, concernId, now);
      await this.audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'concern.999_unconfirmed_escalated',
        entityType: 'concern',
        entityId: concernId,
        detail: {
          recipients: recipients.length,
          minutesSinceRaised: Math.floor((now.getTime() - context.raisedAt.getTime()) / 60_000),
        },
      });
      const link = `${this.settings.publicUrl ?? ''}/concerns/${context.id}`;
      const minutes = overdueWords(now.getTime() - context.raisedAt.getTime());
      const preview =
        `An immediate safety concern for ${context.teamName} was sent ${minutes} ago, and the worker ` +
        `has not yet confirmed that 999 was called. Check that someone has. Open it in Greenleaf: ${link}`;
      // One source per claim: a claim given back (nobody reached) and taken again sends afresh.
      const source = { kind: UNCONFIRMED_999_SOURCE, id: `${concernId}/${now.toISOString()}` };
      for (const to of recipients) {
        await this.outbox.enqueue(tx, {
          channel: 'email',
          to,
          template: 'concern_999_unconfirmed',
          personalisation: { team_name: context.teamName, minutes, link },
          preview,
          source,
          safety: true,
          dutyContact: context.dutyEmail,
          trustId: context.trustId,
          crisisTeamId: context.crisisTeamId,
        });
      }
      return recipients.length;
    });
  }

  /**
   * When the outbox gives up on a step's email and none of the step's emails reached anyone,
   * the step is given back, so the next run takes it again: for a safety escalation a second
   * email is far better than none (hazard H1). The same for the unconfirmed-999 alert (H12).
   */
  private async recordOutcome(tx: Db, message: OutboxRow, outcome: OutboxOutcome): Promise<void> {
    if (outcome !== 'not_delivered') return;
    const siblings = await this.outbox.messagesOf(tx, message.sourceKind, message.sourceId);
    const settled = siblings.every((m) => m.id === message.id || m.state === 'sent' || m.state === 'not_delivered');
    const reachedSomeone = siblings.some((m) => m.state === 'sent');
    if (!settled || reachedSomeone) return;
    if (message.sourceKind === ESCALATION_SOURCE) await this.escalations.releaseStepById(tx, message.sourceId);
    else await this.escalations.setCall999Escalated(tx, message.sourceId.split('/')[0] ?? '', null);
  }

  /** Who a step goes to. */
  private async recipients(tx: Db, context: EscalationContext, kind: EscalationStepKind): Promise<string[]> {
    switch (kind) {
      case 'duty_contact':
        return context.dutyEmail
          ? [context.dutyEmail]
          : this.escalations.staffEmails(tx, 'clinician', {
              trustId: context.trustId,
              crisisTeamId: context.crisisTeamId,
            });
      case 'supervisor':
        return supervisorEmailsOf(tx, context.raisedBy);
      case 'coordinator':
        return this.escalations.staffEmails(tx, 'coordinator', { trustId: context.trustId });
    }
  }

  /**
   * Inserts the step's row and its audit event in one transaction, under the concern's lock.
   * 'stop': the item is no longer open (no further steps); 'taken': another run has it.
   */
  private async claim(
    concernId: string,
    step: number,
    now: Date,
  ): Promise<'stop' | 'taken' | number> {
    return this.db.transaction(async (tx) => {
      const context = await this.escalations.lockContext(tx, concernId);
      if (context?.status !== 'open') return 'stop';
      const kind = ESCALATION_STEPS[step - 1] ?? 'coordinator';
      const recipients = [...new Set(await this.recipients(tx, context, kind))];
      const stepId = randomUUID();
      const claimed = await this.escalations.claimStep(tx, {
        id: stepId,
        concernId,
        step,
        stepKind: kind,
        escalatedAt: now,
        recipients,
      });
      if (!claimed) return 'taken';
      await this.audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'concern.escalated',
        entityType: 'concern',
        entityId: concernId,
        detail: {
          step,
          stepKind: kind,
          recipients: recipients.length,
          overdueMinutes: Math.floor((now.getTime() - context.acknowledgeBy.getTime()) / 60_000),
        },
      });
      for (const to of recipients) {
        await this.outbox.enqueue(tx, {
          ...this.message(context, now),
          to,
          source: { kind: ESCALATION_SOURCE, id: stepId },
          safety: true,
          dutyContact: context.dutyEmail,
          trustId: context.trustId,
          crisisTeamId: context.crisisTeamId,
        });
      }
      return recipients.length;
    });
  }

  /** The email, without its recipient: the team, urgency, how long overdue and a link; never who or what. */
  private message(context: EscalationContext, now: Date) {
    const what = context.kind === 'advice' ? 'request for advice' : 'safety concern';
    const overdue = overdueWords(now.getTime() - context.acknowledgeBy.getTime());
    const link = `${this.settings.publicUrl ?? ''}/concerns/${context.id}`;
    const personalisation = {
      team_name: context.teamName,
      urgency: URGENCY_WORDS[context.urgency],
      kind: what,
      overdue,
      link,
    };
    const article = context.urgency === 'routine' ? 'A' : 'An';
    const preview =
      `${article} ${personalisation.urgency} ${what} for ${context.teamName} has not been acknowledged. ` +
      `It is ${overdue} past its deadline. Open it in Greenleaf: ${link}`;
    return { channel: 'email' as const, template: 'concern_escalation' as const, personalisation, preview };
  }
}
