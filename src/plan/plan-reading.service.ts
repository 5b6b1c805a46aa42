/**
 * Reading the recovery plan: the list of sections, a section's page, an entry's earlier
 * versions and a stored drawing, photo or voice note. Each shows only the sections the reader
 * may see (plan-access.ts), and each read is audited against `recovery_plan/<participantId>`.
 * Each reads without a transaction and waits for its read event to be in the log before it
 * returns.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import { can } from '../policy/policy.ts';
import type { Actor, RequestContext } from '../policy/actor.ts';
import {
  entryKindFor,
  entryWords,
  isSingleEntry,
  MEDIA_FIELD,
  type EntryContent,
  type EntryKind,
  type MediaKind,
} from './plan-entry.ts';
import type { PlanDocumentEntry, PlanDocumentMedia, WrittenBy } from './plan-document.ts';
import type { PlanFieldTemplate, PlanSectionTemplate, Visibility } from './plan-template.ts';
import type { MediaQuota } from './media-quota.ts';
import type { MediaContentType } from './media-processing.ts';
import type { PlanEntryRevisionRow, PlanEntryRow, PlanRepository } from './plan.repository.ts';
import {
  audienceOf,
  documentEntry,
  enabled,
  entryContent,
  mediaItem,
  sectionResource,
  subject,
  viewable,
  viewableSections,
  visibilityOf,
  writtenBy,
  type LoadedPlan,
  type PlanAccess,
  type PlanSubject,
} from './plan-access.ts';

export interface EntryView extends PlanDocumentEntry {
  revision: number;
}

export interface FieldView extends PlanFieldTemplate {
  entryKind: Exclude<EntryKind, 'media'>;
  single: boolean;
  entries: EntryView[];
  /** Server-chosen ids for a new entry (or the text answer not yet written). */
  newEntryId: string;
  newSaveId: string;
}

export interface MediaView extends Omit<PlanDocumentMedia, 'bytes'> {
  revision: number;
  /** A fresh save id for the item's "Remove" form. */
  removeSaveId: string;
}

export interface SectionSummary {
  key: string;
  title: string;
  purpose: string;
  visibility: Visibility;
  canView: boolean;
  written: boolean;
}

export interface PlanOverview {
  subject: PlanSubject;
  audience: 'participant' | 'staff';
  title: string;
  introduction: string;
  started: boolean;
  sections: SectionSummary[];
  /** Sections the participant keeps to themselves or their worker (staff see only the count). */
  hiddenCount: number;
  /** The participant has not yet said who may see their plan: they are asked before anything else. */
  askSharing: boolean;
}

export interface SectionPage {
  subject: PlanSubject;
  audience: 'participant' | 'staff';
  section: PlanSectionTemplate;
  visibility: Visibility;
  canWrite: boolean;
  fields: FieldView[];
  media: MediaView[];
  newMediaEntryId: string;
  newMediaSaveId: string;
  info: { key: string; title: string }[];
  previous: { key: string; title: string } | undefined;
  next: { key: string; title: string } | undefined;
  /** Attended sessions at which the section was worked on (shown to staff). */
  sessionsWorkedOn: Date[];
}

export interface RevisionView {
  revision: number;
  change: 'written' | 'removed' | 'restored';
  removed: boolean;
  words: string;
  entry: EntryContent;
  writtenBy: WrittenBy;
  writtenAt: Date;
}

export interface EntryHistory {
  subject: PlanSubject;
  audience: 'participant' | 'staff';
  section: PlanSectionTemplate;
  fieldLabel: string;
  entryId: string;
  current: { revision: number; removed: boolean };
  canWrite: boolean;
  revisions: RevisionView[];
  /** A removed drawing, photo or voice note whose file was deleted after the history period. */
  fileDeleted: { at: Date; afterDays: number } | undefined;
}

export class PlanReadingService {
  private readonly db: Db;
  private readonly access: PlanAccess;
  private readonly plans: PlanRepository;
  private readonly mediaQuota: MediaQuota;

  constructor(db: Db, access: PlanAccess, plans: PlanRepository, mediaQuota: MediaQuota) {
    this.db = db;
    this.access = access;
    this.plans = plans;
    this.mediaQuota = mediaQuota;
  }

  async overview(ctx: RequestContext, participantId: string): Promise<PlanOverview> {
    const loaded = await this.access.load(this.db, ctx, participantId);
    const written = await this.plans.sectionsWithEntries(this.db, participantId);
    const all = enabled(loaded.template).map((section) => {
      const visibility = visibilityOf(loaded, section.key);
      return {
        key: section.key,
        title: section.title,
        purpose: section.purpose,
        visibility,
        canView: can(ctx.actor, 'plan.view', sectionResource(loaded, visibility)),
        written: written.has(section.key),
      };
    });
    const sections = all.filter((s) => s.canView);
    await this.access.recordRead(ctx, participantId, 'plan.viewed', { page: 'overview' });
    return {
      subject: subject(loaded),
      audience: audienceOf(ctx.actor),
      title: loaded.template.title,
      introduction: loaded.template.introduction,
      started: loaded.plan !== undefined,
      sections,
      hiddenCount: all.length - sections.length,
      // Only the participant answers it: their worker sees the plan as it is.
      askSharing: ctx.actor.kind === 'participant' && loaded.participant.planSharingChosenAt === null,
    };
  }

  async section(ctx: RequestContext, participantId: string, sectionKey: string): Promise<SectionPage> {
    const loaded = await this.access.load(this.db, ctx, participantId);
    const { section, visibility } = viewable(ctx.actor, loaded, sectionKey);
    const [entries, sessionsWorkedOn] = await Promise.all([
      this.plans.entries(this.db, participantId, [sectionKey]),
      ctx.actor.kind === 'staff' ? this.plans.sessionsWorkedOn(this.db, participantId, sectionKey) : [],
    ]);
    const names = await this.access.writerNames(this.db, entries);
    const media = await this.mediaViews(this.db, ctx.actor, loaded, entries, names);
    const fields: FieldView[] = section.fields.map((field) => {
      const own = entries.filter((e) => e.fieldKey === field.key && e.kind !== 'media');
      return {
        ...field,
        entryKind: entryKindFor(field.kind),
        single: isSingleEntry(field.kind),
        entries: own.map((e) => ({
          ...documentEntry(e, writtenBy(ctx.actor, loaded, e, names)),
          revision: e.revision,
        })),
        newEntryId: randomUUID(),
        newSaveId: randomUUID(),
      };
    });
    const sections = viewableSections(ctx.actor, loaded);
    const at = sections.findIndex((s) => s.key === sectionKey);
    const link = (s: PlanSectionTemplate | undefined) => (s ? { key: s.key, title: s.title } : undefined);
    await this.access.recordRead(ctx, participantId, 'plan.viewed', {
      page: 'section',
      sections: [sectionKey],
    });
    return {
      subject: subject(loaded),
      audience: audienceOf(ctx.actor),
      section,
      visibility,
      canWrite: can(ctx.actor, 'plan.write', sectionResource(loaded, visibility)),
      fields,
      media,
      newMediaEntryId: randomUUID(),
      newMediaSaveId: randomUUID(),
      info: section.info.flatMap((key) => {
        const page = this.access.templates.info(key);
        return page ? [{ key, title: page.title }] : [];
      }),
      previous: link(sections[at - 1]),
      next: link(sections[at + 1]),
      sessionsWorkedOn,
    };
  }

  async history(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    entryId: string,
  ): Promise<EntryHistory> {
    const loaded = await this.access.load(this.db, ctx, participantId);
    const { section, visibility } = viewable(ctx.actor, loaded, sectionKey);
    const entry = await this.plans.entry(this.db, entryId);
    if (entry?.participantId !== participantId || entry.sectionKey !== sectionKey) {
      throw new NotFoundError('entry');
    }
    const [revisions, deletedAt] = await Promise.all([
      this.plans.revisions(this.db, entryId),
      this.access.fileDeletedAt(this.db, entry),
    ]);
    const names = await this.plans.staffNames(
      this.db,
      revisions.filter((r) => r.writtenByKind === 'worker').map((r) => r.writtenBy),
    );
    await this.access.recordRead(ctx, participantId, 'plan.viewed', {
      page: 'history',
      sections: [sectionKey],
      entryId,
    });
    return {
      subject: subject(loaded),
      audience: audienceOf(ctx.actor),
      section,
      fieldLabel:
        entry.fieldKey === MEDIA_FIELD
          ? 'Drawings, photos and voice notes'
          : (section.fields.find((f) => f.key === entry.fieldKey)?.label ?? entry.fieldKey),
      entryId,
      current: { revision: entry.revision, removed: entry.removed },
      canWrite: can(ctx.actor, 'plan.write', sectionResource(loaded, visibility)) && !deletedAt,
      revisions: revisions.map((r) => revisionView(ctx.actor, loaded, entry.kind, r, names)),
      fileDeleted: deletedAt ? { at: deletedAt, afterDays: this.mediaQuota.removedDays } : undefined,
    };
  }

  /** The stored bytes of a drawing, photo or voice note, for whoever may see its section. */
  async media(
    ctx: RequestContext,
    participantId: string,
    mediaId: string,
  ): Promise<{ contentType: MediaContentType; bytes: Buffer; kind: MediaKind }> {
    const loaded = await this.access.load(this.db, ctx, participantId);
    const entry = await this.plans.entryForMedia(this.db, mediaId);
    if (entry?.participantId !== participantId || entry.removed) throw new NotFoundError('media');
    viewable(ctx.actor, loaded, entry.sectionKey);
    const media = await this.plans.media(this.db, mediaId);
    if (!media?.bytes) throw new NotFoundError('media');
    await this.access.recordRead(ctx, participantId, 'plan.media_viewed', {
      sections: [entry.sectionKey],
      mediaId,
      kind: media.kind,
    });
    return { contentType: media.contentType, bytes: media.bytes, kind: media.kind };
  }

  private async mediaViews(
    db: Db,
    actor: Actor,
    loaded: LoadedPlan,
    entries: readonly PlanEntryRow[],
    names: Map<string, string>,
  ): Promise<MediaView[]> {
    const mediaEntries = entries.filter((e) => e.kind === 'media' && e.mediaId);
    const info = await this.plans.mediaInfo(
      db,
      mediaEntries.flatMap((e) => (e.mediaId ? [e.mediaId] : [])),
    );
    return mediaEntries.flatMap((e) => {
      const m = e.mediaId ? info.get(e.mediaId) : undefined;
      return m
        ? [
            {
              ...mediaItem(e, m, writtenBy(actor, loaded, e, names)),
              revision: e.revision,
              removeSaveId: randomUUID(),
            },
          ]
        : [];
    });
  }
}

function revisionView(
  actor: Actor,
  loaded: LoadedPlan,
  kind: EntryKind,
  r: PlanEntryRevisionRow,
  names: Map<string, string>,
): RevisionView {
  const entry = entryContent({ kind, content: r.content });
  return {
    revision: r.revision,
    change: r.change,
    removed: r.removed,
    words: entryWords(entry),
    entry,
    writtenBy: writtenBy(actor, loaded, r, names),
    writtenAt: r.writtenAt,
  };
}
