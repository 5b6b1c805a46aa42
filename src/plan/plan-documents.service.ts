/**
 * What is made from a recovery plan rather than shown section by section: the whole plan as one
 * document (print view and PDF), "When I'm struggling", and the goals in the end-of-programme
 * summary. Each holds only what its reader may see.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { RequestContext } from '../policy/actor.ts';
import { sharedWithWorker } from '../policy/policy.ts';
import { displayName } from '../participants/display-name.ts';
import type { GoalContent, SupporterContent } from './plan-entry.ts';
import type { PlanDocument, PlanDocumentSection } from './plan-document.ts';
import { STRUGGLING_SOURCES, type PlanTemplates } from './plan-template.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';
import type { PlanRepository } from './plan.repository.ts';
import { documentEntry, mediaItem, viewableSections, writtenBy, type PlanAccess } from './plan-access.ts';

export interface StrugglingPage {
  warningSigns: string[];
  whatHelps: string[];
  whatOthersCanDo: string[];
  supporters: { name: string; relationship: string; howToReach: string }[];
  crisisTeamName: string;
  crisisTeamPhone: string;
}

export class PlanDocumentsService {
  private readonly db: Db;
  private readonly access: PlanAccess;
  private readonly plans: PlanRepository;
  private readonly clock: Clock;

  constructor(db: Db, access: PlanAccess, plans: PlanRepository, clock: Clock) {
    this.db = db;
    this.access = access;
    this.plans = plans;
    this.clock = clock;
  }

  /** Every template version, for the section titles and the blank workbook. */
  get templates(): PlanTemplates {
    return this.access.templates;
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
    const loaded = await this.access.load(this.db, ctx, participantId);
    const sections = viewableSections(ctx.actor, loaded);
    const entries = await this.plans.entries(
      this.db,
      participantId,
      sections.map((s) => s.key),
    );
    const [names, media] = await Promise.all([
      this.access.writerNames(this.db, entries),
      this.plans.mediaInfo(
        this.db,
        entries.flatMap((e) => (e.mediaId ? [e.mediaId] : [])),
      ),
    ]);
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
      await this.access.recordRead(ctx, participantId, 'plan.viewed', {
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
      const loaded = await this.access.load(tx, ctx, participantId);
      const sections = viewableSections(ctx.actor, loaded).map((s) => s.key);
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

  /** The PDF of these sections was handed to this person: resolves once that is in the audit log. */
  async recordDownload(ctx: RequestContext, participantId: string, sections: string[]): Promise<void> {
    await this.access.recordRead(ctx, participantId, 'plan.downloaded', { page: 'pdf', sections });
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
      await this.access.load(tx, ctx, participantId);
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
    const loaded = await this.access.load(this.db, ctx, participantId);
    const { warningSigns, whatHelps, whatOthersCanDo, supporters } = STRUGGLING_SOURCES;
    const sections = [...new Set(Object.values(STRUGGLING_SOURCES).map((s) => s.section))];
    const entries = await this.plans.entries(this.db, participantId, sections);
    const from = (source: { section: string; field: string }) =>
      entries.filter((e) => e.sectionKey === source.section && e.fieldKey === source.field);
    const list = (source: { section: string; field: string }) =>
      from(source)
        .filter((e) => e.kind === 'list_item')
        .map((e) => (typeof e.content.text === 'string' ? e.content.text : ''))
        .filter(Boolean);
    await this.access.recordRead(ctx, participantId, 'plan.viewed', { page: 'struggling', sections });
    return {
      warningSigns: list(warningSigns),
      whatHelps: list(whatHelps),
      whatOthersCanDo: list(whatOthersCanDo),
      supporters: from(supporters)
        .filter((e) => e.kind === 'supporter')
        .map((e) => {
          const s = e.content as SupporterContent;
          return { name: s.name, relationship: s.relationship, howToReach: s.howToReach };
        }),
      crisisTeamName: loaded.participant.crisisTeamName,
      crisisTeamPhone: loaded.participant.crisisTeamPhone,
    };
  }

  /**
   * The participant's goals for the end-of-programme summary, when the section they are in is
   * shared with their worker; null when there is no plan yet. Read with the caller's `db`.
   */
  async goalsForSummary(db: Db, participantId: string): Promise<string[] | null> {
    const plan = await this.plans.find(db, participantId);
    if (!plan) return null;
    const template = this.access.templates.version(plan.templateVersion);
    const sharing = await this.plans.sharing(db, participantId);
    const goalSections = template.sections
      .filter((s) => s.enabled && s.fields.some((f) => f.kind === 'goals'))
      .filter((s) => sharedWithWorker(sharing.get(s.key) ?? 'private'))
      .map((s) => s.key);
    const entries = await this.plans.entries(db, participantId, goalSections);
    return entries.filter((e) => e.kind === 'goal').map((e) => (e.content as GoalContent).goal);
  }
}
