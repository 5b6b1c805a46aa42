/**
 * Support from an experienced peer worker (issue 15, part 4). Any worker asks (a topic from a
 * short list or their own words; today or this week); the trust's experienced peer workers are
 * emailed (queued with the request); one takes it; the two talk in a thread; either closes it.
 * A request nobody takes in time (`unansweredHours`) is surfaced to the asker's supervisors,
 * once, by the 'peer-support.unanswered' job. Private to the pair and the asker's supervisors;
 * every read and change is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { HOUR } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Resource } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { supervisorIdsInTrust, supervisorsOf } from '../organisation/supervisors.ts';
import { once } from '../platform/database/once.ts';
import type {
  PeerMessageRow,
  PeerRequest,
  PeerRequestRow,
  PeerSupportRepository,
} from './peer-support.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export type { PeerRequest };

export const PEER_SUPPORT_TOPICS = {
  a_hard_session: 'A hard session',
  boundaries: 'Boundaries',
  sharing_my_story: 'Sharing my own story',
  endings: 'Endings',
  clinical_teams: 'Working with clinical teams',
  other: 'Something else',
} as const;
export type PeerSupportTopic = keyof typeof PEER_SUPPORT_TOPICS;

export const NEEDED_BY = { today: 'Today', this_week: 'This week' } as const;

export interface PeerSupportSettings {
  /** Hours a request nobody has taken waits before the asker's supervisors are told. */
  unansweredHours: { today: number; this_week: number };
  publicUrl: string | undefined;
}

export interface AskInput {
  submissionToken: string;
  topic: PeerSupportTopic;
  topicText: string | null;
  neededBy: 'today' | 'this_week';
}

export const PEER_REQUEST_SOURCE = 'peer-support-request';
export const PEER_UNANSWERED_SOURCE = 'peer-support-unanswered';

export const topicWords = (row: Pick<PeerRequestRow, 'topic' | 'topicText'>): string =>
  row.topicText ?? (PEER_SUPPORT_TOPICS as Record<string, string>)[row.topic] ?? 'Something else';

const OWN_SHOWN = 20;

export class PeerSupportService {
  private readonly db: Db;
  private readonly store: PeerSupportRepository;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: PeerSupportSettings;

  constructor(
    db: Db,
    store: PeerSupportRepository,
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    settings: PeerSupportSettings,
  ) {
    this.db = db;
    this.store = store;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  /** The request as the policy sees it: who it went to and who supervises the asker now. */
  private async resource(db: Db, row: PeerRequestRow): Promise<Resource> {
    const [experienced, supervisors] = await Promise.all([
      this.store.experienced(db, row.trustId),
      supervisorsOf(db, row.requesterId),
    ]);
    return {
      type: 'peerSupport',
      trustId: row.trustId,
      requesterId: row.requesterId,
      takenBy: row.takenBy,
      closed: row.closedAt !== null,
      experiencedIds: experienced.map((e) => e.id),
      supervisorIds: supervisors.map((s) => s.id),
    };
  }

  private self(ctx: StaffContext) {
    return { type: 'staff' as const, trustId: ctx.actor.trustId, staffId: ctx.actor.id };
  }

  /** The page: the worker's own requests; for an experienced worker, those to take and those taken; for a supervisor, their supervisees'. */
  async page(ctx: StaffContext): Promise<{
    canAsk: boolean;
    mine: PeerRequest[];
    experienced: boolean;
    toTake: PeerRequest[];
    helping: PeerRequest[];
    supervisees: PeerRequest[];
  }> {
    const canAsk = can(ctx.actor, 'peersupport.ask', this.self(ctx));
    const isSupervisor = can(ctx.actor, 'peersupport.oversee', this.self(ctx));
    if (!canAsk && !isSupervisor) throw new NotFoundError('page');
    const [mine, experienced, supervisorMap] = await Promise.all([
      canAsk ? this.store.ofRequester(this.db, ctx.actor.id, OWN_SHOWN) : Promise.resolve([]),
      canAsk ? this.store.isExperienced(this.db, ctx.actor.id) : Promise.resolve(false),
      isSupervisor
        ? supervisorIdsInTrust(this.db, ctx.actor.trustId)
        : Promise.resolve(new Map<string, string[]>()),
    ]);
    const superviseeIds = [...supervisorMap.entries()]
      .filter(([workerId, ids]) => workerId !== ctx.actor.id && ids.includes(ctx.actor.id))
      .map(([workerId]) => workerId);
    const [open, superviseeRequests] = await Promise.all([
      experienced ? this.store.forExperienced(this.db, ctx.actor.trustId, ctx.actor.id) : Promise.resolve([]),
      this.store.openOf(this.db, superviseeIds),
    ]);
    // Each one as the policy sees it: the asker's supervisors of now read it.
    const supervisees = superviseeRequests.filter((r) =>
      can(ctx.actor, 'peersupport.view', {
        type: 'peerSupport',
        trustId: r.trustId,
        requesterId: r.requesterId,
        takenBy: r.takenBy,
        closed: r.closedAt !== null,
        experiencedIds: [],
        supervisorIds: supervisorMap.get(r.requesterId) ?? [],
      }),
    );
    const shown = [...mine, ...open, ...supervisees];
    if (shown.length > 0) {
      await this.audit.recordRead({
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'peer_support.viewed',
        entityType: 'staff',
        entityId: ctx.actor.id,
        detail: { requestIds: [...new Set(shown.map((r) => r.id))] },
      });
    }
    return {
      canAsk,
      mine,
      experienced,
      toTake: open.filter((r) => r.takenBy === null),
      helping: open.filter((r) => r.takenBy === ctx.actor.id),
      supervisees,
    };
  }

  async ask(ctx: StaffContext, input: AskInput): Promise<string> {
    if (!can(ctx.actor, 'peersupport.ask', this.self(ctx))) throw new NotFoundError('page');
    const { id, sent } = await once(
      () =>
        this.db.transaction(async (tx) => {
          const existing = await this.store.bySubmissionToken(tx, input.submissionToken);
          if (existing) {
            if (existing.requesterId !== ctx.actor.id)
              throw new ValidationError({ submissionToken: 'This form has expired. Start again' });
            return { id: existing.id, sent: false };
          }
          const requestId = randomUUID();
          await this.store.insert(tx, {
            id: requestId,
            trustId: ctx.actor.trustId,
            requesterId: ctx.actor.id,
            topic: input.topic,
            topicText: input.topicText,
            neededBy: input.neededBy,
            raisedAt: this.clock.now(),
            takenBy: null,
            takenAt: null,
            closedAt: null,
            closedBy: null,
            surfacedAt: null,
            submissionToken: input.submissionToken,
            version: 1,
          });
          const experienced = (await this.store.experienced(tx, ctx.actor.trustId)).filter(
            (e) => e.id !== ctx.actor.id,
          );
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'peer_support.requested',
            entityType: 'peer_support_request',
            entityId: requestId,
            detail: { neededBy: input.neededBy, topic: input.topic, told: experienced.length },
          });
          const personalisation = {
            workerName: ctx.actor.fullName,
            when: NEEDED_BY[input.neededBy].toLowerCase(),
            link: `${this.settings.publicUrl ?? ''}/peer-support/${requestId}`,
          };
          for (const { email } of experienced) {
            await this.outbox.enqueue(tx, {
              channel: 'email',
              to: email,
              template: 'peer_support_request',
              personalisation,
              preview: `${personalisation.workerName} would like support from an experienced peer worker, ${personalisation.when}.\n\nIf you can, take it in Greenleaf: ${personalisation.link}`,
              source: { kind: PEER_REQUEST_SOURCE, id: requestId },
              trustId: ctx.actor.trustId,
            });
          }
          return { id: requestId, sent: true };
        }),
      'peer_support_requests_submission_token_key',
      async () => {
        const winner = await this.store.bySubmissionToken(this.db, input.submissionToken);
        return winner?.requesterId === ctx.actor.id ? { id: winner.id, sent: false } : undefined;
      },
    );
    if (sent) await this.outbox.dispatchDue();
    return id;
  }

  /** A request and its thread, for those it belongs to; audited. */
  async thread(
    ctx: StaffContext,
    id: string,
  ): Promise<{
    request: PeerRequest;
    messages: (PeerMessageRow & { authorName: string })[];
    canTake: boolean;
    canMessage: boolean;
  }> {
    const request = await this.store.find(this.db, id);
    if (request?.trustId !== ctx.actor.trustId) throw new NotFoundError('request');
    const resource = await this.resource(this.db, request);
    if (!can(ctx.actor, 'peersupport.view', resource)) throw new NotFoundError('request');
    const messages = await this.store.messages(this.db, id);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'peer_support.viewed',
      entityType: 'peer_support_request',
      entityId: id,
    });
    return {
      request,
      messages,
      canTake: can(ctx.actor, 'peersupport.take', resource),
      canMessage: can(ctx.actor, 'peersupport.message', resource),
    };
  }

  /** Locks the request and checks the action; "not found" for anyone it does not belong to. */
  private async locked(
    ctx: StaffContext,
    tx: Db,
    id: string,
    action: 'peersupport.take' | 'peersupport.message',
  ) {
    const row = await this.store.lock(tx, id);
    if (row?.trustId !== ctx.actor.trustId) throw new NotFoundError('request');
    const resource = await this.resource(tx, row);
    return {
      row,
      allowed: can(ctx.actor, action, resource),
      visible: can(ctx.actor, 'peersupport.view', resource),
      // An experienced worker who could have taken it, had nobody else got there first.
      couldHaveTaken:
        resource.type === 'peerSupport' &&
        can(ctx.actor, 'peersupport.take', { ...resource, takenBy: null, closed: false }),
    };
  }

  /** Takes a request nobody has taken; false when someone got there first (or it was closed). */
  async take(ctx: StaffContext, id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { allowed, visible, couldHaveTaken } = await this.locked(ctx, tx, id, 'peersupport.take');
      // Someone else took it a moment ago: "already taken", not "not found".
      if (!visible && !couldHaveTaken) throw new NotFoundError('request');
      if (!allowed || !(await this.store.take(tx, id, ctx.actor.id, this.clock.now()))) return false;
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'peer_support.taken',
        entityType: 'peer_support_request',
        entityId: id,
      });
      return true;
    });
  }

  async message(ctx: StaffContext, id: string, body: string, submissionToken: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { allowed } = await this.locked(ctx, tx, id, 'peersupport.message');
      if (!allowed) throw new NotFoundError('request');
      const messageId = randomUUID();
      if (
        await this.store.addMessage(tx, {
          id: messageId,
          requestId: id,
          authorId: ctx.actor.id,
          body,
          sentAt: this.clock.now(),
          submissionToken,
        })
      ) {
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'peer_support.message_sent',
          entityType: 'peer_support_request',
          entityId: id,
          detail: { messageId },
        });
      }
    });
  }

  async close(ctx: StaffContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { row, allowed, visible } = await this.locked(ctx, tx, id, 'peersupport.message');
      if (!visible) throw new NotFoundError('request');
      if (!allowed || row.closedAt) return;
      await this.store.close(tx, id, ctx.actor.id, this.clock.now());
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'peer_support.closed',
        entityType: 'peer_support_request',
        entityId: id,
      });
    });
  }

  /** The coordinator marks a worker as an experienced peer worker, or not. */
  async markExperienced(ctx: StaffContext, staffId: string, experienced: boolean): Promise<void> {
    await this.db.transaction(async (tx) => {
      const staff = await this.store.peerWorkerInTrust(tx, staffId, ctx.actor.trustId);
      const resource = { type: 'staff' as const, trustId: staff?.trustId ?? '', staffId };
      if (!staff || !can(ctx.actor, 'peersupport.mark_experienced', resource))
        throw new NotFoundError('staff');
      await this.store.setExperienced(tx, staff.id, experienced);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'peer_support.experienced_set',
        entityType: 'staff',
        entityId: staff.id,
        detail: { experienced },
      });
    });
  }

  /** Surfaces each request nobody took in time to the asker's supervisors, once (the job). */
  async surfaceUnanswered(): Promise<{ surfaced: number }> {
    const now = this.clock.now();
    let surfaced = 0;
    for (const neededBy of ['today', 'this_week'] as const) {
      const before = new Date(now.getTime() - this.settings.unansweredHours[neededBy] * HOUR);
      for (const row of await this.store.unansweredSince(this.db, neededBy, before)) {
        const told = await this.db.transaction(async (tx) => {
          if (!(await this.store.claimSurfaced(tx, row.id, now))) return false;
          const supervisors = await supervisorsOf(tx, row.requesterId);
          await this.audit.record(tx, {
            actor: { kind: 'system' },
            ip: null,
            action: 'peer_support.surfaced',
            entityType: 'peer_support_request',
            entityId: row.id,
            detail: { supervisors: supervisors.length },
          });
          const personalisation = { link: `${this.settings.publicUrl ?? ''}/peer-support/${row.id}` };
          for (const { email } of supervisors) {
            await this.outbox.enqueue(tx, {
              channel: 'email',
              to: email,
              template: 'peer_support_unanswered',
              personalisation,
              preview: `A peer support worker you supervise asked for support from an experienced peer worker and nobody has taken it yet.\n\nSee it in Greenleaf: ${personalisation.link}`,
              source: { kind: PEER_UNANSWERED_SOURCE, id: row.id },
              trustId: row.trustId,
            });
          }
          return true;
        });
        if (told) surfaced += 1;
      }
    }
    await this.outbox.dispatchDue();
    return { surfaced };
  }
}
