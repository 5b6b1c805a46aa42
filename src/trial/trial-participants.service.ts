/**
 * Each arm's care (PRODUCT.md section 7): a randomised person's participant record linked by
 * the trial manager, who knows the arm (policy `trial.arrange_care`). The intervention group's
 * record is the referral made at discharge, and the programme goes on from it as for anyone;
 * the control group's holds their contact details for follow-up, and the intervention is
 * withheld from it from the moment it is linked (intervention-gate.ts). The control group is
 * posted the workbook instead: when, which version, by whom.
 *
 * The record has to be at one of the trial's sites, and its initials and year of birth have to
 * be the screening's, so a mistyped NHS number does not link someone else. A control group
 * member whose record already has a worker or sessions is not linked: that is a protocol
 * deviation for the trial manager and the coordinator to sort out first.
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
import { formatNhsNumber } from '../participants/nhs-number.ts';
import { versionsInUse, type ConsentDocuments } from './consent-documents.ts';
import type { InterventionGate } from './intervention-gate.ts';
import type { RandomisationRepository, RandomisationRow } from './randomisation.repository.ts';
import type { TrialRepository, TrialRow } from './trial.repository.ts';
import { site, type TrialService } from './trial.service.ts';
import type { WorkbookPostingInput } from './trial-participants.form.ts';
import {
  WORKBOOK_TOKEN_KEY,
  type LinkCandidate,
  type TrialParticipantsRepository,
  type WorkbookPosting,
} from './trial-participants.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** The screening page's part about each arm's care, for those who arrange it. */
export interface CarePanel {
  arm: 'intervention' | 'control';
  linked: { id: string; name: string; nhsNumber: string | null } | null;
  mayLink: boolean;
  postings: WorkbookPosting[];
  mayRecordPosting: boolean;
}

interface Randomised {
  trial: TrialRow;
  screening: { id: string; trustId: string; initials: string; yearOfBirth: number };
  randomisation: RandomisationRow;
  withdrawals: { id: string; withdrawnOn: string; scope: string }[];
}

export class TrialParticipantsService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access'>;
  private readonly trials: TrialRepository;
  private readonly randomisations: RandomisationRepository;
  private readonly repository: TrialParticipantsRepository;
  private readonly gate: Pick<InterventionGate, 'stopIntervention' | 'sendNow'>;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  readonly workbooks: ConsentDocuments;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access'>,
    repositories: {
      trials: TrialRepository;
      randomisations: RandomisationRepository;
      trialParticipants: TrialParticipantsRepository;
    },
    gate: Pick<InterventionGate, 'stopIntervention' | 'sendNow'>,
    audit: AuditService,
    clock: Clock,
    workbooks: ConsentDocuments,
  ) {
    this.db = db;
    this.trial = trial;
    this.trials = repositories.trials;
    this.randomisations = repositories.randomisations;
    this.repository = repositories.trialParticipants;
    this.gate = gate;
    this.audit = audit;
    this.clock = clock;
    this.workbooks = workbooks;
  }

  today(): string {
    return ukToday(this.clock.now());
  }

  /** The workbook's versions that may be recorded as posted now. */
  workbookVersions(): string[] {
    return versionsInUse(this.workbooks).map((d) => d.version);
  }

  /**
   * The screening page's part about the arm's care, or null for anyone who does not arrange it
   * (who may not know the arm) and for someone not randomised. Showing a linked record's name
   * is a read of it, audited.
   */
  async panel(ctx: StaffContext, screeningId: string): Promise<CarePanel | null> {
    const found = await this.randomised(this.db, ctx, screeningId, 'trial.view');
    if (!found) return null;
    const { trial, screening, randomisation } = found;
    const { siteTrustIds } = await this.trial.access(this.db, ctx, 'trial.view', screening.trustId);
    if (!can(ctx.actor, 'trial.arrange_care', site(screening.trustId, siteTrustIds))) return null;
    const open = trial.lockedAt === null;
    const record = randomisation.participantId
      ? await this.repository.linked(this.db, randomisation.participantId)
      : undefined;
    if (record) {
      await this.audit.recordRead({
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'participant.viewed',
        entityType: 'participant',
        entityId: record.id,
        detail: { page: 'trial' },
      });
    }
    const control = randomisation.arm === 'control';
    return {
      arm: randomisation.arm,
      linked: record
        ? {
            id: record.id,
            name: `${record.givenName} ${record.familyName}`,
            nhsNumber: record.nhsNumber ? formatNhsNumber(record.nhsNumber) : null,
          }
        : null,
      mayLink: open && !record,
      postings: control ? await this.repository.postings(this.db, [randomisation.id]) : [],
      mayRecordPosting: open && control,
    };
  }

  /** The randomised person a link is made for: randomised, not linked yet. */
  async linkForm(ctx: StaffContext, screeningId: string): Promise<Randomised> {
    const found = await this.randomised(this.db, ctx, screeningId, 'trial.arrange_care');
    if (!found || found.randomisation.participantId) throw new NotFoundError('randomisation');
    return found;
  }

  /** Links the randomised person to the record with this NHS number; the same link again changes nothing. */
  async link(ctx: StaffContext, screeningId: string, nhsNumber: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.trials.lockScreening(tx, screeningId);
      const found = await this.randomised(tx, ctx, screeningId, 'trial.arrange_care');
      if (!found) throw new NotFoundError('randomisation');
      const { trial, randomisation, screening, withdrawals } = found;
      if (trial.lockedAt) throw new ConflictError('The trial is locked: nothing of it can change');
      const { siteTrustIds } = await this.trial.access(tx, ctx, 'trial.arrange_care', screening.trustId);
      const sites = siteTrustIds.filter((trustId) =>
        can(ctx.actor, 'trial.arrange_care', site(trustId, siteTrustIds)),
      );
      const record = await this.repository.byNhsNumber(tx, sites, nhsNumber);
      if (randomisation.participantId) {
        if (record?.id === randomisation.participantId) return;
        throw new ValidationError({ nhsNumber: 'They are already linked to a participant record' });
      }
      if (withdrawals.some((w) => w.scope === 'data'))
        throw new ConflictError('They withdrew from any use of their data: their record is not linked to the trial');
      if (!record)
        throw new ValidationError({
          nhsNumber:
            'No participant record at the trial’s trusts has this NHS number. Check the number, or ask their crisis team to refer them first',
        });
      // The record's own lock: an allocation or booking waits, then finds the intervention withheld.
      await this.repository.lockParticipant(tx, record.id);
      const candidate = (await this.repository.byNhsNumber(tx, sites, nhsNumber)) ?? record;
      const refusal = linkRefusal(candidate, screening, randomisation.arm);
      if (refusal) throw new ValidationError({ nhsNumber: refusal });
      if (!(await this.repository.link(tx, randomisation.id, candidate.id)))
        throw new ValidationError({ nhsNumber: 'They are already linked to a participant record' });
      if (randomisation.arm === 'control') {
        await this.repository.withhold(tx, candidate.id, 'trial_control', this.today());
      }
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'trial.participant_linked',
        entityType: 'trial_screening',
        entityId: screeningId,
        // Not the arm: the audit log is read by more people than may know it.
        detail: { studyId: randomisation.studyId, participantId: candidate.id },
      });
      // Someone who withdrew before their record was linked: stopped now, as it would have been.
      const first = withdrawals[0];
      if (first && randomisation.arm === 'intervention') {
        await this.gate.stopIntervention(tx, ctx, randomisation, candidate.id, first);
      }
    });
    await this.gate.sendNow();
  }

  /** The control group member the workbook was posted to. */
  async postingForm(ctx: StaffContext, screeningId: string): Promise<Randomised> {
    const found = await this.randomised(this.db, ctx, screeningId, 'trial.arrange_care');
    if (found?.randomisation.arm !== 'control') throw new NotFoundError('randomisation');
    return found;
  }

  /** Records the workbook posted to a control group member; a form sent twice records it once. */
  async recordPosting(ctx: StaffContext, screeningId: string, input: WorkbookPostingInput): Promise<string> {
    if (!this.workbookVersions().includes(input.workbookVersion))
      throw new ValidationError({ workbookVersion: 'Select the version of the workbook posted' });
    const earlier = (db: Db) => this.repository.postingByToken(db, input.submissionToken);
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const already = await earlier(tx);
          if (already) return already.id;
          await this.trials.lockScreening(tx, screeningId);
          const found = await this.randomised(tx, ctx, screeningId, 'trial.arrange_care');
          if (found?.randomisation.arm !== 'control') throw new NotFoundError('randomisation');
          if (found.trial.lockedAt) throw new ConflictError('The trial is locked: nothing of it can change');
          if (input.postedOn < ukToday(found.randomisation.randomisedAt))
            throw new ValidationError({ postedOn: 'Date posted must be on or after the day they were randomised' });
          const id = randomUUID();
          await this.repository.insertPosting(tx, {
            id,
            trialId: found.trial.id,
            randomisationId: found.randomisation.id,
            postedOn: input.postedOn,
            workbookVersion: input.workbookVersion,
            postedBy: ctx.actor.id,
            recordedAt: this.clock.now(),
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'trial.workbook_posted',
            entityType: 'trial_screening',
            entityId: screeningId,
            detail: {
              studyId: found.randomisation.studyId,
              postingId: id,
              postedOn: input.postedOn,
              workbookVersion: input.workbookVersion,
            },
          });
          return id;
        }),
      WORKBOOK_TOKEN_KEY,
      async () => (await earlier(this.db))?.id,
    );
  }

  /** A screening's randomisation, if the actor may take `action` at its site. */
  private async randomised(
    db: Db,
    ctx: StaffContext,
    screeningId: string,
    action: 'trial.view' | 'trial.arrange_care',
  ): Promise<Randomised | undefined> {
    const { trial, siteTrustIds } = await this.trial.access(db, ctx, action);
    const screening = await this.trials.screening(db, trial.id, screeningId);
    if (!screening || !can(ctx.actor, action, site(screening.trustId, siteTrustIds)))
      throw new NotFoundError('screening');
    const consent = await this.trials.consentForScreening(db, screeningId);
    if (!consent) return undefined;
    const randomisation = await this.randomisations.forConsent(db, consent.id);
    if (!randomisation) return undefined;
    const withdrawals = await this.trials.withdrawals(db, consent.id);
    return { trial, screening, randomisation, withdrawals };
  }
}

/** Why this record may not be linked to this randomised person, if it may not. */
export function linkRefusal(
  candidate: LinkCandidate,
  screening: { initials: string; yearOfBirth: number },
  arm: 'intervention' | 'control',
): string | null {
  if (candidate.linkedStudyId)
    return `This participant record is already linked to study ID ${candidate.linkedStudyId}`;
  const initials = screening.initials;
  const matches =
    initials.startsWith(candidate.givenName.trim().charAt(0).toUpperCase()) &&
    initials.endsWith(candidate.familyName.trim().charAt(0).toUpperCase()) &&
    Number(candidate.dateOfBirth.slice(0, 4)) === screening.yearOfBirth;
  if (!matches)
    return 'The participant record with this NHS number is not this person: its initials or year of birth are not the screening’s. Check the NHS number';
  if (arm === 'control' && (candidate.allocated || candidate.sessions > 0))
    return 'They are in the control group, but their participant record already has a peer support worker or sessions. Record a protocol deviation and ask the coordinator to end the allocation before linking';
  return null;
}
