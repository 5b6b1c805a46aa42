/**
 * Outcomes by arm (PRODUCT.md section 7): only for the unblinded statistician, and only for a
 * trial whose database is locked, or else as a data monitoring committee (DMC) report they ask
 * for, naming the meeting. Every view of outcomes by arm is an unblinding and is audited before
 * anything is shown (`trial.unblinded_report`, with the trial, the report if any, and why);
 * asking for a DMC report is audited too. Everyone else gets "not found" from every page here,
 * the trial manager included.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { once } from '../platform/database/once.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { site } from './trial.service.ts';
import type { TrialRepository, TrialRow } from './trial.repository.ts';
import { countingKinds, type AcuteCareEpisodes } from './acute-care-episodes.ts';
import { outcomesByArm, type OutcomesByArm } from './outcomes-by-arm.ts';
import { DMC_TOKEN_KEY, type DmcReportRow, type OutcomesRepository } from './outcomes.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface DmcReportInput {
  submissionToken: string;
  meetingOn: string;
  purpose: string;
}

export interface StatisticianTrial {
  trial: TrialRow;
  dmcReports: DmcReportRow[];
}

export interface UnblindedView {
  trial: TrialRow;
  /** The DMC report shown, or null for the locked trial's final outcomes. */
  report: DmcReportRow | null;
  outcomes: OutcomesByArm;
}

export class OutcomesService {
  private readonly db: Db;
  private readonly trials: TrialRepository;
  private readonly outcomes: OutcomesRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly counting: ReadonlySet<string>;
  private readonly enabled: boolean;

  constructor(
    db: Db,
    repositories: { trials: TrialRepository; outcomes: OutcomesRepository },
    audit: AuditService,
    clock: Clock,
    episodes: AcuteCareEpisodes,
    enabled: boolean,
  ) {
    this.db = db;
    this.trials = repositories.trials;
    this.outcomes = repositories.outcomes;
    this.audit = audit;
    this.clock = clock;
    this.counting = countingKinds(episodes);
    this.enabled = enabled;
  }

  /** The trials of the actor's trust they may see outcomes of; "not found" when none. */
  private async mine(db: Db, ctx: StaffContext): Promise<TrialRow[]> {
    if (!this.enabled) throw new NotFoundError('page');
    const mine: TrialRow[] = [];
    for (const trial of await this.trials.trialsAtSite(db, ctx.actor.trustId)) {
      const siteTrustIds = await this.trials.siteTrustIds(db, trial.id);
      if (can(ctx.actor, 'trial.outcomes', site(ctx.actor.trustId, siteTrustIds))) mine.push(trial);
    }
    if (mine.length === 0) throw new NotFoundError('page');
    return mine;
  }

  private async one(db: Db, ctx: StaffContext, trialId: string): Promise<TrialRow> {
    const trial = (await this.mine(db, ctx)).find((t) => t.id === trialId);
    if (!trial) throw new NotFoundError('trial');
    return trial;
  }

  /** The statistician's trials, each with its DMC reports so far (no outcomes: nothing unblinded). */
  async list(ctx: StaffContext): Promise<StatisticianTrial[]> {
    const trials = await this.mine(this.db, ctx);
    return Promise.all(
      trials.map(async (trial) => ({ trial, dmcReports: await this.outcomes.dmcReports(this.db, trial.id) })),
    );
  }

  /** The trial a DMC report may be asked for: open (a locked trial has its final outcomes). */
  async dmcTrial(ctx: StaffContext, trialId: string): Promise<TrialRow> {
    const trial = await this.one(this.db, ctx, trialId);
    if (trial.lockedAt) throw new NotFoundError('trial');
    return trial;
  }

  /** A locked trial's outcomes by arm as they stood at the lock; the view is audited first. */
  async afterLock(ctx: StaffContext, trialId: string): Promise<UnblindedView> {
    const trial = await this.one(this.db, ctx, trialId);
    if (!trial.lockedAt) throw new NotFoundError('trial');
    const lockedAt = trial.lockedAt;
    return this.db.transaction(async (tx) => {
      await this.unblinded(tx, ctx, trial, null);
      return { trial, report: null, outcomes: outcomesByArm(await this.outcomes.outcomeData(tx, trial.id), lockedAt, this.counting) };
    });
  }

  /** Asks for a DMC report of an open trial; a form sent twice asks once. Answers its id. */
  async requestDmcReport(ctx: StaffContext, trialId: string, input: DmcReportInput): Promise<string> {
    const earlier = async (db: Db) => (await this.outcomes.dmcReportByToken(db, input.submissionToken))?.id;
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const found = await earlier(tx);
          if (found) return found;
          const trial = await this.one(tx, ctx, trialId);
          if (trial.lockedAt)
            throw new ConflictError('The trial is locked: see its final outcomes by arm instead of a report');
          const id = randomUUID();
          await this.outcomes.insertDmcReport(tx, {
            id,
            trialId: trial.id,
            meetingOn: input.meetingOn,
            purpose: input.purpose,
            requestedBy: ctx.actor.id,
            requestedAt: this.clock.now(),
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'trial.dmc_report_requested',
            entityType: 'trial_dmc_report',
            entityId: id,
            detail: { trialId: trial.id, meetingOn: input.meetingOn },
          });
          return id;
        }),
      DMC_TOKEN_KEY,
      () => earlier(this.db),
    );
  }

  /** A DMC report: outcomes by arm as the data stood when it was asked for; each view audited first. */
  async dmcReport(ctx: StaffContext, trialId: string, reportId: string): Promise<UnblindedView> {
    const trial = await this.one(this.db, ctx, trialId);
    const report = await this.outcomes.dmcReport(this.db, trial.id, reportId);
    if (!report) throw new NotFoundError('report');
    return this.db.transaction(async (tx) => {
      await this.unblinded(tx, ctx, trial, report);
      const data = await this.outcomes.outcomeData(tx, trial.id);
      return { trial, report, outcomes: outcomesByArm(data, report.requestedAt, this.counting) };
    });
  }

  private async unblinded(tx: Db, ctx: StaffContext, trial: TrialRow, report: DmcReportRow | null) {
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'trial.unblinded_report',
      entityType: report ? 'trial_dmc_report' : 'trial',
      entityId: report ? report.id : trial.id,
      detail: report
        ? { trialId: trial.id, basis: 'dmc_report', meetingOn: report.meetingOn }
        : { trialId: trial.id, basis: 'database_lock' },
    });
  }
}
