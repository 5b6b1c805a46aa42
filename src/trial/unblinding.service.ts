/**
 * Accidental unblindings (PRODUCT.md section 7): an outcome assessor or analyst who learned a
 * participant's arm records it themselves, with how and when, audited `trial.unblinded` in the
 * same transaction. From then on that assessor's follow-up list marks the person and they cannot
 * enter that person's follow-ups. The trial manager sees every one recorded.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { once } from '../platform/database/once.ts';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { site, type TrialService } from './trial.service.ts';
import type { UnblindingInput } from './follow-up.form.ts';
import {
  UNBLINDING_TOKEN_KEY,
  type FollowUpRepository,
  type UnblindingListRow,
} from './follow-up.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export class UnblindingService {
  private readonly db: Db;
  private readonly trial: Pick<TrialService, 'access'>;
  private readonly followUps: FollowUpRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    trial: Pick<TrialService, 'access'>,
    followUps: FollowUpRepository,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.trial = trial;
    this.followUps = followUps;
    this.audit = audit;
    this.clock = clock;
  }

  /** Whether the actor may record one (the form's page checks before it shows). */
  async mayRecord(ctx: StaffContext): Promise<void> {
    await this.trial.access(this.db, ctx, 'trial.record_unblinding');
  }

  /** Records that the actor learned a study id's arm; a form sent twice saves once. */
  async record(ctx: StaffContext, input: UnblindingInput): Promise<string> {
    const earlier = async (db: Db) => (await this.followUps.unblindingByToken(db, input.submissionToken))?.id;
    return once(
      () =>
        this.db.transaction(async (tx) => {
          const found = await earlier(tx);
          if (found) return found;
          const { trial, siteTrustIds } = await this.trial.access(tx, ctx, 'trial.record_unblinding');
          const person = await this.followUps.personByStudyId(tx, trial.id, input.studyId);
          // The same words for an unknown study id and one at a site outside the actor's trial.
          if (!person || !can(ctx.actor, 'trial.record_unblinding', site(person.trustId, siteTrustIds)))
            throw new ValidationError({ studyId: 'Enter a study id of someone randomised in the trial' });
          if (trial.lockedAt) throw new ConflictError('The trial is locked: nothing more can be recorded');
          const id = randomUUID();
          await this.followUps.insertUnblinding(tx, {
            id,
            trialId: trial.id,
            randomisationId: person.randomisationId,
            staffId: ctx.actor.id,
            learnedOn: input.learnedOn,
            how: input.how,
            recordedBy: ctx.actor.id,
            recordedAt: this.clock.now(),
            submissionToken: input.submissionToken,
          });
          await this.audit.record(tx, {
            actor: ctx.actor,
            ip: ctx.ip,
            action: 'trial.unblinded',
            entityType: 'trial_unblinding',
            entityId: id,
            // Who learned whose arm and when; never the arm itself.
            detail: { studyId: person.studyId, staffId: ctx.actor.id, learnedOn: input.learnedOn },
          });
          return id;
        }),
      UNBLINDING_TOKEN_KEY,
      () => earlier(this.db),
    );
  }

  /** Every unblinding at the actor's sites, newest first: the trial manager's. */
  async list(ctx: StaffContext): Promise<UnblindingListRow[]> {
    const { trial, siteTrustIds } = await this.trial.access(this.db, ctx, 'trial.view_unblindings');
    // Study ids only, never an identifiable record: no read event, as with the screening log.
    return (await this.followUps.unblindings(this.db, trial.id)).filter((u) =>
      can(ctx.actor, 'trial.view_unblindings', site(u.trustId, siteTrustIds)),
    );
  }
}
