/**
 * Who may see each section of the recovery plan. Choosing is the participant's alone
 * (`plan.share`), and so is "Who has looked at my plan", which reads the audit log itself.
 * Staff get only a summary of what is shared with them, never what was written.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext } from '../policy/actor.ts';
import type { ParticipantWithAllocation } from '../participants/participant.repository.ts';
import { participantResource } from '../participants/participant.service.ts';
import type { Visibility } from './plan-template.ts';
import type { PlanRepository } from './plan.repository.ts';
import {
  enabled,
  subject,
  viewableSections,
  visibilityOf,
  type LoadedPlan,
  type PlanAccess,
  type PlanSubject,
} from './plan-access.ts';

export interface SharingPage {
  subject: PlanSubject;
  sections: { key: string; title: string; visibility: Visibility }[];
}

export interface ViewerItem {
  who: string;
  when: Date;
  what: string;
}

export class PlanSharingService {
  private readonly db: Db;
  private readonly access: PlanAccess;
  private readonly plans: PlanRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(db: Db, access: PlanAccess, plans: PlanRepository, audit: AuditService, clock: Clock) {
    this.db = db;
    this.access = access;
    this.plans = plans;
    this.audit = audit;
    this.clock = clock;
  }

  async sharing(ctx: RequestContext, participantId: string): Promise<SharingPage> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.access.load(tx, ctx, participantId, 'plan.share');
      return {
        subject: subject(loaded),
        sections: enabled(loaded.template).map((s) => ({
          key: s.key,
          title: s.title,
          visibility: visibilityOf(loaded, s.key),
        })),
      };
    });
  }

  /**
   * Saves who can see each section. Only the participant may (`plan.share`); their first answer
   * is recorded as theirs even where it keeps the suggested sharing, so the first time they open
   * their plan they are asked once, and never again.
   */
  async setSharing(
    ctx: RequestContext,
    participantId: string,
    choices: Record<string, Visibility>,
  ): Promise<{ changed: string[] }> {
    return this.db.transaction(async (tx) => {
      let loaded = await this.access.load(tx, ctx, participantId, 'plan.share');
      const firstAnswer = loaded.participant.planSharingChosenAt === null;
      const sections = enabled(loaded.template);
      const missing = sections.filter((s) => !choices[s.key]);
      if (missing.length > 0) {
        throw new ValidationError(
          Object.fromEntries(missing.map((s) => [`visibility-${s.key}`, `Choose who can see "${s.title}"`])),
        );
      }
      if (!loaded.plan) loaded = await this.access.start(tx, ctx, loaded);
      const changes = sections.filter((s) => visibilityOf(loaded, s.key) !== choices[s.key]);
      for (const section of changes) {
        await this.plans.setSharing(
          tx,
          participantId,
          section.key,
          choices[section.key] ?? 'private',
          this.clock.now(),
        );
      }
      if (changes.length > 0) {
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'plan.sharing_changed',
          entityType: 'recovery_plan',
          entityId: participantId,
          detail: {
            changes: changes.map((s) => ({
              section: s.key,
              from: visibilityOf(loaded, s.key),
              to: choices[s.key],
            })),
          },
        });
      }
      if (firstAnswer) {
        await this.plans.recordSharingChosen(tx, participantId, this.clock.now());
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'plan.sharing_chosen',
          entityType: 'recovery_plan',
          entityId: participantId,
          detail: { choices: Object.fromEntries(sections.map((s) => [s.key, choices[s.key]])) },
        });
      }
      return { changed: changes.map((s) => s.key) };
    });
  }

  /** "Who has looked at my plan": every read by someone else, newest first. */
  async viewers(
    ctx: RequestContext,
    participantId: string,
  ): Promise<{ subject: PlanSubject; views: ViewerItem[] }> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.access.load(tx, ctx, participantId, 'plan.share');
      const views = await this.plans.viewsByOthers(tx, participantId, 200);
      return {
        subject: subject(loaded),
        views: views.map((v) => ({
          who: v.actorName ?? 'Someone who no longer works here',
          when: v.occurredAt,
          what: viewWords(v.detail, (key) => this.access.templates.sectionTitle(key)),
        })),
      };
    });
  }

  /**
   * For the "Recovery plan" panel on the staff participant page: whether this viewer may open
   * the plan, whether it has been started, and which sections are shared with them. It reads
   * only the participant's sharing choices, never anything they wrote, so it records no audit
   * event of its own (the page's `participant.viewed` covers it); opening the plan is audited.
   * A viewer who may not open the plan (or an unknown participant) gets `canOpen: false`.
   */
  async sharedSummary(ctx: RequestContext, participantId: string): Promise<SharedSummary> {
    return this.db.transaction(async (tx) => {
      let loaded: LoadedPlan;
      try {
        loaded = await this.access.load(tx, ctx, participantId);
      } catch (error) {
        if (error instanceof NotFoundError) return notOpen();
        throw error;
      }
      return sharedSummaryOf(ctx, loaded);
    });
  }

  /** The same, for a participant the caller has already read and checked, read with its `db`. */
  async sharedSummaryFor(
    db: Db,
    ctx: RequestContext,
    participant: ParticipantWithAllocation,
  ): Promise<SharedSummary> {
    if (!can(ctx.actor, 'plan.open', participantResource(participant))) return notOpen();
    return sharedSummaryOf(ctx, await this.access.loadFor(db, participant));
  }
}

export interface SharedSummary {
  canOpen: boolean;
  sharedCount: number;
  started: boolean;
  sharedSections: string[];
}

const notOpen = (): SharedSummary => ({ canOpen: false, sharedCount: 0, started: false, sharedSections: [] });

function sharedSummaryOf(ctx: RequestContext, loaded: LoadedPlan): SharedSummary {
  const shared = viewableSections(ctx.actor, loaded).map((s) => s.key);
  return {
    canOpen: true,
    sharedCount: shared.length,
    started: loaded.plan !== undefined,
    sharedSections: shared,
  };
}

function viewWords(detail: Record<string, unknown>, title: (key: string) => string): string {
  const sections = Array.isArray(detail.sections) ? detail.sections.map((s) => title(String(s))) : [];
  switch (detail.page) {
    case 'overview':
      return 'The list of sections you share';
    case 'pdf':
      return `Downloaded your plan: ${sections.join(', ') || 'no sections'}`;
    case 'print':
      return `The printable plan: ${sections.join(', ') || 'no sections'}`;
    case 'history':
      return `Earlier versions of an entry in ${sections.join(', ')}`;
    default:
      if (detail.mediaId)
        return `A ${typeof detail.kind === 'string' ? detail.kind : 'picture'} in ${sections.join(', ')}`;
      return sections.join(', ') || 'Your plan';
  }
}
