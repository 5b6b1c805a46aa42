/**
 * Alerts for lone visits not checked out in time (the 'lone-working.alerts' job). A visit still
 * open `graceMinutes` after its expected end alerts the worker's team supervisors (step 1);
 * `escalationMinutes` after that, the trust's coordinators (step 2). Each step is claimed in
 * lone_working_alerts (UNIQUE(visit_id, step)) with its audit event, and committed, before any
 * email goes: a step is sent at most once, even with two runs at once, several instances or a
 * restart between steps. Checking out or acknowledging stops what has not been sent. Due-ness is
 * decided by the application's clock, never the database's, so tests move time by hand.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { londonTimeOfDay } from '../sessions/london-time.ts';
import type { AlertStepKind, LoneWorkingRepository, OverdueVisit } from './lone-working.repository.ts';
import type { LoneWorkingSettings } from './lone-working.service.ts';

export interface AlertSettings extends LoneWorkingSettings {
  publicUrl: string | undefined;
}

const STEPS: readonly { step: number; kind: AlertStepKind }[] = [
  { step: 1, kind: 'supervisor' },
  { step: 2, kind: 'coordinator' },
];

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  timeZone: 'Europe/London',
});

/** "14:30 on Thursday 26 November", in UK time. */
export function expectedEndText(at: Date): string {
  return `${londonTimeOfDay(at)} on ${LONDON_DAY.format(at)}`;
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
  private readonly sender: NotificationSender;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: AlertSettings;

  constructor(
    db: Db,
    visits: LoneWorkingRepository,
    sender: NotificationSender,
    audit: AuditService,
    clock: Clock,
    settings: AlertSettings,
  ) {
    this.db = db;
    this.visits = visits;
    this.sender = sender;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  /** When a step of a visit is due. */
  private dueAt(visit: { expectedEndAt: Date }, step: number): number {
    const { graceMinutes, escalationMinutes } = this.settings;
    return visit.expectedEndAt.getTime() + (graceMinutes + (step - 1) * escalationMinutes) * 60_000;
  }

  /**
   * Sends every alert step due by the app clock's now, in step order. Returns how many steps
   * were sent. A failed email is not retried (the step is already claimed); the error is thrown
   * after the rest have gone, so the job's log shows it.
   */
  async sendDue(): Promise<{ alerted: number }> {
    const now = this.clock.now();
    const overdue = await this.visits.overdue(
      this.db,
      new Date(now.getTime() - this.settings.graceMinutes * 60_000),
    );
    let alerted = 0;
    const failures: unknown[] = [];
    for (const visit of overdue) {
      for (const { step, kind } of STEPS) {
        if (visit.alertedSteps.includes(step)) continue;
        if (this.dueAt(visit, step) > now.getTime()) break;
        const recipients = await this.claim(visit, step, kind);
        if (!recipients) break;
        alerted += 1;
        failures.push(...(await this.send(visit, recipients)));
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `${String(failures.length)} lone working alert emails were not sent`,
      );
    }
    return { alerted };
  }

  /** Claims the step with its audit event, or returns undefined when it is no longer due or already sent. */
  private async claim(visit: OverdueVisit, step: number, kind: AlertStepKind): Promise<string[] | undefined> {
    return this.db.transaction(async (tx) => {
      // Locked and read fresh: a check-out or acknowledgement since the list was read wins.
      const fresh = await this.visits.lockById(tx, visit.id);
      if (!fresh || fresh.checkedOutAt || fresh.acknowledgedAt) return undefined;
      const recipients = await this.recipients(tx, visit, kind);
      const claimed = await this.visits.claimAlert(tx, {
        id: randomUUID(),
        visitId: visit.id,
        step,
        stepKind: kind,
        alertedAt: this.clock.now(),
        recipients,
      });
      if (!claimed) return undefined;
      await this.audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'lone_working.alerted',
        entityType: 'lone_working_visit',
        entityId: visit.id,
        detail: { step, stepKind: kind, workerId: visit.workerId, recipientCount: recipients.length },
      });
      return recipients;
    });
  }

  /** Step 1: the worker's team supervisors (the coordinators if the team has none); step 2: the coordinators. */
  private async recipients(tx: Db, visit: OverdueVisit, kind: AlertStepKind): Promise<string[]> {
    const coordinators = () => this.visits.staffWithRole(tx, 'coordinator', { trustId: visit.workerTrustId });
    if (kind === 'coordinator') return coordinators();
    const supervisors = visit.workerTeamId
      ? await this.visits.staffWithRole(tx, 'supervisor', {
          trustId: visit.workerTrustId,
          crisisTeamId: visit.workerTeamId,
        })
      : [];
    return supervisors.length > 0 ? supervisors : coordinators();
  }

  private async send(visit: OverdueVisit, recipients: string[]): Promise<unknown[]> {
    // Never a participant's name: the place and the worker are what the reader needs.
    const personalisation = {
      workerName: visit.workerName,
      place: visit.place,
      expectedEnd: expectedEndText(visit.expectedEndAt),
      link: `${this.settings.publicUrl ?? ''}/lone-working/overdue`,
    };
    const failures: unknown[] = [];
    for (const to of recipients) {
      try {
        await this.sender.send({
          channel: 'email',
          to,
          template: 'lone_working_alert',
          personalisation,
          preview: alertPreview(personalisation),
        });
      } catch (error) {
        failures.push(error);
      }
    }
    return failures;
  }
}
