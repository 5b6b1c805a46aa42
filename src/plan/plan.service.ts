/**
 * The Personal Recovery Plan (PRODUCT.md section 3): the participant's own workbook.
 *
 * - The plan belongs to the participant. Staff see a section only because the participant
 *   shares it (`plan.view`); their worker may write in a shared section on their behalf
 *   (`plan.write`), marked as such. Every read by anyone and every change is audited against
 *   the entity `recovery_plan/<participantId>`, which is what "who has looked at my plan" reads.
 * - Every save names the revision it was based on: a stale save is a conflict the person
 *   resolves, never a silent overwrite. Every save carries a client-chosen `saveId`: the same
 *   save sent twice (a retried autosave, an offline draft sent on reconnect) is saved once.
 * - Saves for one plan take turns (the plan row is locked), so a free-text answer is one entry
 *   however many people start it at once.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AuditAction } from '../audit/audit-actions.ts';
import { can, type Resource } from '../policy/policy.ts';
import type { Actor, RequestContext } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor } from '../participants/participant.service.ts';
import { displayName } from '../participants/display-name.ts';
import {
  CONTENT_SCHEMAS,
  entryKindFor,
  entryWords,
  isSingleEntry,
  MEDIA_FIELD,
  type EntryContent,
  type EntryKind,
  type GoalContent,
  type MediaContent,
  type MediaKind,
  type SupporterContent,
} from './plan-entry.ts';
import type {
  PlanDocument,
  PlanDocumentEntry,
  PlanDocumentMedia,
  PlanDocumentSection,
  WrittenBy,
} from './plan-document.ts';
import type {
  PlanFieldTemplate,
  PlanSectionTemplate,
  PlanTemplate,
  PlanTemplates,
  Visibility,
} from './plan-template.ts';
import { quotaProblem, type MediaQuota } from './media-quota.ts';
import { formatDate } from './print.view-model.ts';
import type {
  PlanEntryRevisionRow,
  PlanEntryRow,
  PlanMediaInfo,
  PlanRepository,
  RecoveryPlanRow,
} from './plan.repository.ts';

export type MediaContentType = 'image/png' | 'image/jpeg' | 'audio/webm' | 'audio/ogg' | 'audio/mp4';

export interface SaveEntryInput {
  entryId: string;
  fieldKey: string;
  baseRevision: number;
  saveId: string;
  entry: EntryContent;
}

export interface ConflictingVersion {
  revision: number;
  removed: boolean;
  words: string;
  entry: EntryContent;
  writtenByName: string;
  updatedAt: Date;
}

export type SaveResult =
  | { status: 'saved'; entryId: string; revision: number; duplicate: boolean }
  | { status: 'conflict'; entryId: string; current: ConflictingVersion };

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

export interface PlanSubject {
  participantId: string;
  /** The participant's name as staff see it; the participant sees "you". */
  name: string;
  workerName: string | null;
  crisisTeamName: string;
  crisisTeamPhone: string;
  programmeEnded: boolean;
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

export interface SharingPage {
  subject: PlanSubject;
  sections: { key: string; title: string; visibility: Visibility }[];
}

export interface ViewerItem {
  who: string;
  when: Date;
  what: string;
}

export interface StrugglingPage {
  warningSigns: string[];
  whatHelps: string[];
  whatOthersCanDo: string[];
  supporters: { name: string; relationship: string; howToReach: string }[];
  crisisTeamName: string;
  crisisTeamPhone: string;
}

interface Loaded {
  participant: ParticipantWithAllocation;
  plan: RecoveryPlanRow | undefined;
  template: PlanTemplate;
  sharing: Map<string, Visibility>;
  ended: boolean;
}

const SHARE_WORDS: Record<Visibility, string> = {
  private: 'only you',
  worker: 'you and your peer support worker',
  care_team: 'you, your peer support worker and your care team',
};

export class PlanService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly plans: PlanRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly mediaQuota: MediaQuota;
  readonly templates: PlanTemplates;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    plans: PlanRepository,
    audit: AuditService,
    clock: Clock,
    templates: PlanTemplates,
    mediaQuota: MediaQuota,
  ) {
    this.db = db;
    this.participants = participants;
    this.plans = plans;
    this.audit = audit;
    this.clock = clock;
    this.templates = templates;
    this.mediaQuota = mediaQuota;
  }

  // ── Reading ────────────────────────────────────────────────────────────────────────────

  async overview(ctx: RequestContext, participantId: string): Promise<PlanOverview> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, ctx, participantId);
      const written = await this.plans.sectionsWithEntries(tx, participantId);
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
      await this.read(tx, ctx, participantId, 'plan.viewed', { page: 'overview' });
      return {
        subject: subject(loaded),
        audience: ctx.actor.kind === 'participant' ? 'participant' : 'staff',
        title: loaded.template.title,
        introduction: loaded.template.introduction,
        started: loaded.plan !== undefined,
        sections,
        hiddenCount: all.length - sections.length,
        // Only the participant answers it: their worker sees the plan as it is.
        askSharing: ctx.actor.kind === 'participant' && loaded.participant.planSharingChosenAt === null,
      };
    });
  }

  async section(ctx: RequestContext, participantId: string, sectionKey: string): Promise<SectionPage> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, ctx, participantId);
      const { section, visibility } = this.viewable(ctx.actor, loaded, sectionKey);
      const entries = await this.plans.entries(tx, participantId, [sectionKey]);
      const names = await this.writerNames(tx, entries);
      const media = await this.mediaViews(tx, ctx.actor, loaded, entries, names);
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
      const sections = enabled(loaded.template).filter((s) =>
        can(ctx.actor, 'plan.view', sectionResource(loaded, visibilityOf(loaded, s.key))),
      );
      const at = sections.findIndex((s) => s.key === sectionKey);
      const link = (s: PlanSectionTemplate | undefined) => (s ? { key: s.key, title: s.title } : undefined);
      await this.read(tx, ctx, participantId, 'plan.viewed', { page: 'section', sections: [sectionKey] });
      return {
        subject: subject(loaded),
        audience: ctx.actor.kind === 'participant' ? 'participant' : 'staff',
        section,
        visibility,
        canWrite: can(ctx.actor, 'plan.write', sectionResource(loaded, visibility)),
        fields,
        media,
        newMediaEntryId: randomUUID(),
        newMediaSaveId: randomUUID(),
        info: section.info.flatMap((key) => {
          const page = this.templates.info(key);
          return page ? [{ key, title: page.title }] : [];
        }),
        previous: link(sections[at - 1]),
        next: link(sections[at + 1]),
        sessionsWorkedOn:
          ctx.actor.kind === 'staff' ? await this.plans.sessionsWorkedOn(tx, participantId, sectionKey) : [],
      };
    });
  }

  async history(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    entryId: string,
  ): Promise<EntryHistory> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, ctx, participantId);
      const { section, visibility } = this.viewable(ctx.actor, loaded, sectionKey);
      const entry = await this.plans.entry(tx, entryId);
      if (entry?.participantId !== participantId || entry.sectionKey !== sectionKey) {
        throw new NotFoundError('entry');
      }
      const revisions = await this.plans.revisions(tx, entryId);
      const deletedAt = await this.fileDeletedAt(tx, entry);
      const names = await this.plans.staffNames(
        tx,
        revisions.filter((r) => r.writtenByKind === 'worker').map((r) => r.writtenBy),
      );
      await this.read(tx, ctx, participantId, 'plan.viewed', {
        page: 'history',
        sections: [sectionKey],
        entryId,
      });
      return {
        subject: subject(loaded),
        audience: ctx.actor.kind === 'participant' ? 'participant' : 'staff',
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
    });
  }

  /** The stored bytes of a drawing, photo or voice note, for whoever may see its section. */
  async media(
    ctx: RequestContext,
    participantId: string,
    mediaId: string,
  ): Promise<{ contentType: MediaContentType; bytes: Buffer; kind: MediaKind }> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, ctx, participantId);
      const entry = await this.plans.entryForMedia(tx, mediaId);
      if (entry?.participantId !== participantId || entry.removed) throw new NotFoundError('media');
      this.viewable(ctx.actor, loaded, entry.sectionKey);
      const media = await this.plans.media(tx, mediaId);
      if (!media?.bytes) throw new NotFoundError('media');
      await this.read(tx, ctx, participantId, 'plan.media_viewed', {
        sections: [entry.sectionKey],
        mediaId,
        kind: media.kind,
      });
      return { contentType: media.contentType, bytes: media.bytes, kind: media.kind };
    });
  }

  /**
   * Every section the reader may see, as one document: the print view (audited here) or the
   * PDF, whose caller records the download with `recordDownload` when it hands the file over.
   */
  async document(
    ctx: RequestContext,
    participantId: string,
    purpose: 'print' | 'pdf',
  ): Promise<PlanDocument> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, ctx, participantId);
      const sections = enabled(loaded.template).filter((s) =>
        can(ctx.actor, 'plan.view', sectionResource(loaded, visibilityOf(loaded, s.key))),
      );
      const entries = await this.plans.entries(
        tx,
        participantId,
        sections.map((s) => s.key),
      );
      const names = await this.writerNames(tx, entries);
      const media = await this.plans.mediaInfo(
        tx,
        entries.flatMap((e) => (e.mediaId ? [e.mediaId] : [])),
      );
      const documentSections: PlanDocumentSection[] = sections.map((section) => ({
        key: section.key,
        title: section.title,
        purpose: section.purpose,
        prompts: section.prompts,
        fields: section.fields.map((field) => ({
          key: field.key,
          label: field.label,
          hint: field.hint,
          kind: field.kind,
          entries: entries
            .filter((e) => e.sectionKey === section.key && e.fieldKey === field.key && e.kind !== 'media')
            .map((e) => documentEntry(e, writtenBy(ctx.actor, loaded, e, names))),
        })),
        media: entries
          .filter((e) => e.sectionKey === section.key && e.kind === 'media' && e.mediaId)
          .flatMap((e) => {
            const m = e.mediaId ? media.get(e.mediaId) : undefined;
            if (!m) return [];
            return [{ ...mediaItem(e, m, writtenBy(ctx.actor, loaded, e, names)), bytes: undefined }];
          }),
      }));
      const name = ctx.actor.kind === 'participant' ? ctx.actor.displayName : displayName(loaded.participant);
      // The PDF is recorded when it is handed over (recordDownload): it may be made once and
      // collected later, or more than once.
      if (purpose === 'print') {
        await this.read(tx, ctx, participantId, 'plan.viewed', {
          page: purpose,
          sections: sections.map((s) => s.key),
        });
      }
      return {
        title: ctx.actor.kind === 'participant' ? 'My recovery plan' : `${name}'s recovery plan`,
        ownerName: name,
        introduction: loaded.template.introduction,
        generatedAt: this.clock.now(),
        sections: documentSections,
        crisisContacts: {
          crisisTeamName: loaded.participant.crisisTeamName,
          crisisTeamPhone: loaded.participant.crisisTeamPhone,
        },
      };
    });
  }

  /**
   * Names the version of the plan this person would get as a PDF: it changes whenever anything
   * the PDF shows does (an entry written, removed or brought back, a sharing choice, the crisis
   * team's details, the day it is printed). Reads counts and times only, never what anyone
   * wrote, so it records nothing: asking again for a PDF being made costs a few small queries.
   */
  async pdfVersion(
    ctx: RequestContext,
    participantId: string,
  ): Promise<{ version: string; sections: string[] }> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, ctx, participantId);
      const sections = enabled(loaded.template)
        .filter((s) => can(ctx.actor, 'plan.view', sectionResource(loaded, visibilityOf(loaded, s.key))))
        .map((s) => s.key);
      const changes = await this.plans.changes(tx, participantId, sections);
      const { participant } = loaded;
      const version = [
        loaded.template.version,
        sections.join(','),
        changes.live,
        changes.lastChange ?? '',
        displayName(participant),
        participant.crisisTeamName,
        participant.crisisTeamPhone,
        // The day it says it was printed on (UK time).
        formatDate(this.clock.now()),
      ].join('|');
      return { version, sections };
    });
  }

  /** The PDF of these sections was handed to this person. */
  async recordDownload(ctx: RequestContext, participantId: string, sections: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.read(tx, ctx, participantId, 'plan.downloaded', { page: 'pdf', sections });
    });
  }

  /**
   * The drawings and photos of a document just read with `document` (which checked who may see
   * each section), for the PDF. A separate read so that a document can be compared before any
   * image bytes are read. Voice notes are listed, never embedded. No audit event of its own:
   * these are part of the PDF, recorded when it is handed over.
   */
  async documentImages(ctx: RequestContext, participantId: string, doc: PlanDocument): Promise<PlanDocument> {
    const ids = doc.sections.flatMap((s) => s.media.filter((m) => m.kind !== 'voice').map((m) => m.mediaId));
    const bytes = await this.db.transaction(async (tx) => {
      await this.load(tx, ctx, participantId);
      const found = new Map<string, Buffer>();
      // One picture per query: the embedded engine runs on this thread, and other requests get
      // their turn between pictures rather than after all of them.
      for (const id of ids) {
        const picture = await this.plans.mediaBytes(tx, participantId, id);
        if (picture) found.set(id, picture);
      }
      return found;
    });
    return {
      ...doc,
      sections: doc.sections.map((section) => ({
        ...section,
        media: section.media.map((m) => ({ ...m, bytes: bytes.get(m.mediaId) })),
      })),
    };
  }

  /** "When I'm struggling": the participant's own warning signs, what helps and who to call. */
  async struggling(ctx: RequestContext): Promise<StrugglingPage> {
    if (ctx.actor.kind !== 'participant') throw new NotFoundError('plan');
    const participantId = ctx.actor.id;
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, ctx, participantId);
      const entries = await this.plans.entries(tx, participantId, ['ups_and_downs', 'people_and_places']);
      const list = (field: string) =>
        entries
          .filter((e) => e.sectionKey === 'ups_and_downs' && e.fieldKey === field && e.kind === 'list_item')
          .map((e) => (typeof e.content.text === 'string' ? e.content.text : ''))
          .filter(Boolean);
      const supporters = entries
        .filter((e) => e.sectionKey === 'people_and_places' && e.kind === 'supporter')
        .map((e) => {
          const s = e.content as SupporterContent;
          return { name: s.name, relationship: s.relationship, howToReach: s.howToReach };
        });
      await this.read(tx, ctx, participantId, 'plan.viewed', {
        page: 'struggling',
        sections: ['ups_and_downs', 'people_and_places'],
      });
      return {
        warningSigns: list('warning_signs'),
        whatHelps: list('what_i_will_do'),
        whatOthersCanDo: list('what_others_can_do'),
        supporters,
        crisisTeamName: loaded.participant.crisisTeamName,
        crisisTeamPhone: loaded.participant.crisisTeamPhone,
      };
    });
  }

  async sharing(ctx: RequestContext, participantId: string): Promise<SharingPage> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, ctx, participantId, 'plan.share');
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

  /** "Who has looked at my plan": every read by someone else, newest first. */
  async viewers(
    ctx: RequestContext,
    participantId: string,
  ): Promise<{ subject: PlanSubject; views: ViewerItem[] }> {
    return this.db.transaction(async (tx) => {
      const loaded = await this.load(tx, ctx, participantId, 'plan.share');
      const views = await this.plans.viewsByOthers(tx, participantId, 200);
      return {
        subject: subject(loaded),
        views: views.map((v) => ({
          who: v.actorName ?? 'Someone who no longer works here',
          when: v.occurredAt,
          what: viewWords(v.detail, (key) => this.templates.sectionTitle(key)),
        })),
      };
    });
  }

  /**
   * The participant's goals for the end-of-programme summary, when the section they are in is
   * shared with their worker; null when there is no plan yet. Read in the caller's transaction.
   */
  async goalsForSummary(db: Db, participantId: string): Promise<string[] | null> {
    const plan = await this.plans.find(db, participantId);
    if (!plan) return null;
    const template = this.templates.version(plan.templateVersion);
    const sharing = await this.plans.sharing(db, participantId);
    const goalSections = template.sections
      .filter((s) => s.enabled && s.fields.some((f) => f.kind === 'goals'))
      .filter((s) => (sharing.get(s.key) ?? 'private') !== 'private')
      .map((s) => s.key);
    const entries = await this.plans.entries(db, participantId, goalSections);
    return entries.filter((e) => e.kind === 'goal').map((e) => (e.content as GoalContent).goal);
  }

  // ── Writing ────────────────────────────────────────────────────────────────────────────

  async saveEntry(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: SaveEntryInput,
  ): Promise<SaveResult> {
    return this.write(ctx, participantId, sectionKey, input.saveId, async (tx, loaded, section) => {
      const expectedKind =
        input.fieldKey === MEDIA_FIELD ? 'media' : fieldOf(section, input.fieldKey).entryKind;
      if (input.entry.kind !== expectedKind)
        throw new ValidationError({ form: 'This is not the right kind of entry' });
      const existing = await this.plans.entryForUpdate(tx, input.entryId);
      if (existing) {
        mustBelong(existing, participantId, sectionKey, input.fieldKey);
        if (existing.revision !== input.baseRevision || existing.removed) {
          return this.conflict(tx, ctx.actor, loaded, existing);
        }
        return this.change(tx, ctx, existing, input.entry.content, false, 'written', input.saveId);
      }
      if (input.baseRevision !== 0 || input.entry.kind === 'media') throw new NotFoundError('entry');
      if (input.entry.kind === 'text') {
        // One answer per free-text field: whoever started it first, the other gets the choice.
        const [answer] = (await this.plans.entries(tx, participantId, [sectionKey])).filter(
          (e) => e.fieldKey === input.fieldKey && e.kind === 'text',
        );
        if (answer) return this.conflict(tx, ctx.actor, loaded, answer);
      }
      return this.create(tx, ctx, participantId, sectionKey, input, null);
    });
  }

  async removeEntry(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: { entryId: string; baseRevision: number; saveId: string },
  ): Promise<SaveResult> {
    return this.write(ctx, participantId, sectionKey, input.saveId, async (tx, loaded) => {
      const existing = await this.plans.entryForUpdate(tx, input.entryId);
      if (!existing) throw new NotFoundError('entry');
      mustBelong(existing, participantId, sectionKey);
      if (existing.removed || existing.revision !== input.baseRevision) {
        return this.conflict(tx, ctx.actor, loaded, existing);
      }
      // A free-text answer is emptied, not removed: its history stays in one place.
      if (existing.kind === 'text')
        return this.change(tx, ctx, existing, { text: '' }, false, 'written', input.saveId);
      return this.change(tx, ctx, existing, existing.content, true, 'removed', input.saveId);
    });
  }

  async restore(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: { entryId: string; revision: number; baseRevision: number; saveId: string },
  ): Promise<SaveResult> {
    return this.write(ctx, participantId, sectionKey, input.saveId, async (tx, loaded) => {
      const existing = await this.plans.entryForUpdate(tx, input.entryId);
      if (!existing) throw new NotFoundError('entry');
      mustBelong(existing, participantId, sectionKey);
      if (existing.revision !== input.baseRevision) return this.conflict(tx, ctx.actor, loaded, existing);
      // Its file was deleted after the history period: there is nothing left to bring back.
      if (await this.fileDeletedAt(tx, existing)) throw new NotFoundError('media');
      const old = (await this.plans.revisions(tx, existing.id)).find((r) => r.revision === input.revision);
      if (!old) throw new NotFoundError('revision');
      return this.change(tx, ctx, existing, old.content, false, 'restored', input.saveId, input.revision);
    });
  }

  async addMedia(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: {
      entryId: string;
      saveId: string;
      description: string;
      media: {
        kind: MediaKind;
        contentType: MediaContentType;
        bytes: Buffer;
        width: number | null;
        height: number | null;
      };
    },
  ): Promise<SaveResult> {
    const content = CONTENT_SCHEMAS.media.safeParse({
      kind: input.media.kind,
      description: input.description,
    });
    if (!content.success)
      throw new ValidationError({ description: content.error.issues[0]?.message ?? 'Check the words' });
    return this.write(ctx, participantId, sectionKey, input.saveId, async (tx) => {
      if (await this.plans.entry(tx, input.entryId))
        throw new ValidationError({ form: 'This has already been added' });
      // Counted with the plan locked (write), so two uploads at once cannot both squeeze in.
      const full = quotaProblem(
        await this.plans.mediaUsage(tx, participantId),
        input.media.bytes.length,
        this.mediaQuota,
      );
      if (full) throw new ValidationError({ file: full });
      const mediaId = randomUUID();
      await this.plans.insertMedia(tx, {
        id: mediaId,
        participantId,
        kind: input.media.kind,
        contentType: input.media.contentType,
        bytes: input.media.bytes,
        byteSize: input.media.bytes.length,
        width: input.media.width,
        height: input.media.height,
        createdByKind: ctx.actor.kind === 'participant' ? 'participant' : 'worker',
        createdBy: ctx.actor.id,
        createdAt: this.clock.now(),
      });
      return this.create(
        tx,
        ctx,
        participantId,
        sectionKey,
        {
          entryId: input.entryId,
          fieldKey: MEDIA_FIELD,
          baseRevision: 0,
          saveId: input.saveId,
          entry: { kind: 'media', content: content.data },
        },
        mediaId,
      );
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
      let loaded = await this.load(tx, ctx, participantId, 'plan.share');
      const firstAnswer = loaded.participant.planSharingChosenAt === null;
      const sections = enabled(loaded.template);
      const missing = sections.filter((s) => !choices[s.key]);
      if (missing.length > 0) {
        throw new ValidationError(
          Object.fromEntries(missing.map((s) => [`visibility-${s.key}`, `Choose who can see "${s.title}"`])),
        );
      }
      if (!loaded.plan) loaded = await this.start(tx, ctx, loaded);
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

  // ── Internals ──────────────────────────────────────────────────────────────────────────

  private async load(
    tx: Db,
    ctx: RequestContext,
    participantId: string,
    action: 'plan.open' | 'plan.share' = 'plan.open',
  ): Promise<Loaded> {
    const participant = await participantFor(this.participants, tx, ctx.actor, participantId, action);
    const plan = await this.plans.find(tx, participantId);
    const template = plan ? this.templates.version(plan.templateVersion) : this.templates.latest;
    const sharing = plan ? await this.plans.sharing(tx, participantId) : defaultSharing(template);
    const ended = await this.plans.programmeEnded(tx, participantId);
    return { participant, plan, template, sharing, ended };
  }

  /** The section, if it is switched on and the actor may read it; "not found" otherwise. */
  private viewable(
    actor: Actor,
    loaded: Loaded,
    sectionKey: string,
  ): { section: PlanSectionTemplate; visibility: Visibility } {
    const section = enabled(loaded.template).find((s) => s.key === sectionKey);
    if (!section) throw new NotFoundError('section');
    const visibility = visibilityOf(loaded, sectionKey);
    if (!can(actor, 'plan.view', sectionResource(loaded, visibility))) throw new NotFoundError('section');
    return { section, visibility };
  }

  private async write(
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    saveId: string,
    work: (tx: Db, loaded: Loaded, section: PlanSectionTemplate) => Promise<SaveResult>,
  ): Promise<SaveResult> {
    const attempt = () =>
      this.db.transaction(async (tx) => {
        let loaded = await this.load(tx, ctx, participantId);
        const { section, visibility } = this.viewable(ctx.actor, loaded, sectionKey);
        if (!can(ctx.actor, 'plan.write', sectionResource(loaded, visibility)))
          throw new NotFoundError('section');
        if (!loaded.plan) loaded = await this.start(tx, ctx, loaded);
        // Saves to one plan take turns from here on.
        await this.plans.lock(tx, participantId);
        const earlier = await this.plans.revisionBySaveId(tx, saveId);
        if (earlier) return this.duplicate(tx, earlier, participantId);
        return work(tx, loaded, section);
      });
    try {
      return await attempt();
    } catch (error) {
      // The same save raced itself (two tabs sending one draft): the loser finds the winner's.
      if (isUniqueViolation(error, 'plan_entry_revisions_save_id_key')) return attempt();
      if (isUniqueViolation(error, 'plan_entries_one_text_idx')) return attempt();
      throw error;
    }
  }

  private async duplicate(tx: Db, earlier: PlanEntryRevisionRow, participantId: string): Promise<SaveResult> {
    const entry = await this.plans.entry(tx, earlier.entryId);
    // A save id is only ever good for the plan it was first sent to.
    if (entry?.participantId !== participantId) throw new NotFoundError('entry');
    return { status: 'saved', entryId: earlier.entryId, revision: earlier.revision, duplicate: true };
  }

  private async start(tx: Db, ctx: RequestContext, loaded: Loaded): Promise<Loaded> {
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

  private async create(
    tx: Db,
    ctx: RequestContext,
    participantId: string,
    sectionKey: string,
    input: SaveEntryInput,
    mediaId: string | null,
  ): Promise<SaveResult> {
    const now = this.clock.now();
    const writer = writerOf(ctx.actor);
    await this.plans.insertEntry(tx, {
      id: input.entryId,
      participantId,
      sectionKey,
      fieldKey: input.fieldKey,
      kind: input.entry.kind,
      content: input.entry.content,
      mediaId,
      removed: false,
      revision: 1,
      ...writer,
      createdAt: now,
      updatedAt: now,
    });
    await this.plans.insertRevision(tx, {
      entryId: input.entryId,
      revision: 1,
      content: input.entry.content,
      removed: false,
      change: 'written',
      ...writer,
      writtenAt: now,
      saveId: input.saveId,
    });
    await this.changed(tx, ctx, participantId, 'plan.entry_saved', {
      section: sectionKey,
      field: input.fieldKey,
      entryId: input.entryId,
      revision: 1,
    });
    return { status: 'saved', entryId: input.entryId, revision: 1, duplicate: false };
  }

  private async change(
    tx: Db,
    ctx: RequestContext,
    existing: PlanEntryRow,
    content: Record<string, unknown>,
    removed: boolean,
    change: 'written' | 'removed' | 'restored',
    saveId: string,
    restoredFrom?: number,
  ): Promise<SaveResult> {
    const now = this.clock.now();
    const writer = writerOf(ctx.actor);
    const revision = existing.revision + 1;
    await this.plans.updateEntry(tx, existing.id, { content, removed, revision, ...writer, updatedAt: now });
    await this.plans.insertRevision(tx, {
      entryId: existing.id,
      revision,
      content,
      removed,
      change,
      ...writer,
      writtenAt: now,
      saveId,
    });
    const action: AuditAction =
      change === 'removed'
        ? 'plan.entry_removed'
        : change === 'restored'
          ? 'plan.entry_restored'
          : 'plan.entry_saved';
    await this.changed(tx, ctx, existing.participantId, action, {
      section: existing.sectionKey,
      field: existing.fieldKey,
      entryId: existing.id,
      revision,
      ...(restoredFrom ? { restoredFrom } : {}),
    });
    return { status: 'saved', entryId: existing.id, revision, duplicate: false };
  }

  private async conflict(tx: Db, actor: Actor, loaded: Loaded, existing: PlanEntryRow): Promise<SaveResult> {
    const names = await this.writerNames(tx, [existing]);
    const entry = entryContent(existing);
    return {
      status: 'conflict',
      entryId: existing.id,
      current: {
        revision: existing.revision,
        removed: existing.removed,
        words: entryWords(entry),
        entry,
        writtenByName: writtenBy(actor, loaded, existing, names).name,
        updatedAt: existing.updatedAt,
      },
    };
  }

  private async changed(
    tx: Db,
    ctx: RequestContext,
    participantId: string,
    action: AuditAction,
    detail: Record<string, unknown>,
  ): Promise<void> {
    // Ids and keys only: never the words people wrote.
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action,
      entityType: 'recovery_plan',
      entityId: participantId,
      detail: { ...detail, onBehalf: ctx.actor.kind === 'staff' },
    });
  }

  private async read(
    tx: Db,
    ctx: RequestContext,
    participantId: string,
    action: 'plan.viewed' | 'plan.media_viewed' | 'plan.downloaded',
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action,
      entityType: 'recovery_plan',
      entityId: participantId,
      detail,
    });
  }

  private async fileDeletedAt(tx: Db, entry: PlanEntryRow): Promise<Date | undefined> {
    if (!entry.mediaId) return undefined;
    return (await this.plans.mediaInfo(tx, [entry.mediaId])).get(entry.mediaId)?.deletedAt ?? undefined;
  }

  private async writerNames(tx: Db, entries: readonly PlanEntryRow[]): Promise<Map<string, string>> {
    return this.plans.staffNames(tx, [
      ...new Set(entries.filter((e) => e.writtenByKind === 'worker').map((e) => e.writtenBy)),
    ]);
  }

  private async mediaViews(
    tx: Db,
    actor: Actor,
    loaded: Loaded,
    entries: readonly PlanEntryRow[],
    names: Map<string, string>,
  ): Promise<MediaView[]> {
    const mediaEntries = entries.filter((e) => e.kind === 'media' && e.mediaId);
    const info = await this.plans.mediaInfo(
      tx,
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

  /**
   * For the "Recovery plan" panel on the staff participant page: whether this viewer may open
   * the plan, whether it has been started, and which sections are shared with them. It reads
   * only the participant's sharing choices, never anything they wrote, so it records no audit
   * event of its own (the page's `participant.viewed` covers it); opening the plan is audited.
   * A viewer who may not open the plan (or an unknown participant) gets `canOpen: false`.
   */
  async sharedSummary(
    ctx: RequestContext,
    participantId: string,
  ): Promise<{ canOpen: boolean; sharedCount: number; started: boolean; sharedSections: string[] }> {
    return this.db.transaction(async (tx) => {
      let loaded: Loaded;
      try {
        loaded = await this.load(tx, ctx, participantId);
      } catch (error) {
        if (error instanceof NotFoundError)
          return { canOpen: false, sharedCount: 0, started: false, sharedSections: [] };
        throw error;
      }
      const shared = enabled(loaded.template)
        .filter((s) => can(ctx.actor, 'plan.view', sectionResource(loaded, visibilityOf(loaded, s.key))))
        .map((s) => s.key);
      return {
        canOpen: true,
        sharedCount: shared.length,
        started: loaded.plan !== undefined,
        sharedSections: shared,
      };
    });
  }
}

// ── Pure helpers ──────────────────────────────────────────────────────────────────────────

const enabled = (template: PlanTemplate) => template.sections.filter((s) => s.enabled);

function defaultSharing(template: PlanTemplate): Map<string, Visibility> {
  return new Map(template.sections.map((s) => [s.key, s.defaultSharing]));
}

/** What the participant chose for a section; anything never chosen is private. */
function visibilityOf(loaded: Loaded, sectionKey: string): Visibility {
  return loaded.sharing.get(sectionKey) ?? 'private';
}

function sectionResource(loaded: Loaded, visibility: Visibility): Resource {
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

function subject(loaded: Loaded): PlanSubject {
  return {
    participantId: loaded.participant.id,
    name: displayName(loaded.participant),
    workerName: loaded.participant.allocatedWorkerName,
    crisisTeamName: loaded.participant.crisisTeamName,
    crisisTeamPhone: loaded.participant.crisisTeamPhone,
    programmeEnded: loaded.ended,
  };
}

function fieldOf(
  section: PlanSectionTemplate,
  fieldKey: string,
): PlanFieldTemplate & { entryKind: EntryKind } {
  const field = section.fields.find((f) => f.key === fieldKey);
  if (!field) throw new ValidationError({ form: 'This part of the plan does not exist' });
  return { ...field, entryKind: entryKindFor(field.kind) };
}

function mustBelong(entry: PlanEntryRow, participantId: string, sectionKey: string, fieldKey?: string): void {
  if (
    entry.participantId !== participantId ||
    entry.sectionKey !== sectionKey ||
    (fieldKey !== undefined && entry.fieldKey !== fieldKey)
  ) {
    throw new NotFoundError('entry');
  }
}

const writerOf = (actor: Actor) => ({
  writtenByKind: actor.kind === 'participant' ? ('participant' as const) : ('worker' as const),
  writtenBy: actor.id,
});

/** Who wrote it, in the reader's words: "you", or the worker "on your behalf". */
function writtenBy(
  reader: Actor,
  loaded: Loaded,
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

function entryContent(row: { kind: EntryKind; content: Record<string, unknown> }): EntryContent {
  // Stored content was checked by the same schemas when it was saved.
  return { kind: row.kind, content: row.content } as EntryContent;
}

function documentEntry(row: PlanEntryRow, by: WrittenBy): PlanDocumentEntry {
  return { id: row.id, entry: entryContent(row), writtenBy: by, updatedAt: row.updatedAt };
}

function mediaItem(row: PlanEntryRow, media: PlanMediaInfo, by: WrittenBy): Omit<PlanDocumentMedia, 'bytes'> {
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

function revisionView(
  actor: Actor,
  loaded: Loaded,
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

export { SHARE_WORDS };
