/**
 * Trial mode, first part (PRODUCT.md section 7): the screening log, what happened when an
 * eligible person was approached, consent and withdrawals, and the enrolment figures so far.
 * Research staff work across the trusts of their study (`trialSite` in the policy). Every page
 * answers "not found" unless the deployment runs the programme as a trial (TRIAL_MODE).
 *
 * Nothing here is an identifiable record: a screening holds initials and a year of birth only,
 * so reading the log leaves no read event. Every change is audited in its own transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { once } from '../platform/database/once.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { TRIAL_LOCKED_MESSAGE } from '../platform/database/trial-locked.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import type { Page } from '../platform/paging.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Action, type Resource } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { EligibilityChecklist } from './eligibility-checklist.ts';
import { assessEligibility } from './eligibility.ts';
import { versionsInUse, type ConsentDocuments } from './consent-documents.ts';
import type { ApproachInput, ConsentInput, ScreeningInput, WithdrawalInput } from './trial.form.ts';
import { trialCounts, type TrialCounts } from './trial-counts.ts';
import type { InterventionGate } from './intervention-gate.ts';
import { widerScopes, widestScope, type WithdrawalScope } from './withdrawal-scopes.ts';
import {
  SCREENING_TOKEN_KEY,
  type ConsentDetail,
  type ScreeningDetail,
  type ScreeningLogRow,
  type SiteTeam,
  type TrialRepository,
  type TrialRow,
  type WithdrawalDetail,
} from './trial.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** Screenings a page of the log shows. */
export const LOG_PAGE_SIZE = 50;

export interface TrialHome {
  trial: TrialRow;
  counts: TrialCounts;
  mayScreen: boolean;
  /** The links to data quality: queries (the trial manager raises and answers them), deviations and the lock. */
  mayLock: boolean;
}

export interface ScreeningPage {
  trial: TrialRow;
  screening: ScreeningDetail;
  consent: ConsentDetail | undefined;
  withdrawals: WithdrawalDetail[];
  /** The scopes a further withdrawal may take (none once they withdrew from everything). */
  widerScopes: WithdrawalScope[];
  mayRecordApproach: boolean;
  mayRecordWithdrawal: boolean;
}

interface TrialAccess {
  trial: TrialRow;
  siteTrustIds: string[];
}

export class TrialService {
  private readonly db: Db;
  private readonly trials: TrialRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly checklist: EligibilityChecklist;
  readonly documents: ConsentDocuments;
  private readonly enabled: boolean;
  private readonly gate: Pick<InterventionGate, 'afterWithdrawal' | 'sendNow'>;

  constructor(
    db: Db,
    trials: TrialRepository,
    audit: AuditService,
    clock: Clock,
    checklist: EligibilityChecklist,
    documents: ConsentDocuments,
    enabled: boolean,
    /** What a withdrawal stops of the programme, in its transaction (intervention-gate.ts). */
    gate: Pick<InterventionGate, 'afterWithdrawal' | 'sendNow'>,
  ) {
    this.db = db;
    this.trials = trials;
    this.audit = audit;
    this.clock = clock;
    this.checklist = checklist;
    this.documents = documents;
    this.enabled = enabled;
    this.gate = gate;
  }

  today(): string {
    return ukToday(this.clock.now());
  }

  /** The trial, if the actor may take `action` at `trustId` (by default their own trust). */
  async access(db: Db, ctx: StaffContext, action: Action, trustId?: string): Promise<TrialAccess> {
    if (!this.enabled) throw new NotFoundError('page');
    const trial = await this.trials.theTrial(db);
    if (!trial) throw new NotFoundError('page');
    const siteTrustIds = await this.trials.siteTrustIds(db, trial.id);
    if (!can(ctx.actor, action, site(trustId ?? ctx.actor.trustId, siteTrustIds)))
      throw new NotFoundError('page');
    return { trial, siteTrustIds };
  }

  /**
   * The trial, if the actor may take `action` and the trial is not locked (read in the writing
   * transaction): after the database lock every write is refused (H35).
   */
  async writable(db: Db, ctx: StaffContext, action: Action, trustId?: string): Promise<TrialAccess> {
    const access = await this.access(db, ctx, action, trustId);
    refuseWhenLocked(access.trial);
    return access;
  }

  /**
   * The trial's home page: the enrolment figures so far. `undefined` when trial mode is on but no
   * trial is set up yet, for the research staff who would run it.
   */
  async home(ctx: StaffContext): Promise<TrialHome | undefined> {
    if (!this.enabled) throw new NotFoundError('page');
    if (!(await this.trials.theTrial(this.db))) {
      if (can(ctx.actor, 'trial.view', site(ctx.actor.trustId, [ctx.actor.trustId]))) return undefined;
      throw new NotFoundError('page');
    }
    const { trial, siteTrustIds } = await this.access(this.db, ctx, 'trial.view');
    const groups = await this.trials.screeningGroups(this.db, trial.id);
    return {
      trial,
      counts: trialCounts(this.checklist, groups),
      mayScreen: !trial.lockedAt && can(ctx.actor, 'trial.screen', site(ctx.actor.trustId, siteTrustIds)),
      mayLock: can(ctx.actor, 'trial.lock', site(ctx.actor.trustId, siteTrustIds)),
    };
  }

  /** The screening log, newest first, a page at a time (pages past the end show the last). */
  async screeningLog(
    ctx: StaffContext,
    wanted: number,
  ): Promise<{ trial: TrialRow; page: Page<ScreeningLogRow>; mayScreen: boolean }> {
    const { trial, siteTrustIds } = await this.access(this.db, ctx, 'trial.view');
    const total = await this.trials.countScreenings(this.db, trial.id);
    const pages = Math.max(1, Math.ceil(total / LOG_PAGE_SIZE));
    const number = Math.min(wanted, pages);
    const offset = (number - 1) * LOG_PAGE_SIZE;
    const items = await this.trials.screeningLog(this.db, trial.id, LOG_PAGE_SIZE, offset);
    return {
      trial,
      mayScreen: !trial.lockedAt && can(ctx.actor, 'trial.screen', site(ctx.actor.trustId, siteTrustIds)),
      page: {
        items,
        number,
        count: pages,
        total,
        previous: number > 1 ? number - 1 : null,
        next: number < pages ? number + 1 : null,
        from: items.length === 0 ? 0 : offset + 1,
        to: offset + items.length,
      },
    };
  }

  /** The crisis teams someone may be screened from: every team of every site the actor may screen at. */
  async screeningTeams(ctx: StaffContext): Promise<{ trial: TrialRow; teams: SiteTeam[] }> {
    const { trial, siteTrustIds } = await this.writable(this.db, ctx, 'trial.screen');
    const teams = (await this.trials.siteTeams(this.db, trial.id)).filter((team) =>
      can(ctx.actor, 'trial.screen', site(team.trustId, siteTrustIds)),
    );
    return { trial, teams };
  }

  /**
   * Adds a screening to the log, eligible or not by the checklist; a form sent twice makes one
   * screening. Answers the screening's id.
   */
  async screen(ctx: StaffContext, input: ScreeningInput): Promise<string> {
    const { trial, teams } = await this.screeningTeams(ctx);
    const team = teams.find((t) => t.id === input.crisisTeamId);
    if (!team) throw new ValidationError({ crisisTeamId: 'Select the crisis team they were under' });
    const earlier = async (db: Db) => (await this.trials.screeningByToken(db, input.submissionToken))?.id;
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const found = await earlier(tx);
          if (found) return found;
          await this.writable(tx, ctx, 'trial.screen');
          const { eligible, reasons } = assessEligibility(this.checklist, input.answers);
          const id = randomUUID();
          await this.trials.insertScreening(tx, {
            id,
            trialId: trial.id,
            trustId: team.trustId,
            crisisTeamId: team.id,
            screenedOn: input.screenedOn,
            screenedBy: ctx.actor.id,
            screenedAt: this.clock.now(),
            initials: input.initials,
            yearOfBirth: input.yearOfBirth,
            checklistVersion: this.checklist.version,
            answers: input.answers,
            eligible,
            ineligibleReasons: reasons,
            approach: null,
            approachReason: null,
            approachRecordedBy: null,
            approachRecordedAt: null,
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'trial.screened',
            entityType: 'trial_screening',
            entityId: id,
            detail: { trialId: trial.id, trustId: team.trustId, crisisTeamId: team.id, eligible, reasons },
          });
          return id;
        }),
      SCREENING_TOKEN_KEY,
      () => earlier(this.db),
    );
  }

  /** A screening and, once given, the consent and its withdrawals. */
  async screening(ctx: StaffContext, id: string): Promise<ScreeningPage> {
    const { trial, siteTrustIds } = await this.access(this.db, ctx, 'trial.view');
    const screening = await this.trials.screening(this.db, trial.id, id);
    if (!screening || !can(ctx.actor, 'trial.view', site(screening.trustId, siteTrustIds)))
      throw new NotFoundError('screening');
    const consent = await this.trials.consentForScreening(this.db, id);
    const withdrawals = consent ? await this.trials.withdrawals(this.db, consent.id) : [];
    const wider = consent ? widerScopes(widestScope(withdrawals.map((w) => w.scope))) : [];
    const here = site(screening.trustId, siteTrustIds);
    return {
      trial,
      screening,
      consent,
      withdrawals,
      widerScopes: wider,
      mayRecordApproach:
        !trial.lockedAt &&
        screening.eligible &&
        screening.approach === null &&
        can(ctx.actor, 'trial.screen', here) &&
        can(ctx.actor, 'trial.consent', here),
      mayRecordWithdrawal:
        !trial.lockedAt && consent !== undefined && wider.length > 0 && can(ctx.actor, 'trial.consent', here),
    };
  }

  /** The screening to record an approach's outcome for: eligible, nothing recorded yet. */
  async awaitingDecision(ctx: StaffContext, id: string): Promise<ScreeningPage> {
    const page = await this.screening(ctx, id);
    if (!page.mayRecordApproach) throw new NotFoundError('screening');
    return page;
  }

  /** The consent a withdrawal is recorded against, with the scopes still open. */
  async withdrawalForm(ctx: StaffContext, id: string): Promise<ScreeningPage & { consent: ConsentDetail }> {
    const page = await this.screening(ctx, id);
    if (!page.mayRecordWithdrawal || !page.consent) throw new NotFoundError('consent');
    return { ...page, consent: page.consent };
  }

  /** The consent form's versions: those in use now. */
  consentVersions(): string[] {
    return versionsInUse(this.documents).map((d) => d.version);
  }

  /**
   * Locks an eligible screening and checks the actor may act on it at its trust. The lock puts
   * a second copy of the same form after the first, which then finds what the first recorded.
   */
  private async lockedScreening(tx: Db, ctx: StaffContext, id: string, action: Action) {
    const { trial, siteTrustIds } = await this.writable(tx, ctx, action);
    await this.trials.lockScreening(tx, id);
    const screening = await this.trials.screening(tx, trial.id, id);
    if (!screening?.eligible || !can(ctx.actor, action, site(screening.trustId, siteTrustIds)))
      throw new NotFoundError('screening');
    return screening;
  }

  /** Records that an eligible person declined or was not approached; the same form again changes nothing. */
  async recordApproach(ctx: StaffContext, id: string, input: ApproachInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      const screening = await this.lockedScreening(tx, ctx, id, 'trial.screen');
      if (screening.approach === input.outcome && screening.approachReason === input.reason) return;
      if (screening.approach !== null) throw alreadyDecided('outcome');
      await this.trials.setApproach(tx, id, input.outcome, input.reason, ctx.actor.id, this.clock.now());
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: input.outcome === 'declined' ? 'trial.declined' : 'trial.not_approached',
        entityType: 'trial_screening',
        entityId: id,
        detail: { reasonGiven: input.reason !== null },
      });
    });
  }

  /** Records consent, taken by the actor; a form sent twice makes one consent. */
  async recordConsent(ctx: StaffContext, id: string, input: ConsentInput): Promise<void> {
    if (!this.consentVersions().includes(input.documentVersion))
      throw new ValidationError({ documentVersion: 'Select the version of the consent form they signed' });
    await this.db.transaction(async (tx) => {
      const screening = await this.lockedScreening(tx, ctx, id, 'trial.consent');
      if (await this.trials.consentByToken(tx, input.submissionToken)) return;
      if (screening.approach !== null) throw alreadyDecided('documentVersion');
      if (input.takenOn < screening.screenedOn)
        throw new ValidationError({
          takenOn: 'Date consent was taken must be on or after the date they were screened',
        });
      const consentId = randomUUID();
      await this.trials.insertConsent(tx, {
        id: consentId,
        screeningId: id,
        documentVersion: input.documentVersion,
        takenBy: ctx.actor.id,
        takenOn: input.takenOn,
        recordedAt: this.clock.now(),
        capacityConfirmed: true,
        submissionToken: input.submissionToken,
      });
      await this.trials.setApproach(tx, id, 'consented', null, ctx.actor.id, this.clock.now());
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.consented',
        entityType: 'trial_screening',
        entityId: id,
        detail: { consentId, documentVersion: input.documentVersion, takenOn: input.takenOn },
      });
    });
  }

  /**
   * Records a withdrawal, kept for good beside any earlier one; it must be wider than the widest
   * so far. A form sent twice makes one withdrawal.
   */
  async recordWithdrawal(ctx: StaffContext, id: string, input: WithdrawalInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.lockedScreening(tx, ctx, id, 'trial.consent');
      const consent = await this.trials.consentForScreening(tx, id);
      if (!consent) throw new NotFoundError('consent');
      if (await this.trials.withdrawalByToken(tx, input.submissionToken)) return;
      const withdrawals = await this.trials.withdrawals(tx, consent.id);
      if (!widerScopes(widestScope(withdrawals.map((w) => w.scope))).includes(input.scope))
        throw new ValidationError({
          scope: 'They have already withdrawn from this or more: choose a wider withdrawal',
        });
      if (input.withdrawnOn < consent.takenOn)
        throw new ValidationError({
          withdrawnOn: 'Date they withdrew must be on or after the date they consented',
        });
      const withdrawalId = randomUUID();
      await this.trials.insertWithdrawal(tx, {
        id: withdrawalId,
        consentId: consent.id,
        scope: input.scope,
        withdrawnOn: input.withdrawnOn,
        reason: input.reason,
        recordedBy: ctx.actor.id,
        recordedAt: this.clock.now(),
        submissionToken: input.submissionToken,
      });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.withdrawn',
        entityType: 'trial_screening',
        entityId: id,
        detail: { consentId: consent.id, withdrawalId, scope: input.scope, withdrawnOn: input.withdrawnOn },
      });
      // Every scope includes the intervention: a linked intervention group member's programme stops now.
      await this.gate.afterWithdrawal(tx, ctx, consent.id, { id: withdrawalId, withdrawnOn: input.withdrawnOn });
    });
    await this.gate.sendNow();
  }
}

export const site = (trustId: string, siteTrustIds: readonly string[]): Resource => ({
  type: 'trialSite',
  trustId,
  siteTrustIds,
});

/** After the database lock nothing of the trial changes (H35): every write is refused. */
export function refuseWhenLocked(trial: Pick<TrialRow, 'lockedAt'>): void {
  if (trial.lockedAt) throw new ConflictError(TRIAL_LOCKED_MESSAGE);
}

const alreadyDecided = (field: string) =>
  new ValidationError({
    [field]: 'What happened when they were approached has already been recorded: go back to their screening',
  });
