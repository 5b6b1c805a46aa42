/**
 * Alerts for lone visits not checked out in time (the 'lone-working.alerts' job). A visit still
 * open `graceMinutes` after its expected end alerts the worker's team supervisors (step 1);
 * `escalationMinutes` after that, the trust's coordinators (step 2). Each step is claimed in
 * lone_working_alerts (UNIQUE(visit_id, step)) with its audit event AND its emails in the
 * message outbox, in one transaction: a crash keeps the step and its emails or neither, and a
 * step is sent once, even with two runs at once, several instances or a restart (the outbox
 * looks an interrupted send up by reference before resending; an email it cannot send is
 * listed as not delivered and told to the team's duty contact). Checking out or acknowledging
 * stops steps not yet taken. Due-ness is decided by the application's clock, never the
 * database's, so tests move time by hand.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AlertStepKind, LoneWorkingRepository, OverdueVisit } from './lone-working.repository.ts';
import type { LoneWorkingSettings } from './lone-working.service.ts';
import { ukTimeOfDay } from '../platform/calendar/uk-time.ts';
import { formatWeekdayDate } from '../platform/calendar/uk-format.ts';
import { supervisorEmailsOf } from '../organisation/supervisors.ts';

export interface AlertSettings extends LoneWorkingSettings {
  publicUrl: string | undefined;
}

export const LONE_WORKING_SOURCE = 'lone-working-alert';

const STEPS: readonly { step: number; kind: AlertStepKind }[] = [
  { step: 1, kind: 'supervisor' },
  { step: 2, kind: 'coordinator' },
];

/** "14:30 on Thursday 26 November", in UK time. */
export function expectedEndText(at: Date): string {
  return `${ukTimeOfDay(at)} on ${formatWeekdayDate(at)}`;
}

/** The email's words, for the local outbox: GOV.UK Notify renders its own from the template. */
export function alertPreview(p: Record<'workerName' | 'place' | 'expectedEnd' | 'link', string>): string {
  return [
    `${p.workerName} has not checked out of a lone visit.`,
    `Where: ${p.place}`,
    `They expected to finish at ${p.expectedEnd}.`,
    'Try to reach them now. If you cannot, follow your lone working procedure.',
    `When you know they are safe, record it: ${p.link}`,
  ].join('\n\n');
}

export class LoneWorkingAlertService {
  private readonly db: Db;
  private readonly visits: LoneWorkingRepository;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: AlertSettings;

  constructor(
    db: Db,
    visits: LoneWorkingRepository,
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    settings: AlertSettings,
  ) {
    this.db = db;
    this.visits = visits;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  /** When a step of a visit is due. */
  private dueAt(visit: { expectedEndAt: Date }, step: number): number {
    const { graceMinutes, escalationMinutes } = this.settings;
    return visit.expectedEndAt.getTime() + (graceMinutes + (step - 1) * escalationMinutes) * 60_000;
  }

  /** Takes every alert step due by the app clock's now, in step order, then sends what is queued. */
  async sendDue(): Promise<{ alerted: number }> {
    const now = this.clock.now();
    const overdue = await this.visits.overdue(
      this.db,
      new Date(now.getTime() - this.settings.graceMinutes * 60_000),
    );
    let alerted = 0;
    for (const visit of overdue) {
      for (const { step, kind } of STEPS) {
        if (visit.alertedSteps.includes(step)) continue;
        if (this.dueAt(visit, step) > now.getTime()) break;
        if (!(await this.claim(visit, step, kind))) break;
        alerted += 1;
      }
    }
    await this.outbox.dispatchDue();
    return { alerted };
  }

  /** Claims the step with its audit event and emails; false when it is no longer due or already taken. */
  private async claim(visit: OverdueVisit, step: number, kind: AlertStepKind): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Locked and read fresh: a check-out or acknowledgement since the list was read wins.
      const fresh = await this.visits.lockById(tx, visit.id);
      if (!fresh || fresh.checkedOutAt || fresh.acknowledgedAt) return false;
      const recipients = await this.recipients(tx, visit, kind);
      const alertId = randomUUID();
      const claimed = await this.visits.claimAlert(tx, {
        id: alertId,
        visitId: visit.id,
        step,
        stepKind: kind,
        alertedAt: this.clock.now(),
        recipients,
      });
      if (!claimed) return false;
      await this.audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'lone_working.alerted',
        entityType: 'lone_working_visit',
        entityId: visit.id,
        detail: { step, stepKind: kind, workerId: visit.workerId, recipientCount: recipients.length },
      });
      const message = this.message(visit);
      for (const to of recipients) {
        await this.outbox.enqueue(tx, {
          ...message,
          to,
          source: { kind: LONE_WORKING_SOURCE, id: alertId },
          safety: true,
          dutyContact: visit.dutyEmail,
          trustId: visit.workerTrustId,
          crisisTeamId: visit.workerTeamId,
        });
      }
      return true;
    });
  }

  /** Step 1: the worker's supervisors (named, else their team's; the coordinators if none); step 2: the coordinators. */
  private async recipients(tx: Db, visit: OverdueVisit, kind: AlertStepKind): Promise<string[]> {
    const coordinators = () => this.visits.staffWithRole(tx, 'coordinator', { trustId: visit.workerTrustId });
    if (kind === 'coordinator') return coordinators();
    const supervisors = await supervisorEmailsOf(tx, visit.workerId);
    return supervisors.length > 0 ? supervisors : coordinators();
  }

  private message(visit: OverdueVisit) {
    // Never a participant's name: the place and the worker are what the reader needs.
    const personalisation = {
      workerName: visit.workerName,
      place: visit.place,
      expectedEnd: expectedEndText(visit.expectedEndAt),
      link: `${this.settings.publicUrl ?? ''}/lone-working/overdue`,
    };
    return {
      channel: 'email' as const,
      template: 'lone_working_alert' as const,
      personalisation,
      preview: alertPreview(personalisation),
    };
  }
}
