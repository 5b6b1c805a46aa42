/**
 * The participant's sharing consent (PRODUCT.md section 5): what they agree their peer support
 * worker may pass to their clinical team. Every decision is kept; the latest is in force. Only a
 * safety concern overrides it, and that is recorded on the concern.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import type { SharingConsentRepository, SharingConsentRow } from './consent.repository.ts';
import type { ConsentInput } from './consent.form.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export type ConsentDecision = Pick<SharingConsentRow, 'consent' | 'scope' | 'recordedAt'> & {
  recordedByName: string;
};

export interface ConsentPanel {
  participantId: string;
  /** The decision in force, or undefined when nobody has asked them yet. */
  latest: ConsentDecision | undefined;
  /** Every decision, newest first. */
  history: ConsentDecision[];
  canRecord: boolean;
}

export interface ConsentPage {
  participant: ParticipantWithAllocation;
  latest: ConsentDecision | undefined;
}

const decision = (row: SharingConsentRow & { recordedByName: string }): ConsentDecision => ({
  consent: row.consent,
  scope: row.scope,
  recordedAt: row.recordedAt,
  recordedByName: row.recordedByName,
});

/** What the service asks of participants: who they are and who supports them. */
export type ConsentParticipants = Pick<ParticipantRepository, 'findWithAllocation'>;

/** What the service asks of the consent decisions. */
export type ConsentDecisions = Pick<SharingConsentRepository, 'insert' | 'bySubmissionToken' | 'history'>;

export class ConsentService {
  private readonly db: Db;
  private readonly participants: ConsentParticipants;
  private readonly consents: ConsentDecisions;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    participants: ConsentParticipants,
    consents: ConsentDecisions,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.participants = participants;
    this.consents = consents;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * The "Sharing with the care team" panel of the participant page, read with the `db` the page
   * gives for a participant the page has checked the actor may see. The page's own
   * `participant.viewed` event covers this read.
   */
  async panel(db: Db, ctx: RequestContext, participant: ParticipantWithAllocation): Promise<ConsentPanel> {
    const participantId = participant.id;
    const history = (await this.consents.history(db, participantId)).map(decision);
    return {
      participantId,
      latest: history[0],
      history,
      canRecord: can(ctx.actor, 'consent.record', participantResource(participant)),
    };
  }

  async recordPage(ctx: StaffContext, participantId: string): Promise<ConsentPage> {
    const participant = await participantFor(
      this.participants,
      this.db,
      ctx.actor,
      participantId,
      'consent.record',
    );
    const [latest] = await this.consents.history(this.db, participantId);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: participantId,
      detail: { page: 'record sharing consent' },
    });
    return { participant, latest: latest ? decision(latest) : undefined };
  }

  /** Records the decision once; a resubmitted form finds the first one. */
  async record(
    ctx: StaffContext,
    participantId: string,
    input: ConsentInput,
  ): Promise<{ consentId: string; duplicate: boolean }> {
    // Asked first, so a resubmitted form says nothing to anyone who may not record for them.
    await participantFor(this.participants, this.db, ctx.actor, participantId, 'consent.record');
    const existing = await this.consents.bySubmissionToken(this.db, input.submissionToken);
    if (existing) return firstDecision(existing, participantId);
    const consentId = randomUUID();
    try {
      await this.db.transaction(async (tx) => {
        await participantFor(this.participants, tx, ctx.actor, participantId, 'consent.record');
        await this.consents.insert(tx, {
          id: consentId,
          participantId,
          consent: input.consent,
          scope: input.scope,
          recordedBy: ctx.actor.id,
          recordedAt: this.clock.now(),
          submissionToken: input.submissionToken,
        });
        // Never the scope's words: the audit log holds ids and codes, not what people wrote.
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'consent.recorded',
          entityType: 'sharing_consent',
          entityId: consentId,
          detail: { participantId, consent: input.consent, scopeGiven: input.scope !== null },
        });
      });
    } catch (error) {
      // Two copies of one form racing: the loser finds the winner's decision.
      if (isUniqueViolation(error, 'sharing_consents_submission_token_key')) {
        const winner = await this.consents.bySubmissionToken(this.db, input.submissionToken);
        if (winner) return firstDecision(winner, participantId);
      }
      throw error;
    }
    return { consentId, duplicate: false };
  }
}

function firstDecision(
  row: SharingConsentRow,
  participantId: string,
): { consentId: string; duplicate: boolean } {
  // A token is only ever good for the form it was issued with.
  if (row.participantId !== participantId) throw new NotFoundError('participant');
  return { consentId: row.id, duplicate: true };
}
