/**
 * Acute-care episodes (PRODUCT.md section 7): outcome assessors and the trial manager record a
 * randomised participant's inpatient admissions, crisis house stays, acute day unit attendances
 * and crisis team re-referrals (kinds as data), found by study id. The pages never show the arm:
 * assessors are blind to it. Nothing is recorded for someone who withdrew from any use of their
 * data, nor once the trial is locked. Corrections change the row (its version guards against a
 * stale edit) and are audited with what it was before and after.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { once } from '../platform/database/once.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { site, type TrialService } from './trial.service.ts';
import type { TrialRow } from './trial.repository.ts';
import type { AcuteCareEpisodes } from './acute-care-episodes.ts';
import {
  EPISODE_TOKEN_KEY,
  type AcuteEpisodeRepository,
  type EpisodeChange,
  type EpisodeListRow,
  type EpisodeSubject,
} from './acute-episode.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface EpisodeInput extends EpisodeChange {
  submissionToken: string;
}

export interface EpisodesPage {
  trial: TrialRow;
  subject: EpisodeSubject;
  randomisedOn: string;
  episodes: EpisodeListRow[];
  /** Withdrew from any use of their data: nothing is shown or recorded. */
  excluded: boolean;
  mayRecord: boolean;
}

export class AcuteEpisodeService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access'>;
  private readonly episodes: AcuteEpisodeRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly definitions: AcuteCareEpisodes;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access'>,
    episodes: AcuteEpisodeRepository,
    audit: AuditService,
    clock: Clock,
    definitions: AcuteCareEpisodes,
  ) {
    this.db = db;
    this.trial = trial;
    this.episodes = episodes;
    this.audit = audit;
    this.clock = clock;
    this.definitions = definitions;
  }

  /** Whether the actor may record episodes at all (the find page). */
  async open(ctx: StaffContext): Promise<TrialRow> {
    return (await this.trial.access(this.db, ctx, 'trial.episodes')).trial;
  }

  /** The randomised participant with this study id, if the actor may record their episodes. */
  async find(ctx: StaffContext, studyId: string, db: Db = this.db): Promise<{ trial: TrialRow; subject: EpisodeSubject } | undefined> {
    const { trial, siteTrustIds } = await this.trial.access(db, ctx, 'trial.episodes');
    const subject = await this.episodes.subject(db, trial.id, studyId);
    if (!subject || !can(ctx.actor, 'trial.episodes', site(subject.trustId, siteTrustIds))) return undefined;
    return { trial, subject };
  }

  async page(ctx: StaffContext, studyId: string): Promise<EpisodesPage> {
    const found = await this.find(ctx, studyId);
    if (!found) throw new NotFoundError('study id');
    const excluded = found.subject.withdrawals.some((w) => w.scope === 'data');
    return {
      ...found,
      randomisedOn: ukToday(found.subject.randomisedAt),
      episodes: excluded ? [] : await this.episodes.list(this.db, found.subject.randomisationId),
      excluded,
      mayRecord: !excluded && found.trial.lockedAt === null,
    };
  }

  /** The subject to record or change an episode of, in the transaction: refused once locked or excluded. */
  private async writable(tx: Db, ctx: StaffContext, studyId: string) {
    const found = await this.find(ctx, studyId, tx);
    if (!found) throw new NotFoundError('study id');
    if (found.trial.lockedAt) throw new ConflictError('The trial is locked: its data can no longer change');
    if (found.subject.withdrawals.some((w) => w.scope === 'data'))
      throw new ConflictError('They withdrew from any use of their data: nothing is recorded for them');
    return found;
  }

  private check(subject: EpisodeSubject, input: EpisodeChange): void {
    const errors: Record<string, string> = {};
    if (!this.definitions.kinds.some((k) => k.key === input.kind))
      errors.kind = 'Select what kind of acute care it was';
    if (!this.definitions.sources.some((s) => s.key === input.source))
      errors.source = 'Select where the information came from';
    if (input.startedOn < subject.consentedOn)
      errors.startedOn = 'Date it started must be on or after the date they consented to the trial';
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  }

  /** Records an episode; a form sent twice records it once. Answers its id. */
  async record(ctx: StaffContext, studyId: string, input: EpisodeInput): Promise<string> {
    const earlier = async (db: Db) => (await this.episodes.byToken(db, input.submissionToken))?.id;
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const found = await earlier(tx);
          if (found) return found;
          const { trial, subject } = await this.writable(tx, ctx, studyId);
          this.check(subject, input);
          const id = randomUUID();
          await this.episodes.insert(tx, {
            id,
            trialId: trial.id,
            randomisationId: subject.randomisationId,
            kind: input.kind,
            startedOn: input.startedOn,
            endedOn: input.endedOn,
            source: input.source,
            notes: input.notes,
            recordedBy: ctx.actor.id,
            recordedAt: this.clock.now(),
            changedBy: null,
            changedAt: null,
            version: 1,
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'trial.episode_recorded',
            entityType: 'trial_acute_episode',
            entityId: id,
            detail: { studyId, kind: input.kind, startedOn: input.startedOn, endedOn: input.endedOn, source: input.source },
          });
          return id;
        }),
      EPISODE_TOKEN_KEY,
      () => earlier(this.db),
    );
  }

  /** One episode of the participant, to change. */
  async episode(ctx: StaffContext, studyId: string, id: string): Promise<EpisodesPage & { episode: EpisodeListRow }> {
    const page = await this.page(ctx, studyId);
    const episode = page.episodes.find((e) => e.id === id);
    if (!episode || !page.mayRecord) throw new NotFoundError('episode');
    return { ...page, episode };
  }

  /** Corrects an episode read at `version`; audited with what changed, before and after. */
  async change(ctx: StaffContext, studyId: string, id: string, version: number, input: EpisodeChange): Promise<void> {
    await this.db.transaction(async (tx) => {
      const { subject } = await this.writable(tx, ctx, studyId);
      const before = await this.episodes.lock(tx, id);
      if (before?.randomisationId !== subject.randomisationId) throw new NotFoundError('episode');
      this.check(subject, input);
      const fields = ['kind', 'startedOn', 'endedOn', 'source', 'notes'] as const;
      const changed = fields.filter((f) => before[f] !== input[f]);
      if (changed.length === 0) return;
      if (!(await this.episodes.change(tx, id, version, input, ctx.actor.id, this.clock.now())))
        throw new ConflictError('Someone else changed this episode after you opened it: go back to see it as it is now');
      // Notes are free text: the audit log says only that they changed.
      const shown = (row: EpisodeChange) =>
        Object.fromEntries(changed.map((f) => [f, f === 'notes' ? (row.notes === null ? 'none' : 'given') : row[f]]));
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.episode_changed',
        entityType: 'trial_acute_episode',
        entityId: id,
        detail: { studyId, before: shown(before), after: shown(input) },
      });
    });
  }
}
