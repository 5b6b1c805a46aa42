/**
 * What every part of the recovery plan shares: loading a participant's plan for the person
 * asking (who may open it, the template it was started on, the participant's sharing choices),
 * which sections that person may see, starting a plan, and recording a read.
 *
 * - The plan belongs to the participant. Staff see a section only because the participant
 *   shares it (`plan.view`); their worker may write in a shared section on their behalf
 *   (`plan.write`), marked as such. Every read by anyone and every change is audited against
 *   the entity `recovery_plan/<participantId>`, which is what "who has looked at my plan" reads.
 * - The services over it: reading (plan-reading.service.ts), writing (plan-writing.service.ts),
 *   sharing (plan-sharing.service.ts) and the documents made from a plan
 *   (plan-documents.service.ts).
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Resource } from '../policy/policy.ts';
import type { Actor, RequestContext } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor } from '../participants/participant.service.ts';
import { displayName } from '../participants/display-name.ts';
import type { EntryContent, EntryKind, MediaContent } from './plan-entry.ts';
import type { PlanDocumentEntry, PlanDocumentMedia, WrittenBy } from './plan-document.ts';
import type { PlanSectionTemplate, PlanTemplate, PlanTemplates, Visibility } from './plan-template.ts';
import type { PlanEntryRow, PlanMediaInfo, PlanRepository, RecoveryPlanRow } from './plan.repository.ts';

export interface PlanSubject {
  participantId: string;
  /** The participant's name as staff see it; the participant sees "you". */
  name: string;
  workerName: string | null;
  crisisTeamName: string;
  crisisTeamPhone: string;
  programmeEnded: boolean;
}

/** A participant's plan as one person may open it. */
export interface LoadedPlan {
  participant: ParticipantWithAllocation;
  plan: RecoveryPlanRow | undefined;
  template: PlanTemplate;
  sharing: Map<string, Visibility>;
  ended: boolean;
}

export type PlanReadAction = 'plan.viewed' | 'plan.media_viewed' | 'plan.downloaded';

export class PlanAccess {
  private readonly participants: ParticipantRepository;
  private readonly plans: PlanRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly templates: PlanTemplates;

  constructor(
    participants: ParticipantRepository,
    plans: PlanRepository,
    audit: AuditService,
    clock: Clock,
    templates: PlanTemplates,
  ) {
    this.participants = participants;
    this.plans = plans;
    this.audit = audit;
    this.clock = clock;
    this.templates = templates;
  }

  /** The plan, if the actor may open it (`plan.open`) or choose its sharing (`plan.share`). */
  async load(
    tx: Db,
    ctx: RequestContext,
    participantId: string,
    action: 'plan.open' | 'plan.share' = 'plan.open',
  ): Promise<LoadedPlan> {
    const participant = await participantFor(this.participants, tx, ctx.actor, participantId, action);
    return this.loadFor(tx, participant);
  }

  /** The plan of a participant the caller has read and checked the actor may open. */
  async loadFor(tx: Db, participant: ParticipantWithAllocation): Promise<LoadedPlan> {
    const participantId = participant.id;
    const plan = await this.plans.find(tx, participantId);
    const template = plan ? this.templates.version(plan.templateVersion) : this.templates.latest;
    const sharing = plan ? await this.plans.sharing(tx, participantId) : defaultSharing(template);
    const ended = await this.plans.programmeEnded(tx, participantId);
    return { participant, plan, template, sharing, ended };
  }

  /** Starts the plan on the latest template, with the workbook's suggested sharing. */
  async start(tx: Db, ctx: RequestContext, loaded: LoadedPlan): Promise<LoadedPlan> {
    const template = this.templates.latest;
    const { started, plan } = await this.plans.start(
      tx,
      {
        participantId: loaded.participant.id,
        templateVersion: template.version,
        startedAt: this.clock.now(),
      },
      template.sections.map((s) => ({ sectionKey: s.key, visibility: s.defaultSharing })),
    );
    if (started) {
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'plan.started',
        entityType: 'recovery_plan',
        entityId: loaded.participant.id,
        detail: { templateVersion: template.version },
      });
    }
    return {
      ...loaded,
      plan,
      template: this.templates.version(plan.templateVersion),
      sharing: await this.plans.sharing(tx, loaded.participant.id),
    };
  }

  /**
   * A read of the plan, in no transaction: resolves once the event is in the audit log (with
   * the other reads of the moment). Await it before handing over what was read.
   */
  async recordRead(
    ctx: RequestContext,
    participantId: string,
    action: PlanReadAction,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action,
      entityType: 'recovery_plan',
      entityId: participantId,
      detail,
    });
  }

  /** The names of the staff who wrote these entries. */
  async writerNames(tx: Db, entries: readonly PlanEntryRow[]): Promise<Map<string, string>> {
    return this.plans.staffNames(tx, [
      ...new Set(entries.filter((e) => e.writtenByKind === 'worker').map((e) => e.writtenBy)),
    ]);
  }

  /** When a removed drawing, photo or voice note's file was deleted after the history period. */
  async fileDeletedAt(tx: Db, entry: PlanEntryRow): Promise<Date | undefined> {
    if (!entry.mediaId) return undefined;
    return (await this.plans.mediaInfo(tx, [entry.mediaId])).get(entry.mediaId)?.deletedAt ?? undefined;
  }
}

export const enabled = (template: PlanTemplate) => template.sections.filter((s) => s.enabled);

function defaultSharing(template: PlanTemplate): Map<string, Visibility> {
  return new Map(template.sections.map((s) => [s.key, s.defaultSharing]));
}

/** What the participant chose for a section; anything never chosen is private. */
export function visibilityOf(loaded: LoadedPlan, sectionKey: string): Visibility {
  return loaded.sharing.get(sectionKey) ?? 'private';
}

export function sectionResource(loaded: LoadedPlan, visibility: Visibility): Resource {
  return {
    type: 'planSection',
    participantId: loaded.participant.id,
    trustId: loaded.participant.trustId,
    crisisTeamId: loaded.participant.crisisTeamId,
    allocatedWorkerId: loaded.participant.allocatedWorkerId,
    visibility,
    programmeEnded: loaded.ended,
  };
}

/** The sections switched on that the actor may read, in order. */
export function viewableSections(actor: Actor, loaded: LoadedPlan): PlanSectionTemplate[] {
  return enabled(loaded.template).filter((s) =>
    can(actor, 'plan.view', sectionResource(loaded, visibilityOf(loaded, s.key))),
  );
}

/** The section, if it is switched on and the actor may read it; "not found" otherwise. */
export function viewable(
  actor: Actor,
  loaded: LoadedPlan,
  sectionKey: string,
): { section: PlanSectionTemplate; visibility: Visibility } {
  const section = enabled(loaded.template).find((s) => s.key === sectionKey);
  if (!section) throw new NotFoundError('section');
  const visibility = visibilityOf(loaded, sectionKey);
  if (!can(actor, 'plan.view', sectionResource(loaded, visibility))) throw new NotFoundError('section');
  return { section, visibility };
}

export const audienceOf = (actor: Actor): 'participant' | 'staff' =>
  actor.kind === 'participant' ? 'participant' : 'staff';

export function subject(loaded: LoadedPlan): PlanSubject {
  return {
    participantId: loaded.participant.id,
    name: displayName(loaded.participant),
    workerName: loaded.participant.allocatedWorkerName,
    crisisTeamName: loaded.participant.crisisTeamName,
    crisisTeamPhone: loaded.participant.crisisTeamPhone,
    programmeEnded: loaded.ended,
  };
}

/** Who wrote it, in the reader's words: "you", or the worker "on your behalf". */
export function writtenBy(
  reader: Actor,
  loaded: LoadedPlan,
  row: { writtenByKind: 'participant' | 'worker'; writtenBy: string },
  staffNames: Map<string, string>,
): WrittenBy {
  if (row.writtenByKind === 'participant') {
    return {
      kind: 'participant',
      name: reader.kind === 'participant' ? 'You' : displayName(loaded.participant),
    };
  }
  const name = staffNames.get(row.writtenBy) ?? 'Your peer support worker';
  if (reader.kind === 'staff' && reader.id === row.writtenBy) return { kind: 'worker', name: 'You' };
  return { kind: 'worker', name };
}

export function entryContent(row: { kind: EntryKind; content: Record<string, unknown> }): EntryContent {
  // Stored content was checked by the same schemas when it was saved.
  return { kind: row.kind, content: row.content } as EntryContent;
}

export function documentEntry(row: PlanEntryRow, by: WrittenBy): PlanDocumentEntry {
  return { id: row.id, entry: entryContent(row), writtenBy: by, updatedAt: row.updatedAt };
}

export function mediaItem(
  row: PlanEntryRow,
  media: PlanMediaInfo,
  by: WrittenBy,
): Omit<PlanDocumentMedia, 'bytes'> {
  const content = row.content as MediaContent;
  return {
    id: row.id,
    mediaId: media.id,
    kind: media.kind,
    description: content.description,
    contentType: media.contentType,
    width: media.width,
    height: media.height,
    writtenBy: by,
    updatedAt: row.updatedAt,
  };
}
