/**
 * Randomising a consented participant (PRODUCT.md section 7): the next slot of their stratum's
 * sequence (their crisis team's), taken in the same transaction as the randomisation's row and
 * its audit event, one randomisation in the trial at a time. The sequence is made in whole
 * permuted blocks from a cryptographic random source before the stratum's first randomisation,
 * and added to when it runs out; no page reads it. The arm is for those the policy lets see it
 * (`trial.read_arm`: the trial manager), never outcome assessors or analysts; the audit event
 * names the study id and stratum, not the arm.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { once } from '../platform/database/once.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { TrialRepository } from './trial.repository.ts';
import { site, type TrialService } from './trial.service.ts';
import { allocationSequence, type Arm, type RandomBelow } from './randomisation.ts';
import {
  RANDOMISATION_KEYS,
  type RandomisationRepository,
  type RandomisationRow,
  type ArmFlow,
  type StratumBalance,
} from './randomisation.repository.ts';
import { randomInt } from 'node:crypto';

type StaffContext = RequestContext & { actor: StaffActor };

/** How many slots a stratum's sequence is made or added to at a time (whole blocks, at least). */
export const SLOTS_AT_A_TIME = 24;

export const ARM_NAMES: Record<Arm, string> = {
  intervention: 'Peer support (the programme)',
  control: 'Usual care with the workbook',
};

export interface Randomised {
  studyId: string;
  randomisedAt: Date;
  /** Only for those who may see the arm. */
  arm: Arm | null;
}

/**
 * Gives a consent the next slot of its stratum's sequence, making the sequence (or more of it)
 * first when none is left, and the trial's next study id; one at a time in the trial. For a
 * caller that has checked everything else, in its transaction.
 */
export async function assignNextSlot(
  tx: Db,
  randomisations: RandomisationRepository,
  random: RandomBelow,
  a: {
    trial: { id: string; shortCode: string };
    crisisTeamId: string;
    consentId: string;
    by: string;
    at: Date;
    submissionToken: string;
  },
): Promise<RandomisationRow> {
  await randomisations.lockTrial(tx, a.trial.id);
  let slot = await randomisations.nextSlot(tx, a.trial.id, a.crisisTeamId);
  if (!slot) {
    const last = await randomisations.lastPosition(tx, a.trial.id, a.crisisTeamId);
    await randomisations.addSlots(
      tx,
      allocationSequence(SLOTS_AT_A_TIME, undefined, random).map((arm, i) => ({
        trialId: a.trial.id,
        crisisTeamId: a.crisisTeamId,
        position: last + i + 1,
        arm,
        madeAt: a.at,
      })),
    );
    slot = await randomisations.nextSlot(tx, a.trial.id, a.crisisTeamId);
    if (!slot) throw new Error('randomisation: a sequence just made has no slot');
  }
  const studyNumber = await randomisations.nextStudyNumber(tx, a.trial.id);
  const row: RandomisationRow = {
    id: randomUUID(),
    trialId: a.trial.id,
    consentId: a.consentId,
    studyNumber,
    studyId: `${a.trial.shortCode}-${String(studyNumber).padStart(4, '0')}`,
    crisisTeamId: a.crisisTeamId,
    position: slot.position,
    arm: slot.arm,
    randomisedBy: a.by,
    randomisedAt: a.at,
    submissionToken: a.submissionToken,
    participantId: null,
  };
  await randomisations.insert(tx, row);
  return row;
}

export class RandomisationService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access'>;
  private readonly trials: TrialRepository;
  private readonly randomisations: RandomisationRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly random: RandomBelow;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access'>,
    repositories: { trials: TrialRepository; randomisations: RandomisationRepository },
    audit: AuditService,
    clock: Clock,
    random: RandomBelow = randomInt,
  ) {
    this.db = db;
    this.trial = trial;
    this.trials = repositories.trials;
    this.randomisations = repositories.randomisations;
    this.audit = audit;
    this.clock = clock;
    this.random = random;
  }

  /** Randomises the consented person of a screening; a form sent twice randomises once. */
  async randomise(
    ctx: StaffContext,
    screeningId: string,
    submissionToken: string,
  ): Promise<RandomisationRow> {
    return once(
      () => this.db.transaction((tx) => this.randomiseIn(tx, ctx, screeningId, submissionToken)),
      RANDOMISATION_KEYS[0] ?? '',
      () => this.randomisations.byToken(this.db, submissionToken),
    );
  }

  private async randomiseIn(
    tx: Db,
    ctx: StaffContext,
    screeningId: string,
    submissionToken: string,
  ): Promise<RandomisationRow> {
    const { trial, siteTrustIds } = await this.trial.access(tx, ctx, 'trial.randomise');
    await this.trials.lockScreening(tx, screeningId);
    const screening = await this.trials.screening(tx, trial.id, screeningId);
    if (!screening || !can(ctx.actor, 'trial.randomise', site(screening.trustId, siteTrustIds)))
      throw new NotFoundError('screening');
    const consent = await this.trials.consentForScreening(tx, screeningId);
    if (!consent) throw new NotFoundError('consent');
    const earlier =
      (await this.randomisations.byToken(tx, submissionToken)) ??
      (await this.randomisations.forConsent(tx, consent.id));
    if (earlier) return earlier;
    // The page offers no "Randomise" in either case; a request made anyway changes nothing.
    if ((await this.trials.withdrawals(tx, consent.id)).length > 0)
      throw new ConflictError('They have withdrawn from the trial, so they cannot be randomised');
    if (trial.lockedAt) throw new ConflictError('The trial is locked: nobody more can be randomised');

    const row = await assignNextSlot(tx, this.randomisations, this.random, {
      trial,
      crisisTeamId: screening.crisisTeamId,
      consentId: consent.id,
      by: ctx.actor.id,
      at: this.clock.now(),
      submissionToken,
    });
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'trial.randomised',
      entityType: 'trial_screening',
      entityId: screeningId,
      // The arm is not in the audit log: it is read by more people than may know it.
      detail: { trialId: trial.id, consentId: consent.id, studyId: row.studyId, stratum: row.crisisTeamId },
    });
    return row;
  }

  /** A consent's randomisation as the actor may see it: the arm only with `trial.read_arm`. */
  async randomisationOf(ctx: StaffContext, consentId: string, trustId: string): Promise<Randomised | null> {
    const { siteTrustIds } = await this.trial.access(this.db, ctx, 'trial.view', trustId);
    const row = await this.randomisations.forConsent(this.db, consentId);
    if (!row) return null;
    return {
      studyId: row.studyId,
      randomisedAt: row.randomisedAt,
      arm: can(ctx.actor, 'trial.read_arm', site(trustId, siteTrustIds)) ? row.arm : null,
    };
  }

  /** The screening page's randomisation part: what was done, and whether it may be done now. */
  async panel(
    ctx: StaffContext,
    screening: { trustId: string },
    consent: { id: string } | undefined,
    withdrawn: boolean,
  ): Promise<{ randomised: Randomised | null; mayRandomise: boolean }> {
    if (!consent) return { randomised: null, mayRandomise: false };
    const { trial, siteTrustIds } = await this.trial.access(this.db, ctx, 'trial.view', screening.trustId);
    const randomised = await this.randomisationOf(ctx, consent.id, screening.trustId);
    return {
      randomised,
      mayRandomise:
        randomised === null &&
        !withdrawn &&
        trial.lockedAt === null &&
        can(ctx.actor, 'trial.randomise', site(screening.trustId, siteTrustIds)),
    };
  }

  /**
   * The randomised so far for the trial's flow diagram: each arm from allocation to analysis for
   * those who may know arms (withdrawals and follow-ups done, never an outcome), else only how many.
   */
  async flowCounts(ctx: StaffContext): Promise<{ randomised: number; arms: ArmFlow[] | null }> {
    const { trial, siteTrustIds } = await this.trial.access(this.db, ctx, 'trial.view');
    if (!can(ctx.actor, 'trial.read_arm', site(ctx.actor.trustId, siteTrustIds)))
      return { randomised: await this.randomisations.count(this.db, trial.id), arms: null };
    const arms = await this.randomisations.armFlow(this.db, trial.id);
    return { randomised: arms.reduce((n, a) => n + a.randomised, 0), arms };
  }

  /** How many in each arm in each stratum: for those who may see arms. */
  async balance(ctx: StaffContext): Promise<{ strata: StratumBalance[]; total: number }> {
    const { trial } = await this.trial.access(this.db, ctx, 'trial.read_arm');
    const strata = await this.randomisations.balance(this.db, trial.id);
    return { strata, total: strata.reduce((n, s) => n + s.intervention + s.control, 0) };
  }
}
