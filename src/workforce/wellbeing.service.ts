/**
 * A worker's wellbeing (issue 15, part 5): "I'd like support", after a hard session or at any
 * time, goes privately to their supervisor (named, or their team's: `supervisorsOf`), who is
 * emailed once (in the transaction that records it) and acknowledges it. Colleagues never see
 * it; the coordinator sees how many per team, never who; no performance view reads it.
 * Every read of a request and every change is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { DAY } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Resource } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { supervisorsOf } from '../organisation/supervisors.ts';
import { once } from '../platform/database/once.ts';
import type { WellbeingRepository, WellbeingRow, WellbeingWithNames } from './wellbeing.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export const WELLBEING_SOURCE = 'wellbeing-request';
/** How far back a worker's own list, a supervisor's acknowledged ones and the counts go. */
export const WELLBEING_DAYS_SHOWN = 90;
const OWN_SHOWN = 20;

export interface WellbeingInput {
  submissionToken: string;
  afterSession: boolean;
  note: string | null;
}

/** The email's words, for the local outbox: GOV.UK Notify renders its own. Never the worker's note. */
export function wellbeingPreview(p: Record<'workerName' | 'link', string>): string {
  return [
    `${p.workerName} would like some support from you.`,
    'They asked privately: nobody else has been told. Please get in touch with them soon.',
    `Open it in Greenleaf: ${p.link}`,
  ].join('\n\n');
}

const resourceOf = (row: Pick<WellbeingRow, 'trustId' | 'staffId' | 'supervisorIds'>): Resource => ({
  type: 'wellbeing',
  trustId: row.trustId,
  workerId: row.staffId,
  supervisorIds: row.supervisorIds,
});

export class WellbeingService {
  private readonly db: Db;
  private readonly requests: WellbeingRepository;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly publicUrl: string | undefined;

  constructor(
    db: Db,
    requests: WellbeingRepository,
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    publicUrl: string | undefined,
  ) {
    this.db = db;
    this.requests = requests;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  private mustAsk(ctx: StaffContext): void {
    const self = { type: 'staff' as const, trustId: ctx.actor.trustId, staffId: ctx.actor.id };
    if (!can(ctx.actor, 'wellbeing.ask', self)) throw new NotFoundError('page');
  }

  /** The worker's own requests and whether each was acknowledged. */
  async mine(ctx: StaffContext): Promise<WellbeingWithNames[]> {
    this.mustAsk(ctx);
    const own = (await this.requests.ofWorker(this.db, ctx.actor.id, OWN_SHOWN)).filter((row) =>
      can(ctx.actor, 'wellbeing.view', resourceOf(row)),
    );
    if (own.length > 0) {
      await this.audit.recordRead({
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'wellbeing.viewed',
        entityType: 'staff',
        entityId: ctx.actor.id,
        detail: { requestIds: own.map((row) => row.id) },
      });
    }
    return own;
  }

  /** Asks once (a resubmitted form finds the first request); the supervisors are emailed in the same transaction. */
  async ask(ctx: StaffContext, input: WellbeingInput): Promise<{ told: number }> {
    this.mustAsk(ctx);
    const result = await once(
      () =>
        this.db.transaction(async (tx) => {
          const existing = await this.requests.bySubmissionToken(tx, input.submissionToken);
          if (existing) {
            // A token is only ever good for the form it was issued with.
            if (existing.staffId !== ctx.actor.id)
              throw new ValidationError({ submissionToken: 'This form has expired. Start again' });
            return { told: existing.supervisorIds.length, sent: false };
          }
          const supervisors = await supervisorsOf(tx, ctx.actor.id);
          const id = randomUUID();
          await this.requests.insert(tx, {
            id,
            trustId: ctx.actor.trustId,
            staffId: ctx.actor.id,
            crisisTeamId: ctx.actor.crisisTeamId,
            afterSession: input.afterSession,
            note: input.note,
            supervisorIds: supervisors.map((s) => s.id),
            raisedAt: this.clock.now(),
            acknowledgedAt: null,
            acknowledgedBy: null,
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'wellbeing.requested',
            entityType: 'wellbeing_request',
            entityId: id,
            detail: { afterSession: input.afterSession, supervisors: supervisors.length },
          });
          const personalisation = {
            workerName: ctx.actor.fullName,
            link: `${this.publicUrl ?? ''}/wellbeing/requests`,
          };
          for (const { email } of supervisors) {
            await this.outbox.enqueue(tx, {
              channel: 'email',
              to: email,
              template: 'wellbeing_request',
              personalisation,
              preview: wellbeingPreview(personalisation),
              source: { kind: WELLBEING_SOURCE, id },
              trustId: ctx.actor.trustId,
            });
          }
          return { told: supervisors.length, sent: true };
        }),
      'wellbeing_requests_submission_token_key',
      async () => {
        const winner = await this.requests.bySubmissionToken(this.db, input.submissionToken);
        return winner?.staffId === ctx.actor.id
          ? { told: winner.supervisorIds.length, sent: false }
          : undefined;
      },
    );
    if (result.sent) await this.outbox.dispatchDue();
    return { told: result.told };
  }

  /** Requests sent to this supervisor: open ones, and those of the last 90 days. */
  async inbox(ctx: StaffContext): Promise<WellbeingWithNames[]> {
    const self = { type: 'staff' as const, trustId: ctx.actor.trustId, staffId: ctx.actor.id };
    if (!can(ctx.actor, 'wellbeing.inbox', self)) throw new NotFoundError('page');
    const since = new Date(this.clock.now().getTime() - WELLBEING_DAYS_SHOWN * DAY);
    const [sent, orphaned] = await Promise.all([
      this.requests.sentTo(this.db, ctx.actor.id, since),
      this.requests.orphanedOpen(this.db, ctx.actor.trustId),
    ]);
    // A request whose supervisors have all left is taken over by the worker's supervisors of now.
    const takenOver: WellbeingWithNames[] = [];
    for (const row of orphaned) {
      if (sent.some((s) => s.id === row.id)) continue;
      const audience = await this.audience(this.db, row);
      if (can(ctx.actor, 'wellbeing.view', resourceOf({ ...row, supervisorIds: audience })))
        takenOver.push(row);
    }
    const rows = [...sent.filter((row) => can(ctx.actor, 'wellbeing.view', resourceOf(row))), ...takenOver];
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'wellbeing.viewed',
      entityType: 'staff',
      entityId: ctx.actor.id,
      detail: { view: 'requests sent to me', requestIds: rows.map((row) => row.id) },
    });
    return rows;
  }

  async acknowledge(ctx: StaffContext, requestId: string): Promise<{ already: boolean }> {
    return this.db.transaction(async (tx) => {
      const row = await this.requests.lock(tx, requestId);
      if (!row) throw new NotFoundError('request');
      const audience = await this.audience(tx, row);
      if (!can(ctx.actor, 'wellbeing.acknowledge', resourceOf({ ...row, supervisorIds: audience })))
        throw new NotFoundError('request');
      if (row.acknowledgedAt) return { already: true };
      await this.requests.acknowledge(tx, row.id, ctx.actor.id, this.clock.now());
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'wellbeing.acknowledged',
        entityType: 'wellbeing_request',
        entityId: row.id,
        detail: { workerId: row.staffId },
      });
      return { already: false };
    });
  }

  /**
   * Who a request is for: the supervisors it went to while any of them is still a supervisor;
   * once none is, the worker's supervisors of now, so it is never left with nobody.
   */
  private async audience(db: Db, row: WellbeingRow): Promise<string[]> {
    if ((await this.requests.activeSupervisors(db, row.supervisorIds)).length > 0) return row.supervisorIds;
    return (await supervisorsOf(db, row.staffId)).map((s) => s.id);
  }

  /** For the coordinator: per team, how many asked in the last 90 days and how many wait. Never who. */
  async counts(
    ctx: StaffContext,
  ): Promise<{ days: number; teams: { teamName: string | null; requests: number; open: number }[] }> {
    if (!can(ctx.actor, 'wellbeing.counts', { type: 'trust', trustId: ctx.actor.trustId })) {
      throw new NotFoundError('page');
    }
    const since = new Date(this.clock.now().getTime() - WELLBEING_DAYS_SHOWN * DAY);
    return {
      days: WELLBEING_DAYS_SHOWN,
      teams: await this.requests.countsByTeam(this.db, ctx.actor.trustId, since),
    };
  }
}
